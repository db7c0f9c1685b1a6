import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { KEY_RESOURCES, keyIdOf } from './key-id';
import { isPublicStatement, statementsOf } from './key-policy';
import { KEY_POLICY_KIND, KEY_POLICY_UNDO, keyPolicyUndoer } from './kms-undo';
import { sdk } from '../sdk';

const NAME = 'kms_remove_public_access';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove the key policy statements that allow any principal (`*`) without limiting the caller’s account',
    description:
      'Reads the key policy and drops every Allow statement whose principal is `*` (or AWS `*`) unless a condition ties the ' +
      'caller to an account, organization, principal or service (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, ' +
      'aws:SourceAccount, kms:ViaService...). Every other statement is kept as it was, in its order. KMS refuses a policy that ' +
      'would lock out the account (the policy lockout safety check stays on), and a policy left with no statement is not ' +
      'written: the key is reported as skipped for a person to look at. AWS managed keys are skipped.',
    resourceTypes: ['AWS::KMS::Key'],
    remediates: { securityHub: ['KMS.5'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy'],
        resources: KEY_RESOURCES,
        reason: 'read the key and its policy, and write the policy back without the public statements',
      },
    ],
    undo: { [KEY_POLICY_KIND]: KEY_POLICY_UNDO },
  },
  undoers: { [KEY_POLICY_KIND]: keyPolicyUndoer },
  async run(ctx) {
    const { KMSClient, DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } = await sdk.kms();
    const kms = ctx.client(KMSClient);
    const keyId = keyIdOf(ctx, NAME);
    const { KeyMetadata: key } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    const arn = key?.Arn ?? keyId;
    if (key?.KeyManager === 'AWS') return skipped(`${arn} is an AWS managed key: AWS writes its policy`);
    const { Policy: text } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    const policy = JSON.parse(text ?? '{}') as { Statement?: unknown };
    const statements = statementsOf(policy);
    const removed = statements.filter(isPublicStatement);
    const changes = new ChangeSet(ctx);
    if (removed.length > 0) {
      const kept = statements.filter((s) => !isPublicStatement(s));
      if (kept.length === 0)
        return skipped(`every statement of the key policy of ${arn} allows anyone; not writing an empty policy: review it by hand`);
      const names = statements.flatMap((s, i) =>
        isPublicStatement(s) ? [typeof s.Sid === 'string' && s.Sid ? s.Sid : `statement #${i + 1}`] : [],
      );
      await changes.apply(
        {
          action: 'kms:PutKeyPolicy',
          target: arn,
          description: `key policy: removed ${names.join(', ')} (Principal *); ${kept.length} statement(s) kept`,
          undo: { kind: KEY_POLICY_KIND, before: policy, after: { ...policy, Statement: kept } },
        },
        () =>
          kms.send(
            new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ ...policy, Statement: kept }) }),
          ),
      );
    }
    return changes.result(
      `the key policy of ${arn} no longer allows any principal`,
      `the key policy of ${arn} allows no principal beyond accounts it names`,
    );
  },
});
