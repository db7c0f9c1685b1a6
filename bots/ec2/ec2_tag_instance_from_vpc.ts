import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { tagList, tagsOf } from './ec2-resource';
import { INSTANCE_ARN, describeInstance, instanceArn, instanceIdOf, isGone } from './instance';
import { TAGS_KIND, tagsAfter, tagsUndoKind, tagsUndoer, writableTagKey } from './tag-undo';
import { sdk } from '../sdk';
import { flagParam } from '../args';

/** EC2 allows 50 tags per resource. */
const MAX_TAGS = 50;

export default defineBot({
  meta: {
    name: 'ec2_tag_instance_from_vpc',
    summary: 'Copy the VPC’s tags to the instance',
    description:
      'Copies the tags of the instance’s VPC to the instance: keys the instance lacks are added; keys it has with ' +
      'another value are left as they are unless `overwrite` is true (so an instance keeps its own Name). Keys ' +
      'starting with `aws:` (AWS reserves them) and `cloudmend:` (the exclusion tag must be set on each resource ' +
      'on purpose, never inherited) are never copied. The result lists every key added, changed and kept. Undo ' +
      'removes the keys added and puts back the values changed.',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({
      overwrite: flagParam
        .default(false)
        .describe('also replace the values of keys the instance already has with the VPC’s (default false)'),
    }),
    overridable: [],
    permissions: [
      {
        actions: ['ec2:DescribeInstances', 'ec2:DescribeTags'],
        resources: ['*'],
        reason: 'read the instance’s VPC and the tags of both (no resource-level permissions)',
      },
      { actions: ['ec2:CreateTags'], resources: [INSTANCE_ARN], reason: 'tag the instance with the VPC’s tags' },
    ],
    undo: tagsUndoKind([INSTANCE_ARN]),
  },
  undoers: { [TAGS_KIND]: tagsUndoer },
  async run(ctx) {
    const { EC2Client, CreateTagsCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to tag`);
    const vpcId = instance.VpcId;
    if (!vpcId) return skipped(`instance ${instanceId} is in no VPC; no tags to copy`);

    const vpcTags = await tagsOf(ec2, vpcId);
    const before = await tagsOf(ec2, instanceId);
    const writes: Record<string, string> = {};
    const added: string[] = [];
    const changed: string[] = [];
    const kept: string[] = [];
    const reserved: string[] = [];
    for (const [key, value] of Object.entries(vpcTags)) {
      if (!writableTagKey(key)) reserved.push(key);
      else if (!(key in before)) {
        writes[key] = value;
        added.push(`${key}=${value}`);
      } else if (before[key] !== value) {
        if (ctx.params.overwrite) {
          writes[key] = value;
          changed.push(`${key}: ${before[key]} -> ${value}`);
        } else kept.push(`${key}=${before[key]} (VPC: ${value})`);
      }
    }
    if (Object.keys(tagsAfter(before, writes)).length > MAX_TAGS) {
      throw new Error(
        `copying ${Object.keys(writes).length} tag(s) from ${vpcId} would give ${instanceId} more than EC2's ${MAX_TAGS} tags; nothing copied`,
      );
    }
    const notes = [
      kept.length ? `kept the instance's own ${kept.join(', ')}` : '',
      reserved.length ? `not copied (reserved): ${reserved.join(', ')}` : '',
    ].filter(Boolean);
    const changes = new ChangeSet(ctx);
    if (Object.keys(writes).length > 0) {
      const what = [added.length ? `added ${added.join(', ')}` : '', changed.length ? `changed ${changed.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      await changes.apply(
        {
          action: 'ec2:CreateTags',
          target: instanceArn(ctx, instanceId),
          description: `tags from ${vpcId}: ${what}`,
          undo: { kind: TAGS_KIND, before, after: tagsAfter(before, writes) },
        },
        () => ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: tagList(writes) })),
      );
    }
    const tail = notes.length ? `; ${notes.join('; ')}` : '';
    return changes.result(
      `copied ${Object.keys(writes).length} tag(s) of ${vpcId} to ${instanceId}${tail}`,
      `${instanceId} already has the tags of ${vpcId}${tail}`,
    );
  },
});
