/**
 * What cloudtrail_send_to_cloudwatch creates, as pure values, and the two
 * ensure-steps that create them once and reuse them: one log group per account
 * and Region, one delivery role per account (IAM is global), assumable only by
 * CloudTrail for this account, bounded to CloudWatch Logs.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { ChangeSet } from '../changes';
import { parsePolicyDocument, samePolicy } from '../iam/inline-policy';
import { DELIVERY_ROLE_BOUNDARY_NAME } from '../vpc/flow-log-delivery';
import { DELIVERY_SETUP_CHANGE } from './cloudtrail-undo';
import { sdk } from '../sdk';

export const TRAIL_LOG_GROUP = '/cloudmend/cloudtrail';
export const TRAIL_ROLE_NAME = 'cloudmend-cloudtrail-to-cloudwatch';
export const TRAIL_ROLE_POLICY_NAME = 'cloudmend-cloudtrail-to-cloudwatch-delivery';
export const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';
/** The CloudWatch-Logs-only AWS managed policy the flow log role uses too: the most this role can ever do. */
export const TRAIL_ROLE_BOUNDARY = DELIVERY_ROLE_BOUNDARY_NAME;
const CREATED_BY = 'cloudmend:created-by';

export function trailRoleArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/${TRAIL_ROLE_NAME}`;
}

export function trailLogGroupArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:logs:${region}:${account}:log-group:${TRAIL_LOG_GROUP}`;
}

export function trailRoleTrustPolicy(account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudTrailOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: CLOUDTRAIL_SERVICE },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

export function trailRolePermissionPolicy(partition: string, account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteTheCloudmendTrailLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:${partition}:logs:*:${account}:log-group:${TRAIL_LOG_GROUP}:log-stream:*`,
      },
    ],
  };
}

const isNoSuchEntity = (error: unknown) => ['NoSuchEntityException', 'NoSuchEntity'].includes((error as { name?: string }).name ?? '');

/** Returns the delivery role's ARN, after creating the role or restoring its policy when needed. */
export async function ensureTrailRole(
  iam: IAMClient,
  changes: ChangeSet,
  scope: { partition: string; account: string; createdBy: string },
) {
  const { GetRoleCommand, CreateRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand } = await sdk.iam();
  const arn = trailRoleArn(scope.partition, scope.account);
  const boundary = `arn:${scope.partition}:iam::aws:policy/${TRAIL_ROLE_BOUNDARY}`;
  const wanted = trailRolePermissionPolicy(scope.partition, scope.account);
  const role = await iam.send(new GetRoleCommand({ RoleName: TRAIL_ROLE_NAME })).then(
    (output) => output.Role,
    (error) => {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    },
  );
  let current: unknown;
  if (!role) {
    await changes.apply(
      {
        action: 'iam:CreateRole',
        target: arn,
        undo: DELIVERY_SETUP_CHANGE,
        description: `created role ${TRAIL_ROLE_NAME}, assumable only by ${CLOUDTRAIL_SERVICE} for account ${scope.account}, bounded by ${boundary}`,
      },
      () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: TRAIL_ROLE_NAME,
            AssumeRolePolicyDocument: JSON.stringify(trailRoleTrustPolicy(scope.account)),
            Description: 'Lets CloudTrail write to the cloudmend trail log group (created by cloudmend)',
            PermissionsBoundary: boundary,
            Tags: [{ Key: CREATED_BY, Value: scope.createdBy }],
          }),
        ),
    );
  } else {
    if (role.PermissionsBoundary?.PermissionsBoundaryArn !== boundary) {
      throw new Error(
        `role ${TRAIL_ROLE_NAME} exists in account ${scope.account} without the permissions boundary ${boundary} under which cloudmend may edit it; delete it so cloudmend can recreate it`,
      );
    }
    current = await iam.send(new GetRolePolicyCommand({ RoleName: TRAIL_ROLE_NAME, PolicyName: TRAIL_ROLE_POLICY_NAME })).then(
      (output) => parsePolicyDocument(output.PolicyDocument ?? ''),
      (error) => {
        if (isNoSuchEntity(error)) return undefined;
        throw error;
      },
    );
  }
  if (current === undefined || !samePolicy(current, wanted)) {
    await changes.apply(
      {
        action: 'iam:PutRolePolicy',
        target: arn,
        undo: DELIVERY_SETUP_CHANGE,
        description: `${current === undefined ? 'put' : 'restored'} inline policy ${TRAIL_ROLE_POLICY_NAME}: logs:CreateLogStream, logs:PutLogEvents on ${TRAIL_LOG_GROUP}`,
      },
      () =>
        iam.send(
          new PutRolePolicyCommand({
            RoleName: TRAIL_ROLE_NAME,
            PolicyName: TRAIL_ROLE_POLICY_NAME,
            PolicyDocument: JSON.stringify(wanted),
          }),
        ),
    );
  }
  return arn;
}

/** Returns the log group's ARN, after creating it when needed. */
export async function ensureTrailLogGroup(
  logs: CloudWatchLogsClient,
  changes: ChangeSet,
  scope: { partition: string; region: string; account: string; createdBy: string },
): Promise<string> {
  const { DescribeLogGroupsCommand, CreateLogGroupCommand } = await sdk.cloudWatchLogs();
  const arn = trailLogGroupArn(scope.partition, scope.region, scope.account);
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: TRAIL_LOG_GROUP }));
  if (logGroups?.some((group) => group.logGroupName === TRAIL_LOG_GROUP)) return arn;
  await changes.apply(
    {
      action: 'logs:CreateLogGroup',
      target: arn,
      undo: DELIVERY_SETUP_CHANGE,
      description: `created log group ${TRAIL_LOG_GROUP}; its events never expire: set a retention that suits your policy`,
    },
    async () => {
      try {
        await logs.send(new CreateLogGroupCommand({ logGroupName: TRAIL_LOG_GROUP, tags: { [CREATED_BY]: scope.createdBy } }));
      } catch (error) {
        // A concurrent run for another trail got there first: same group, same outcome.
        if ((error as { name?: string }).name !== 'ResourceAlreadyExistsException') throw error;
      }
    },
  );
  return arn;
}
