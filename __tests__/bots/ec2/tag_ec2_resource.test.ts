import { mockClient } from 'aws-sdk-client-mock';
import { CreateTagsCommand, DeleteTagsCommand, DescribeTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/tag_ec2_resource';
import { botContext, mockedClients } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0';
const tagsOn = (id: string, tags: Record<string, string>) => ({
  Tags: Object.entries(tags).map(([Key, Value]) => ({ ResourceId: id, ResourceType: 'instance' as const, Key, Value })),
});

describe('tag_ec2_resource', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('sets the tag, leaving the other tags, and records the tag set before and after for undo', async () => {
    ec2.on(DescribeTagsCommand).resolves(tagsOn('i-0123456789abcdef0', { Name: 'web' }));
    ec2.on(CreateTagsCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource, params: { tag_name: 'owner', tag_value: 'security' } }));

    expect(ec2.commandCalls(DescribeTagsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'resource-id', Values: ['i-0123456789abcdef0'] }],
    });
    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input).toEqual({
      Resources: ['i-0123456789abcdef0'],
      Tags: [{ Key: 'owner', Value: 'security' }],
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'tagged i-0123456789abcdef0 with owner=security',
      changes: [
        {
          action: 'ec2:CreateTags',
          target: ARN,
          description: 'no tag owner -> owner=security',
          applied: true,
          undo: { kind: 'tags', before: { Name: 'web' }, after: { Name: 'web', owner: 'security' } },
        },
      ],
    });
  });

  it('replaces another value of the key and says what it was', async () => {
    ec2.on(DescribeTagsCommand).resolves(tagsOn('i-0123456789abcdef0', { owner: 'nobody' }));
    const result = await bot.run(botContext(bot, { resource, params: { tag_name: 'owner', tag_value: 'security' } }));
    expect(result.changes[0]?.description).toBe('owner=nobody -> owner=security');
  });

  it('is already compliant when the tag has the value, and writes nothing', async () => {
    ec2.on(DescribeTagsCommand).resolves(tagsOn('i-0123456789abcdef0', { owner: 'security' }));
    const result = await bot.run(botContext(bot, { resource, params: { tag_name: 'owner', tag_value: 'security' } }));
    expect(result).toEqual({ status: 'already-compliant', message: 'i-0123456789abcdef0 already has the tag owner=security', changes: [] });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('in dry run reads the tags and writes nothing', async () => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    const result = await bot.run(botContext(bot, { resource, params: { tag_name: 'owner', tag_value: 'x' }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it.each([
    ['AWS::EC2::SecurityGroup', 'sg-0123456789abcdef0', 'arn:aws:ec2:us-east-1:222222222222:security-group/sg-0123456789abcdef0'],
    ['AWS::EC2::Subnet', 'subnet-0123456789abcdef0', 'arn:aws:ec2:us-east-1:222222222222:subnet/subnet-0123456789abcdef0'],
    ['AWS::EC2::Image', 'ami-0123456789abcdef0', 'arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0'],
    ['AWS::EC2::Volume', 'vol-0123456789abcdef0', 'arn:aws:ec2:us-east-1:222222222222:volume/vol-0123456789abcdef0'],
  ])('tags a %s, reporting its ARN', async (type, id, arn) => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    const result = await bot.run(botContext(bot, { resource: { type, id }, params: { tag_name: 'team', tag_value: 'a' } }));
    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input.Resources).toEqual([id]);
    expect(result.changes[0]?.target).toBe(arn);
  });

  it('refuses an id that does not fit the resource type, and an unsupported type, before any call', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: 'sg-0123456789abcdef0' }, params: { tag_name: 'a' } })),
    ).rejects.toThrow('expected a AWS::EC2::VPC id (vpc-0123456789abcdef0)');
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: 'b' }, params: { tag_name: 'a' } }))).rejects.toThrow(
      "as the finding's resource, got AWS::S3::Bucket",
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('refuses reserved keys (aws:, cloudmend:, so a finding cannot set the exclusion tag) and takes positional arguments', () => {
    const parse = (p: object) => bot.meta.params.safeParse(p).success;
    expect(parse({ tag_name: 'cloudmend:exclude', tag_value: 'true' })).toBe(false);
    expect(parse({ tag_name: 'AWS:foo' })).toBe(false);
    expect(parse({ tag_name: '' })).toBe(false);
    expect(parse({ tag_name: 'owner' })).toBe(true);
    expect(parse({ tag_name: 'owner', extra: 1 })).toBe(false);
    expect(bot.meta.positional).toEqual(['tag_name', 'tag_value']);
  });

  it('passes on what EC2 refuses', async () => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    ec2.on(CreateTagsCommand).rejects(awsError('TagLimitExceeded', 'too many tags', 400));
    await expect(bot.run(botContext(bot, { resource, params: { tag_name: 'a' } }))).rejects.toThrow('too many tags');
  });

  describe('undo', () => {
    const undoer = bot.undoers!.tags!;
    const ctx = () => ({ client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN });

    it('reads the whole tag set', async () => {
      ec2.on(DescribeTagsCommand).resolves(tagsOn('i-0123456789abcdef0', { a: '1', b: '2' }));
      expect(await undoer.read(ctx())).toEqual({ a: '1', b: '2' });
    });

    it('removes added keys and restores changed values, never touching aws: keys', async () => {
      ec2
        .on(DescribeTagsCommand)
        .resolves(tagsOn('i-0123456789abcdef0', { Name: 'web', owner: 'security', team: 'x', 'aws:cloudformation:stack-name': 's' }));
      await undoer.write(ctx(), { Name: 'web', team: 'y', 'aws:cloudformation:stack-name': 's' });
      expect(ec2.commandCalls(DeleteTagsCommand)[0]!.args[0].input).toEqual({
        Resources: ['i-0123456789abcdef0'],
        Tags: [{ Key: 'owner' }],
      });
      expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input).toEqual({
        Resources: ['i-0123456789abcdef0'],
        Tags: [{ Key: 'team', Value: 'y' }],
      });
    });
  });
});
