import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName } from './bucket';
import { readBucketPolicy, statementsOf, withStatement } from './bucket-policy';
import { DENY_INSECURE_TRANSPORT_SID as SID, deniesInsecureTransport, denyInsecureTransport } from './secure-transport';
import { BUCKET_POLICY_KIND, BUCKET_POLICY_UNDO, bucketPolicyUndo, bucketPolicyUndoer } from './s3-undo';
import { sdk } from '../sdk';

const NAME = 's3_only_allow_ssl';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Deny requests to the bucket that do not use TLS (aws:SecureTransport=false) in its bucket policy',
    description:
      `Adds a statement ${SID} to the bucket policy denying s3:* to every principal on the bucket and its objects when ` +
      'aws:SecureTransport is false, after every existing statement, which are kept unchanged and in order; creates the ' +
      'policy when the bucket has none. The bucket is compliant when a statement already denies at least that (any Sid, ' +
      's3:* or *, Principal *, Bool or BoolIfExists, no narrowing condition). Clients still using plain HTTP lose access. ' +
      'The read-modify-write is not atomic: a policy change made by someone else between the read and the write is lost, ' +
      'as with any bucket policy edit.',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.5', 'PCI.S3.5'], config: ['s3-bucket-ssl-requests-only'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read the bucket policy and write it back with the deny-insecure-transport statement added',
      },
    ],
    undo: { [BUCKET_POLICY_KIND]: BUCKET_POLICY_UNDO },
  },
  undoers: { [BUCKET_POLICY_KIND]: bucketPolicyUndoer },
  async run(ctx) {
    const { S3Client, PutBucketPolicyCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    const arn = bucketArn(ctx.partition, bucket);

    const policy = await readBucketPolicy(s3, bucket);
    const existing = statementsOf(policy);
    const equivalent = existing.find((statement) => deniesInsecureTransport(statement, arn));
    const changes = new ChangeSet(ctx);
    if (!equivalent) {
      const updated = withStatement(policy, denyInsecureTransport(arn));
      const added = statementsOf(updated).at(-1)?.Sid;
      const description = policy
        ? `bucket policy: added statement ${added} denying s3:* without TLS after the ${existing.length} existing statement(s), kept unchanged`
        : `bucket policy: none -> one statement ${added} denying s3:* without TLS`;
      await changes.apply({ action: 's3:PutBucketPolicy', target: arn, description, undo: bucketPolicyUndo(policy, updated) }, () =>
        s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(updated) })),
      );
    }
    const which = equivalent?.Sid ? `statement ${equivalent.Sid}` : 'an existing statement';
    return changes.result(
      `${bucket} now denies requests without TLS (${policy ? 'statement added to its policy' : 'new bucket policy'})`,
      `the bucket policy of ${bucket} already denies requests without TLS (${which})`,
    );
  },
});
