import {
  deliveryPermissionPolicy,
  deliveryTrustPolicy,
  parsePolicyDocument,
  samePolicy,
  trustsFlowLogsService,
} from '../../../bots/vpc/flow-log-delivery';

describe('deliveryTrustPolicy', () => {
  it('lets only the flow logs service assume the role, only for flow logs of the same account', () => {
    expect(deliveryTrustPolicy('aws', '222222222222').Statement).toEqual([
      {
        Sid: 'VpcFlowLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '222222222222' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:*:222222222222:vpc-flow-log/*' },
        },
      },
    ]);
  });
});

describe('deliveryPermissionPolicy', () => {
  it('writes only to cloudmend flow log groups of the account, in the given partition', () => {
    const [write, describe_] = deliveryPermissionPolicy('aws-cn', '222222222222').Statement;
    expect(write).toMatchObject({
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: 'arn:aws-cn:logs:*:222222222222:log-group:/cloudmend/vpc-flow-logs/*',
    });
    expect(describe_).toMatchObject({ Action: 'logs:DescribeLogGroups', Resource: '*' });
  });
});

describe('parsePolicyDocument', () => {
  const policy = { Version: '2012-10-17', Statement: [] };
  it('reads the URL-encoded form IAM returns and the plain form', () => {
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(policy)))).toEqual(policy);
    expect(parsePolicyDocument(JSON.stringify(policy))).toEqual(policy);
    expect(parsePolicyDocument(undefined)).toBeUndefined();
  });
});

describe('trustsFlowLogsService', () => {
  it('is true for the trust policy cloudmend writes and for a list-valued principal', () => {
    expect(trustsFlowLogsService(deliveryTrustPolicy('aws', '1'))).toBe(true);
    expect(
      trustsFlowLogsService({
        Statement: [
          { Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: ['ec2.amazonaws.com', 'vpc-flow-logs.amazonaws.com'] } },
        ],
      }),
    ).toBe(true);
  });

  it('is false for another principal or a deny', () => {
    expect(
      trustsFlowLogsService({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] }),
    ).toBe(false);
    expect(
      trustsFlowLogsService({
        Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { Service: 'vpc-flow-logs.amazonaws.com' } }],
      }),
    ).toBe(false);
    expect(trustsFlowLogsService(undefined)).toBe(false);
  });
});

describe('samePolicy', () => {
  it('ignores key order but not content', () => {
    expect(samePolicy({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(samePolicy({ a: 1, b: [1, 2] }, { a: 1, b: [2, 1] })).toBe(false);
    expect(samePolicy({ a: '1' }, { a: 1 })).toBe(false);
  });
});
