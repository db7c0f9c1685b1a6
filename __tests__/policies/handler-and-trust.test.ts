/**
 * Who can become the member role, and what the handler itself can do, proven by
 * simulation of the deployer's documents: the member role's trust policy admits
 * the handler roles presenting the external id and nobody else; the handler's
 * execution role can assume the member roles, write its own logs, DLQ and result
 * topic, and nothing else of note.
 */
import {
  handlerNames,
  handlerRoleArn,
  handlerRolePolicy,
  memberRoleTrustPolicy,
  type HandlerPolicyScope,
} from '../../stacks/member-role-policy';
import {
  ENABLED_REGIONS,
  EXTERNAL_ID,
  FINDING_REGION,
  MEMBER_ACCOUNT,
  MEMBER_ROLE_NAME,
  memberRoleArn,
  ORGANIZATION_ID,
  OUTSIDE_ACCOUNT,
  PARTITION,
  principalContext,
  SECURITY_ACCOUNT,
} from './fixtures';
import { type Decision, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
afterAll(() => {
  console.log(tally.table('member role trust policy and handler execution role'));
  tally.write(expect.getState().testPath ?? 'handler-and-trust.test.ts');
});

const OTHER_MEMBER_ACCOUNT = '333333333333';
const NOT_IN_SCOPE_ACCOUNT = '444444444444';
const trustPolicy = memberRoleTrustPolicy({ partition: PARTITION, securityAccount: SECURITY_ACCOUNT, externalId: EXTERNAL_ID });
const handlerScope: HandlerPolicyScope = {
  partition: PARTITION,
  securityAccount: SECURITY_ACCOUNT,
  region: FINDING_REGION,
  memberRoleName: MEMBER_ROLE_NAME,
  accounts: [SECURITY_ACCOUNT, MEMBER_ACCOUNT, OTHER_MEMBER_ACCOUNT],
};
const handlerPolicy = handlerRolePolicy(handlerScope);

/** A Lambda function's role session is named after the function. */
function handlerSession(region: string): { principal: string; roleArn: string; session: string } {
  const names = handlerNames(region);
  return {
    principal: `arn:${PARTITION}:sts::${SECURITY_ACCOUNT}:assumed-role/${names.role}/${names.function}`,
    roleArn: handlerRoleArn(PARTITION, SECURITY_ACCOUNT, region),
    session: names.function,
  };
}

/** Anything-goes identity policy: proves a denial comes from the trust policy, not from the caller's own policy. */
const ASSUME_ANYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };

interface AssumeCase {
  name: string;
  principal: string;
  roleArn: string;
  session: string;
  identity: unknown;
  target: string;
  externalId?: string;
  trust?: unknown;
  expected: Decision | 'Denied';
  extraContext?: Record<string, string>;
}

async function assume(c: AssumeCase): Promise<Decision> {
  const targetAccount = c.target.split(':')[4]!;
  const context: Record<string, string> = {
    ...principalContext(c.roleArn, c.session, FINDING_REGION),
    'aws:ResourceAccount': targetAccount,
    'sts:RoleSessionName': 'cloudmend-ec2_stop_instance',
    ...(c.externalId !== undefined ? { 'sts:ExternalId': c.externalId } : {}),
    ...c.extraContext,
  };
  const outcome = await simulate({
    request: { principal: c.principal, action: 'sts:AssumeRole', resource: c.target, resourceAccount: targetAccount, context },
    identityPolicies: [c.identity],
    resourcePolicy: c.trust ?? trustPolicy,
    ...(c.externalId === undefined ? { absentOnPurpose: ['sts:ExternalId'] } : {}),
  });
  return outcome.decision;
}

function expectDecision(actual: Decision, expected: Decision | 'Denied'): void {
  if (expected === 'Denied') expect(actual).not.toBe('Allowed');
  else expect(actual).toBe(expected);
}

const handler = handlerSession(FINDING_REGION);
const otherRegionHandler = handlerSession(ENABLED_REGIONS[1]!);
const otherRegionPolicy = handlerRolePolicy({ ...handlerScope, region: ENABLED_REGIONS[1]! });

const assumeCases: AssumeCase[] = [
  {
    name: 'the handler role, with the external id',
    ...handler,
    identity: handlerPolicy,
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Allowed',
  },
  {
    name: 'the handler role of another enabled region, with the external id',
    ...otherRegionHandler,
    identity: otherRegionPolicy,
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Allowed',
  },
  {
    name: 'the handler role, into the security account’s own member role',
    ...handler,
    identity: handlerPolicy,
    target: memberRoleArn(SECURITY_ACCOUNT),
    externalId: EXTERNAL_ID,
    expected: 'Allowed',
  },
  { name: 'the handler role without the external id', ...handler, identity: handlerPolicy, target: memberRoleArn(), expected: 'Denied' },
  {
    name: 'the handler role with a wrong external id',
    ...handler,
    identity: handlerPolicy,
    target: memberRoleArn(),
    externalId: 'guess',
    expected: 'Denied',
  },
  {
    name: 'a role in another account that knows the external id',
    principal: `arn:${PARTITION}:sts::${OUTSIDE_ACCOUNT}:assumed-role/attacker/s`,
    roleArn: `arn:${PARTITION}:iam::${OUTSIDE_ACCOUNT}:role/attacker`,
    session: 's',
    identity: ASSUME_ANYTHING,
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Denied',
  },
  {
    name: 'a role named like the handler in another account',
    principal: `arn:${PARTITION}:sts::${OUTSIDE_ACCOUNT}:assumed-role/${handlerNames(FINDING_REGION).role}/s`,
    roleArn: `arn:${PARTITION}:iam::${OUTSIDE_ACCOUNT}:role/${handlerNames(FINDING_REGION).role}`,
    session: 's',
    identity: ASSUME_ANYTHING,
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Denied',
  },
  {
    name: 'another role of the security account that knows the external id',
    principal: `arn:${PARTITION}:sts::${SECURITY_ACCOUNT}:assumed-role/developer/s`,
    roleArn: `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:role/developer`,
    session: 's',
    identity: ASSUME_ANYTHING,
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Denied',
  },
  {
    name: 'a handler role of a region not deployed today (the pattern covers regions added later), with the external id',
    ...handlerSession('ap-northeast-3'),
    identity: handlerRolePolicy({ ...handlerScope, region: 'ap-northeast-3' }),
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Allowed',
  },
  {
    name: 'another role of the security account with the external id and a handler-like name outside the pattern',
    principal: `arn:${PARTITION}:sts::${SECURITY_ACCOUNT}:assumed-role/cloudmend-handlerx/s`,
    roleArn: `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:role/cloudmend-handlerx`,
    session: 's',
    identity: ASSUME_ANYTHING,
    target: memberRoleArn(),
    externalId: EXTERNAL_ID,
    expected: 'Denied',
  },
  {
    name: 'another role of the security account without the external id',
    principal: `arn:${PARTITION}:sts::${SECURITY_ACCOUNT}:assumed-role/developer/s`,
    roleArn: `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:role/developer`,
    session: 's',
    identity: ASSUME_ANYTHING,
    target: memberRoleArn(),
    expected: 'Denied',
  },
  {
    name: 'the handler role, into a member role of an account outside the deployment',
    ...handler,
    identity: handlerPolicy,
    target: memberRoleArn(NOT_IN_SCOPE_ACCOUNT),
    externalId: EXTERNAL_ID,
    expected: 'Denied',
  },
  {
    name: 'the handler role, into another role of a member account that would trust the security account',
    ...handler,
    identity: handlerPolicy,
    target: `arn:${PARTITION}:iam::${MEMBER_ACCOUNT}:role/OrganizationAccountAccessRole`,
    externalId: EXTERNAL_ID,
    trust: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
    },
    expected: 'Denied',
  },
];

describe('member role trust policy with the handler role policy', () => {
  it.each(assumeCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const decision = await assume(c);
    tally.count('sts:AssumeRole (trust + handler role)', decision);
    expectDecision(decision, c.expected);
  });

  it('trusts the security account only through the handler role name pattern, with the external id required', () => {
    expect(trustPolicy.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:root` },
        Condition: {
          StringEquals: { 'sts:ExternalId': EXTERNAL_ID },
          ArnLike: { 'aws:PrincipalArn': `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:role/cloudmend-handler-*` },
        },
      }),
    ]);
    // The handler roles of every region match, whatever their number: the reason for a pattern.
    for (const region of ENABLED_REGIONS) expect(handlerRoleArn(PARTITION, SECURITY_ACCOUNT, region)).toMatch(/:role\/cloudmend-handler-/);
  });
});

describe('handler execution role for a large organization (member roles by organization id)', () => {
  const manyAccounts = Array.from({ length: 150 }, (_, i) => String(500000000000 + i));
  const orgPolicy = handlerRolePolicy({ ...handlerScope, accounts: manyAccounts, organizationId: ORGANIZATION_ID });

  it.each([
    ['a member role in an account of the organization', memberRoleArn(manyAccounts[42]), ORGANIZATION_ID, 'Allowed'],
    ['a member role in an account of another organization', memberRoleArn(OUTSIDE_ACCOUNT), 'o-otherorg123', 'Denied'],
    ['another role in an account of the organization', `arn:${PARTITION}:iam::${manyAccounts[42]}:role/Admin`, ORGANIZATION_ID, 'Denied'],
  ] as const)('assuming %s', async (_name, target, resourceOrg, expected) => {
    const decision = await assume({
      name: _name,
      ...handler,
      identity: orgPolicy,
      target,
      externalId: EXTERNAL_ID,
      trust: trustPolicy,
      extraContext: { 'aws:ResourceOrgID': resourceOrg },
      expected,
    });
    tally.count('sts:AssumeRole (organization-wide handler role)', decision);
    expectDecision(decision, expected);
  });
});

describe('handler execution role, beyond assuming member roles', () => {
  const names = handlerNames(FINDING_REGION);
  const own = (service: string, resource: string) => `arn:${PARTITION}:${service}:${FINDING_REGION}:${SECURITY_ACCOUNT}:${resource}`;
  const cases: Array<[string, string, Decision | 'Denied']> = [
    ['logs:CreateLogStream', own('logs', `log-group:${names.logGroup}:log-stream:2026/11/23/[$LATEST]abc`), 'Allowed'],
    ['logs:PutLogEvents', own('logs', `log-group:${names.logGroup}:log-stream:2026/11/23/[$LATEST]abc`), 'Allowed'],
    ['sqs:SendMessage', own('sqs', names.dlq), 'Allowed'],
    ['sns:Publish', own('sns', names.outputTopic), 'Allowed'],
    ['logs:PutLogEvents', own('logs', 'log-group:/aws/lambda/payments:log-stream:x'), 'Denied'],
    ['logs:DeleteLogGroup', own('logs', `log-group:${names.logGroup}`), 'Denied'],
    ['sqs:SendMessage', own('sqs', 'payments-queue'), 'Denied'],
    ['sqs:ReceiveMessage', own('sqs', names.dlq), 'Denied'],
    ['sns:Publish', own('sns', names.inputTopic), 'Denied'],
    ['sns:Publish', own('sns', 'payments-alerts'), 'Denied'],
    ['s3:GetObject', `arn:${PARTITION}:s3:::finding-bucket/payroll.csv`, 'Denied'],
    ['s3:PutBucketPublicAccessBlock', `arn:${PARTITION}:s3:::finding-bucket`, 'Denied'],
    ['ec2:StopInstances', own('ec2', 'instance/i-0123456789abcdef0'), 'Denied'],
    ['iam:CreateAccessKey', `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:user/admin`, 'Denied'],
    ['iam:PassRole', `arn:${PARTITION}:iam::${SECURITY_ACCOUNT}:role/${names.role}`, 'Denied'],
    ['kms:Decrypt', own('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), 'Denied'],
    ['lambda:InvokeFunction', own('lambda', 'function:payments'), 'Denied'],
    ['lambda:UpdateFunctionCode', own('lambda', `function:${names.function}`), 'Denied'],
    ['secretsmanager:GetSecretValue', own('secretsmanager', 'secret:db-AbCdEf'), 'Denied'],
    ['organizations:ListAccounts', '*', 'Denied'],
  ];

  it.each(cases)('%s on %s: %s', async (action, resource, expected) => {
    const global = action.startsWith('iam:') || action.startsWith('organizations:');
    const context: Record<string, string> = {
      ...principalContext(handler.roleArn, handler.session, global ? 'us-east-1' : FINDING_REGION),
      ...(action === 'iam:PassRole' ? { 'iam:PassedToService': 'lambda.amazonaws.com' } : {}),
    };
    const outcome = await simulate({
      request: { principal: handler.principal, action, resource, resourceAccount: SECURITY_ACCOUNT, context },
      identityPolicies: [handlerPolicy],
    });
    tally.count('handler role (own resources, neighbours)', outcome.decision);
    expectDecision(outcome.decision, expected);
  });

  it('grants no action outside assume-role and writing its own logs, DLQ and results', () => {
    const actions = new Set(handlerPolicy.Statement.flatMap((s) => s.Action));
    expect([...actions].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'sns:Publish', 'sqs:SendMessage', 'sts:AssumeRole']);
  });
});
