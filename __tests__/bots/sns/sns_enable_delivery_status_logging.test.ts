import { mockClient } from 'aws-sdk-client-mock';
import { GetTopicAttributesCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/sns/sns_enable_delivery_status_logging';
import { feedbackPermissionPolicy, feedbackTrustPolicy } from '../../../bots/sns/feedback-role';
import type { DerivedIds } from '../../../bots/types';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:222222222222:alerts';
const ROLE_ARN = 'arn:aws:iam::222222222222:role/cloudmend-sns-delivery-status';
const BOUNDARY = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';
const topic = { type: 'AWS::SNS::Topic', id: 'alerts' };
const PREFIXES = ['HTTP', 'Firehose', 'Lambda', 'Application', 'SQS'];

/** Every feedback role attribute, '' unless given (sample rates are not part of the undo state). */
function feedback(values: Record<string, string> = {}): Record<string, string> {
  const all: Record<string, string> = {};
  for (const p of PREFIXES) for (const f of ['SuccessFeedbackRoleArn', 'FailureFeedbackRoleArn']) all[`${p}${f}`] = '';
  const roles = Object.fromEntries(Object.entries(values).filter(([name]) => name.endsWith('RoleArn')));
  return { ...all, ...roles };
}

function logging(prefix: string, role = ROLE_ARN, rate = '0') {
  return {
    [`${prefix}SuccessFeedbackRoleArn`]: role,
    [`${prefix}SuccessFeedbackSampleRate`]: rate,
    [`${prefix}FailureFeedbackRoleArn`]: role,
  };
}

const existingRole = {
  Role: {
    RoleName: 'cloudmend-sns-delivery-status',
    Arn: ROLE_ARN,
    Path: '/',
    RoleId: 'AROAEXAMPLE',
    CreateDate: new Date(0),
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(feedbackTrustPolicy('222222222222'))),
    PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: BOUNDARY },
  },
};

describe('sns_enable_delivery_status_logging', () => {
  const sns = mockClient(SNSClient);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    sns.reset();
    iam.reset();
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: TOPIC_ARN } });
    sns.on(SetTopicAttributesCommand).resolves({});
  });
  afterAll(() => {
    sns.restore();
    iam.restore();
  });

  const setCalls = () => sns.commandCalls(SetTopicAttributesCommand).map((c) => c.args[0].input);

  it('creates the logging role once and logs every protocol through it, in a session naming that role', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role with name cloudmend-sns-delivery-status cannot be found.', 404));
    iam.on(CreateRoleCommand).resolves({});
    iam.on(PutRolePolicyCommand).resolves({});
    const narrowed: DerivedIds[] = [];

    const result = await bot.run(botContext(bot, { resource: topic, onNarrow: (ids) => narrowed.push(ids) }));

    expect(sns.commandCalls(GetTopicAttributesCommand)[0]!.args[0].input).toEqual({ TopicArn: TOPIC_ARN });
    const create = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(create).toEqual({
      RoleName: 'cloudmend-sns-delivery-status',
      AssumeRolePolicyDocument: JSON.stringify(feedbackTrustPolicy('222222222222')),
      Description: 'Lets SNS write topic delivery status logs to CloudWatch Logs (created by cloudmend)',
      PermissionsBoundary: BOUNDARY,
      Tags: [{ Key: 'cloudmend:created-by', Value: 'sns_enable_delivery_status_logging' }],
    });
    expect(JSON.parse(create.AssumeRolePolicyDocument!).Statement[0]).toMatchObject({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
    });
    expect(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input).toEqual({
      RoleName: 'cloudmend-sns-delivery-status',
      PolicyName: 'cloudmend-sns-delivery-status-logs',
      PolicyDocument: JSON.stringify(feedbackPermissionPolicy('aws', '222222222222')),
    });
    expect(narrowed).toEqual([{ roleName: ['cloudmend-sns-delivery-status'] }]);
    const expected = { ...logging('HTTP'), ...logging('Firehose'), ...logging('Lambda'), ...logging('Application'), ...logging('SQS') };
    expect(setCalls()).toEqual(
      Object.entries(expected).map(([AttributeName, AttributeValue]) => ({ TopicArn: TOPIC_ARN, AttributeName, AttributeValue })),
    );
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('topic alerts now logs the delivery status of HTTP, Firehose, Lambda, Application, SQS to CloudWatch Logs');
    expect(result.changes.map((c) => c.action)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy', 'sns:SetTopicAttributes']);
    expect(result.changes[2]).toEqual({
      action: 'sns:SetTopicAttributes',
      target: TOPIC_ARN,
      description: `delivery status logging of HTTP, Firehose, Lambda, Application, SQS off -> on, through ${ROLE_ARN}, 0% of successes`,
      applied: true,
      undo: { kind: 'delivery-status-logging', before: feedback(), after: feedback(expected) },
    });
  });

  it('reuses the role a previous run created, and logs only the protocols asked for, at the sample rate asked for', async () => {
    iam.on(GetRoleCommand).resolves(existingRole);
    iam.on(GetRolePolicyCommand).resolves({
      RoleName: 'cloudmend-sns-delivery-status',
      PolicyName: 'cloudmend-sns-delivery-status-logs',
      PolicyDocument: encodeURIComponent(JSON.stringify(feedbackPermissionPolicy('aws', '222222222222'))),
    });

    const result = await bot.run(botContext(bot, { resource: topic, params: { protocols: 'sqs, Lambda', success_sample_rate: '25' } }));

    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
    expect(setCalls().map((c) => [c.AttributeName, c.AttributeValue])).toEqual([
      ['SQSSuccessFeedbackRoleArn', ROLE_ARN],
      ['SQSSuccessFeedbackSampleRate', '25'],
      ['SQSFailureFeedbackRoleArn', ROLE_ARN],
      ['LambdaSuccessFeedbackRoleArn', ROLE_ARN],
      ['LambdaSuccessFeedbackSampleRate', '25'],
      ['LambdaFailureFeedbackRoleArn', ROLE_ARN],
    ]);
    expect(result.changes.map((c) => c.action)).toEqual(['sns:SetTopicAttributes']);
  });

  it('uses the role given, touching no IAM, and names it in the narrowed session', async () => {
    const given = 'arn:aws:iam::222222222222:role/service-role/sns-logging';
    const narrowed: DerivedIds[] = [];
    await bot.run(
      botContext(bot, { resource: topic, params: { role_arn: given, protocols: 'http' }, onNarrow: (ids) => narrowed.push(ids) }),
    );
    expect(iam.calls()).toHaveLength(0);
    expect(narrowed).toEqual([{ roleName: ['sns-logging'] }]);
    expect(setCalls().map((c) => c.AttributeValue)).toEqual([given, '0', given]);
  });

  it('refuses a given role of another account before any call', async () => {
    await expect(
      bot.run(botContext(bot, { resource: topic, params: { role_arn: 'arn:aws:iam::999999999999:role/sns-logging' } })),
    ).rejects.toThrow("role_arn arn:aws:iam::999999999999:role/sns-logging is not in the finding's account 222222222222");
    expect(sns.calls()).toHaveLength(0);
  });

  it('leaves protocols already logging, with any role, alone and fills in only what a half-configured one lacks', async () => {
    const other = 'arn:aws:iam::222222222222:role/team-sns-logs';
    sns.on(GetTopicAttributesCommand).resolves({
      Attributes: {
        ...logging('HTTP', other, '100'),
        ...logging('Firehose', other),
        ...logging('Lambda', other),
        ...logging('Application', other),
        SQSSuccessFeedbackRoleArn: other,
        SQSSuccessFeedbackSampleRate: '5',
      },
    });
    iam.on(GetRoleCommand).resolves(existingRole);
    iam
      .on(GetRolePolicyCommand)
      .resolves({ RoleName: 'x', PolicyName: 'y', PolicyDocument: JSON.stringify(feedbackPermissionPolicy('aws', '222222222222')) });
    const result = await bot.run(botContext(bot, { resource: topic }));
    expect(setCalls().map((c) => [c.AttributeName, c.AttributeValue])).toEqual([['SQSFailureFeedbackRoleArn', ROLE_ARN]]);
    expect(result.changes.at(-1)!.description).toBe(`delivery status logging of SQS off -> on, through ${ROLE_ARN}, 0% of successes`);
  });

  it('reports already-compliant when every protocol asked for logs both outcomes', async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { ...logging('SQS'), ...logging('Lambda') } });
    const result = await bot.run(botContext(bot, { resource: topic, params: { protocols: 'sqs,lambda' } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'topic alerts already logs the delivery status of SQS, Lambda',
      changes: [],
    });
    expect(iam.calls()).toHaveLength(0);
    expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
  });

  it('refuses an existing role SNS cannot assume, or one without the boundary whose policy it must restore', async () => {
    iam.on(GetRoleCommand).resolves({ Role: { ...existingRole.Role, AssumeRolePolicyDocument: JSON.stringify({ Statement: [] }) } });
    await expect(bot.run(botContext(bot, { resource: topic }))).rejects.toThrow('sns.amazonaws.com cannot assume it');

    iam.on(GetRoleCommand).resolves({ Role: { ...existingRole.Role, PermissionsBoundary: undefined } });
    iam.on(GetRolePolicyCommand).rejects(awsError('NoSuchEntity', 'no policy', 404));
    await expect(bot.run(botContext(bot, { resource: topic }))).rejects.toThrow('lacks the permissions boundary');
    expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
  });

  it('adopts the role when a concurrent run created it between the read and the create', async () => {
    iam
      .on(GetRoleCommand)
      .rejectsOnce(awsError('NoSuchEntity', 'not found', 404))
      .resolves(existingRole);
    iam.on(CreateRoleCommand).rejects(awsError('EntityAlreadyExists', 'Role with name cloudmend-sns-delivery-status already exists.', 409));
    iam.on(GetRolePolicyCommand).rejects(awsError('NoSuchEntity', 'no policy', 404));
    iam.on(PutRolePolicyCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: topic, params: { protocols: 'sqs' } }));
    expect(result.changes.map((c) => c.action)).toEqual(['iam:PutRolePolicy', 'sns:SetTopicAttributes']);
  });

  it('in dry run reads, reports the writes, and makes none (nor narrows)', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const narrowed: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: topic, dryRun: true, onNarrow: (ids) => narrowed.push(ids) }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['iam:CreateRole', false],
      ['iam:PutRolePolicy', false],
      ['sns:SetTopicAttributes', false],
    ]);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
    expect(narrowed).toEqual([]);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('default to every protocol, failures only, the role the bot creates', () => {
      expect(parse({})).toEqual({
        success: true,
        data: { protocols: ['http', 'firehose', 'lambda', 'application', 'sqs'], success_sample_rate: 0 },
      });
    });
    it('reject unknown protocols, rates outside 0-100 and roles that are not role ARNs', () => {
      expect(parse({ protocols: 'sqs,smtp' }).success).toBe(false);
      expect(parse({ protocols: '' }).success).toBe(false);
      expect(parse({ success_sample_rate: 101 }).success).toBe(false);
      expect(parse({ role_arn: 'arn:aws:iam::222222222222:user/bob' }).success).toBe(false);
      expect(parse({ role_arn: 'arn:aws:iam::222222222222:role/a+b' }).success).toBe(false);
    });
    it('never let a finding choose the role', () => {
      expect(bot.meta.overridable).toEqual(['protocols', 'success_sample_rate']);
      expect(bot.meta.sensitiveParams).toEqual({ role_arn: 'principal' });
    });
  });

  describe('undo', () => {
    const undoer = bot.undoers!['delivery-status-logging']!;
    const ctx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: TOPIC_ARN,
    } as Parameters<typeof undoer.read>[0];

    it('reads every feedback role attribute and clears only those the remediation set', async () => {
      sns
        .on(GetTopicAttributesCommand)
        .resolves({ Attributes: { ...logging('SQS'), ...logging('HTTP', 'arn:aws:iam::222222222222:role/team') } });
      expect(await undoer.read(ctx)).toEqual(feedback({ ...logging('SQS'), ...logging('HTTP', 'arn:aws:iam::222222222222:role/team') }));
      await undoer.write(ctx, feedback(logging('HTTP', 'arn:aws:iam::222222222222:role/team')));
      expect(setCalls().map((c) => [c.AttributeName, c.AttributeValue])).toEqual([
        ['SQSSuccessFeedbackRoleArn', ''],
        ['SQSFailureFeedbackRoleArn', ''],
      ]);
    });
  });
});
