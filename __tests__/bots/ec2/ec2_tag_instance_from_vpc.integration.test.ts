import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_tag_instance_from_vpc';
import { tagsOf } from '../../../bots/ec2/ec2-resource';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('ec2_tag_instance_from_vpc against moto', () => {
  it('copies the VPC’s tags to a member instance, keeping its Name, then reports already-compliant', async () => {
    const admin = await adminEc2();
    const { instanceId, vpcId } = await seedInstance(admin);
    await admin.send(
      new CreateTagsCommand({
        Resources: [vpcId],
        Tags: [
          { Key: 'team', Value: 'payments' },
          { Key: 'Name', Value: 'prod' },
        ],
      }),
    );
    await admin.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: 'Name', Value: 'web-1' }] }));
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect(await tagsOf(admin, instanceId)).toEqual({ Name: 'web-1', team: 'payments' });
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('remediate, then undo: the instance’s tags read back as seeded', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const { instanceId, vpcId } = await seedInstance(admin);
    await admin.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'team', Value: 'payments' }] }));
    const seeded = await tagsOf(admin, instanceId);
    const outcome = await remediate(bot, 'AWS::EC2::Instance', instanceId);
    expect(outcome.result?.status).toBe('remediated');
    expect((await undoThroughCli(outcome.resultId!)).code).toBe(0);
    expect(await tagsOf(admin, instanceId)).toEqual(seeded);
  });
});
