/**
 * What the one pipeline identity needs, per account, to apply what synth
 * writes: for every Terraform resource type the stacks create, the IAM actions
 * Terraform's AWS provider calls to create, read (plan/refresh), update and
 * delete it, on resources named the way cloudmend names them. docs/permissions.md
 * is rendered from this table (`npx tsx stacks/pipeline-permissions-cli.ts`),
 * and a test fails when a stack creates a resource type the table lacks.
 */

/** Where a stack is applied, and so where its permissions are needed. */
export type ApplyAccount = 'security' | 'stackset-admin' | 'member';

export interface ResourceTypePermissions {
  accounts: ApplyAccount[];
  actions: string[];
  /** ARN patterns, `{partition}`, `{account}` (the applying account) and `*` for the region. */
  resources: string[];
  note?: string;
}

const role = 'arn:{partition}:iam::{account}:role/';
const regional = (service: string, resource: string) => `arn:{partition}:${service}:*:{account}:${resource}`;

export const PIPELINE_PERMISSIONS: Record<string, ResourceTypePermissions> = {
  aws_iam_role: {
    accounts: ['security', 'member'],
    actions: [
      'iam:CreateRole',
      'iam:GetRole',
      'iam:UpdateRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:DeleteRole',
      'iam:TagRole',
      'iam:UntagRole',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:ListInstanceProfilesForRole',
    ],
    resources: [`${role}cloudmend-*`, `${role}CloudmendRemediation`],
    note: 'the handler roles (security account) and the member remediation role (roles.memberRoleName)',
  },
  aws_iam_role_policy: {
    accounts: ['security'],
    actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
    resources: [`${role}cloudmend-*`],
  },
  aws_iam_policy: {
    accounts: ['security', 'member'],
    actions: [
      'iam:CreatePolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:ListPolicyVersions',
      'iam:CreatePolicyVersion',
      'iam:DeletePolicyVersion',
      'iam:DeletePolicy',
      'iam:TagPolicy',
      'iam:UntagPolicy',
    ],
    resources: ['arn:{partition}:iam::{account}:policy/CloudmendRemediation-*'],
  },
  aws_iam_role_policy_attachment: {
    accounts: ['security', 'member'],
    actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'],
    resources: [`${role}CloudmendRemediation`],
  },
  aws_lambda_function: {
    accounts: ['security'],
    actions: [
      'lambda:CreateFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionCodeSigningConfig',
      'lambda:ListVersionsByFunction',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:PutFunctionConcurrency',
      'lambda:DeleteFunctionConcurrency',
      'lambda:DeleteFunction',
      'lambda:TagResource',
      'lambda:UntagResource',
      'lambda:ListTags',
      'iam:PassRole',
    ],
    resources: [regional('lambda', 'function:cloudmend-*'), `${role}cloudmend-handler-*`],
    note: 'iam:PassRole only on the handler roles, for lambda.amazonaws.com',
  },
  aws_lambda_function_event_invoke_config: {
    accounts: ['security'],
    actions: [
      'lambda:PutFunctionEventInvokeConfig',
      'lambda:GetFunctionEventInvokeConfig',
      'lambda:UpdateFunctionEventInvokeConfig',
      'lambda:DeleteFunctionEventInvokeConfig',
    ],
    resources: [regional('lambda', 'function:cloudmend-*')],
  },
  aws_lambda_permission: {
    accounts: ['security'],
    actions: ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'],
    resources: [regional('lambda', 'function:cloudmend-*')],
  },
  aws_cloudwatch_log_group: {
    accounts: ['security'],
    actions: [
      'logs:CreateLogGroup',
      'logs:DescribeLogGroups',
      'logs:PutRetentionPolicy',
      'logs:DeleteRetentionPolicy',
      'logs:DeleteLogGroup',
      'logs:TagResource',
      'logs:UntagResource',
      'logs:ListTagsForResource',
    ],
    resources: [regional('logs', 'log-group:/aws/lambda/cloudmend-*')],
  },
  aws_sqs_queue: {
    accounts: ['security'],
    actions: [
      'sqs:CreateQueue',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:SetQueueAttributes',
      'sqs:DeleteQueue',
      'sqs:TagQueue',
      'sqs:UntagQueue',
      'sqs:ListQueueTags',
    ],
    resources: [regional('sqs', 'cloudmend-*')],
  },
  aws_sqs_queue_policy: {
    accounts: ['security'],
    actions: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
    resources: [regional('sqs', 'cloudmend-*')],
  },
  aws_sns_topic: {
    accounts: ['security'],
    actions: [
      'sns:CreateTopic',
      'sns:GetTopicAttributes',
      'sns:SetTopicAttributes',
      'sns:DeleteTopic',
      'sns:TagResource',
      'sns:UntagResource',
      'sns:ListTagsForResource',
    ],
    resources: [regional('sns', 'cloudmend-*')],
  },
  aws_sns_topic_policy: {
    accounts: ['security'],
    actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'],
    resources: [regional('sns', 'cloudmend-*')],
  },
  aws_sns_topic_subscription: {
    accounts: ['security'],
    actions: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'],
    resources: [regional('sns', 'cloudmend-*')],
  },
  aws_cloudwatch_event_rule: {
    accounts: ['security'],
    actions: [
      'events:PutRule',
      'events:DescribeRule',
      'events:EnableRule',
      'events:DisableRule',
      'events:DeleteRule',
      'events:TagResource',
      'events:UntagResource',
      'events:ListTagsForResource',
    ],
    resources: [regional('events', 'rule/cloudmend-*')],
  },
  aws_cloudwatch_event_target: {
    accounts: ['security'],
    actions: ['events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule'],
    resources: [regional('events', 'rule/cloudmend-*')],
  },
  aws_cloudwatch_event_bus_policy: {
    accounts: ['security'],
    actions: ['events:PutPermission', 'events:RemovePermission', 'events:DescribeEventBus'],
    resources: [regional('events', 'event-bus/default')],
    note: 'replaces the default bus policy of the security account: merge any statement of your own into it first',
  },
  aws_securityhub_action_target: {
    accounts: ['security'],
    actions: [
      'securityhub:CreateActionTarget',
      'securityhub:DescribeActionTargets',
      'securityhub:UpdateActionTarget',
      'securityhub:DeleteActionTarget',
    ],
    resources: [regional('securityhub', 'action/custom/*'), regional('securityhub', 'hub/default')],
  },
  aws_cloudwatch_metric_alarm: {
    accounts: ['security'],
    actions: [
      'cloudwatch:PutMetricAlarm',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:DeleteAlarms',
      'cloudwatch:TagResource',
      'cloudwatch:UntagResource',
      'cloudwatch:ListTagsForResource',
    ],
    resources: [regional('cloudwatch', 'alarm:cloudmend-*')],
  },
  aws_cloudwatch_dashboard: {
    accounts: ['security'],
    actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
    resources: ['arn:{partition}:cloudwatch::{account}:dashboard/cloudmend-*'],
  },
  aws_dynamodb_table: {
    accounts: ['security'],
    actions: [
      'dynamodb:CreateTable',
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTable',
      'dynamodb:DeleteTable',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:ListTagsOfResource',
      'dynamodb:TagResource',
      'dynamodb:UntagResource',
    ],
    resources: [regional('dynamodb', 'table/cloudmend-*')],
    note: 'the remediation state table',
  },
  aws_cloudformation_stack_set: {
    accounts: ['stackset-admin'],
    actions: [
      'cloudformation:CreateStackSet',
      'cloudformation:DescribeStackSet',
      'cloudformation:UpdateStackSet',
      'cloudformation:DeleteStackSet',
      'cloudformation:DescribeStackSetOperation',
      'cloudformation:TagResource',
      'cloudformation:UntagResource',
      'organizations:ListDelegatedAdministrators',
    ],
    resources: ['arn:{partition}:cloudformation:*:{account}:stackset/cloudmend-*:*', '*'],
    note: 'organizations:ListDelegatedAdministrators (call_as DELEGATED_ADMIN) accepts no resource; StackSets trusted access must be enabled once by the management account',
  },
  aws_cloudformation_stack_set_instance: {
    accounts: ['stackset-admin'],
    actions: [
      'cloudformation:CreateStackInstances',
      'cloudformation:DescribeStackInstance',
      'cloudformation:ListStackInstances',
      'cloudformation:UpdateStackInstances',
      'cloudformation:DeleteStackInstances',
      'cloudformation:DescribeStackSetOperation',
    ],
    resources: [
      'arn:{partition}:cloudformation:*:{account}:stackset/cloudmend-*:*',
      'arn:{partition}:cloudformation:*:*:stackset-target/cloudmend-*',
      'arn:{partition}:cloudformation:*::type/resource/*',
    ],
  },
};

const ACCOUNT_TITLES: Record<ApplyAccount, string> = {
  security: 'Security account (handler stacks, cloudmend-members-security): the pipeline itself or roles.securityAccountRoleName',
  'stackset-admin':
    'StackSet admin account (cloudmend-stacksets): the management account, or the StackSets delegated administrator in roles.stackSet.adminAccount, through roles.stackSet.adminRoleName',
  member: 'Each member account, terraform mode only (cloudmend-members-NN): roles.bootstrapRoleName',
};

/** The least-privilege identity policy the pipeline needs in one kind of account. */
export function pipelinePolicyFor(account: ApplyAccount): { Version: '2012-10-17'; Statement: unknown[] } {
  const statements = Object.entries(PIPELINE_PERMISSIONS)
    .filter(([, p]) => p.accounts.includes(account))
    .map(([type, p]) => ({
      Sid: type.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
      Effect: 'Allow',
      Action: p.actions,
      Resource: p.resources,
    }));
  return { Version: '2012-10-17', Statement: statements };
}

export function renderPermissionsDoc(): string {
  const lines = [
    '# Permissions of the pipeline identity',
    '',
    '<!-- Generated by `npx tsx stacks/pipeline-permissions-cli.ts` from stacks/pipeline-permissions.ts; a test fails when it is stale or when a stack creates a resource type it does not cover. -->',
    '',
    'One pipeline identity applies every stack. It needs, in each account, exactly the actions Terraform calls to create, read, update',
    'and delete what cloudmend synthesizes there, on resources named the way cloudmend names them (`cloudmend-*`, the member role',
    '`CloudmendRemediation`: adjust the names if you change `roles.memberRoleName`). `{partition}` and `{account}` are that account.',
    'The state backend (S3 bucket and lock table) needs its own usual permissions and is not listed.',
    '',
    'Service-managed StackSets never deploy to the management account: cloudmend leaves it out of scope unless you list it in',
    '`organization.includeAccounts` with `roles.deployment: terraform`.',
    '',
  ];
  for (const account of Object.keys(ACCOUNT_TITLES) as ApplyAccount[]) {
    lines.push(`## ${ACCOUNT_TITLES[account]}`, '', '| resource type | actions | resources |', '| --- | --- | --- |');
    for (const [type, p] of Object.entries(PIPELINE_PERMISSIONS)) {
      if (!p.accounts.includes(account)) continue;
      lines.push(
        `| \`${type}\` | ${p.actions.map((a) => `\`${a}\``).join(', ')} | ${p.resources.map((r) => `\`${r}\``).join(', ')}${p.note ? ` (${p.note})` : ''} |`,
      );
    }
    lines.push('', '```json', JSON.stringify(pipelinePolicyFor(account), null, 2), '```', '');
  }
  return `${lines.join('\n')}`;
}
