import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import {
  TAGGABLE_EC2_ARNS,
  TAGGABLE_EC2_TYPES,
  TAG_KEY_MAX,
  TAG_VALUE_MAX,
  ec2ArnOf,
  ec2IdOf,
  READ_EC2_TAGS,
  tagsOf,
} from './ec2-resource';
import { TAGS_KIND, tagsAfter, tagsUndoKind, tagsUndoer, writableTagKey } from './tag-undo';
import { sdk } from '../sdk';

export default defineBot({
  meta: {
    name: 'tag_ec2_resource',
    summary: 'Tag the EC2 resource with a key and value',
    description:
      'Sets the tag `tag_name`=`tag_value` on the finding’s EC2 resource (instance, security group, VPC, subnet, volume, image, ' +
      'snapshot, internet gateway or network ACL), replacing the value when the key exists with another. Other tags are left ' +
      'alone. Keys starting with `aws:` (AWS reserves them) or `cloudmend:` (the exclusion tag is one) are refused, ' +
      'so a finding can never exclude a resource from remediation. Undo removes the tag, or puts its old value back.',
    resourceTypes: [...TAGGABLE_EC2_TYPES],
    params: z.strictObject({
      tag_name: z
        .string()
        .min(1)
        .max(TAG_KEY_MAX)
        .refine(writableTagKey, 'tag keys starting with aws: or cloudmend: are reserved')
        .describe('the tag key (not aws: or cloudmend:), named tag_name as the word key is kept for KMS keys'),
      tag_value: z.string().max(TAG_VALUE_MAX).default('').describe('the tag value (may be empty)'),
    }),
    positional: ['tag_name', 'tag_value'],
    overridable: ['tag_name', 'tag_value'],
    permissions: [
      READ_EC2_TAGS,
      { actions: ['ec2:CreateTags'], resources: TAGGABLE_EC2_ARNS, reason: 'set the tag on the finding’s resource' },
    ],
    undo: tagsUndoKind(TAGGABLE_EC2_ARNS),
  },
  undoers: { [TAGS_KIND]: tagsUndoer },
  async run(ctx) {
    const { EC2Client, CreateTagsCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const id = ec2IdOf(ctx.finding);
    const { tag_name: key, tag_value: value } = ctx.params;
    const before = await tagsOf(ec2, id);
    const changes = new ChangeSet(ctx);
    if (before[key] !== value) {
      const was = key in before ? `${key}=${before[key]}` : `no tag ${key}`;
      await changes.apply(
        {
          action: 'ec2:CreateTags',
          target: ec2ArnOf(ctx, ctx.finding.resource.type, id),
          description: `${was} -> ${key}=${value}`,
          undo: { kind: TAGS_KIND, before, after: tagsAfter(before, { [key]: value }) },
        },
        () => ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: key, Value: value }] })),
      );
    }
    return changes.result(`tagged ${id} with ${key}=${value}`, `${id} already has the tag ${key}=${value}`);
  },
});
