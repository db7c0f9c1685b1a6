import bot, { STOP_TAG_KEY } from '../../../bots/ec2/mark_for_stop_ec2_resource';
import { tagsOf } from '../../../bots/ec2/ec2-resource';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('mark_for_stop_ec2_resource against moto', () => {
  it('tags the instance with its deadline, keeps it on a second run, and undo removes the tag', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };
    const now = new Date('2026-11-23T10:00:00Z');

    const first = await bot.run(botContext(bot, { resource, params: { stop_after: '2d' }, client: session.client, now }));
    expect(first.status).toBe('remediated');
    expect((await tagsOf(admin, instanceId))[STOP_TAG_KEY]).toBe('2026-11-25T10:00:00.000Z');
    const later = new Date('2026-11-24T10:00:00Z');
    const second = await bot.run(botContext(bot, { resource, params: { stop_after: '2d' }, client: session.client, now: later }));
    expect(second.status).toBe('already-compliant');
    expect((await tagsOf(admin, instanceId))[STOP_TAG_KEY]).toBe('2026-11-25T10:00:00.000Z');
  });

  it('remediate, then undo: the tag is gone again', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const outcome = await remediate(bot, 'AWS::EC2::Instance', instanceId, { stop_after: '3h' });
    expect(outcome.result?.status).toBe('remediated');
    expect(await tagsOf(admin, instanceId)).toHaveProperty([STOP_TAG_KEY]);
    expect((await undoThroughCli(outcome.resultId!)).code).toBe(0);
    expect(await tagsOf(admin, instanceId)).not.toHaveProperty([STOP_TAG_KEY]);
  });
});
