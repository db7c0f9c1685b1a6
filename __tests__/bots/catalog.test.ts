import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BOTS } from '../../bots';
import { argsToParams } from '../../bots/args';
import { paramsOf, renderCatalog, typeOf, usageExamples } from '../../bots/catalog';
import { defineBot, type Bot } from '../../bots/types';

const CATALOG_PATH = join(__dirname, '..', '..', 'docs', 'bots.md');

const sample = defineBot({
  meta: {
    name: 'sample_bot',
    summary: 'Do the sample thing',
    description: 'Longer words about | pipes.',
    resourceTypes: ['AWS::EC2::VPC'],
    params: z.strictObject({
      traffic_type: z.enum(['all', 'accept', 'reject']).default('all').describe('which traffic to log'),
      days: z.coerce.number().int().min(1).max(35).default(7).describe('how long'),
      force: z.union([z.boolean(), z.stringbool()]).default(false).describe('even if | busy'),
      s3_arn: z.string().optional().describe('bucket ARN'),
    }),
    positional: ['traffic_type', 'days'],
    permissions: [
      {
        actions: ['ec2:DescribeFlowLogs'],
        resources: ['*'],
        reason: 'find existing flow logs',
      },
      {
        actions: ['iam:PassRole'],
        resources: ['arn:{partition}:iam::{account}:role/cloudmend-flow-logs'],
        conditions: { StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
        reason: 'hand the delivery role to the flow logs service',
        global: true,
      },
    ],
    destructive: true,
  },
  run: async () => ({ status: 'already-compliant', message: '', changes: [] }),
}) as unknown as Bot;

const needsTarget = defineBot({
  meta: {
    name: 'needs_target',
    summary: 'Needs a target',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.9', 'CIS.2.6'], config: ['s3-bucket-logging-enabled'] },
    params: z.strictObject({ target_bucket: z.string().describe('where to') }),
    permissions: [{ actions: ['s3:PutBucketLogging'], resources: ['arn:{partition}:s3:::{resourceId}'], reason: 'r' }],
  },
  run: async () => ({ status: 'already-compliant', message: '', changes: [] }),
}) as unknown as Bot;

describe('bot catalog', () => {
  it('describes params with the type and default a user sets, booleans as booleans', () => {
    expect(paramsOf(sample)).toEqual([
      {
        name: 'traffic_type',
        type: '"all" \\| "accept" \\| "reject"',
        default: '"all"',
        required: false,
        description: 'which traffic to log',
      },
      { name: 'days', type: 'integer (1-35)', default: '7', required: false, description: 'how long' },
      { name: 'force', type: 'boolean', default: 'false', required: false, description: 'even if | busy' },
      { name: 's3_arn', type: 'string', required: false, description: 'bucket ARN' },
    ]);
    expect(paramsOf(needsTarget)).toEqual([{ name: 'target_bucket', type: 'string', required: true, description: 'where to' }]);
  });

  it('names array types by their items', () => {
    expect(typeOf({ type: 'array', items: { type: 'string' } })).toBe('string[]');
  });

  it('gives AUTO: examples in the bare, positional and key=value forms', () => {
    expect(usageExamples(sample)).toEqual(['AUTO: sample_bot', 'AUTO: sample_bot all 7', 'AUTO: sample_bot traffic_type=all']);
    expect(usageExamples(needsTarget)).toEqual(['AUTO: needs_target target_bucket=<target_bucket>']);
  });

  it.each(BOTS.map((bot) => [bot.meta.name, bot] as const))('%s: every AUTO: example in the catalog is accepted as written', (_, bot) => {
    for (const example of usageExamples(bot).filter((e) => !e.includes('<'))) {
      const args = example.split(' ').slice(2);
      const parsed = argsToParams(bot.meta, args);
      expect({ example, parsed: parsed.ok && bot.meta.params.safeParse(parsed.params).success }).toEqual({ example, parsed: true });
    }
  });

  it('renders each bot with its summary, description, params, permissions and destructive flag', () => {
    const markdown = renderCatalog([sample, needsTarget]);
    expect(markdown).toContain('2 bots, 1 of them destructive');
    expect(markdown).toContain('| [sample_bot](#sample_bot) | Do the sample thing | `AWS::EC2::VPC` | **yes** |');
    expect(markdown).toContain('## sample_bot\n\nDo the sample thing\n\nLonger words about | pipes.\n');
    expect(markdown).toContain('- **Destructive:** **yes**: runs only when the config opts in to it');
    expect(markdown).toContain('| `days` (positional 2) | integer (1-35) | `7` | how long |');
    expect(markdown).toContain('| `force` | boolean | `false` | even if \\| busy |');
    expect(markdown).toContain('| `s3_arn` | string | (none) | bucket ARN |');
    expect(markdown).toContain('| `target_bucket` | string | **required** | where to |');
    expect(markdown).toContain(
      '| `iam:PassRole` | `arn:{partition}:iam::{account}:role/cloudmend-flow-logs` (global service) | `StringEquals iam:PassedToService = vpc-flow-logs.amazonaws.com` | hand the delivery role to the flow logs service |',
    );
    expect(markdown).toContain('| `ec2:DescribeFlowLogs` | `*` |  | find existing flow logs |');
    expect(markdown).toContain('## needs_target');
    expect(markdown).toContain(
      '- **Remediates Security Hub controls:** `S3.9`, `CIS.2.6`\n- **Remediates AWS Config rules:** `s3-bucket-logging-enabled`\n',
    );
  });

  it('lists the default mappings, each key with the bots it runs', () => {
    const markdown = renderCatalog([sample, needsTarget]);
    expect(markdown).toContain(
      '### Security Hub controls\n\n| Finding | Bots |\n|---|---|\n| `CIS.2.6` | [needs_target](#needs_target) |\n| `S3.9` | [needs_target](#needs_target) |\n',
    );
    expect(markdown).toContain(
      '### AWS Config rules\n\n| Finding | Bots |\n|---|---|\n| `s3-bucket-logging-enabled` | [needs_target](#needs_target) |\n',
    );
    expect(markdown).not.toContain('### GuardDuty finding types');
    expect(markdown.endsWith('|\n')).toBe(true);
  });

  it('docs/bots.md is up to date with the bots (if not: run `npm run catalog` and commit docs/bots.md)', () => {
    let committed = '';
    try {
      committed = readFileSync(CATALOG_PATH, 'utf8');
    } catch {
      // reported below as out of date
    }
    const generated = renderCatalog(BOTS);
    if (committed !== generated) {
      throw new Error(
        `docs/bots.md is out of date with the bots' metadata. Run \`npm run catalog\` and commit docs/bots.md.\n` +
          `First difference at line ${firstDifferentLine(committed, generated)}.`,
      );
    }
  });
});

function firstDifferentLine(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i])
      return `${i + 1}: docs has ${JSON.stringify(left[i] ?? '<end>')}, bots give ${JSON.stringify(right[i] ?? '<end>')}`;
  }
  return '?';
}
