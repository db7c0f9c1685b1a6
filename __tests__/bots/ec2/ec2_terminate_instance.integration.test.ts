import { DescribeInstanceAttributeCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_terminate_instance';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, readInstance, seedInstance } from './moto-seed';

describeMoto('ec2_terminate_instance against moto', () => {
  it('terminates an instance in a member account, then reports already-compliant', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect((await readInstance(admin, instanceId)).State?.Name).toBe('terminated');

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('leaves a protected instance running and protected', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    await admin.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiTermination: { Value: true } }));
    const session = await botSession(bot, instanceId);

    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Instance', id: instanceId }, client: session.client }));

    expect(result.status).toBe('skipped');
    expect((await readInstance(admin, instanceId)).State?.Name).toBe('running');
    const protection = await admin.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(protection.DisableApiTermination?.Value).toBe(true);
  });
});
