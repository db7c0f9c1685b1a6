import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import bot from '../../../bots/cloudwatch/cloudwatch_set_log_group_retention';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('cloudwatch_set_log_group_retention against moto', () => {
  const account = '222222222222';
  const region = 'us-east-1';

  it('lengthens the retention, then is already compliant; undo puts the old period back', async () => {
    const admin = await memberSession(account, region);
    const logs = admin.client(CloudWatchLogsClient);
    const name = '/cloudmend/retention-test';
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 14 }));
    // A neighbour sharing the prefix keeps its own retention.
    await logs.send(new CreateLogGroupCommand({ logGroupName: `${name}-neighbour` }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: `${name}-neighbour`, retentionInDays: 14 }));

    const scope = { partition: 'aws', account, region, resourceId: name };
    const session = await memberSession(account, region, sessionPolicyFor(bot.meta, scope));
    const resource = { type: 'AWS::Logs::LogGroup', id: name };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const retention = async (logGroupName: string) =>
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }))).logGroups?.find(
        (g) => g.logGroupName === logGroupName,
      )?.retentionInDays;
    expect(await retention(name)).toBe(365);
    expect(await retention(`${name}-neighbour`)).toBe(14);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');

    // Undo with the undo permissions alone, as `cloudmend undo` assumes the member role.
    const change = first.changes[0]!;
    const undoSession = await memberSession(
      account,
      region,
      sessionPolicyFor({ permissions: bot.meta.undo!.retention!.reversible ? bot.meta.undo!.retention!.permissions : [] }, scope),
    );
    const undoer = bot.undoers!.retention!;
    const context = { client: undoSession.client, partition: 'aws', account, region, target: change.target };
    expect(await undoer.read(context)).toEqual(change.undo!.after);
    await undoer.write(context, change.undo!.before);
    expect(await retention(name)).toBe(14);
  });
});
