import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, GetTrailCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/cloudtrail/cloudtrail_send_to_cloudwatch';
import { trailRolePermissionPolicy, trailRoleTrustPolicy } from '../../../bots/cloudtrail/cloudwatch-delivery';
import { botContext } from '../../support/bot-context';
import { iamError } from '../iam/iam-test-support';

const trailArn = 'arn:aws:cloudtrail:us-east-1:222222222222:trail/audit';
const resource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };
const GROUP = 'arn:aws:logs:us-east-1:222222222222:log-group:/cloudmend/cloudtrail';
const ROLE = 'arn:aws:iam::222222222222:role/cloudmend-cloudtrail-to-cloudwatch';
const BOUNDARY = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';

describe('cloudtrail_send_to_cloudwatch', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  const logs = mockClient(CloudWatchLogsClient);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    for (const m of [cloudtrail, logs, iam]) m.reset();
    cloudtrail.on(GetTrailCommand).resolves({ Trail: { Name: 'audit', TrailARN: trailArn, HomeRegion: 'us-east-1' } });
  });
  afterAll(() => {
    for (const m of [cloudtrail, logs, iam]) m.restore();
  });

  it('creates the log group and a bounded delivery role trusted by CloudTrail alone, then points the trail at them', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));

    const narrowed: unknown[] = [];
    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));

    // The trail is updated with credentials naming its home Region only.
    expect(narrowed).toEqual([{ trailRegion: ['us-east-1'] }]);

    expect(logs.commandCalls(CreateLogGroupCommand)[0]!.args[0].input).toEqual({
      logGroupName: '/cloudmend/cloudtrail',
      tags: { 'cloudmend:created-by': 'cloudtrail_send_to_cloudwatch' },
    });
    const created = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(created.PermissionsBoundary).toBe(BOUNDARY);
    expect(JSON.parse(created.AssumeRolePolicyDocument!)).toEqual(trailRoleTrustPolicy('222222222222'));
    expect(JSON.parse(created.AssumeRolePolicyDocument!).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '222222222222' },
    });
    expect(JSON.parse(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(
      trailRolePermissionPolicy('aws', '222222222222'),
    );
    expect(cloudtrail.commandCalls(UpdateTrailCommand)[0]!.args[0].input).toEqual({
      Name: trailArn,
      CloudWatchLogsLogGroupArn: `${GROUP}:*`,
      CloudWatchLogsRoleArn: ROLE,
    });
    expect(result.changes.map((c) => c.action)).toEqual([
      'logs:CreateLogGroup',
      'iam:CreateRole',
      'iam:PutRolePolicy',
      'cloudtrail:UpdateTrail',
    ]);
  });

  it('reuses the log group and role a previous run created', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/cloudmend/cloudtrail' }] });
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'cloudmend-cloudtrail-to-cloudwatch',
        Arn: ROLE,
        Path: '/',
        RoleId: 'AROA1',
        CreateDate: new Date(),
        PermissionsBoundary: { PermissionsBoundaryArn: BOUNDARY },
      },
    });
    iam.on(GetRolePolicyCommand).resolves({
      RoleName: 'cloudmend-cloudtrail-to-cloudwatch',
      PolicyName: 'cloudmend-cloudtrail-to-cloudwatch-delivery',
      PolicyDocument: encodeURIComponent(JSON.stringify(trailRolePermissionPolicy('aws', '222222222222'))),
    });

    const result = await bot.run(botContext(bot, { resource }));

    expect(result.changes.map((c) => c.action)).toEqual(['cloudtrail:UpdateTrail']);
  });

  it('refuses to edit a same-named role that lacks the boundary', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/cloudmend/cloudtrail' }] });
    iam.on(GetRoleCommand).resolves({
      Role: { RoleName: 'cloudmend-cloudtrail-to-cloudwatch', Arn: ROLE, Path: '/', RoleId: 'AROA1', CreateDate: new Date() },
    });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('without the permissions boundary');
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });

  it('leaves a trail that already delivers to CloudWatch Logs alone', async () => {
    cloudtrail.on(GetTrailCommand).resolves({
      Trail: { Name: 'audit', TrailARN: trailArn, CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:222222222222:log-group:mine:*' },
    });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(logs.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });

  it('in dry run creates nothing', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(logs.commandCalls(CreateLogGroupCommand)).toHaveLength(0);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });
});
