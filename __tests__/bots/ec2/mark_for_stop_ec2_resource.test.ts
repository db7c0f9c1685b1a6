import { mockClient } from 'aws-sdk-client-mock';
import { CreateTagsCommand, DescribeTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import bot, { STOP_TAG_KEY, durationMs } from '../../../bots/ec2/mark_for_stop_ec2_resource';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const now = new Date('2026-11-23T00:00:00Z');
const tagsOn = (tags: Record<string, string>) => ({
  Tags: Object.entries(tags).map(([Key, Value]) => ({ ResourceId: 'i-0123456789abcdef0', Key, Value })),
});

describe('mark_for_stop_ec2_resource', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('tags the resource with the ISO time stop_after from now', async () => {
    ec2.on(DescribeTagsCommand).resolves(tagsOn({ Name: 'web' }));
    ec2.on(CreateTagsCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource, params: { stop_after: '2d' }, now }));

    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input).toEqual({
      Resources: ['i-0123456789abcdef0'],
      Tags: [{ Key: 'cloudmend:stop-at', Value: '2026-11-25T00:00:00.000Z' }],
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'marked i-0123456789abcdef0 to stop after 2026-11-25T00:00:00.000Z (tag cloudmend:stop-at, 2d from now)',
      changes: [
        {
          action: 'ec2:CreateTags',
          target: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0',
          description: 'no tag cloudmend:stop-at -> cloudmend:stop-at=2026-11-25T00:00:00.000Z',
          applied: true,
          undo: { kind: 'tags', before: { Name: 'web' }, after: { Name: 'web', 'cloudmend:stop-at': '2026-11-25T00:00:00.000Z' } },
        },
      ],
    });
  });

  it('defaults to 3h and takes the tag key from the config', async () => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    await bot.run(botContext(bot, { resource, params: { tag_key: 'StopAfter' }, now }));
    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input.Tags).toEqual([{ Key: 'StopAfter', Value: '2026-11-23T03:00:00.000Z' }]);
  });

  it('keeps an existing deadline (a repeated finding never postpones the stop)', async () => {
    ec2.on(DescribeTagsCommand).resolves(tagsOn({ [STOP_TAG_KEY]: '2026-11-23T01:00:00.000Z' }));
    const result = await bot.run(botContext(bot, { resource, params: { stop_after: '2d' }, now }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'i-0123456789abcdef0 is already marked to stop after 2026-11-23T01:00:00.000Z (cloudmend:stop-at)',
      changes: [],
    });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('replaces a value that is not a timestamp', async () => {
    ec2.on(DescribeTagsCommand).resolves(tagsOn({ [STOP_TAG_KEY]: 'soon' }));
    const result = await bot.run(botContext(bot, { resource, now }));
    expect(result.changes[0]?.description).toBe('cloudmend:stop-at=soon -> cloudmend:stop-at=2026-11-23T03:00:00.000Z');
  });

  it('in dry run writes nothing', async () => {
    ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    const result = await bot.run(botContext(bot, { resource, dryRun: true, now }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('reads CloudBots durations and refuses others', () => {
    expect(durationMs('3h')).toBe(3 * 3_600_000);
    expect(durationMs('2d')).toBe(2 * 86_400_000);
    expect(durationMs('30m')).toBe(1_800_000);
    expect(durationMs('1w')).toBe(604_800_000);
    expect(() => durationMs('soon')).toThrow('expected a duration like 3h or 2d, got "soon"');
    expect(bot.meta.params.safeParse({ stop_after: '3 hours' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ stop_after: '-1h' }).success).toBe(false);
    expect(bot.meta.overridable).toEqual(['stop_after']);
  });

  it('refuses a resource it cannot tag, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Instance', id: 'web' } }))).rejects.toThrow(
      'expected a AWS::EC2::Instance id',
    );
    expect(ec2.calls()).toHaveLength(0);
  });
});
