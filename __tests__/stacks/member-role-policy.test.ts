import { undoPermissionsOf } from '../../bots/permissions';
import { BOTS } from '../../bots';
import { frameworkPermissionsFor } from '../../bots/framework-permissions';
import type { BotMeta, Permission } from '../../bots/types';
import {
  botsGrantedPermissions,
  handlerRolePolicy,
  MANAGED_POLICY_MAX_CHARS,
  memberRolePolicyDocuments,
  memberRoleTrustPolicy,
} from '../../stacks/member-role-policy';
import { PolicyGenerationError } from '../../stacks/errors';

const REGIONS = ['us-east-1', 'eu-west-1'];
const scope = { partition: 'aws', account: '222222222222', regions: REGIONS };

type TestBot = Pick<BotMeta, 'name' | 'permissions' | 'resourceTypes'>;

function bot(name: string, permissions: Permission[], resourceTypes: TestBot['resourceTypes'] = ['AWS::EC2::Instance']): TestBot {
  return { name, permissions, resourceTypes };
}

/** 60 bots of the shape real bots have: a few reads and writes on an ARN, some with a describe on `*`. */
function syntheticBots(count: number): TestBot[] {
  const services = ['ec2', 's3', 'rds', 'kms', 'cloudtrail', 'logs', 'sns', 'lambda', 'dynamodb', 'elasticloadbalancing'];
  return Array.from({ length: count }, (_, i) => {
    const service = services[i % services.length]!;
    return bot(`synthetic_bot_number_${i}`, [
      {
        actions: [
          `${service}:DescribeThingNumber${i}`,
          `${service}:ModifyThingAttributeNumber${i}`,
          `${service}:PutThingConfigurationNumber${i}`,
        ],
        resources: [`arn:{partition}:${service}:{region}:{account}:thing-type-${i}/{resourceId}`],
        reason: 'synthetic',
      },
      ...(i % 3 === 0 ? [{ actions: [`${service}:ListThings${i}`], resources: ['*'], reason: 'no resource-level permission' }] : []),
      ...(i % 10 === 0
        ? [
            {
              actions: [`iam:GetThing${i}`],
              resources: ['arn:{partition}:iam::{account}:user/{resourceId}'],
              reason: 'global',
              global: true,
            },
          ]
        : []),
    ]);
  });
}

const statements = (docs: ReturnType<typeof memberRolePolicyDocuments>) => docs.flatMap((d) => d.Statement);
const actions = (docs: ReturnType<typeof memberRolePolicyDocuments>) => statements(docs).flatMap((s) => s.Action);

describe('memberRolePolicyDocuments', () => {
  it('grants exactly the declared actions, scoped to the account, regional ones bounded to the enabled regions', () => {
    const docs = memberRolePolicyDocuments(
      [
        bot(
          'a',
          [
            {
              actions: ['s3:PutBucketVersioning', 's3:GetBucketVersioning'],
              resources: ['arn:{partition}:s3:::{resourceId}'],
              reason: 'r',
            },
          ],
          ['AWS::S3::Bucket'],
        ),
        bot(
          'b',
          [{ actions: ['iam:PutUserPolicy'], resources: ['arn:{partition}:iam::{account}:user/{resourceId}'], reason: 'r', global: true }],
          ['AWS::IAM::User'],
        ),
      ],
      scope,
    );
    expect(docs).toEqual([
      {
        Version: '2012-10-17',
        Statement: [
          // Plus the framework's exclusion-tag lookup (bots/framework-permissions.ts) for the types these bots act on:
          // a user's tags from IAM, a bucket's from S3.
          {
            Sid: 'Iam1',
            Effect: 'Allow',
            Action: ['iam:ListUserTags'],
            Resource: ['arn:aws:iam::222222222222:user/*', 'arn:aws:iam::222222222222:user/*/*'],
          },
          { Sid: 'Iam2', Effect: 'Allow', Action: ['iam:PutUserPolicy'], Resource: ['arn:aws:iam::222222222222:user/*'] },
          {
            Sid: 'S31',
            Effect: 'Allow',
            Action: ['s3:GetBucketTagging', 's3:GetBucketVersioning', 's3:PutBucketVersioning'],
            Resource: ['arn:aws:s3:::*'],
            Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
          },
        ],
      },
    ]);
  });

  it("keeps a bot's own conditions and adds the region bound beside them", () => {
    const [doc] = memberRolePolicyDocuments(
      [
        bot('p', [
          {
            actions: ['iam:PassRole'],
            resources: ['arn:{partition}:iam::{account}:role/flow-logs'],
            reason: 'r',
            conditions: { StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
          },
        ]),
      ],
      scope,
    );
    expect(doc!.Statement.find((st) => st.Action.includes('iam:PassRole'))!.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com', 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] },
    });
  });

  it('refuses a wildcard action, naming the bot', () => {
    expect(() =>
      memberRolePolicyDocuments([bot('greedy', [{ actions: ['ec2:Describe*'], resources: ['*'], reason: 'r' }])], scope),
    ).toThrow(new PolicyGenerationError('bot greedy declares the wildcard action "ec2:Describe*": name each action it needs'));
  });

  it("grants the framework's tag lookup for the types the bots act on, and only those: tag:GetResources bounded to the enabled regions, IAM and CloudFront (global) not", () => {
    const stop = {
      actions: ['ec2:StopInstances'],
      resources: ['arn:{partition}:ec2:{region}:{account}:instance/{resourceId}'],
      reason: 'r',
    };
    const lookups = (types: TestBot['resourceTypes']) =>
      statements(memberRolePolicyDocuments([bot('a', [stop], types)], scope)).filter((st) => !st.Action.includes('ec2:StopInstances'));
    const bounded = { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } };
    expect(lookups(['AWS::EC2::Instance'])).toEqual([
      { Sid: 'Tag1', Effect: 'Allow', Action: ['tag:GetResources'], Resource: ['*'], Condition: bounded },
    ]);
    expect(lookups(['AWS::IAM::User', 'AWS::::Account'])).toEqual([
      {
        Sid: 'Iam1',
        Effect: 'Allow',
        Action: ['iam:ListUserTags'],
        Resource: ['arn:aws:iam::222222222222:user/*', 'arn:aws:iam::222222222222:user/*/*'],
      },
    ]);
    expect(
      lookups(['AWS::CloudFront::Distribution', 'AWS::CloudFormation::Stack', 'AWS::EC2::KeyPair', 'AWS::AutoScaling::AutoScalingGroup']),
    ).toEqual([
      {
        Sid: 'Autoscaling1',
        Effect: 'Allow',
        Action: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeKeyPairs'],
        Resource: ['*'],
        Condition: bounded,
      },
      {
        Sid: 'Cloudformation1',
        Effect: 'Allow',
        Action: ['cloudformation:DescribeStacks'],
        Resource: ['arn:aws:cloudformation:*:222222222222:stack/*/*'],
        Condition: bounded,
      },
      {
        Sid: 'Cloudfront1',
        Effect: 'Allow',
        Action: ['cloudfront:ListTagsForResource'],
        Resource: ['arn:aws:cloudfront::222222222222:distribution/*'],
      },
    ]);
    // The account itself has no tags: a bot acting only on it needs no lookup at all.
    expect(lookups(['AWS::::Account'])).toEqual([]);
  });

  it('contributes nothing for no bots (the lookup only serves bot runs)', () => {
    expect(memberRolePolicyDocuments([], scope)).toEqual([]);
  });

  it('gives the same documents for every account but the account id', () => {
    const bots = BOTS.map((b) => b.meta);
    const a = JSON.stringify(memberRolePolicyDocuments(bots, scope));
    const b = JSON.stringify(memberRolePolicyDocuments(bots, { ...scope, account: '333333333333' }));
    expect(b).toBe(a.split('222222222222').join('333333333333'));
  });

  it.each([
    ['every shipped bot', BOTS.map((b) => b.meta)],
    ['60 synthetic bots', syntheticBots(60)],
  ])("with %s: each policy fits IAM's limit, no action is lost or added, none is a wildcard", (_, bots) => {
    const docs = memberRolePolicyDocuments(bots, {
      ...scope,
      regions: [
        'us-east-1',
        'us-east-2',
        'us-west-1',
        'us-west-2',
        'eu-west-1',
        'eu-west-2',
        'eu-central-1',
        'ap-southeast-1',
        'ap-southeast-2',
        'ap-northeast-1',
        'sa-east-1',
        'ca-central-1',
        'eu-north-1',
        'eu-west-3',
        'ap-south-1',
        'ap-northeast-2',
        'ap-northeast-3',
      ],
    });
    for (const doc of docs) expect(JSON.stringify(doc).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    const declared = [
      ...new Set(
        [...bots, { permissions: frameworkPermissionsFor(bots.flatMap((b) => b.resourceTypes)) }].flatMap((b) =>
          [...b.permissions, ...undoPermissionsOf(b)].flatMap((p) => p.actions),
        ),
      ),
    ].sort();
    expect([...new Set(actions(docs))].sort()).toEqual(declared);
    expect(actions(docs).some((a) => a.includes('*'))).toBe(false);
    const sids = statements(docs).map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    if (bots.length === 60) expect(docs.length).toBeGreaterThan(1);
  });

  it('never bounds global actions by region', () => {
    const docs = memberRolePolicyDocuments(syntheticBots(60), scope);
    for (const statement of statements(docs)) {
      // IAM, and CloudFront (the tag lookup of distributions): both answered in us-east-1 whatever regions are enabled.
      const isGlobal = statement.Action.every((a) => a.startsWith('iam:') || a.startsWith('cloudfront:'));
      expect({ actions: statement.Action, bounded: statement.Condition?.StringEquals?.['aws:RequestedRegion'] !== undefined }).toEqual({
        actions: statement.Action,
        bounded: !isGlobal,
      });
    }
  });

  it('says so when the bots need more managed policies than IAM attaches to a role', () => {
    expect(() => memberRolePolicyDocuments(syntheticBots(400), scope)).toThrow(/need \d+ managed policies, more than the 10/);
  });
});

describe('memberRoleTrustPolicy', () => {
  const scope = { partition: 'aws', securityAccount: '111111111111', externalId: 'ext' };

  it('trusts the handler roles of the security account by name pattern, with the external id', () => {
    expect(memberRoleTrustPolicy(scope)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudmendHandlers',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'sts:ExternalId': 'ext' },
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/cloudmend-handler-*' },
          },
        },
      ],
    });
  });

  it('stays far below the 2,048-character trust limit whatever the number of regions (one role per region took 2,348 at 34)', () => {
    const chars = JSON.stringify(memberRoleTrustPolicy({ ...scope, externalId: 'x'.repeat(64) })).length;
    expect(chars).toBeLessThan(500);
  });

  it('fits the limit even with the longest external id the config accepts (1,224 characters)', () => {
    expect(JSON.stringify(memberRoleTrustPolicy({ ...scope, externalId: 'x'.repeat(1224) })).length).toBeLessThan(2048);
  });
});

describe('handlerRolePolicy', () => {
  const base = { partition: 'aws', securityAccount: '111111111111', region: 'eu-west-1', memberRoleName: 'Remediate' };

  it('may assume the listed member roles and write its own logs, DLQ and output topic; nothing else', () => {
    expect(handlerRolePolicy({ ...base, accounts: ['333333333333', '222222222222'] })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AssumeMemberRoles',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: ['arn:aws:iam::222222222222:role/Remediate', 'arn:aws:iam::333333333333:role/Remediate'],
        },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: ['arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/cloudmend-handler-eu-west-1:*'],
        },
        {
          Sid: 'SendToOwnDeadLetterQueue',
          Effect: 'Allow',
          Action: ['sqs:SendMessage'],
          Resource: ['arn:aws:sqs:eu-west-1:111111111111:cloudmend-dlq-eu-west-1'],
        },
        {
          Sid: 'PublishResults',
          Effect: 'Allow',
          Action: ['sns:Publish'],
          Resource: ['arn:aws:sns:eu-west-1:111111111111:cloudmend-results-eu-west-1'],
        },
      ],
    });
  });

  it('bounds the member roles by organization id when the account list is too long to name', () => {
    const accounts = Array.from({ length: 101 }, (_, i) => String(100000000000 + i));
    const [assume] = handlerRolePolicy({ ...base, accounts, organizationId: 'o-abc123def4' }).Statement;
    expect(assume).toEqual({
      Sid: 'AssumeMemberRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: ['arn:aws:iam::*:role/Remediate'],
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abc123def4' } },
    });
    expect(() => handlerRolePolicy({ ...base, accounts })).toThrow(/too many to list .* run `npx cloudmend discover`/);
  });
});

describe('botsGrantedPermissions', () => {
  const catalog: { meta: Pick<BotMeta, 'name' | 'destructive'> }[] = [
    { meta: { name: 'fix', destructive: false } },
    { meta: { name: 'wipe', destructive: true } },
    { meta: { name: 'nuke', destructive: true } },
    { meta: { name: 'idle' } },
  ];

  it('grants the enabled bots, destructive ones only when opted in', () => {
    expect(botsGrantedPermissions(catalog, ['fix', 'wipe', 'nuke', 'idle'], ['nuke']).map((m) => m.name)).toEqual(['fix', 'nuke', 'idle']);
    expect(botsGrantedPermissions(catalog, ['fix', 'wipe'], []).map((m) => m.name)).toEqual(['fix']);
  });

  it('never grants an opted-in bot that is not enabled', () => {
    expect(botsGrantedPermissions(catalog, ['fix'], ['wipe']).map((m) => m.name)).toEqual(['fix']);
  });
});
