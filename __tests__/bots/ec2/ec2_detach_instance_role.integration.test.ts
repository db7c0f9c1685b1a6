import { AssociateIamInstanceProfileCommand, DescribeIamInstanceProfileAssociationsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_detach_instance_role';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminIam, seedProfile } from './instance-profile-seed';
import { adminEc2, botSession, seedInstance } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

async function liveProfile(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const { IamInstanceProfileAssociations = [] } = await ec2.send(
    new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }),
  );
  return IamInstanceProfileAssociations.find((a) => a.State === 'associated')?.IamInstanceProfile?.Arn;
}

async function instanceWithProfile(): Promise<{ admin: EC2Client; instanceId: string; profileArn: string }> {
  const admin = await adminEc2();
  const { instanceId } = await seedInstance(admin);
  const profileArn = await seedProfile(await adminIam(), 'web-role');
  await admin.send(new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Arn: profileArn } }));
  return { admin, instanceId, profileArn };
}

describeMoto('ec2_detach_instance_role against moto', () => {
  it('removes the instance profile from a member instance, then reports already-compliant', async () => {
    const { admin, instanceId, profileArn } = await instanceWithProfile();
    expect(await liveProfile(admin, instanceId)).toBe(profileArn);
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect(await liveProfile(admin, instanceId)).toBeUndefined();
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('remediate, then undo: the profile is associated again', async () => {
    await prepareUndoState();
    const { admin, instanceId, profileArn } = await instanceWithProfile();
    const outcome = await remediate(bot, 'AWS::EC2::Instance', instanceId);
    expect(outcome.result?.status).toBe('remediated');
    // The profile's role, read from moto, is what the undo session may hand EC2 (and no other role).
    expect(outcome.result?.changes.map((c) => c.undo?.ids)).toEqual([{ roleName: ['web-role'] }]);
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect(await liveProfile(admin, instanceId)).toBe(profileArn);
  });
});
