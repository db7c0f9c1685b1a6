import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { ResourceBusy } from '../errors';
import { defineBot } from '../types';
import { readStack, sameStackUpdate, STACK_RESOURCE, stackName, stackNameOfTarget, UPDATABLE } from './stack';
import { sdk } from '../sdk';

const NAME = 'cloudformation_enable_stack_notifications';
/** CloudFormation takes at most this many notification topics per stack. */
const MAX_TOPICS = 5;

const PERMISSION = {
  actions: ['cloudformation:DescribeStacks', 'cloudformation:UpdateStack'],
  resources: [STACK_RESOURCE],
};

interface NotificationState {
  NotificationARNs: string[];
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Send a CloudFormation stack’s events to an SNS topic (param, in the finding’s account)',
    description:
      'Reads the stack and, when `topic_arn` is not among its notification topics, calls UpdateStack with the previous ' +
      'template, every parameter at its previous value and the capabilities the stack already has, adding `topic_arn` ' +
      'to its notification topics (topics already there are kept). No resource of the stack changes; tags, service role, ' +
      'rollback configuration and stack policy are left as they are. The update runs asynchronously: the result says it ' +
      'started. The topic must be in the finding’s account (or on trust.allowedDestinations) and should be in the stack’s ' +
      'Region; it is set in the config, never by a finding. Skipped: nested stacks (notify through their root stack), ' +
      'stacks in a state that takes no update (failed or rolled back creations, REVIEW_IN_PROGRESS) and stacks that already ' +
      'have five topics. A stack with another operation in progress fails retryably. Reversible: undo sets the topics back.',
    resourceTypes: ['AWS::CloudFormation::Stack'],
    remediates: { securityHub: ['CloudFormation.1'], config: ['cloudformation-stack-notification-check'] },
    params: z.strictObject({
      topic_arn: z
        .string()
        .regex(
          /^arn:[\w-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
          'an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)',
        )
        .describe('The SNS topic the stack’s events go to. Must be in the finding’s account or on trust.allowedDestinations; config only.'),
    }),
    sensitiveParams: { topic_arn: 'destination' },
    permissions: [
      {
        ...PERMISSION,
        reason: "read the stack's notification topics, parameters and capabilities, and update it with the topic added",
      },
    ],
    undo: {
      'stack-notifications': {
        reversible: true,
        how: 'updates the stack again (previous template and parameters) with the notification topics it had before',
        permissions: [{ ...PERMISSION, reason: 'undo: read the stack and set its notification topics back' }],
      },
    },
  },
  undoers: {
    'stack-notifications': {
      async read(ctx) {
        const { CloudFormationClient } = await sdk.cloudFormation();
        const stack = await readStack(ctx.client(CloudFormationClient), NAME, stackNameOfTarget(ctx.target));
        return { NotificationARNs: [...(stack.NotificationARNs ?? [])].sort() };
      },
      async write(ctx, state) {
        const { CloudFormationClient, UpdateStackCommand } = await sdk.cloudFormation();
        const cloudformation = ctx.client(CloudFormationClient);
        const name = stackNameOfTarget(ctx.target);
        const stack = await readStack(cloudformation, NAME, name);
        const { NotificationARNs } = state as NotificationState;
        // An empty list removes every topic; that is how CloudFormation is told "none".
        await cloudformation.send(new UpdateStackCommand({ ...sameStackUpdate(stack, name), NotificationARNs }));
      },
    },
  },
  async run(ctx) {
    const { CloudFormationClient, UpdateStackCommand } = await sdk.cloudFormation();
    const cloudformation = ctx.client(CloudFormationClient);
    const name = stackName(NAME, ctx.finding.resource.id);
    const topic = ctx.params.topic_arn;
    const stack = await readStack(cloudformation, NAME, name);
    const current = stack.NotificationARNs ?? [];
    const changes = new ChangeSet(ctx);
    if (current.includes(topic)) return changes.result('', `CloudFormation stack ${name} already sends its events to ${topic}`);

    if (stack.ParentId) {
      return skipped(
        `CloudFormation stack ${name} is nested in ${stack.RootId ?? stack.ParentId}: set notifications on the root stack, not on a nested one`,
      );
    }
    const status = stack.StackStatus ?? 'unknown';
    if (!UPDATABLE.has(status)) {
      if (status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS') {
        throw new ResourceBusy(`${NAME}: CloudFormation stack ${name} is ${status}; it takes no update until that settles`);
      }
      return skipped(`CloudFormation stack ${name} is ${status}, a state in which it takes no update`);
    }
    if (current.length >= MAX_TOPICS) {
      return skipped(`CloudFormation stack ${name} already has ${current.length} notification topics, the most CloudFormation allows`);
    }
    const after = [...current, topic];
    await changes.apply(
      {
        action: 'cloudformation:UpdateStack',
        target: stack.StackId ?? `arn:${ctx.partition}:cloudformation:${ctx.region}:${ctx.account}:stack/${name}`,
        description: `notification topics ${current.length ? current.join(', ') : '(none)'} -> ${after.join(', ')} (previous template and parameters)`,
        undo: {
          kind: 'stack-notifications',
          before: { NotificationARNs: [...current].sort() },
          after: { NotificationARNs: [...after].sort() },
        },
      },
      () => cloudformation.send(new UpdateStackCommand({ ...sameStackUpdate(stack, name), NotificationARNs: after })),
    );
    return changes.result(`started an update of CloudFormation stack ${name} that sends its events to ${topic}`);
  },
});
