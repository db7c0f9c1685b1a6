import bot from '../../../bots/ec2/ec2_stop_instance';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, readInstance, seedInstance } from './moto-seed';

describeMoto('ec2_stop_instance against moto', () => {
  it('stops a running instance in a member account, then reports already-compliant', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect((await readInstance(admin, instanceId)).State?.Name).toBe('stopped');

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
