import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchLogsClient,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import bot from '../../../bots/cloudwatch/cloudwatch_set_log_group_retention';
import { botContext } from '../../support/bot-context';

const name = '/aws/lambda/payments';
const arn = `arn:aws:logs:us-east-1:222222222222:log-group:${name}`;
const group = { type: 'AWS::Logs::LogGroup', id: name };
const described = (retentionInDays?: number) => ({
  logGroups: [
    // DescribeLogGroups matches by prefix: a longer name must never be taken for the finding's group.
    { logGroupName: `${name}-canary`, retentionInDays: 1 },
    { logGroupName: name, ...(retentionInDays === undefined ? {} : { retentionInDays }) },
  ],
});

describe('cloudwatch_set_log_group_retention', () => {
  const logs = mockClient(CloudWatchLogsClient);
  beforeEach(() => logs.reset());
  afterAll(() => logs.restore());

  it('lengthens a shorter retention to 365 days, recording the old one for undo', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(described(30));
    const result = await bot.run(botContext(bot, { resource: group }));
    expect(logs.commandCalls(DescribeLogGroupsCommand)[0]!.args[0].input).toEqual({ logGroupNamePrefix: name, limit: 50 });
    expect(logs.commandCalls(PutRetentionPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { logGroupName: name, retentionInDays: 365 },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: `log group ${name} now keeps events for 365 days (was 30)`,
      changes: [
        {
          action: 'logs:PutRetentionPolicy',
          target: arn,
          description: 'retention 30 -> 365 days',
          applied: true,
          undo: { kind: 'retention', before: { retentionInDays: 30 }, after: { retentionInDays: 365 } },
        },
      ],
    });
  });

  it('takes the minimum from the config', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(described(400));
    await bot.run(botContext(bot, { resource: group, params: { days: 731 } }));
    expect(logs.commandCalls(PutRetentionPolicyCommand)[0]!.args[0].input).toEqual({ logGroupName: name, retentionInDays: 731 });
  });

  it.each([
    [undefined, `log group ${name} already keeps events for ever (never expires), at least 365`],
    [365, `log group ${name} already keeps events for 365 days, at least 365`],
    [3653, `log group ${name} already keeps events for 3653 days, at least 365`],
  ])('never shortens: retention %p is already compliant', async (retention, message) => {
    logs.on(DescribeLogGroupsCommand).resolves(described(retention));
    expect(await bot.run(botContext(bot, { resource: group }))).toEqual({ status: 'already-compliant', message, changes: [] });
    expect(logs.commandCalls(PutRetentionPolicyCommand)).toHaveLength(0);
  });

  it('in dry run reports the change and makes no write', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(described(7));
    const result = await bot.run(botContext(bot, { resource: group, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ description: 'retention 7 -> 365 days', applied: false })]);
    expect(logs.commandCalls(PutRetentionPolicyCommand)).toHaveLength(0);
  });

  it('skips a log group that does not exist (the prefix matched only others)', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: `${name}-canary`, retentionInDays: 1 }] });
    expect(await bot.run(botContext(bot, { resource: group }))).toEqual({
      status: 'skipped',
      message: `log group ${name} does not exist in us-east-1; nothing to set`,
      changes: [],
    });
  });

  it('refuses a period CloudWatch Logs does not accept, naming the accepted ones', () => {
    expect(() => bot.meta.params.parse({ days: 100 })).toThrow(/must be one of the periods CloudWatch Logs accepts: 1, 3, 5/);
  });

  it('lets no finding set the period: it is the config’s', () => {
    expect(bot.meta.overridable ?? []).toEqual([]);
  });

  describe('undo', () => {
    const undoer = bot.undoers!.retention!;
    // `cloudmend undo` runs undoers with the undo permissions (simulated in __tests__/policies/undo.test.ts), not the bot's.
    const undoContext = () => ({
      client: <C>(ClientClass: new (config: { region: string }) => C) => new ClientClass({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: arn,
    });

    it('reads the retention, null for never expire', async () => {
      logs.on(DescribeLogGroupsCommand).resolvesOnce(described(365)).resolvesOnce(described(undefined));
      expect(await undoer.read(undoContext())).toEqual({ retentionInDays: 365 });
      expect(await undoer.read(undoContext())).toEqual({ retentionInDays: null });
    });

    it('puts back a period, or never expire', async () => {
      await undoer.write(undoContext(), { retentionInDays: 30 });
      await undoer.write(undoContext(), { retentionInDays: null });
      expect(logs.commandCalls(PutRetentionPolicyCommand)[0]!.args[0].input).toEqual({ logGroupName: name, retentionInDays: 30 });
      expect(logs.commandCalls(DeleteRetentionPolicyCommand)[0]!.args[0].input).toEqual({ logGroupName: name });
    });
  });
});
