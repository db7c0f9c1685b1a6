/**
 * Creates, once per account, the delivery role CloudWatch Logs flow logs need,
 * and once per VPC the log group, reusing them on every later run. Every write
 * goes through the ChangeSet, so dry run and reporting come for free.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { readRole } from '../iam/service-role';
import { isNoSuchEntity } from '../iam/user';
import {
  DELIVERY_POLICY_NAME,
  DELIVERY_ROLE_NAME,
  FLOW_LOGS_SERVICE,
  deliveryPermissionPolicy,
  deliveryRoleArn,
  deliveryRoleBoundaryArn,
  deliveryTrustPolicy,
  logGroupArn,
  parsePolicyDocument,
  samePolicy,
  trustsFlowLogsService,
} from './flow-log-delivery';
import { sdk } from '../sdk';

export interface DeliveryScope {
  partition: string;
  region: string;
  account: string;
  /** The bot creating things, for the `cloudmend:created-by` tag. */
  createdBy: string;
}

const CREATED_BY = 'cloudmend:created-by';

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

/** Returns the role ARN to pass to CreateFlowLogs. */
/** Everything done to set up delivery (the role, its policy, the log group): left on undo, the bot's meta says why. */
export const DELIVERY_SETUP_KIND = 'flow-log-delivery-setup';
export const DELIVERY_SETUP_CHANGE = { kind: DELIVERY_SETUP_KIND, before: null, after: null } as const;

export async function ensureDeliveryRole(iam: IAMClient, changes: ChangeSet, scope: DeliveryScope): Promise<string> {
  const { GetRolePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } = await sdk.iam();
  const arn = deliveryRoleArn(scope.partition, scope.account);
  const wanted = deliveryPermissionPolicy(scope.partition, scope.account);
  const boundary = deliveryRoleBoundaryArn(scope.partition);

  let role = await readRole(iam, DELIVERY_ROLE_NAME);
  let policyState: 'missing' | 'drifted' | 'ok' = 'missing';
  if (!role) {
    const outcome = await createOrAdopt(
      changes,
      {
        action: 'iam:CreateRole',
        target: arn,
        undo: DELIVERY_SETUP_CHANGE,
        description:
          `created role ${DELIVERY_ROLE_NAME}, assumable only by ${FLOW_LOGS_SERVICE} for flow logs of account ${scope.account}, ` +
          `bounded by ${boundary}; shared by every VPC flow log cloudmend creates in the account`,
      },
      () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: DELIVERY_ROLE_NAME,
            AssumeRolePolicyDocument: JSON.stringify(deliveryTrustPolicy(scope.partition, scope.account)),
            Description: 'Lets VPC flow logs write to cloudmend flow log groups (created by cloudmend)',
            PermissionsBoundary: boundary,
            Tags: [{ Key: CREATED_BY, Value: scope.createdBy }],
          }),
        ),
      (error) => errorName(error) === 'EntityAlreadyExistsException' || errorName(error) === 'EntityAlreadyExists',
    );
    if (!outcome.created) {
      // Created meanwhile by another run (or by our own create, retried after a lost response): read it back and check it like any existing role.
      role = await readRole(iam, DELIVERY_ROLE_NAME);
      if (!role) throw settlingConflict(`role ${DELIVERY_ROLE_NAME}`);
    }
  }
  if (role) {
    // Never rewrite a trust policy someone changed: say what is wrong and stop.
    if (!trustsFlowLogsService(parsePolicyDocument(role.AssumeRolePolicyDocument))) {
      throw new Error(
        `role ${DELIVERY_ROLE_NAME} exists in account ${scope.account} but ${FLOW_LOGS_SERVICE} cannot assume it; ` +
          'fix its trust policy or delete the role so cloudmend can create it',
      );
    }
    const current = await iam.send(new GetRolePolicyCommand({ RoleName: DELIVERY_ROLE_NAME, PolicyName: DELIVERY_POLICY_NAME })).then(
      (output) => parsePolicyDocument(output.PolicyDocument),
      (error) => {
        if (isNoSuchEntity(error)) return undefined;
        throw error;
      },
    );
    policyState = current === undefined ? 'missing' : samePolicy(current, wanted) ? 'ok' : 'drifted';
  }

  if (policyState !== 'ok') {
    // The bot may only write the policy of a role under the boundary (see DELIVERY_ROLE_BOUNDARY_NAME): say so rather than fail with AccessDenied.
    if (role && role.PermissionsBoundary?.PermissionsBoundaryArn !== boundary) {
      throw new Error(
        `role ${DELIVERY_ROLE_NAME} in account ${scope.account} needs its inline policy ${DELIVERY_POLICY_NAME} ${policyState === 'missing' ? 'added' : 'restored'}, ` +
          `but it lacks the permissions boundary ${boundary} under which cloudmend may edit it; delete the role so cloudmend can recreate it, or set the boundary`,
      );
    }
    await changes.apply(
      {
        action: 'iam:PutRolePolicy',
        target: arn,
        undo: DELIVERY_SETUP_CHANGE,
        description:
          `${policyState === 'drifted' ? 'restored' : 'put'} inline policy ${DELIVERY_POLICY_NAME} on ${DELIVERY_ROLE_NAME}: ` +
          'logs:CreateLogStream, logs:DescribeLogStreams, logs:PutLogEvents on /cloudmend/vpc-flow-logs/* log groups, logs:DescribeLogGroups',
      },
      () =>
        iam.send(
          new PutRolePolicyCommand({
            RoleName: DELIVERY_ROLE_NAME,
            PolicyName: DELIVERY_POLICY_NAME,
            PolicyDocument: JSON.stringify(wanted),
          }),
        ),
    );
  }
  return arn;
}

/** Returns the log group ARN to use as the flow log's destination. */
export async function ensureLogGroup(logs: CloudWatchLogsClient, changes: ChangeSet, scope: DeliveryScope, name: string): Promise<string> {
  const { CreateLogGroupCommand } = await sdk.cloudWatchLogs();
  const arn = logGroupArn(scope.partition, scope.region, scope.account, name);
  if (await logGroupExists(logs, name)) return arn;

  const outcome = await createOrAdopt(
    changes,
    {
      action: 'logs:CreateLogGroup',
      target: arn,
      undo: DELIVERY_SETUP_CHANGE,
      description: `created log group ${name} for the flow logs; its events never expire: set a retention that suits your policy`,
    },
    () => logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { [CREATED_BY]: scope.createdBy } })),
    // A concurrent run for the same VPC, or our own create retried after a lost response: same group, not our change.
    (error) => errorName(error) === 'ResourceAlreadyExistsException',
  );
  if (!outcome.created && !(await logGroupExists(logs, name))) {
    throw settlingConflict(`log group ${name}`);
  }
  return arn;
}

async function logGroupExists(logs: CloudWatchLogsClient, name: string): Promise<boolean> {
  const { DescribeLogGroupsCommand } = await sdk.cloudWatchLogs();
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return logGroups?.some((group) => group.logGroupName === name) ?? false;
}
