import { actionsOf, renderResource, sessionPolicyFor, statementsFor } from '../../bots/permissions';
import type { Permission } from '../../bots/types';

const scope = { partition: 'aws', account: '222222222222', region: 'eu-west-1', resourceId: 'i-0abc' };

describe('renderResource', () => {
  it('fills every placeholder from the scope', () => {
    expect(renderResource('arn:{partition}:ec2:{region}:{account}:instance/{resourceId}', scope)).toBe(
      'arn:aws:ec2:eu-west-1:222222222222:instance/i-0abc',
    );
  });

  it('widens what the scope does not know to *, so the member role covers every resource', () => {
    expect(renderResource('arn:{partition}:ec2:{region}:{account}:instance/{resourceId}', { partition: 'aws' })).toBe(
      'arn:aws:ec2:*:*:instance/*',
    );
  });

  it('renders a resource id given as an ARN to that ARN, not to a nonsense nested one', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(renderResource('arn:{partition}:kms:{region}:{account}:key/{resourceId}', { ...scope, resourceId: keyArn })).toBe(keyArn);
  });

  it('leaves an ARN that does not fit the template as an id, which then matches nothing', () => {
    const other = 'arn:aws:kms:us-east-1:999999999999:key/k';
    expect(renderResource('arn:{partition}:kms:{region}:{account}:key/{resourceId}', { ...scope, resourceId: other })).toBe(
      `arn:aws:kms:eu-west-1:222222222222:key/${other}`,
    );
  });
});

describe('statementsFor', () => {
  const permissions: Permission[] = [
    { actions: ['ec2:StopInstances'], resources: ['arn:{partition}:ec2:{region}:{account}:instance/{resourceId}'], reason: 'stop' },
    { actions: ['ec2:DescribeInstances'], resources: ['*'], reason: 'read' },
    { actions: ['ec2:StartInstances'], resources: ['arn:{partition}:ec2:{region}:{account}:instance/{resourceId}'], reason: 'start' },
    {
      actions: ['iam:PassRole'],
      resources: ['arn:{partition}:iam::{account}:role/r'],
      conditions: { StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
      reason: 'pass',
      global: true,
    },
  ];

  it('merges actions that share resources and conditions, sorted for stable output', () => {
    expect(statementsFor(permissions, scope)).toEqual([
      { Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: ['*'] },
      {
        Effect: 'Allow',
        Action: ['ec2:StartInstances', 'ec2:StopInstances'],
        Resource: ['arn:aws:ec2:eu-west-1:222222222222:instance/i-0abc'],
      },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: ['arn:aws:iam::222222222222:role/r'],
        Condition: { StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
      },
    ]);
  });

  it('keeps statements with different conditions apart', () => {
    const split = statementsFor(
      [
        {
          actions: ['ec2:CreateTags'],
          resources: ['*'],
          reason: 'a',
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } },
        },
        { actions: ['ec2:DescribeVolumes'], resources: ['*'], reason: 'b' },
      ],
      scope,
    );
    expect(split).toHaveLength(2);
  });

  it("is the session policy: a versioned document of the bot's statements", () => {
    const policy = sessionPolicyFor({ permissions }, scope);
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toEqual(statementsFor(permissions, scope));
    expect(actionsOf({ permissions })).toEqual(['ec2:DescribeInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'iam:PassRole']);
  });
});

describe('session policies with ids a bot read (derived placeholders)', () => {
  const meta = {
    permissions: [
      { actions: ['ec2:DescribeInstances'], resources: ['*'], reason: 'read' },
      {
        actions: ['ec2:CreateSnapshot'],
        resources: ['arn:{partition}:ec2:{region}:{account}:volume/{volumeId}', 'arn:{partition}:ec2:{region}::snapshot/*'],
        reason: 'write',
      },
    ],
  };
  const scope = { partition: 'aws', account: '222222222222', region: 'eu-west-1', resourceId: 'i-0123456789abcdef0' };

  it('leaves out a permission on ids not read yet: the first session can only read', () => {
    expect(sessionPolicyFor(meta, scope).Statement.map((s) => s.Action)).toEqual([['ec2:DescribeInstances']]);
    expect(sessionPolicyFor(meta, { ...scope, derived: { volumeId: [] } }).Statement.map((s) => s.Action)).toEqual([
      ['ec2:DescribeInstances'],
    ]);
  });

  it('names each id read, and only those', () => {
    const statements = sessionPolicyFor(meta, { ...scope, derived: { volumeId: ['vol-1', 'vol-2'] } }).Statement;
    expect(statements.find((s) => s.Action.includes('ec2:CreateSnapshot'))!.Resource).toEqual([
      'arn:aws:ec2:eu-west-1:222222222222:volume/vol-1',
      'arn:aws:ec2:eu-west-1:222222222222:volume/vol-2',
      'arn:aws:ec2:eu-west-1::snapshot/*',
    ]);
  });

  it('refuses an id that would widen the policy (a wildcard, a path, an ARN)', () => {
    for (const bad of ['*', 'vol-*', 'vol-?', 'vol-${aws:username}', 'vol-1/..', 'arn:aws:ec2:eu-west-1:222222222222:volume/vol-1', '']) {
      expect(() => sessionPolicyFor(meta, { ...scope, derived: { volumeId: [bad] } })).toThrow(/refusing to put the id/);
    }
  });

  it('accepts the characters IAM names may hold besides letters and digits', () => {
    const policy = sessionPolicyFor(meta, { ...scope, derived: { volumeId: ['_dev+ops=a,b@c.d-e'] } });
    expect(JSON.stringify(policy)).toContain('volume/_dev+ops=a,b@c.d-e');
  });

  it('renders paired ids (a layer’s account and name) one pair at a time, not every combination', () => {
    const layers = {
      permissions: [
        {
          actions: ['lambda:GetLayerVersion'],
          resources: ['arn:{partition}:lambda:{region}:{layerAccount}:layer:{layerName}:*'],
          reason: 'read',
        },
      ],
    };
    const derived = { layerAccount: ['111111111111', '333333333333'], layerName: ['tools', 'agent'] };
    expect(sessionPolicyFor(layers, { ...scope, derived }).Statement[0]!.Resource).toEqual([
      'arn:aws:lambda:eu-west-1:111111111111:layer:tools:*',
      'arn:aws:lambda:eu-west-1:333333333333:layer:agent:*',
    ]);
    // A template naming one of the pair alone renders each of its ids.
    const own = {
      permissions: [{ ...layers.permissions[0]!, resources: ['arn:{partition}:lambda:{region}:{account}:layer:{layerName}:*'] }],
    };
    expect(sessionPolicyFor(own, { ...scope, derived }).Statement[0]!.Resource).toEqual([
      'arn:aws:lambda:eu-west-1:222222222222:layer:agent:*',
      'arn:aws:lambda:eu-west-1:222222222222:layer:tools:*',
    ]);
    expect(() =>
      sessionPolicyFor(layers, { ...scope, derived: { layerAccount: ['111111111111'], layerName: ['tools', 'agent'] } }),
    ).toThrow('paired ids layerAccount and layerName must come in equal numbers, one of each per resource');
  });

  it('grants derived resources as wildcards in the member role, which serves every finding', () => {
    const statements = statementsFor(meta.permissions, { partition: 'aws', account: '222222222222' });
    expect(statements.find((s) => s.Action.includes('ec2:CreateSnapshot'))!.Resource).toEqual([
      'arn:aws:ec2:*:222222222222:volume/*',
      'arn:aws:ec2:*::snapshot/*',
    ]);
  });
});
