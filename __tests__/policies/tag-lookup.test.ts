/**
 * What the exclusion-tag lookup can do in a member account, proven by
 * simulation: the member role's generated policies (every bot enabled)
 * intersected with the session policy the handler passes for the lookup, built
 * by the handler's own code (tagLookupRun + sessionPolicyForRun). It may read
 * the tags of the finding's resource, and nothing else: not write tags, not
 * read data, not read another user's tags.
 */
import { BOTS } from '../../bots';
import type { PolicyDocument } from '../../bots/permissions';
import { testFinding, type TestResource } from '../support/bot-context';
import { sessionPolicyForRun } from '../../handler/credentials';
import type { PlannedRun } from '../../handler/plan';
import { tagLookupRun, tagLookupTarget } from '../../handler/resource-tags';
import type { SourcedFinding } from '../../handler/sources/types';
import { memberRolePolicyDocuments } from '../../stacks/member-role-policy';
import {
  botRequestContext,
  DANGEROUS_NEIGHBOURS,
  DISABLED_REGION,
  ENABLED_REGIONS,
  FINDING_REGION,
  GLOBAL_REQUEST_REGION,
  MEMBER_ACCOUNT,
  memberScope,
  memberSessionArn,
  PARTITION,
  resourcePolicyFor,
} from './fixtures';
import { conditionKeysFor, type SimulationOutcome, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
const memberPolicies = memberRolePolicyDocuments(
  BOTS.map((bot) => bot.meta),
  { partition: PARTITION, account: MEMBER_ACCOUNT, regions: ENABLED_REGIONS },
);

afterAll(() => {
  console.log(tally.table(`member role ∩ tag-lookup session policy (enabled regions ${ENABLED_REGIONS.join(', ')})`));
  tally.write(expect.getState().testPath ?? 'tag-lookup.test.ts');
});

function lookupFor(resource: TestResource): { run: PlannedRun; session: PolicyDocument } {
  const finding: SourcedFinding = {
    source: 'config',
    id: 'f-1',
    rule: 'r',
    severity: 'unknown',
    status: 'FAILED',
    partition: PARTITION,
    account: MEMBER_ACCOUNT,
    region: FINDING_REGION,
    resource: testFinding(resource).resource,
    requestedActions: [],
    raw: {},
    notes: [],
  };
  const target = tagLookupTarget(finding);
  if (target.via === 'none') throw new Error(`no lookup for ${resource.type}`);
  const run = tagLookupRun(finding, target);
  return { run, session: sessionPolicyForRun(run) };
}

const GLOBAL = /^(iam|sts|organizations):/;

async function decide(
  run: PlannedRun,
  session: PolicyDocument,
  action: string,
  resource: string,
  region?: string,
): Promise<SimulationOutcome> {
  const requestRegion = region ?? (GLOBAL.test(action) ? GLOBAL_REQUEST_REGION : FINDING_REGION);
  const context = botRequestContext(run.bot, action, requestRegion);
  const supplied = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  const outcome = await simulate({
    request: { principal: memberSessionArn('tag-lookup'), action, resource, resourceAccount: MEMBER_ACCOUNT, context },
    identityPolicies: memberPolicies,
    sessionPolicy: session,
    resourcePolicy: resourcePolicyFor(action, resource),
    // Conditions of other bots' statements for the same action (a tag only their resources carry) are genuinely absent here.
    absentOnPurpose: conditionKeysFor(action, memberPolicies).filter((k) => !supplied.has(k.toLowerCase()) && k !== 'aws:RequestedRegion'),
  });
  tally.count('cloudmend:tag-lookup', outcome.decision);
  return outcome;
}

const user = (name: string, path = '') => `arn:${PARTITION}:iam::${MEMBER_ACCOUNT}:user/${path}${name}`;
const bucketArn = `arn:${PARTITION}:s3:::finding-bucket`;

/** Next to reading tags: writing them, and reading what the tags are on. */
const LOOKUP_NEIGHBOURS: Array<{ action: string; resource: string }> = [
  { action: 'tag:TagResources', resource: '*' },
  { action: 'tag:UntagResources', resource: '*' },
  { action: 'tag:GetTagKeys', resource: '*' },
  { action: 's3:GetObject', resource: `${bucketArn}/payroll.csv` },
  { action: 's3:GetBucketTagging', resource: bucketArn },
  { action: 's3:PutBucketTagging', resource: bucketArn },
  { action: 'ec2:CreateTags', resource: `arn:${PARTITION}:ec2:${FINDING_REGION}:${MEMBER_ACCOUNT}:instance/i-0123456789abcdef0` },
  { action: 'iam:TagUser', resource: user('finding-user') },
  { action: 'iam:UntagUser', resource: user('finding-user') },
  { action: 'iam:GetUser', resource: user('finding-user') },
  { action: 'iam:ListUserTags', resource: user('other-user') },
  { action: 'iam:ListRoleTags', resource: `arn:${PARTITION}:iam::${MEMBER_ACCOUNT}:role/OrganizationAccountAccessRole` },
];

const describeOutcome = (action: string, resource: string, o: SimulationOutcome) =>
  `${action} on ${resource}: ${o.decision} (member role ${o.identity}, session ${o.session})`;

describe('the tag lookup for a resource the tagging API covers (an EC2 instance)', () => {
  const { run, session } = lookupFor({ type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' });

  it('has a session policy of exactly tag:GetResources on * (the action supports no resource-level permission)', () => {
    expect(session).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['tag:GetResources'], Resource: ['*'] }] });
  });

  it('is allowed tag:GetResources in an enabled region', async () => {
    expect((await decide(run, session, 'tag:GetResources', '*')).decision).toBe('Allowed');
  });

  it('is denied tag:GetResources in a region that is not enabled, by the member role itself', async () => {
    const outcome = await decide(run, session, 'tag:GetResources', '*', DISABLED_REGION);
    expect({ decision: outcome.decision, identity: outcome.identity }).toEqual({
      decision: 'ImplicitlyDenied',
      identity: 'ImplicitlyDenied',
    });
  });

  it('is denied the neighbours of reading tags, and iam:ListUserTags, which this lookup does not need', async () => {
    const allowed: string[] = [];
    for (const n of [...LOOKUP_NEIGHBOURS, { action: 'iam:ListUserTags', resource: user('finding-user') }]) {
      const outcome = await decide(run, session, n.action, n.resource);
      if (outcome.decision === 'Allowed') allowed.push(describeOutcome(n.action, n.resource, outcome));
    }
    expect(allowed).toEqual([]);
  });
});

describe('the tag lookup for an S3 bucket (read live from S3)', () => {
  const { run, session } = lookupFor({ type: 'AWS::S3::Bucket', id: 'finding-bucket' });

  it('has a session policy of exactly s3:GetBucketTagging on that bucket', () => {
    expect(session).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketTagging'], Resource: [bucketArn] }],
    });
  });

  it("is allowed s3:GetBucketTagging on the finding's bucket in an enabled region", async () => {
    expect((await decide(run, session, 's3:GetBucketTagging', bucketArn)).decision).toBe('Allowed');
  });

  it("is denied another bucket's tags, writing tags, and tag:GetResources", async () => {
    const allowed: string[] = [];
    for (const n of [
      ...LOOKUP_NEIGHBOURS.filter((n) => !(n.action === 's3:GetBucketTagging' && n.resource === bucketArn)),
      { action: 's3:GetBucketTagging', resource: `arn:${PARTITION}:s3:::other-bucket` },
      { action: 'tag:GetResources', resource: '*' },
    ]) {
      const outcome = await decide(run, session, n.action, n.resource);
      if (outcome.decision === 'Allowed') allowed.push(describeOutcome(n.action, n.resource, outcome));
    }
    expect(allowed).toEqual([]);
  });
});

describe('the tag lookup for an IAM role and a KMS key (read from their own services)', () => {
  const role = (name: string) => `arn:${PARTITION}:iam::${MEMBER_ACCOUNT}:role/${name}`;
  const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const key = (id: string) => `arn:${PARTITION}:kms:${FINDING_REGION}:${MEMBER_ACCOUNT}:key/${id}`;

  it("is allowed iam:ListRoleTags on the finding's role only", async () => {
    const { run, session } = lookupFor({ type: 'AWS::IAM::Role', id: 'finding-role' });
    expect((await decide(run, session, 'iam:ListRoleTags', role('finding-role'))).decision).toBe('Allowed');
    expect((await decide(run, session, 'iam:ListRoleTags', role('other-role'))).decision).not.toBe('Allowed');
    expect((await decide(run, session, 'iam:TagRole', role('finding-role'))).decision).not.toBe('Allowed');
  });

  it("is allowed kms:ListResourceTags on the finding's key only", async () => {
    const { run, session } = lookupFor({ type: 'AWS::KMS::Key', id: keyId });
    expect((await decide(run, session, 'kms:ListResourceTags', key(keyId))).decision).toBe('Allowed');
    expect((await decide(run, session, 'kms:ListResourceTags', key('ffffffff-12ab-34cd-56ef-1234567890ab'))).decision).not.toBe('Allowed');
    expect((await decide(run, session, 'kms:TagResource', key(keyId))).decision).not.toBe('Allowed');
  });
});

describe('the tag lookup for an IAM user (not covered by the tagging API)', () => {
  const { run, session } = lookupFor({ type: 'AWS::IAM::User', id: 'finding-user' });

  it('has a session policy of exactly iam:ListUserTags on that user, at any path', () => {
    expect(session).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListUserTags'], Resource: [user('finding-user', '*/'), user('finding-user')] }],
    });
  });

  it("is allowed iam:ListUserTags on the finding's user, at the root path and under a path", async () => {
    const denied: string[] = [];
    for (const resource of [user('finding-user'), user('finding-user', 'eng/')]) {
      const outcome = await decide(run, session, 'iam:ListUserTags', resource);
      if (outcome.decision !== 'Allowed') denied.push(describeOutcome('iam:ListUserTags', resource, outcome));
    }
    expect(denied).toEqual([]);
  });

  it("is denied another user's tags, writing tags, and tag:GetResources", async () => {
    const allowed: string[] = [];
    for (const n of [
      ...LOOKUP_NEIGHBOURS,
      { action: 'tag:GetResources', resource: '*' },
      { action: 'iam:ListUserTags', resource: user('other-user', 'eng/') },
    ]) {
      const outcome = await decide(run, session, n.action, n.resource);
      if (outcome.decision === 'Allowed') allowed.push(describeOutcome(n.action, n.resource, outcome));
    }
    expect(allowed).toEqual([]);
  });
});

describe.each([
  ['an EC2 instance', { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' }],
  ['an S3 bucket', { type: 'AWS::S3::Bucket', id: 'finding-bucket' }],
  ['an IAM user', { type: 'AWS::IAM::User', id: 'finding-user' }],
  ['an IAM role', { type: 'AWS::IAM::Role', id: 'finding-role' }],
  ['a KMS key', { type: 'AWS::KMS::Key', id: '1234abcd-12ab-34cd-56ef-1234567890ab' }],
])('the tag lookup for %s', (_name, resource) => {
  it('is denied every dangerous neighbour the bots are checked against', async () => {
    const { run, session } = lookupFor(resource);
    const scope = memberScope(FINDING_REGION, resource.id);
    const allowed: string[] = [];
    for (const neighbour of DANGEROUS_NEIGHBOURS) {
      const region = GLOBAL.test(neighbour.action) ? GLOBAL_REQUEST_REGION : FINDING_REGION;
      const context = { ...botRequestContext(run.bot, neighbour.action, region), ...neighbour.context };
      const outcome = await simulate({
        request: {
          principal: memberSessionArn('tag-lookup'),
          action: neighbour.action,
          resource: neighbour.resource(scope),
          resourceAccount: MEMBER_ACCOUNT,
          context,
        },
        identityPolicies: memberPolicies,
        sessionPolicy: session,
        resourcePolicy: resourcePolicyFor(neighbour.action, neighbour.resource(scope)),
        absentOnPurpose: conditionKeysFor(neighbour.action, memberPolicies).filter(
          (k) => !Object.keys(context).some((c) => c.toLowerCase() === k.toLowerCase()) && k !== 'aws:RequestedRegion',
        ),
      });
      tally.count('cloudmend:tag-lookup', outcome.decision);
      if (outcome.decision === 'Allowed') allowed.push(describeOutcome(neighbour.action, neighbour.resource(scope), outcome));
    }
    expect(allowed).toEqual([]);
  });
});
