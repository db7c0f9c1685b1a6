import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { TAGGABLE_EC2_ARNS, TAGGABLE_EC2_TYPES, TAG_KEY_MAX, ec2ArnOf, ec2IdOf, READ_EC2_TAGS, tagsOf } from './ec2-resource';
import { TAGS_KIND, tagsAfter, tagsUndoKind, tagsUndoer } from './tag-undo';
import { sdk } from '../sdk';

/** The tag a later stop rule reads: its value is the ISO 8601 UTC time after which the resource may be stopped. */
export const STOP_TAG_KEY = 'cloudmend:stop-at';

const DURATION = /^(\d{1,4})([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `3h` -> milliseconds; the CloudBots forms are a number and a unit: m(inutes), h(ours), d(ays), w(eeks). */
export function durationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`expected a duration like 3h or 2d, got "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** The deadline a tag value states, when it is one (an ISO timestamp). */
function deadlineOf(value: string | undefined): Date | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export default defineBot({
  meta: {
    name: 'mark_for_stop_ec2_resource',
    summary: 'Tag the EC2 resource with a deadline after which a stop rule may stop it',
    description:
      `Sets the tag \`${STOP_TAG_KEY}\` (or \`tag_key\`) to the ISO 8601 UTC time \`stop_after\` from now ` +
      '(`3h`, `2d`; units m, h, d, w), for a later stop rule or an operator to act on; nothing is stopped now. ' +
      'A resource that already carries a deadline keeps it (a repeated finding never postpones the stop); a value ' +
      'that is not a timestamp is replaced. Undo removes the tag, or puts its old value back.',
    resourceTypes: [...TAGGABLE_EC2_TYPES],
    params: z.strictObject({
      stop_after: z
        .string()
        .regex(DURATION, 'a duration like 3h or 2d (units m, h, d, w)')
        .default('3h')
        .describe('how long from now until the deadline: a number and m, h, d or w (3h, 2d)'),
      tag_key: z.string().min(1).max(TAG_KEY_MAX).default(STOP_TAG_KEY).describe('the tag key holding the deadline'),
    }),
    positional: ['stop_after'],
    overridable: ['stop_after'],
    permissions: [
      READ_EC2_TAGS,
      { actions: ['ec2:CreateTags'], resources: TAGGABLE_EC2_ARNS, reason: 'set the deadline tag on the finding’s resource' },
    ],
    undo: tagsUndoKind(TAGGABLE_EC2_ARNS),
  },
  undoers: { [TAGS_KIND]: tagsUndoer },
  async run(ctx) {
    const { EC2Client, CreateTagsCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const id = ec2IdOf(ctx.finding);
    const key = ctx.params.tag_key;
    const before = await tagsOf(ec2, id);
    const existing = deadlineOf(before[key]);
    const changes = new ChangeSet(ctx);
    if (existing) return changes.result('', `${id} is already marked to stop after ${before[key]} (${key})`);
    const deadline = new Date(ctx.now().getTime() + durationMs(ctx.params.stop_after)).toISOString();
    await changes.apply(
      {
        action: 'ec2:CreateTags',
        target: ec2ArnOf(ctx, ctx.finding.resource.type, id),
        description: `${key in before ? `${key}=${before[key]}` : `no tag ${key}`} -> ${key}=${deadline}`,
        undo: { kind: TAGS_KIND, before, after: tagsAfter(before, { [key]: deadline }) },
      },
      () => ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: key, Value: deadline }] })),
    );
    return changes.result(`marked ${id} to stop after ${deadline} (tag ${key}, ${ctx.params.stop_after} from now)`);
  },
});
