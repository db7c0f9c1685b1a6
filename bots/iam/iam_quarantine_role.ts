import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { parsePolicyDocument, samePolicy } from './inline-policy';
import { QUARANTINE_POLICY, QUARANTINE_POLICY_NAME } from './iam_quarantine_user';
import { ROLE_RESOURCES, roleArnOf, roleNameOf } from './role';
import { isNoSuchEntity } from './user';
import { ROLE_INLINE_POLICY_KIND, ROLE_INLINE_POLICY_UNDO, roleInlinePolicyUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_quarantine_role';

/** The role name in an assumed-role session ARN: `arn:aws:sts::111:assumed-role/<role>/<session>`. */
function sessionRoleName(callerArn: string | undefined): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(callerArn ?? '')?.[1];
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Attach an explicit deny-all inline policy to the IAM role',
    description:
      `Puts the inline policy \`${QUARANTINE_POLICY_NAME}\` (Deny * on *) on the role. An explicit deny beats every allow, so ` +
      'every session of the role, including sessions issued before (instance credentials a GuardDuty finding says were ' +
      'exfiltrated), can do nothing from the next request on. The trust policy and other policies stay as they are; to release ' +
      `the role, delete the \`${QUARANTINE_POLICY_NAME}\` inline policy. Service-linked roles cannot take inline policies and ` +
      'are skipped, and so is the role cloudmend itself runs as, so a crafted finding cannot lock cloudmend out of the account.',
    resourceTypes: ['AWS::IAM::Role'],
    remediates: {
      guardduty: [
        'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
        'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS',
        'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
        'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
        'UnauthorizedAccess:IAMUser/TorIPCaller',
      ],
    },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
        resources: ROLE_RESOURCES,
        reason:
          'read the role (its path tells a service-linked role) and whether it already carries the quarantine policy; put it on the role',
        global: true,
      },
      {
        actions: ['sts:GetCallerIdentity'],
        // GetCallerIdentity supports no resource-level permissions (and needs none: declared so the recording check sees it).
        resources: ['*'],
        reason: 'learn which role cloudmend runs as, so it never quarantines itself',
        global: true,
      },
    ],
    undo: { [ROLE_INLINE_POLICY_KIND]: ROLE_INLINE_POLICY_UNDO },
  },
  undoers: { [ROLE_INLINE_POLICY_KIND]: roleInlinePolicyUndoer },
  async run(ctx) {
    const { IAMClient, GetRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand } = await sdk.iam();
    const { STSClient, GetCallerIdentityCommand } = await sdk.sts();
    const iam = ctx.client(IAMClient);
    const roleName = roleNameOf(ctx);
    const { Arn: caller } = await ctx.client(STSClient).send(new GetCallerIdentityCommand({}));
    if (sessionRoleName(caller) === roleName) {
      return skipped(`role ${roleName} is the role cloudmend runs as in account ${ctx.account}; it does not quarantine itself`);
    }
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    if (role?.Path?.startsWith('/aws-service-role/')) {
      return skipped(`role ${roleName} is service-linked: AWS does not let it take an inline policy; remove the service's access instead`);
    }
    let current: unknown;
    try {
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: QUARANTINE_POLICY_NAME }));
      current = parsePolicyDocument(PolicyDocument ?? '');
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error;
    }
    const changes = new ChangeSet(ctx);
    if (current === undefined || !samePolicy(current, QUARANTINE_POLICY)) {
      await changes.apply(
        {
          action: 'iam:PutRolePolicy',
          target: role?.Arn ?? roleArnOf(ctx, roleName),
          description:
            current === undefined
              ? `attach inline policy ${QUARANTINE_POLICY_NAME} denying every action on every resource`
              : `replace the altered inline policy ${QUARANTINE_POLICY_NAME} with the deny-all policy`,
          undo: {
            kind: ROLE_INLINE_POLICY_KIND,
            before: { policyName: QUARANTINE_POLICY_NAME, document: current ?? null },
            after: { policyName: QUARANTINE_POLICY_NAME, document: QUARANTINE_POLICY },
          },
        },
        () =>
          iam.send(
            new PutRolePolicyCommand({
              RoleName: roleName,
              PolicyName: QUARANTINE_POLICY_NAME,
              PolicyDocument: JSON.stringify(QUARANTINE_POLICY),
            }),
          ),
      );
    }
    return changes.result(
      `quarantined IAM role ${roleName}: every action of every session is now denied by the inline policy ${QUARANTINE_POLICY_NAME}`,
      `IAM role ${roleName} is already quarantined by the inline policy ${QUARANTINE_POLICY_NAME}`,
    );
  },
});
