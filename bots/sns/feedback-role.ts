/**
 * The role SNS assumes to write delivery status logs to CloudWatch Logs: one
 * per account (IAM is global), created once by sns_enable_delivery_status_logging
 * and reused, assumable only by SNS for this account, allowed only to write the
 * `sns/...` log groups SNS uses, and bounded by the same CloudWatch-Logs-only
 * AWS managed policy as the flow log and CloudTrail delivery roles.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { readRole, trustsService } from '../iam/service-role';
import { isNoSuchEntity } from '../iam/user';
import { parsePolicyDocument, samePolicy } from '../iam/inline-policy';
import { DELIVERY_ROLE_BOUNDARY_NAME } from '../vpc/flow-log-delivery';
import { sdk } from '../sdk';

/** The logging role and its policy: created once for the account and shared by every topic, so kept on undo. */
export const FEEDBACK_ROLE_KIND = 'delivery-status-role';
export const FEEDBACK_ROLE_UNDO = {
  reversible: false,
  why: 'the logging role is shared by every topic of the account whose delivery status is logged, so undo of one topic keeps it',
} as const;
const FEEDBACK_ROLE_CHANGE = { kind: FEEDBACK_ROLE_KIND, before: null, after: null };

export const SNS_SERVICE = 'sns.amazonaws.com';
export const FEEDBACK_ROLE_NAME = 'cloudmend-sns-delivery-status';
export const FEEDBACK_POLICY_NAME = 'cloudmend-sns-delivery-status-logs';
/** What the role can do at most, whatever its inline policy says. */
export const FEEDBACK_ROLE_BOUNDARY = DELIVERY_ROLE_BOUNDARY_NAME;
const CREATED_BY = 'cloudmend:created-by';

export function feedbackRoleArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/${FEEDBACK_ROLE_NAME}`;
}

export function feedbackRoleBoundaryArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/${FEEDBACK_ROLE_BOUNDARY}`;
}

/** Only SNS, and only for topics of this account (confused deputy). */
export function feedbackTrustPolicy(account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SnsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: SNS_SERVICE },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

/** SNS writes delivery status to log groups `sns/<region>/<account>/<topic>[/Failure]`, which it creates. */
export function feedbackPermissionPolicy(partition: string, account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteSnsDeliveryStatusLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:${partition}:logs:*:${account}:log-group:sns/*`,
      },
    ],
  };
}

/**
 * Returns the role's ARN after creating it, or checking the existing one and
 * restoring its inline policy when missing or changed. A role of that name
 * SNS cannot assume, or without the boundary, is reported, never rewritten.
 */
export async function ensureFeedbackRole(
  iam: IAMClient,
  changes: ChangeSet,
  scope: { partition: string; account: string; createdBy: string },
): Promise<string> {
  const { GetRolePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } = await sdk.iam();
  const arn = feedbackRoleArn(scope.partition, scope.account);
  const boundary = feedbackRoleBoundaryArn(scope.partition);
  const wanted = feedbackPermissionPolicy(scope.partition, scope.account);

  let role = await readRole(iam, FEEDBACK_ROLE_NAME);
  if (!role) {
    const outcome = await createOrAdopt(
      changes,
      {
        action: 'iam:CreateRole',
        target: arn,
        description:
          `created role ${FEEDBACK_ROLE_NAME}, assumable only by ${SNS_SERVICE} for account ${scope.account}, bounded by ${boundary}; ` +
          'shared by every topic whose delivery status cloudmend logs in the account',
        undo: FEEDBACK_ROLE_CHANGE,
      },
      () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: FEEDBACK_ROLE_NAME,
            AssumeRolePolicyDocument: JSON.stringify(feedbackTrustPolicy(scope.account)),
            Description: 'Lets SNS write topic delivery status logs to CloudWatch Logs (created by cloudmend)',
            PermissionsBoundary: boundary,
            Tags: [{ Key: CREATED_BY, Value: scope.createdBy }],
          }),
        ),
      (error) => ['EntityAlreadyExistsException', 'EntityAlreadyExists'].includes((error as { name?: string } | null)?.name ?? ''),
    );
    if (!outcome.created) {
      role = await readRole(iam, FEEDBACK_ROLE_NAME);
      if (!role) throw settlingConflict(`role ${FEEDBACK_ROLE_NAME}`);
    }
  }

  let state: 'missing' | 'drifted' | 'ok' = 'missing';
  if (role) {
    if (!trustsService(parsePolicyDocument(role.AssumeRolePolicyDocument ?? '{}'), SNS_SERVICE)) {
      throw new Error(
        `role ${FEEDBACK_ROLE_NAME} exists in account ${scope.account} but ${SNS_SERVICE} cannot assume it; ` +
          'fix its trust policy or delete the role so cloudmend can create it',
      );
    }
    const current = await iam.send(new GetRolePolicyCommand({ RoleName: FEEDBACK_ROLE_NAME, PolicyName: FEEDBACK_POLICY_NAME })).then(
      (output) => parsePolicyDocument(output.PolicyDocument ?? '{}'),
      (error) => {
        if (isNoSuchEntity(error)) return undefined;
        throw error;
      },
    );
    state = current === undefined ? 'missing' : samePolicy(current, wanted) ? 'ok' : 'drifted';
    // The bot may only write the policy of a role under the boundary: say so rather than fail with AccessDenied.
    if (state !== 'ok' && role.PermissionsBoundary?.PermissionsBoundaryArn !== boundary) {
      throw new Error(
        `role ${FEEDBACK_ROLE_NAME} in account ${scope.account} needs its inline policy ${FEEDBACK_POLICY_NAME} ${state === 'missing' ? 'added' : 'restored'}, ` +
          `but it lacks the permissions boundary ${boundary} under which cloudmend may edit it; delete the role so cloudmend can recreate it, or set the boundary`,
      );
    }
  }
  if (state !== 'ok') {
    await changes.apply(
      {
        action: 'iam:PutRolePolicy',
        target: arn,
        description: `${state === 'drifted' ? 'restored' : 'put'} inline policy ${FEEDBACK_POLICY_NAME} on ${FEEDBACK_ROLE_NAME}: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on sns/* log groups`,
        undo: FEEDBACK_ROLE_CHANGE,
      },
      () =>
        iam.send(
          new PutRolePolicyCommand({
            RoleName: FEEDBACK_ROLE_NAME,
            PolicyName: FEEDBACK_POLICY_NAME,
            PolicyDocument: JSON.stringify(wanted),
          }),
        ),
    );
  }
  return arn;
}
