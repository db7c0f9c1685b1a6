import bot from '../../../bots/ec2/ec2_require_imdsv2';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, readInstance, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('ec2_require_imdsv2 against moto', () => {
  it('requires IMDSv2 on a member instance, then reports already-compliant', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    expect((await readInstance(admin, instanceId)).MetadataOptions?.HttpTokens).not.toBe('required');
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect((await readInstance(admin, instanceId)).MetadataOptions?.HttpTokens).toBe('required');
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('remediate, then undo: tokens optional again', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const outcome = await remediate(bot, 'AWS::EC2::Instance', instanceId);
    expect(outcome.result?.status).toBe('remediated');
    expect((await undoThroughCli(outcome.resultId!)).code).toBe(0);
    expect((await readInstance(admin, instanceId)).MetadataOptions?.HttpTokens).toBe('optional');
  });
});
