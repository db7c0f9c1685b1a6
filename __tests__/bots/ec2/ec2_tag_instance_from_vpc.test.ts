import { mockClient } from 'aws-sdk-client-mock';
import { CreateTagsCommand, DescribeInstancesCommand, DescribeTagsCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_tag_instance_from_vpc';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0';

function withInstance(extra: Partial<Instance> = {}) {
  return {
    Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'running' as const }, VpcId: 'vpc-1', ...extra }] }],
  };
}
const tagsOn = (id: string, tags: Record<string, string>) => ({
  Tags: Object.entries(tags).map(([Key, Value]) => ({ ResourceId: id, Key, Value })),
});

describe('ec2_tag_instance_from_vpc', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  function seed(vpc: Record<string, string>, instance: Record<string, string>) {
    ec2.on(DescribeInstancesCommand).resolves(withInstance());
    ec2.on(DescribeTagsCommand, { Filters: [{ Name: 'resource-id', Values: ['vpc-1'] }] }).resolves(tagsOn('vpc-1', vpc));
    ec2
      .on(DescribeTagsCommand, { Filters: [{ Name: 'resource-id', Values: ['i-0123456789abcdef0'] }] })
      .resolves(tagsOn('i-0123456789abcdef0', instance));
    ec2.on(CreateTagsCommand).resolves({});
  }

  it('adds the VPC’s keys the instance lacks, keeps its own values, never copies aws: or cloudmend: keys, and says so', async () => {
    seed(
      { Name: 'prod-vpc', team: 'payments', cost: 'cc-1', 'aws:cloudformation:stack-name': 'net', 'cloudmend:exclude': 'true' },
      { Name: 'web-1', cost: 'cc-1' },
    );

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input).toEqual({
      Resources: ['i-0123456789abcdef0'],
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    expect(result).toEqual({
      status: 'remediated',
      message:
        "copied 1 tag(s) of vpc-1 to i-0123456789abcdef0; kept the instance's own Name=web-1 (VPC: prod-vpc); " +
        'not copied (reserved): aws:cloudformation:stack-name, cloudmend:exclude',
      changes: [
        {
          action: 'ec2:CreateTags',
          target: ARN,
          description: 'tags from vpc-1: added team=payments',
          applied: true,
          undo: { kind: 'tags', before: { Name: 'web-1', cost: 'cc-1' }, after: { Name: 'web-1', cost: 'cc-1', team: 'payments' } },
        },
      ],
    });
  });

  it('with overwrite replaces the values that differ, and reports old and new', async () => {
    seed({ Name: 'prod-vpc', team: 'payments' }, { Name: 'web-1' });
    const result = await bot.run(botContext(bot, { resource, params: { overwrite: 'true' } }));
    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input.Tags).toEqual([
      { Key: 'Name', Value: 'prod-vpc' },
      { Key: 'team', Value: 'payments' },
    ]);
    expect(result.changes[0]?.description).toBe('tags from vpc-1: added team=payments; changed Name: web-1 -> prod-vpc');
  });

  it('is already compliant when the instance has every copyable tag', async () => {
    seed({ team: 'payments', 'aws:x': 'y' }, { team: 'payments' });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'i-0123456789abcdef0 already has the tags of vpc-1; not copied (reserved): aws:x',
      changes: [],
    });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('in dry run writes nothing', async () => {
    seed({ team: 'payments' }, {});
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('refuses to pass EC2’s 50-tag limit, writing nothing', async () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`v${i}`, 'x']));
    const own = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`i${i}`, 'x']));
    seed(many, own);
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow("more than EC2's 50 tags; nothing copied");
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('skips an instance in no VPC and a terminated one', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ VpcId: undefined }));
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('skipped');
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'terminated' } }));
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('skipped');
  });

  it('reads overwrite from config booleans and CloudBots strings', () => {
    expect(bot.meta.params.parse({})).toEqual({ overwrite: false });
    expect(bot.meta.params.parse({ overwrite: 'false' })).toEqual({ overwrite: false });
    expect(bot.meta.params.parse({ overwrite: true })).toEqual({ overwrite: true });
    expect(bot.meta.params.safeParse({ overwrite: 'maybe' }).success).toBe(false);
  });
});
