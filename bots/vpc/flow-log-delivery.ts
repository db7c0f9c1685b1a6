/**
 * What vpc_turn_on_flow_logs creates for CloudWatch Logs delivery, as pure
 * values: names, ARNs and policy documents. One delivery role per account,
 * shared by every VPC and region (IAM is global); one log group per VPC.
 */
import { parsePolicyDocument as parseIamDocument, samePolicy } from '../iam/inline-policy';
import { trustsService } from '../iam/service-role';

/** Structural equality that ignores key order, for comparing a stored policy with the wanted one. */
export { samePolicy };

export const DELIVERY_ROLE_NAME = 'cloudmend-vpc-flow-logs';
export const DELIVERY_POLICY_NAME = 'cloudmend-vpc-flow-logs-delivery';
export const FLOW_LOGS_SERVICE = 'vpc-flow-logs.amazonaws.com';
export const LOG_GROUP_PREFIX = '/cloudmend/vpc-flow-logs/';

/**
 * The AWS managed policy (CloudWatch Logs actions only) set as the delivery
 * role's permissions boundary. A bot allowed to create a role and write its
 * policy could otherwise make an admin role trusted by anyone; the bot's
 * CreateRole and PutRolePolicy permissions require this boundary, so the most
 * that role can ever do is read and write CloudWatch Logs.
 */
export const DELIVERY_ROLE_BOUNDARY_NAME = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

export function deliveryRoleBoundaryArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/${DELIVERY_ROLE_BOUNDARY_NAME}`;
}

export function deliveryRoleArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/${DELIVERY_ROLE_NAME}`;
}

export function logGroupNameFor(vpcId: string): string {
  return `${LOG_GROUP_PREFIX}${vpcId}`;
}

/** The ARN CreateFlowLogs takes as LogDestination (no trailing `:*`). */
export function logGroupArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:logs:${region}:${account}:log-group:${name}`;
}

/** Only the flow logs service, and only for flow logs of this account (confused-deputy protection). */
export function deliveryTrustPolicy(partition: string, account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'VpcFlowLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: FLOW_LOGS_SERVICE },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:*:${account}:vpc-flow-log/*` },
        },
      },
    ],
  };
}

/** Write access to cloudmend's flow log groups only, in any region of the account. */
export function deliveryPermissionPolicy(partition: string, account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteCloudmendFlowLogGroups',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: `arn:${partition}:logs:*:${account}:log-group:${LOG_GROUP_PREFIX}*`,
      },
      {
        // DescribeLogGroups supports no resource-level permission.
        Sid: 'FindLogGroups',
        Effect: 'Allow',
        Action: 'logs:DescribeLogGroups',
        Resource: '*',
      },
    ],
  };
}

/** IAM returns policy documents URL-encoded; emulators sometimes do not. No document: undefined. */
export function parsePolicyDocument(document: string | undefined): unknown {
  return document ? parseIamDocument(document) : undefined;
}

/** Whether a trust policy lets the flow logs service assume the role. */
export function trustsFlowLogsService(policy: unknown): boolean {
  return trustsService(policy, FLOW_LOGS_SERVICE);
}
