/**
 * The bucket a service delivers to (CloudTrail logs, Config snapshots): created
 * once and owner-checked, and race-safe like the access-log bucket. Two
 * findings handled at once, or a create whose response was lost and retried,
 * end with one bucket, adopted after the owner check, not a failure.
 */
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ChangeSet } from '../../../bots/changes';
import { type DeliveryBucket, ensureDeliveryBucket } from '../../../bots/s3/delivery-bucket';
import { silentLogger as silent } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const BUCKET = 'cloudmend-cloudtrail-222222222222-us-east-1';
const delivery = {
  Sid: 'ServiceDelivers',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};
const spec: DeliveryBucket = {
  partition: 'aws',
  account: '222222222222',
  region: 'us-east-1',
  createdBy: 'cloudtrail_enable',
  bucket: BUCKET,
  service: 'cloudtrail.amazonaws.com',
  delivery: [delivery],
};
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

describe('ensureDeliveryBucket', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('adopts the bucket a concurrent run created between the check and the create, after reading it back as its own', async () => {
    s3.on(HeadBucketCommand).rejectsOnce(s3Error('NotFound', 404)).resolves({});
    s3.on(CreateBucketCommand).rejects(s3Error('BucketAlreadyOwnedByYou', 409));
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [delivery] }) });
    const changes = new ChangeSet({ dryRun: false, log: silent });

    await expect(ensureDeliveryBucket(new S3Client({}), spec, changes)).resolves.toBe(BUCKET);

    expect(s3.commandCalls(HeadBucketCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, ExpectedBucketOwner: '222222222222' },
      { Bucket: BUCKET, ExpectedBucketOwner: '222222222222' },
    ]);
    // Not our create, not our tag, and its block and delivery grant were already there.
    expect(s3.commandCalls(PutBucketTaggingCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(changes.size).toBe(0);
  });

  it('fails retryably when the bucket said to be ours cannot be read back yet', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound', 404));
    s3.on(CreateBucketCommand).rejects(s3Error('BucketAlreadyOwnedByYou', 409));
    await expect(ensureDeliveryBucket(new S3Client({}), spec, new ChangeSet({ dryRun: false, log: silent }))).rejects.toMatchObject({
      name: 'ConflictingCreate',
      $retryable: {},
    });
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
  });

  it('refuses a bucket of that name another account owns, creating nothing', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 403));
    await expect(ensureDeliveryBucket(new S3Client({}), spec, new ChangeSet({ dryRun: false, log: silent }))).rejects.toThrow(
      `bucket ${BUCKET} exists but is not owned by account 222222222222; pass bucket=<a bucket of this account>`,
    );
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });
});
