import { AssociateIamInstanceProfileCommand } from '@aws-sdk/client-ec2';
import { CreatePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/ec2/ec2_update_instance_role';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';
import { adminIam, seedProfile } from './instance-profile-seed';
import { MEMBER, REGION, adminEc2, botSession, seedInstance } from './moto-seed';

const DENY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });

describeMoto('ec2_update_instance_role against moto', () => {
  it('attaches the policy to the role of the member instance’s profile, then reports already-compliant; undo detaches it', async () => {
    const admin = await adminEc2();
    const iam = await adminIam();
    const { instanceId } = await seedInstance(admin);
    const profileArn = await seedProfile(iam, 'web');
    const policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'quarantine', PolicyDocument: DENY_DOCUMENT }))).Policy!.Arn!;
    await admin.send(new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Arn: profileArn } }));
    const session = await botSession(bot, instanceId);
    const scope = { partition: 'aws', account: MEMBER, region: REGION, resourceId: instanceId };
    const narrowClient = async (ids: Record<string, readonly string[]>) =>
      (await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { ...scope, derived: ids }))).client;
    const run = () =>
      bot.run(
        botContext(bot, {
          resource: { type: 'AWS::EC2::Instance', id: instanceId },
          params: { policy_arn: 'arn:aws:iam::$ACCOUNT_ID:policy/quarantine' },
          client: session.client,
          narrowClient,
        }),
      );

    const first = await run();
    expect(first.status).toBe('remediated');
    const { AttachedPolicies = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'web' }));
    expect(AttachedPolicies.map((p) => p.PolicyArn)).toEqual([policyArn]);
    expect((await run()).status).toBe('already-compliant');

    // Undo detaches it again, through a session naming only that role (the change recorded its name).
    const undone = await undoResult(bot.meta.name, first, { account: MEMBER, region: REGION, resourceId: instanceId });
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    const { AttachedPolicies: after = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'web' }));
    expect(after).toEqual([]);
  });
});
