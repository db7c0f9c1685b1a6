import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type Permission, type UndoContext } from '../types';
import {
  POLICY_ARNS,
  ROLE_ARNS,
  attachedPolicyArns,
  grantsBlanket,
  inlinePolicies,
  managedPolicyDocuments,
  roleOfArn,
  type InlinePolicy,
} from './execution-role';
import { FUNCTION_ARN, functionNameOf } from './function';
import { sdk } from '../sdk';

const MANAGED = 'attached-policies';
const INLINE = 'inline-policies';

/** Undo acts on the role the change recorded (`ChangeUndo.ids.roleName`), and on no other. */
const UNDO_IDS = ['roleName'];

function undoPermission(actions: string[], reason: string): Permission[] {
  return [{ actions, resources: ROLE_ARNS, reason, global: true }];
}

async function undoIam(ctx: UndoContext) {
  const { IAMClient } = await sdk.iam();
  const role = roleOfArn(ctx.target);
  if (!role) throw new Error(`${ctx.target} is not an IAM role ARN`);
  return { iam: ctx.client(IAMClient), roleName: role.name };
}

export default defineBot({
  meta: {
    name: 'lambda_detach_blanket_permissions',
    summary: 'Detach from the function’s execution role the policies that allow every action on every resource',
    description:
      'Reads the execution role of the function, then, through credentials naming that role (and, for reads, the managed ' +
      'policies attached to it) only, every policy on the role: each managed policy attached to it (its default version) ' +
      'and each inline policy. A policy with a statement allowing `*` (or `*:*`) actions on `*` resources, whatever its ' +
      'conditions, is removed from the role: a managed policy is detached (the policy itself is never deleted or changed), ' +
      'an inline policy is deleted, its document recorded. Narrower policies stay, so the function keeps what they allow ' +
      'and loses the rest. The role is changed for everything that uses it: other functions sharing the role lose the ' +
      'same permissions. The policies removed are reported and recorded with the role, and `cloudmend undo` attaches (or puts) ' +
      'them back through credentials naming that role only.',
    resourceTypes: ['AWS::Lambda::Function'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['lambda:GetFunctionConfiguration'],
        resources: [FUNCTION_ARN],
        reason: 'read the execution role of the function',
      },
      {
        actions: [
          'iam:ListAttachedRolePolicies',
          'iam:ListRolePolicies',
          'iam:GetRolePolicy',
          'iam:DetachRolePolicy',
          'iam:DeleteRolePolicy',
        ],
        resources: ROLE_ARNS,
        reason: 'list and read the policies of the function’s role, detach or delete those allowing everything (only the role read)',
        global: true,
      },
      {
        actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        resources: POLICY_ARNS,
        reason: 'read the documents of the managed policies attached to the role (only those listed)',
        global: true,
      },
    ],
    undo: {
      [MANAGED]: {
        reversible: true,
        how: 'attaches the detached managed policies to the role again',
        permissions: undoPermission(
          ['iam:ListAttachedRolePolicies', 'iam:AttachRolePolicy'],
          'undo: list the managed policies of the function’s role (the one the change recorded) and attach the detached ones again',
        ),
        recordsIds: UNDO_IDS,
      },
      [INLINE]: {
        reversible: true,
        how: 'puts the deleted inline policies back on the role with the documents they had',
        permissions: undoPermission(
          ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
          'undo: read the inline policies of the function’s role (the one the change recorded) and put the deleted ones back',
        ),
        recordsIds: UNDO_IDS,
      },
    },
  },
  undoers: {
    [MANAGED]: {
      async read(ctx) {
        const { iam, roleName } = await undoIam(ctx);
        return attachedPolicyArns(iam, roleName);
      },
      async write(ctx, state) {
        const { AttachRolePolicyCommand } = await sdk.iam();
        const { iam, roleName } = await undoIam(ctx);
        const current = new Set(await attachedPolicyArns(iam, roleName));
        for (const PolicyArn of state as string[]) {
          if (!current.has(PolicyArn)) await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn }));
        }
      },
    },
    [INLINE]: {
      async read(ctx) {
        const { iam, roleName } = await undoIam(ctx);
        return inlinePolicies(iam, roleName);
      },
      async write(ctx, state) {
        const { PutRolePolicyCommand } = await sdk.iam();
        const { iam, roleName } = await undoIam(ctx);
        const current = new Set((await inlinePolicies(iam, roleName)).map((p) => p.PolicyName));
        for (const { PolicyName, Document } of state as InlinePolicy[]) {
          if (current.has(PolicyName)) continue;
          await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName, PolicyDocument: JSON.stringify(Document) }));
        }
      },
    },
  },
  async run(ctx) {
    const { LambdaClient, GetFunctionConfigurationCommand } = await sdk.lambda();
    const { IAMClient, DetachRolePolicyCommand, DeleteRolePolicyCommand } = await sdk.iam();
    const name = functionNameOf(ctx);
    const { Role: roleArn } = await ctx.client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const role = roleArn ? roleOfArn(roleArn) : undefined;
    if (!roleArn || !role) return skipped(`Lambda function ${name} has no execution role cloudmend can read (${roleArn ?? 'none'})`);
    if (role.account !== ctx.account) {
      return skipped(`the execution role ${roleArn} of ${name} is in another account than the function's (${ctx.account})`);
    }
    // Every IAM call goes through credentials naming the role read from the function, and no other.
    const iam = (await ctx.narrowTo({ roleName: [role.name] }))(IAMClient);
    const attached = await attachedPolicyArns(iam, role.name);
    const documents = await managedPolicyDocuments(ctx, role.name, attached);
    const blanketManaged = attached.filter((arn) => grantsBlanket(documents.get(arn)));
    const inline = await inlinePolicies(iam, role.name);
    const blanketInline = inline.filter((policy) => grantsBlanket(policy.Document));

    const changes = new ChangeSet(ctx);
    // Undo sessions name this role alone.
    const ids = { roleName: [role.name] };
    let remaining = attached;
    for (const PolicyArn of blanketManaged) {
      const after = remaining.filter((arn) => arn !== PolicyArn);
      await changes.apply(
        {
          action: 'iam:DetachRolePolicy',
          target: roleArn,
          description: `detached managed policy ${PolicyArn} (allows * on *) from ${role.name}, the execution role of ${name}`,
          undo: { kind: MANAGED, before: remaining, after, ids },
        },
        () => iam.send(new DetachRolePolicyCommand({ RoleName: role.name, PolicyArn })),
      );
      remaining = after;
    }
    let remainingInline = inline;
    for (const { PolicyName } of blanketInline) {
      const after = remainingInline.filter((p) => p.PolicyName !== PolicyName);
      await changes.apply(
        {
          action: 'iam:DeleteRolePolicy',
          target: roleArn,
          description: `deleted inline policy ${PolicyName} (allows * on *) of ${role.name}, the execution role of ${name}`,
          undo: { kind: INLINE, before: remainingInline, after, ids },
        },
        () => iam.send(new DeleteRolePolicyCommand({ RoleName: role.name, PolicyName })),
      );
      remainingInline = after;
    }
    const removed = [...blanketManaged.map((arn) => `managed ${arn}`), ...blanketInline.map((p) => `inline ${p.PolicyName}`)];
    return changes.result(
      `removed from ${role.name}, the execution role of ${name}, the policies allowing * on *: ${removed.join(', ')}`,
      `no policy of ${role.name}, the execution role of ${name}, allows every action on every resource`,
    );
  },
});
