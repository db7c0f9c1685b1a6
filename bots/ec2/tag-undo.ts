/**
 * Undo for tags a bot wrote on an EC2 resource: the resource's whole tag set
 * before and after, so undo refuses when anyone changed a tag since, and
 * otherwise writes back exactly the keys the bot added or changed.
 */
import type { Permission, Undoer, UndoKind } from '../types';
import { RESERVED_TAG_KEY, idOfTarget, tagList, tagsOf } from './ec2-resource';
import { sdk } from '../sdk';

export const TAGS_KIND = 'tags';

export const tagsUndoer: Undoer = {
  async read(ctx) {
    const { EC2Client } = await sdk.ec2();
    return tagsOf(ctx.client(EC2Client), idOfTarget(ctx.target));
  },
  async write(ctx, state) {
    const { EC2Client, CreateTagsCommand, DeleteTagsCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const id = idOfTarget(ctx.target);
    const wanted = state as Record<string, string>;
    const current = await tagsOf(ec2, id);
    // Keys AWS reserves are never written back, nor removed: no caller may.
    const removed = Object.keys(current).filter((key) => !(key in wanted) && !key.startsWith('aws:'));
    const changed = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => current[key] !== value && !key.startsWith('aws:')));
    if (removed.length > 0) await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: removed.map((Key) => ({ Key })) }));
    if (Object.keys(changed).length > 0) await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: tagList(changed) }));
  },
};

/** The undo kind for a bot that tags the finding's resource, whose ARN templates are `resources`. */
export function tagsUndoKind(resources: string[]): Record<string, UndoKind> {
  const permissions: Permission[] = [
    { actions: ['ec2:DescribeTags'], resources: ['*'], reason: 'undo: read the tags of the resource (no resource-level permissions)' },
    {
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources,
      reason: 'undo: remove the tags the bot added and put back the values it changed, on the resource only',
    },
  ];
  return {
    [TAGS_KIND]: {
      reversible: true,
      how: 'removes the tags the bot added and puts back the values of the tags it changed; other tags are left alone',
      permissions,
    },
  };
}

/** The tag set after writing `writes` over `before`. */
export function tagsAfter(before: Record<string, string>, writes: Record<string, string>): Record<string, string> {
  return { ...before, ...writes };
}

/** Whether a key may be written by a bot (not `aws:` nor `cloudmend:`). */
export function writableTagKey(key: string): boolean {
  return !RESERVED_TAG_KEY.test(key);
}
