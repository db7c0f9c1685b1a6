import { z } from 'zod';
import type { PolicyVersion } from '@aws-sdk/client-iam';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot, type BotContext } from '../types';
import { sdk } from '../sdk';

const NAME = 'iam_delete_default_policy_version';

/** Customer managed policies; `policy/{resourceId}` for a root-path policy named by name, the ARN otherwise (see renderResource). */
export const POLICY_RESOURCES = [
  'arn:{partition}:iam::{account}:policy/{resourceId}',
  'arn:{partition}:iam::{account}:policy/*/{resourceId}',
];

const POLICY_ARN = /^arn:([^:]+):iam::(\d{12}):policy\/(?:[^:]*\/)?[\w+=,.@-]{1,128}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

/** The policy ARN the IAM API takes: the finding's ARN (in its account), or a root-path policy's name. */
function policyArnOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>): string {
  const id = ctx.finding.resource.id;
  const arn = POLICY_ARN.exec(id);
  if (arn && arn[1] === ctx.partition && arn[2] === ctx.account) return id;
  if (arn) throw new Error(`${NAME}: the policy ${id} is not a customer policy of the finding's account ${ctx.account}`);
  if (POLICY_NAME.test(id)) return `arn:${ctx.partition}:iam::${ctx.account}:policy/${id}`;
  throw new Error(`${NAME}: expected a customer managed policy ARN or name as the finding's resource id, got "${id}"`);
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Delete the default version of a customer managed policy and make the newest other version the default',
    description:
      'Undoes a policy change (a CreatePolicyVersion that widened access): makes the most recently created other version the ' +
      'default, then deletes the version that was the default. The version is `version_id` when given (the one the event ' +
      'created), and then a second run finds it gone and does nothing; without it the current default is the one replaced. ' +
      'A policy with a single version is skipped: it has nothing to fall back to.',
    resourceTypes: ['AWS::IAM::ManagedPolicy'],
    params: z.strictObject({
      version_id: z
        .string()
        .regex(/^v[1-9]\d*$/, 'a policy version id such as v3')
        .optional()
        .describe('the version to delete when it is the default; default: whatever version is the default'),
    }),
    positional: ['version_id'],
    permissions: [
      {
        actions: ['iam:ListPolicyVersions', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion'],
        resources: POLICY_RESOURCES,
        reason: "list the policy's versions, make the previous one the default, and delete the one that was",
        global: true,
      },
    ],
    undo: {
      'policy-version-deletion': {
        reversible: false,
        why: 'the version that was the default is deleted right after: it cannot be made the default again; create a new version from the policy document the finding names if needed',
      },
    },
  },
  async run(ctx) {
    const { IAMClient, ListPolicyVersionsCommand, SetDefaultPolicyVersionCommand, DeletePolicyVersionCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const policyArn = policyArnOf(ctx);
    const versions: PolicyVersion[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn, ...(marker ? { Marker: marker } : {}) }));
      versions.push(...(page.Versions ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const current = versions.find((v) => v.IsDefaultVersion);
    const wanted = ctx.params.version_id;
    if (wanted && !versions.some((v) => v.VersionId === wanted)) {
      return alreadyCompliant(`policy ${policyArn} has no version ${wanted} (already deleted)`);
    }
    if (!current?.VersionId || (wanted && current.VersionId !== wanted)) {
      return alreadyCompliant(`version ${wanted} of policy ${policyArn} is not the default (${current?.VersionId ?? 'none'} is)`);
    }
    const previous = versions
      .filter((v) => !v.IsDefaultVersion && v.VersionId)
      .sort((a, b) => (b.CreateDate?.getTime() ?? 0) - (a.CreateDate?.getTime() ?? 0))[0];
    if (!previous?.VersionId) return skipped(`policy ${policyArn} has only version ${current.VersionId}: nothing to fall back to`);
    const changes = new ChangeSet(ctx);
    const [from, to] = [current.VersionId, previous.VersionId];
    await changes.apply(
      {
        action: 'iam:SetDefaultPolicyVersion',
        undo: { kind: 'policy-version-deletion', before: null, after: null },
        target: policyArn,
        description: `default version ${from} -> ${to}`,
      },
      () => iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: to })),
    );
    await changes.apply(
      {
        action: 'iam:DeletePolicyVersion',
        undo: { kind: 'policy-version-deletion', before: null, after: null },
        target: policyArn,
        description: `version ${from} deleted`,
      },
      () => iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: from })),
    );
    return changes.result(`policy ${policyArn} is back on version ${to}; version ${from} is deleted`);
  },
});
