import { CreateTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/tag_ec2_resource';
import { tagsOf } from '../../../bots/ec2/ec2-resource';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('tag_ec2_resource against moto', () => {
  let admin: EC2Client;
  beforeEach(async () => {
    admin = await adminEc2();
  });

  it('tags an instance and a security group through its session policy, then reports already-compliant', async () => {
    const { instanceId, groupIds } = await seedInstance(admin);
    for (const [type, id] of [
      ['AWS::EC2::Instance', instanceId],
      ['AWS::EC2::SecurityGroup', groupIds[0]!],
    ] as const) {
      const session = await botSession(bot, id);
      const run = () =>
        bot.run(botContext(bot, { resource: { type, id }, params: { tag_name: 'owner', tag_value: 'sec' }, client: session.client }));
      expect((await run()).status).toBe('remediated');
      expect(await tagsOf(admin, id)).toMatchObject({ owner: 'sec' });
      expect((await run()).status).toBe('already-compliant');
    }
  });

  it('remediate, then undo: the instance’s tags read back as seeded (the changed value restored)', async () => {
    await prepareUndoState();
    const { instanceId } = await seedInstance(admin);
    await admin.send(
      new CreateTagsCommand({
        Resources: [instanceId],
        Tags: [
          { Key: 'owner', Value: 'nobody' },
          { Key: 'Name', Value: 'web' },
        ],
      }),
    );
    const seeded = await tagsOf(admin, instanceId);

    const changed = await remediate(bot, 'AWS::EC2::Instance', instanceId, { tag_name: 'owner', tag_value: 'sec' });
    expect(changed.result?.status).toBe('remediated');
    expect(await tagsOf(admin, instanceId)).toEqual({ ...seeded, owner: 'sec' });

    expect((await undoThroughCli(changed.resultId!)).code).toBe(0);
    expect(await tagsOf(admin, instanceId)).toEqual(seeded);
  });
});
