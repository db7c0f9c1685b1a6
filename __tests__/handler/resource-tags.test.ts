import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { createClientFactory } from '../../handler/aws/client-factory';
import { MemberCredentialsCache } from '../../handler/credentials';
import type { PlannedRun } from '../../handler/plan';
import { lookUpResourceTags, needsTagLookup, tagLookupTarget, type TagLookupDeps } from '../../handler/resource-tags';
import type { SourcedFinding } from '../../handler/sources/types';
import { testFinding, type TestResource } from '../support/bot-context';
import { recordingClientFactory } from '../support/recording';
import { awsError } from '../support/aws-error';

const sts = mockClient(STSClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const iam = mockClient(IAMClient);
afterAll(() => {
  sts.restore();
  tagging.restore();
  iam.restore();
});

function finding(resource: TestResource, overrides: Partial<SourcedFinding> = {}): SourcedFinding {
  return {
    source: 'config',
    id: 'f-1',
    rule: 'r',
    severity: 'unknown',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'eu-west-1',
    resource: testFinding(resource).resource,
    requestedActions: [],
    raw: {},
    notes: [],
    ...overrides,
  };
}

const bucket = (id = 'data-bucket', extra: Partial<TestResource> = {}) => finding({ type: 'AWS::S3::Bucket', id, ...extra });

/**
 * The handler's credential cache, and clients that record what the lookup sends
 * (refusing anything its narrowed permissions do not declare), for the
 * after-run check in __tests__/recorded-calls/.
 */
function recordedDeps(cache: MemberCredentialsCache): TagLookupDeps {
  let lookup: PlannedRun | undefined;
  return {
    credentials: {
      forRun: (run) => {
        lookup = run;
        return cache.forRun(run);
      },
    },
    clientFactory: (options) => {
      const { finding, bot } = lookup!;
      const scope = { partition: finding.partition, account: finding.account, region: options.region, resourceId: finding.resource.id };
      return recordingClientFactory(bot.meta, createClientFactory(options), { scope, dryRun: false });
    },
  };
}

let deps: TagLookupDeps;
beforeEach(() => {
  sts.reset();
  tagging.reset();
  iam.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIALOOKUP', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 900_000) },
  });
  deps = recordedDeps(
    new MemberCredentialsCache({
      sts: async () => new STSClient({ region: 'eu-west-1' }),
      config: { memberRoleName: 'CloudmendRemediation', externalId: 'ext-123' },
    }),
  );
});

const rateExceeded = () => awsError('ThrottlingException', 'Rate exceeded', 400);

describe('needsTagLookup', () => {
  it('is needed only when the finding knows no tags (undefined), not when it knows none match ({})', () => {
    expect(needsTagLookup(bucket())).toBe(true);
    expect(needsTagLookup(bucket('b', { tags: {} }))).toBe(false);
    expect(needsTagLookup(bucket('b', { tags: { team: 'data' } }))).toBe(false);
  });

  it('is never needed for the account itself, which has no tags', () => {
    expect(needsTagLookup(finding({ type: 'AWS::::Account', id: '222222222222' }))).toBe(false);
  });
});

describe('tagLookupTarget', () => {
  it.each([
    [{ type: 'AWS::S3::Bucket', id: 'data-bucket' }, 'arn:aws:s3:::data-bucket'],
    [{ type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0'],
    [
      { type: 'AWS::EC2::SecurityGroup', id: 'sg-0123456789abcdef0' },
      'arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0123456789abcdef0',
    ],
    [{ type: 'AWS::EC2::VPC', id: 'vpc-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-0123456789abcdef0'],
    [{ type: 'AWS::RDS::DBInstance', id: 'orders-db' }, 'arn:aws:rds:eu-west-1:222222222222:db:orders-db'],
    [
      { type: 'AWS::KMS::Key', id: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
    [{ type: 'AWS::CloudTrail::Trail', id: 'org-trail' }, 'arn:aws:cloudtrail:eu-west-1:222222222222:trail/org-trail'],
  ])('derives the ARN of %j from type, id, partition, region and account', (resource, arn) => {
    expect(tagLookupTarget(finding(resource))).toEqual({ via: 'tag:GetResources', arn, region: 'eu-west-1' });
  });

  it("derives in the partition and the resource's own region when the finding names them", () => {
    const f = finding({ type: 'AWS::EC2::Instance', id: 'i-1', region: 'cn-north-1' }, { partition: 'aws-cn', region: 'cn-northwest-1' });
    expect(tagLookupTarget(f)).toEqual({
      via: 'tag:GetResources',
      arn: 'arn:aws-cn:ec2:cn-north-1:222222222222:instance/i-1',
      region: 'cn-north-1',
    });
  });

  it("uses the ARN the finding gives, asking in the region of that ARN (a trail's home region)", () => {
    const trail = finding({
      type: 'AWS::CloudTrail::Trail',
      id: 'org-trail',
      arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail',
    });
    expect(tagLookupTarget(trail)).toEqual({
      via: 'tag:GetResources',
      arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail',
      region: 'us-east-1',
    });
    const key = finding({ type: 'AWS::KMS::Key', id: 'arn:aws:kms:eu-west-1:222222222222:key/k-1' });
    expect(tagLookupTarget(key)).toMatchObject({ arn: 'arn:aws:kms:eu-west-1:222222222222:key/k-1' });
  });

  it('reads IAM users from IAM (the tagging API does not cover them), by name, also when named by ARN with a path', () => {
    expect(tagLookupTarget(finding({ type: 'AWS::IAM::User', id: 'alice' }))).toEqual({
      via: 'iam:ListUserTags',
      userName: 'alice',
      region: 'eu-west-1',
    });
    expect(tagLookupTarget(finding({ type: 'AWS::IAM::User', id: 'arn:aws:iam::222222222222:user/eng/alice' }))).toMatchObject({
      userName: 'alice',
    });
  });

  it('says why when there is no way to look the tags up', () => {
    expect(tagLookupTarget(finding({ type: 'AWS::Lambda::Function', id: 'payments' }))).toEqual({
      via: 'none',
      reason: 'the finding gives no ARN for AWS::Lambda::Function payments, and cloudmend cannot derive one',
    });
    expect(tagLookupTarget(finding({ type: 'AWS::IAM::User', id: 'arn:aws:iam::999999999999:user/mallory' }))).toMatchObject({
      via: 'none',
    });
  });
});

describe('lookUpResourceTags', () => {
  it('reads the tags with tag:GetResources on exactly the resource ARN, as the member role narrowed to that one action', async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        {
          ResourceARN: 'arn:aws:s3:::data-bucket',
          Tags: [
            { Key: 'cloudmend:exclude', Value: 'true' },
            { Key: 'team', Value: 'data' },
          ],
        },
      ],
    });

    const lookup = await lookUpResourceTags(bucket(), deps);

    expect(lookup).toEqual({
      status: 'found',
      tags: { 'cloudmend:exclude': 'true', team: 'data' },
      target: { via: 'tag:GetResources', arn: 'arn:aws:s3:::data-bucket', region: 'eu-west-1' },
    });
    expect(tagging.commandCalls(GetResourcesCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceARNList: ['arn:aws:s3:::data-bucket'] },
    ]);
    const assume = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(assume).toEqual([
      {
        RoleArn: 'arn:aws:iam::222222222222:role/CloudmendRemediation',
        RoleSessionName: 'cloudmend-tag-lookup',
        ExternalId: 'ext-123',
        DurationSeconds: 900,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['tag:GetResources'], Resource: ['*'] }] }),
      },
    ]);
  });

  it("reads an IAM user's tags with iam:ListUserTags, the session policy naming only that user", async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'cloudmend:exclude', Value: '' }], IsTruncated: false });

    const lookup = await lookUpResourceTags(finding({ type: 'AWS::IAM::User', id: 'alice' }), deps);

    expect(lookup).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': '' } });
    expect(iam.commandCalls(ListUserTagsCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }]);
    expect(JSON.parse(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iam:ListUserTags'],
          Resource: ['arn:aws:iam::222222222222:user/*/alice', 'arn:aws:iam::222222222222:user/alice'],
        },
      ],
    });
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it("takes only the mapping of exactly the requested ARN: another resource's tags never decide", async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [{ ResourceARN: 'arn:aws:s3:::other-bucket', Tags: [{ Key: 'cloudmend:exclude', Value: 'true' }] }],
    });
    expect(await lookUpResourceTags(bucket(), deps)).toEqual({
      status: 'not-found',
      target: { via: 'tag:GetResources', arn: 'arn:aws:s3:::data-bucket', region: 'eu-west-1' },
    });
  });

  it('finds a resource with no tags, or none at all, and a missing IAM user, as not excluded', async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: 'arn:aws:s3:::data-bucket', Tags: [] }] })
      .resolves({ ResourceTagMappingList: [] });
    iam.on(ListUserTagsCommand).rejects(awsError('NoSuchEntityException', 'The user with name ghost cannot be found.', 404));
    expect(await lookUpResourceTags(bucket(), deps)).toMatchObject({ status: 'found', tags: {} });
    expect(await lookUpResourceTags(bucket(), deps)).toMatchObject({ status: 'not-found' });
    expect(await lookUpResourceTags(finding({ type: 'AWS::IAM::User', id: 'ghost' }), deps)).toMatchObject({ status: 'not-found' });
  });

  it('makes no call when the finding carries tags, or the resource is the account', async () => {
    expect(await lookUpResourceTags(bucket('b', { tags: {} }), deps)).toEqual({ status: 'not-needed' });
    expect(await lookUpResourceTags(finding({ type: 'AWS::::Account', id: '222222222222' }), deps)).toEqual({ status: 'not-needed' });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it('reuses the lookup credentials for the account: tag:GetResources is not resource-scoped', async () => {
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
    await lookUpResourceTags(bucket('a'), deps);
    await lookUpResourceTags(bucket('b'), deps);
    await lookUpResourceTags(bucket('c'), deps);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(3);
  });

  it('reports AccessDenied as a denied, permanent failure (a member role deployed before the lookup)', async () => {
    tagging.on(GetResourcesCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: tag:GetResources', 400));
    expect(await lookUpResourceTags(bucket(), deps)).toEqual({
      status: 'failed',
      denied: true,
      error: { name: 'AccessDeniedException', message: 'User is not authorized to perform: tag:GetResources', retryable: false },
      target: { via: 'tag:GetResources', arn: 'arn:aws:s3:::data-bucket', region: 'eu-west-1' },
    });
  });

  it('reports throttling as a retryable failure', async () => {
    tagging.on(GetResourcesCommand).rejects(rateExceeded());
    expect(await lookUpResourceTags(bucket(), deps)).toMatchObject({
      status: 'failed',
      denied: false,
      error: { name: 'ThrottlingException', retryable: true },
    });
  });

  it('reports a member role that cannot be assumed as that, not as a missing lookup permission', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole', 403));
    const lookup = await lookUpResourceTags(bucket(), deps);
    expect(lookup).toMatchObject({ status: 'failed', denied: false, error: { name: 'AssumeRoleDeniedError', retryable: false } });
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });
});
