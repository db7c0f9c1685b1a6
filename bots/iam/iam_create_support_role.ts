import type { IAMClient, Role } from '@aws-sdk/client-iam';
import { z } from 'zod';
import { ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { defineBot, type BotContext } from '../types';
import { parsePolicyDocument, samePolicy } from './inline-policy';
import { isNoSuchEntity } from './user';
import { sdk } from '../sdk';

const NAME = 'iam_create_support_role';
/** The name AWS's remediation solution gives the role (ASR CreateIAMSupportRole), so both find each other's. */
export const SUPPORT_ROLE_NAME = 'aws_incident_support_role';
export const SUPPORT_POLICY = 'AWSSupportAccess';
const CREATED_BY = 'cloudmend:created-by';

/** Assumable by the account's own principals (those IAM lets assume it), and nobody else's. */
export function supportRoleTrustPolicy(partition: string, account: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
  };
}

/** Whether `AWSSupportAccess` is attached to any user, group or role of the account: what IAM.18 / CIS 1.20 check. */
async function supportPolicyHolders(iam: IAMClient, policyArn: string): Promise<string[]> {
  const { ListEntitiesForPolicyCommand } = await sdk.iam();
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, ...(marker ? { Marker: marker } : {}) }));
    const holders = [
      ...(page.PolicyRoles ?? []).map((r) => `role ${r.RoleName}`),
      ...(page.PolicyGroups ?? []).map((g) => `group ${g.GroupName}`),
      ...(page.PolicyUsers ?? []).map((u) => `user ${u.UserName}`),
    ];
    if (holders.length > 0) return holders;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return [];
}

async function readSupportRole(iam: IAMClient): Promise<Role | undefined> {
  const { GetRoleCommand } = await sdk.iam();
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: SUPPORT_ROLE_NAME }))).Role;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** A role of that name someone else made is used only when it trusts exactly this account: support access must not reach further. */
function checkTrust(role: Role, ctx: Pick<BotContext, 'partition' | 'account'>): void {
  const trust = role.AssumeRolePolicyDocument ? parsePolicyDocument(role.AssumeRolePolicyDocument) : undefined;
  if (!samePolicy(trust, supportRoleTrustPolicy(ctx.partition, ctx.account))) {
    throw new Error(
      `${NAME}: role ${SUPPORT_ROLE_NAME} exists in account ${ctx.account} with another trust policy than the account's own ` +
        `principals; ${SUPPORT_POLICY} is not attached to it. Attach a support policy to a role you choose, or fix that role's trust`,
    );
  }
}

/** Creating the support role and giving it its policy: kept, never undone (see meta.undo). */
const SUPPORT_ROLE_KIND = 'support-role';
const SUPPORT_ROLE_CHANGE = { kind: SUPPORT_ROLE_KIND, before: null, after: null };

export default defineBot({
  meta: {
    name: NAME,
    summary: `Create a role for incidents with AWS Support (${SUPPORT_POLICY}), when no user, group or role has that policy`,
    description:
      `Lists who holds the AWS managed policy ${SUPPORT_POLICY}; when anyone does, the account is already compliant and nothing ` +
      `changes. Otherwise creates the role ${SUPPORT_ROLE_NAME} (the name AWS's Automated Security Response gives it), ` +
      "assumable only by the account's own principals (the account root as principal: IAM policies in the account decide who), " +
      `tagged ${CREATED_BY}, and attaches ${SUPPORT_POLICY} to it. A role of that name that already exists is used only when its ` +
      'trust policy is exactly that one; otherwise the bot fails without attaching anything. No other role, user or policy is touched.',
    resourceTypes: ['AWS::::Account'],
    remediates: { securityHub: ['IAM.18', 'CIS.1.20'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['iam:ListEntitiesForPolicy'],
        resources: [`arn:{partition}:iam::aws:policy/${SUPPORT_POLICY}`],
        reason: `find who already holds ${SUPPORT_POLICY}`,
        global: true,
      },
      {
        actions: ['iam:GetRole', 'iam:CreateRole', 'iam:TagRole'],
        resources: [`arn:{partition}:iam::{account}:role/${SUPPORT_ROLE_NAME}`],
        reason: `read, create and tag the support role ${SUPPORT_ROLE_NAME}, and no other role`,
        global: true,
      },
      {
        actions: ['iam:AttachRolePolicy'],
        resources: [`arn:{partition}:iam::{account}:role/${SUPPORT_ROLE_NAME}`],
        conditions: { ArnLike: { 'iam:PolicyARN': `arn:*:iam::aws:policy/${SUPPORT_POLICY}` } },
        reason: `attach ${SUPPORT_POLICY}, and no other policy, to the support role`,
        global: true,
      },
    ],
    undo: {
      [SUPPORT_ROLE_KIND]: {
        reversible: false,
        why:
          'the support role is kept: it is how the account reaches AWS Support in an incident, and removing it (IAM.18 and ' +
          'CIS 1.20 would flag the account again) is for whoever owns support access to decide',
      },
    },
  },
  async run(ctx) {
    if (ctx.finding.resource.id !== ctx.account) {
      throw new Error(`${NAME}: the finding's resource ${JSON.stringify(ctx.finding.resource.id)} is not its account ${ctx.account}`);
    }
    const { IAMClient, CreateRoleCommand, AttachRolePolicyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const policyArn = `arn:${ctx.partition}:iam::aws:policy/${SUPPORT_POLICY}`;
    const roleArn = `arn:${ctx.partition}:iam::${ctx.account}:role/${SUPPORT_ROLE_NAME}`;
    const changes = new ChangeSet(ctx);

    const holders = await supportPolicyHolders(iam, policyArn);
    if (holders.length > 0) {
      return changes.result('', `${SUPPORT_POLICY} is already attached in account ${ctx.account} (${holders.join(', ')})`);
    }

    let role = await readSupportRole(iam);
    if (role) checkTrust(role, ctx);
    else {
      const outcome = await createOrAdopt(
        changes,
        {
          action: 'iam:CreateRole',
          target: roleArn,
          description: `created role ${SUPPORT_ROLE_NAME}, assumable by principals of account ${ctx.account} only`,
          undo: SUPPORT_ROLE_CHANGE,
        },
        () =>
          iam.send(
            new CreateRoleCommand({
              RoleName: SUPPORT_ROLE_NAME,
              AssumeRolePolicyDocument: JSON.stringify(supportRoleTrustPolicy(ctx.partition, ctx.account)),
              Description: 'Manages incidents with AWS Support (CIS 1.20; created by cloudmend)',
              Tags: [{ Key: CREATED_BY, Value: NAME }],
            }),
          ),
        (error) => (error as { name?: string }).name === 'EntityAlreadyExistsException',
      );
      if (!outcome.created) {
        // A concurrent run (or our own create, its response lost) made it: read it back and hold it to the same trust.
        role = await readSupportRole(iam);
        if (!role) throw settlingConflict(`role ${SUPPORT_ROLE_NAME}`);
        checkTrust(role, ctx);
      }
    }
    await changes.apply(
      { action: 'iam:AttachRolePolicy', target: roleArn, description: `attached ${policyArn}`, undo: SUPPORT_ROLE_CHANGE },
      () => iam.send(new AttachRolePolicyCommand({ RoleName: SUPPORT_ROLE_NAME, PolicyArn: policyArn })),
    );
    return changes.result(`${SUPPORT_ROLE_NAME} in account ${ctx.account} now holds ${SUPPORT_POLICY}`);
  },
});
