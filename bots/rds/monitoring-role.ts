/**
 * The IAM role RDS Enhanced Monitoring publishes OS metrics with: created once
 * per account as `cloudmend-rds-monitoring`, assumable only by
 * monitoring.rds.amazonaws.com, with the AWS managed policy
 * AmazonRDSEnhancedMonitoringRole attached and also set as its permissions
 * boundary (so the rights to create it can never mint a more powerful role),
 * tagged, and reused on every later run.
 */
import type { IAMClient, Role } from '@aws-sdk/client-iam';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { CloudmendError } from '../errors';
import { readRole } from '../iam/service-role';
import { sdk } from '../sdk';

export const MONITORING_ROLE_NAME = 'cloudmend-rds-monitoring';
export const MONITORING_SERVICE = 'monitoring.rds.amazonaws.com';
export const MONITORING_POLICY_NAME = 'service-role/AmazonRDSEnhancedMonitoringRole';
const CREATED_BY = 'cloudmend:created-by';

/** Creating the monitoring role and attaching its policy: the role is kept (issue #11), so undo has nothing to restore. */
export const MONITORING_ROLE_KIND = 'monitoring-role';
export const MONITORING_ROLE_UNDO = {
  reversible: false,
  why:
    `the ${MONITORING_ROLE_NAME} role (assumable only by ${MONITORING_SERVICE}, bounded by AmazonRDSEnhancedMonitoringRole) is ` +
    'shared by every DB instance whose Enhanced Monitoring cloudmend turned on in the account, so undo of one instance keeps it; ' +
    'delete it by hand once no instance uses it',
} as const;
const MONITORING_ROLE_CHANGE = { kind: MONITORING_ROLE_KIND, before: null, after: null } as const;

export function monitoringPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/${MONITORING_POLICY_NAME}`;
}

export function monitoringRoleArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/${MONITORING_ROLE_NAME}`;
}

function trustPolicy(account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: MONITORING_SERVICE },
        Action: 'sts:AssumeRole',
        // The confused-deputy guard AWS recommends: only RDS acting for this account.
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

function trustsMonitoring(role: Role): boolean {
  let text = role.AssumeRolePolicyDocument ?? '';
  try {
    text = decodeURIComponent(text);
  } catch {
    // Not URL-encoded: read as it is.
  }
  return text.includes(MONITORING_SERVICE);
}

/** The role exists but is not one cloudmend may use as its monitoring role: refused, not retried. */
export class ForeignMonitoringRole extends CloudmendError {
  override readonly name: string = 'ForeignMonitoringRole';
}

/** A role created moments ago that RDS does not accept yet (IAM is eventually consistent): a retry succeeds. */
export class MonitoringRoleNotReady extends CloudmendError {
  override readonly name: string = 'MonitoringRoleNotReady';
  readonly $retryable = {};
}

export interface RoleOutcome {
  arn: string;
  /** Created (or its policy attached) by this run: RDS may not see it for a few seconds. */
  fresh: boolean;
}

/** Finds or creates the monitoring role; returns its ARN. */
export async function ensureMonitoringRole(
  iam: IAMClient,
  changes: ChangeSet,
  scope: { partition: string; account: string; createdBy: string },
): Promise<RoleOutcome> {
  const { CreateRoleCommand, AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } = await sdk.iam();
  const arn = monitoringRoleArn(scope.partition, scope.account);
  const policyArn = monitoringPolicyArn(scope.partition);
  let fresh = false;
  let role = await readRole(iam, MONITORING_ROLE_NAME);
  if (!role) {
    const outcome = await createOrAdopt(
      changes,
      {
        action: 'iam:CreateRole',
        target: arn,
        description:
          `created role ${MONITORING_ROLE_NAME}, assumable only by ${MONITORING_SERVICE} for account ${scope.account}, bounded by ` +
          `${policyArn}; shared by every DB instance whose enhanced monitoring cloudmend turns on in the account`,
        undo: MONITORING_ROLE_CHANGE,
      },
      () =>
        iam.send(
          new CreateRoleCommand({
            RoleName: MONITORING_ROLE_NAME,
            AssumeRolePolicyDocument: JSON.stringify(trustPolicy(scope.account)),
            Description: 'Lets RDS Enhanced Monitoring publish OS metrics to CloudWatch Logs (created by cloudmend)',
            PermissionsBoundary: policyArn,
            Tags: [{ Key: CREATED_BY, Value: scope.createdBy }],
          }),
        ),
      (error) => errorName(error) === 'EntityAlreadyExistsException' || errorName(error) === 'EntityAlreadyExists',
    );
    if (outcome.created) {
      fresh = true;
    } else {
      role = await readRole(iam, MONITORING_ROLE_NAME);
      if (!role) throw settlingConflict(`role ${MONITORING_ROLE_NAME}`);
    }
  }
  let attached = false;
  if (role) {
    const ours = role.Tags?.some((t) => t.Key === CREATED_BY && t.Value === scope.createdBy) ?? false;
    if (!ours || !trustsMonitoring(role)) {
      throw new ForeignMonitoringRole(
        `role ${MONITORING_ROLE_NAME} exists in account ${scope.account} but ${ours ? `${MONITORING_SERVICE} cannot assume it` : `lacks the tag ${CREATED_BY}=${scope.createdBy}`}; ` +
          'cloudmend does not use a role it did not create: fix or delete it, or give the role to use as role_arn',
      );
    }
    const { AttachedPolicies = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: MONITORING_ROLE_NAME }));
    attached = AttachedPolicies.some((p) => p.PolicyArn === policyArn);
  }
  if (!attached) {
    await changes.apply(
      {
        action: 'iam:AttachRolePolicy',
        target: arn,
        description: `attached ${policyArn} to ${MONITORING_ROLE_NAME}`,
        undo: MONITORING_ROLE_CHANGE,
      },
      () => iam.send(new AttachRolePolicyCommand({ RoleName: MONITORING_ROLE_NAME, PolicyArn: policyArn })),
    );
    fresh = true;
  }
  return { arn, fresh };
}
