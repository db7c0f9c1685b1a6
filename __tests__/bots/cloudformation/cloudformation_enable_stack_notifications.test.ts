/**
 * moto 5.2.1 accepts UpdateStack but drops NotificationARNs (and refuses a
 * notification-only update of a stack with parameters), so these unit tests
 * carry the exact update and the undo; the integration test reads moto stacks
 * (compliant) and updates one without parameters.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFormationClient, DescribeStacksCommand, type Stack, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import bot from '../../../bots/cloudformation/cloudformation_enable_stack_notifications';
import { ResourceBusy } from '../../../bots/errors';
import { checkSensitiveParams } from '../../../bots/param-trust';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';

const NAME = 'orders-api';
const STACK_ID = `arn:aws:cloudformation:us-east-1:222222222222:stack/${NAME}/4f1d8e80-1a2b-11ef-9a3c-0a1b2c3d4e5f`;
const TOPIC = 'arn:aws:sns:us-east-1:222222222222:stack-events';
const OTHER_TOPIC = 'arn:aws:sns:us-east-1:222222222222:team-alerts';
const resource = { type: 'AWS::CloudFormation::Stack', id: NAME };
const params = { topic_arn: TOPIC };

/** Test tables widen literals to string: the overrides are taken as the Stack fields they name. */
function stack(overrides: Record<string, unknown> = {}): { Stacks: Stack[] } {
  return {
    Stacks: [
      {
        StackName: NAME,
        StackId: STACK_ID,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date('2026-01-01T00:00:00Z'),
        Parameters: [
          { ParameterKey: 'Stage', ParameterValue: 'prod' },
          { ParameterKey: 'DbPassword', ParameterValue: '****' },
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
        NotificationARNs: [],
        ...(overrides as Partial<Stack>),
      },
    ],
  };
}

describe('cloudformation_enable_stack_notifications', () => {
  const cloudformation = mockClient(CloudFormationClient);
  beforeEach(() => cloudformation.reset());
  afterAll(() => cloudformation.restore());

  it('adds the topic with the previous template, every parameter at its previous value and the capabilities kept', async () => {
    cloudformation.on(DescribeStacksCommand).resolves(stack());
    cloudformation.on(UpdateStackCommand).resolves({ StackId: STACK_ID });

    const result = await bot.run(botContext(bot, { resource, params }));

    expect(cloudformation.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: NAME });
    expect(cloudformation.commandCalls(UpdateStackCommand)[0]!.args[0].input).toEqual({
      StackName: NAME,
      UsePreviousTemplate: true,
      Parameters: [
        { ParameterKey: 'Stage', UsePreviousValue: true },
        { ParameterKey: 'DbPassword', UsePreviousValue: true },
      ],
      Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      NotificationARNs: [TOPIC],
    });
    expect(result).toEqual({
      status: 'remediated',
      message: `started an update of CloudFormation stack ${NAME} that sends its events to ${TOPIC}`,
      changes: [
        {
          action: 'cloudformation:UpdateStack',
          target: STACK_ID,
          description: `notification topics (none) -> ${TOPIC} (previous template and parameters)`,
          applied: true,
          undo: { kind: 'stack-notifications', before: { NotificationARNs: [] }, after: { NotificationARNs: [TOPIC] } },
        },
      ],
    });
  });

  it('keeps the topics already there, and sends no Capabilities or Parameters the stack does not have', async () => {
    cloudformation.on(DescribeStacksCommand).resolves(stack({ NotificationARNs: [OTHER_TOPIC], Parameters: undefined, Capabilities: [] }));
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(cloudformation.commandCalls(UpdateStackCommand)[0]!.args[0].input).toEqual({
      StackName: NAME,
      UsePreviousTemplate: true,
      Parameters: [],
      NotificationARNs: [OTHER_TOPIC, TOPIC],
    });
    expect(result.changes[0]!.undo).toEqual({
      kind: 'stack-notifications',
      before: { NotificationARNs: [OTHER_TOPIC] },
      after: { NotificationARNs: [TOPIC, OTHER_TOPIC].sort() },
    });
  });

  it('reports already-compliant when the stack already notifies the topic, whatever its state (an update of ours running)', async () => {
    cloudformation.on(DescribeStacksCommand).resolves(stack({ NotificationARNs: [TOPIC], StackStatus: 'UPDATE_IN_PROGRESS' }));
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `CloudFormation stack ${NAME} already sends its events to ${TOPIC}`,
      changes: [],
    });
    expect(cloudformation.commandCalls(UpdateStackCommand)).toHaveLength(0);
  });

  it.each([
    [
      'a nested stack',
      {
        ParentId: 'arn:aws:cloudformation:us-east-1:222222222222:stack/root/1',
        RootId: 'arn:aws:cloudformation:us-east-1:222222222222:stack/root/1',
      },
      /is nested in arn:aws:cloudformation:us-east-1:222222222222:stack\/root\/1: set notifications on the root stack/,
    ],
    [
      'a stack whose creation rolled back',
      { StackStatus: 'ROLLBACK_COMPLETE' },
      /is ROLLBACK_COMPLETE, a state in which it takes no update/,
    ],
    ['a stack awaiting its first change set', { StackStatus: 'REVIEW_IN_PROGRESS' }, /is REVIEW_IN_PROGRESS/],
    [
      'a stack with five topics',
      { NotificationARNs: [1, 2, 3, 4, 5].map((n) => `${OTHER_TOPIC}-${n}`) },
      /already has 5 notification topics/,
    ],
  ])('skips %s, writing nothing', async (_label, overrides, message) => {
    cloudformation.on(DescribeStacksCommand).resolves(stack(overrides));
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(message);
    expect(cloudformation.commandCalls(UpdateStackCommand)).toHaveLength(0);
  });

  it('fails retryably, writing nothing, while another operation on the stack is in progress', async () => {
    cloudformation.on(DescribeStacksCommand).resolves(stack({ StackStatus: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' }));
    const run = bot.run(botContext(bot, { resource, params }));
    await expect(run).rejects.toBeInstanceOf(ResourceBusy);
    await expect(run).rejects.toMatchObject({ name: 'ResourceBusy', $retryable: {} });
    expect(cloudformation.commandCalls(UpdateStackCommand)).toHaveLength(0);
  });

  it('passes on CloudFormation’s refusal (a topic it cannot use)', async () => {
    cloudformation.on(DescribeStacksCommand).resolves(stack());
    cloudformation.on(UpdateStackCommand).rejects(awsError('ValidationError', 'Invalid NotificationARN', 400));
    await expect(bot.run(botContext(bot, { resource, params }))).rejects.toThrow('Invalid NotificationARN');
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    cloudformation.on(DescribeStacksCommand).resolves(stack());
    const result = await bot.run(botContext(bot, { resource, params, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'cloudformation:UpdateStack', target: STACK_ID, applied: false })]);
    expect(cloudformation.commandCalls(UpdateStackCommand)).toHaveLength(0);
  });

  it('refuses a stack ARN as the resource id before any call: its session policy names stacks by name', async () => {
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: STACK_ID }, params }))).rejects.toThrow(
      `"${STACK_ID}" is not a CloudFormation stack name (a stack ARN is turned into its name before a bot runs)`,
    );
    expect(cloudformation.calls()).toHaveLength(0);
  });

  describe('the topic param', () => {
    const scope = { partition: 'aws', account: '222222222222', region: 'us-east-1' };
    const allow = { allowedDestinations: [], allowedKmsKeys: [] };

    it('is required, must be an SNS topic ARN, is a destination and never overridable by a finding', () => {
      expect(bot.meta.params.safeParse({}).success).toBe(false);
      expect(bot.meta.params.safeParse({ topic_arn: 'stack-events' }).success).toBe(false);
      expect(bot.meta.params.safeParse({ topic_arn: 'arn:aws:sqs:us-east-1:222222222222:q' }).success).toBe(false);
      expect(bot.meta.params.parse(params)).toEqual(params);
      expect(bot.meta.sensitiveParams).toEqual({ topic_arn: 'destination' });
      expect(bot.meta.overridable ?? []).toEqual([]);
    });

    it('must be in the finding’s account unless allow-listed (bots/param-trust.ts)', () => {
      expect(checkSensitiveParams(bot.meta, params, scope, allow)).toBeUndefined();
      const elsewhere = { topic_arn: 'arn:aws:sns:us-east-1:999999999999:stack-events' };
      expect(checkSensitiveParams(bot.meta, elsewhere, scope, allow)).toMatch(
        /is in account 999999999999, not the finding's account 222222222222/,
      );
      expect(checkSensitiveParams(bot.meta, elsewhere, scope, { ...allow, allowedDestinations: [elsewhere.topic_arn] })).toBeUndefined();
    });
  });

  describe('undo', () => {
    const undoer = bot.undoers!['stack-notifications']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: STACK_ID };

    it('reads the topics of the stack the change names, and updates it back to the recorded ones (none: an empty list)', async () => {
      cloudformation.on(DescribeStacksCommand).resolves(stack({ NotificationARNs: [TOPIC, OTHER_TOPIC] }));
      expect(await undoer.read(ctx)).toEqual({ NotificationARNs: [TOPIC, OTHER_TOPIC].sort() });
      await undoer.write(ctx, { NotificationARNs: [] });
      expect(cloudformation.commandCalls(UpdateStackCommand)[0]!.args[0].input).toEqual({
        StackName: NAME,
        UsePreviousTemplate: true,
        Parameters: [
          { ParameterKey: 'Stage', UsePreviousValue: true },
          { ParameterKey: 'DbPassword', UsePreviousValue: true },
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
        NotificationARNs: [],
      });
    });
  });
});
