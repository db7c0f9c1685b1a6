/** moto does not enforce iam:PassRole or its conditions: the tag requirement is proven by the policy simulations. */
import { AssociateIamInstanceProfileCommand, DescribeIamInstanceProfileAssociationsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import bot, { ATTACHABLE_TAG } from '../../../bots/ec2/ec2_attach_instance_role';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';
import { adminIam, seedProfile } from './instance-profile-seed';
import { MEMBER, REGION, adminEc2, botSession, seedInstance } from './moto-seed';

async function liveProfile(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const { IamInstanceProfileAssociations = [] } = await ec2.send(
    new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }),
  );
  return IamInstanceProfileAssociations.find((a) => a.State === 'associated')?.IamInstanceProfile?.Arn;
}

describeMoto('ec2_attach_instance_role against moto', () => {
  async function runner(instanceId: string, profile: string) {
    const session = await botSession(bot, instanceId);
    const scope = { partition: 'aws', account: MEMBER, region: REGION, resourceId: instanceId };
    const narrowClient = async (ids: Record<string, readonly string[]>) =>
      (await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { ...scope, derived: ids }))).client;
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };
    return () => bot.run(botContext(bot, { resource, params: { instance_profile: profile }, client: session.client, narrowClient }));
  }

  it('attaches the configured profile to a member instance without one, then reports already-compliant', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const profileArn = await seedProfile(await adminIam(), 'ssm', { [ATTACHABLE_TAG]: 'true' });
    const run = await runner(instanceId, 'arn:aws:iam::$ACCOUNT_ID:instance-profile/ssm');

    const first = await run();
    expect(first).toMatchObject({ status: 'remediated', message: `attached instance profile ssm (role ssm) to ${instanceId}` });
    expect(await liveProfile(admin, instanceId)).toBe(profileArn);
    expect((await run()).status).toBe('already-compliant');
  });

  it('remediate, then undo: the instance has no profile again, and the profile is left', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const profileArn = await seedProfile(await adminIam(), 'ssm-undo', { [ATTACHABLE_TAG]: 'true' });
    const result = await (await runner(instanceId, 'ssm-undo'))();
    expect(result.status).toBe('remediated');
    expect(await liveProfile(admin, instanceId)).toBe(profileArn);

    const undone = await undoResult(bot.meta.name, result, { account: MEMBER, region: REGION, resourceId: instanceId });
    expect(undone.map((o) => [o.status, o.message])).toEqual([
      ['restored', `restored arn:aws:ec2:${REGION}:${MEMBER}:instance/${instanceId} to {"instanceProfileName":null}`],
    ]);
    expect(await liveProfile(admin, instanceId)).toBeUndefined();
  });

  it('leaves an instance with another profile alone', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const iam = await adminIam();
    const appArn = await seedProfile(iam, 'app');
    await seedProfile(iam, 'ssm', { [ATTACHABLE_TAG]: 'true' });
    await admin.send(new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Arn: appArn } }));

    const result = await (await runner(instanceId, 'ssm'))();
    expect(result.status).toBe('skipped');
    expect(await liveProfile(admin, instanceId)).toBe(appArn);
  });
});
