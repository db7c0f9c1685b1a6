import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot, type BotContext } from '../types';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { GROUP_MEMBERSHIP_KIND, GROUP_MEMBERSHIP_UNDO, groupMembershipUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_user_detach';
const GROUP_NAME = z.string().regex(/^[\w+=,.@-]{1,128}$/, 'an IAM group name: 1-128 of letters, digits and +=,.@_-');

/** The group a CloudTrail `AddUserToGroup` event names (a CloudGuard event finding carries the event). */
function groupFromEvent(ctx: Pick<BotContext, 'finding'>): string | undefined {
  for (const source of [ctx.finding.raw, ctx.finding.resource.raw]) {
    const record = (source ?? {}) as {
      requestParameters?: { groupName?: unknown };
      detail?: { requestParameters?: { groupName?: unknown } };
    };
    const name = record.requestParameters?.groupName ?? record.detail?.requestParameters?.groupName;
    if (typeof name === 'string' && GROUP_NAME.safeParse(name).success) return name;
  }
  return undefined;
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove the IAM user from a group (the group the event added it to, or `group`)',
    description:
      'Removes the user from the group: the `group` param, else the group of the CloudTrail AddUserToGroup event the finding ' +
      'carries. The user loses what the group’s policies granted; the group and its other members are untouched. A user ' +
      'not in the group is already compliant.',
    resourceTypes: ['AWS::IAM::User'],
    params: z.strictObject({ group: GROUP_NAME.optional().describe('the group to remove the user from; default: the group in the event') }),
    positional: ['group'],
    permissions: [
      {
        actions: ['iam:ListGroupsForUser'],
        resources: USER_RESOURCES,
        reason: 'read the groups the user is in',
        global: true,
      },
      {
        actions: ['iam:RemoveUserFromGroup'],
        // Authorized on the group, which the finding does not name: the session that writes names the one group the user
        // was read to be in (ListGroupsForUser), under any path (a group's name is unique in its account whatever the path).
        resources: ['arn:{partition}:iam::{account}:group/{groupName}', 'arn:{partition}:iam::{account}:group/*/{groupName}'],
        reason: 'remove the user from the group',
        global: true,
      },
    ],
    undo: { [GROUP_MEMBERSHIP_KIND]: GROUP_MEMBERSHIP_UNDO },
  },
  undoers: { [GROUP_MEMBERSHIP_KIND]: groupMembershipUndoer },
  async run(ctx) {
    const { IAMClient, ListGroupsForUserCommand, RemoveUserFromGroupCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const group = ctx.params.group ?? groupFromEvent(ctx);
    if (!group) throw new Error(`${NAME}: the finding names no group; pass group=<group name> (AUTO: ${NAME} group=admins)`);
    let member = false;
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListGroupsForUserCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }));
      member = (page.Groups ?? []).some((g) => g.GroupName === group);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (!member && marker);
    const changes = new ChangeSet(ctx);
    if (member) {
      await changes.apply(
        {
          action: 'iam:RemoveUserFromGroup',
          target: userArnOf(ctx, userName),
          description: `removed from group ${group}`,
          undo: {
            kind: GROUP_MEMBERSHIP_KIND,
            before: { group, member: true },
            after: { group, member: false },
            ids: { groupName: [group] },
          },
        },
        async () => {
          const narrowed = await ctx.narrowTo({ groupName: [group] });
          return narrowed(IAMClient).send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: group }));
        },
      );
    }
    return changes.result(`removed IAM user ${userName} from group ${group}`, `IAM user ${userName} is not in group ${group}`);
  },
});
