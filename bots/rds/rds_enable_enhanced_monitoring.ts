import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { DB_ARN_TEMPLATE, dbArn, dbInstanceIdentifier, describeDbInstance, identifierOfTarget, unmodifiable } from './db';
import {
  MONITORING_ROLE_KIND,
  MONITORING_ROLE_NAME,
  MONITORING_ROLE_UNDO,
  MONITORING_SERVICE,
  MonitoringRoleNotReady,
  ensureMonitoringRole,
} from './monitoring-role';
import { sdk } from '../sdk';

const BOT_NAME = 'rds_enable_enhanced_monitoring';
const INTERVALS = [1, 5, 10, 15, 30, 60] as const;
const OWN_ROLE_ARN = `arn:{partition}:iam::{account}:role/${MONITORING_ROLE_NAME}`;
/** A role given as role_arn, once the bot has read its name from the param (with or without a path). */
const GIVEN_ROLE_ARNS = [
  'arn:{partition}:iam::{account}:role/{monitoringRoleName}',
  'arn:{partition}:iam::{account}:role/*/{monitoringRoleName}',
];
/** RDS hands the role to the monitoring service; the condition names both spellings AWS documents for RDS. */
const PASSED_TO = { StringEquals: { 'iam:PassedToService': [MONITORING_SERVICE, 'rds.amazonaws.com'] } };
/** A role ARN whose name holds only letters, digits, `.`, `_` and `-`: the name goes into a session policy (bots/permissions.ts SAFE_ID). */
const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([A-Za-z0-9][\w.-]{0,63})$/;

const params = z.strictObject({
  interval: z.coerce
    .number()
    .int()
    .refine((n) => (INTERVALS as readonly number[]).includes(n), { message: `one of ${INTERVALS.join(', ')}` })
    .default(60)
    .describe(
      `Seconds between Enhanced Monitoring samples: ${INTERVALS.join(', ')} (default 60). An instance already sampling at least this often is left alone.`,
    ),
  role_arn: z
    .string()
    .regex(ROLE_ARN, 'an IAM role ARN, arn:aws:iam::<account>:role/<name>, the name of letters, digits, . _ and - only')
    .optional()
    .describe(
      `The monitoring role to use, in the finding's account (it must trust ${MONITORING_SERVICE}). Default: ${MONITORING_ROLE_NAME}, ` +
        'which the bot creates once per account with AmazonRDSEnhancedMonitoringRole.',
    ),
});

interface MonitoringState {
  MonitoringInterval: number;
  MonitoringRoleArn?: string;
}

function stateOf(interval: number | undefined, roleArn: string | undefined): MonitoringState {
  const n = interval ?? 0;
  return n > 0 && roleArn ? { MonitoringInterval: n, MonitoringRoleArn: roleArn } : { MonitoringInterval: n };
}

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: 'Turn on Enhanced Monitoring of the DB instance (default every 60 s), with its monitoring role',
    description:
      'Sets MonitoringInterval (default 60 seconds) and MonitoringRoleArn on the DB instance. The role is `role_arn` when given ' +
      `(it must be in the finding's account), otherwise ${MONITORING_ROLE_NAME}, which the bot creates once per account: ` +
      `assumable only by ${MONITORING_SERVICE} for that account, with the AWS managed policy AmazonRDSEnhancedMonitoringRole ` +
      'attached and as its permissions boundary, tagged cloudmend:created-by; a role of that name without the tag is refused. ' +
      'An instance already sampling at least as often keeps its interval and role. RDS applies the change at once without an ' +
      'outage; the bot sends ApplyImmediately=false so modifications pending for the maintenance window stay pending. Enhanced ' +
      'Monitoring writes to the RDSOSMetrics log group and is billed as CloudWatch Logs. Undo sets the interval (and role) back; ' +
      'the role is kept for other instances.',
    resourceTypes: ['AWS::RDS::DBInstance'],
    remediates: { securityHub: ['RDS.6'], config: ['rds-enhanced-monitoring-enabled'] },
    params,
    positional: ['interval'],
    overridable: ['interval'],
    sensitiveParams: { role_arn: 'principal' },
    permissions: [
      {
        actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
        resources: [DB_ARN_TEMPLATE],
        reason: 'read the Enhanced Monitoring settings of the DB instance and set them',
      },
      {
        actions: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:TagRole'],
        resources: [OWN_ROLE_ARN],
        reason: `find and check the ${MONITORING_ROLE_NAME} role, and tag it cloudmend:created-by as it is created`,
        global: true,
      },
      {
        actions: ['iam:CreateRole'],
        resources: [OWN_ROLE_ARN],
        conditions: { ArnLike: { 'iam:PermissionsBoundary': 'arn:*:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole' } },
        reason: `create the ${MONITORING_ROLE_NAME} role once per account, only under the AmazonRDSEnhancedMonitoringRole boundary`,
        global: true,
      },
      {
        actions: ['iam:AttachRolePolicy'],
        resources: [OWN_ROLE_ARN],
        conditions: { ArnLike: { 'iam:PolicyARN': 'arn:*:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole' } },
        reason: `attach AmazonRDSEnhancedMonitoringRole, and no other policy, to the ${MONITORING_ROLE_NAME} role`,
        global: true,
      },
      {
        actions: ['iam:PassRole'],
        resources: [OWN_ROLE_ARN],
        conditions: PASSED_TO,
        reason: `hand the ${MONITORING_ROLE_NAME} role to RDS Enhanced Monitoring, and to nothing else`,
        global: true,
      },
      {
        actions: ['iam:PassRole'],
        resources: GIVEN_ROLE_ARNS,
        conditions: PASSED_TO,
        reason: 'hand the role given as role_arn (named once read from the param) to RDS Enhanced Monitoring, and to nothing else',
        global: true,
      },
    ],
    undo: {
      'enhanced-monitoring': {
        reversible: true,
        how: 'sets MonitoringInterval (and the role, when it was on) back to what they were; the monitoring role itself stays',
        permissions: [
          {
            actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
            resources: [DB_ARN_TEMPLATE],
            reason: 'undo: read the DB instance and restore its Enhanced Monitoring interval',
          },
        ],
      },
      [MONITORING_ROLE_KIND]: MONITORING_ROLE_UNDO,
    },
  },
  undoers: {
    'enhanced-monitoring': {
      async read(ctx) {
        const { RDSClient } = await sdk.rds();
        const instance = await describeDbInstance(ctx.client(RDSClient), identifierOfTarget(ctx.target));
        return stateOf(instance.MonitoringInterval, instance.MonitoringRoleArn);
      },
      async write(ctx, state) {
        const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
        const { MonitoringInterval } = state as MonitoringState;
        if (typeof MonitoringInterval !== 'number') throw new Error(`undo of enhanced monitoring: no interval in ${JSON.stringify(state)}`);
        // The interval alone: the bot keeps an instance's existing role, so the role before is the role now (and sending it would need iam:PassRole).
        await ctx.client(RDSClient).send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: identifierOfTarget(ctx.target),
            MonitoringInterval,
            ApplyImmediately: false,
          }),
        );
      },
    },
  },
  async run(ctx) {
    const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
    const { IAMClient } = await sdk.iam();
    const rds = ctx.client(RDSClient);
    const identifier = dbInstanceIdentifier(BOT_NAME, ctx.finding.resource.id, ctx);
    const { interval, role_arn: givenRole } = ctx.params;

    let givenRoleName: string | undefined;
    if (givenRole) {
      const [, partition, account, name] = ROLE_ARN.exec(givenRole) ?? [];
      if (partition !== ctx.partition || account !== ctx.account) {
        return skipped(
          `role_arn ${givenRole} is not in the finding's account ${ctx.account}: RDS takes a monitoring role of its own account only`,
        );
      }
      givenRoleName = name;
    }

    const instance = await describeDbInstance(rds, identifier);
    const before = stateOf(instance.MonitoringInterval, instance.MonitoringRoleArn);
    const changes = new ChangeSet(ctx);
    const compliant = `Enhanced Monitoring of ${identifier} samples every ${before.MonitoringInterval} s, at least every ${interval} s`;
    if (before.MonitoringInterval > 0 && before.MonitoringInterval <= interval) return changes.result('', compliant);
    const status = unmodifiable(instance);
    if (status) return skipped(`${identifier} is ${status}: RDS modifies only an available instance; Enhanced Monitoring left off`);

    // An instance already monitored (less often) keeps its role, which is then not sent (no role passed); otherwise the given role or ours.
    const keepsRole = before.MonitoringInterval > 0 && before.MonitoringRoleArn !== undefined;
    let roleArn = keepsRole ? before.MonitoringRoleArn : givenRole;
    let fresh = false;
    let rdsWriter = rds;
    if (!roleArn) {
      const outcome = await ensureMonitoringRole(ctx.client(IAMClient), changes, {
        partition: ctx.partition,
        account: ctx.account,
        createdBy: BOT_NAME,
      });
      roleArn = outcome.arn;
      fresh = outcome.fresh;
    } else if (roleArn === givenRole && givenRoleName && !ctx.dryRun) {
      // PassRole on the given role is granted only once the session names it.
      rdsWriter = (await ctx.narrowTo({ monitoringRoleName: [givenRoleName] }))(RDSClient);
    }
    const after = stateOf(interval, roleArn);
    await changes.apply(
      {
        action: 'rds:ModifyDBInstance',
        target: instance.DBInstanceArn ?? dbArn(ctx, identifier),
        description: `Enhanced Monitoring ${before.MonitoringInterval > 0 ? `every ${before.MonitoringInterval} s` : 'off'} -> every ${interval} s with role ${roleArn}`,
        undo: { kind: 'enhanced-monitoring', before, after },
      },
      () =>
        rdsWriter
          .send(
            new ModifyDBInstanceCommand({
              DBInstanceIdentifier: identifier,
              MonitoringInterval: interval,
              ...(keepsRole ? {} : { MonitoringRoleArn: roleArn }),
              ApplyImmediately: false,
            }),
          )
          .catch((error: unknown) => {
            // A role created a moment ago may not be visible to RDS yet; a retry finds it.
            if (fresh && (error as { name?: string }).name === 'InvalidParameterValue') {
              throw new MonitoringRoleNotReady(
                `${MONITORING_ROLE_NAME} was just created and RDS does not accept it yet: ${(error as Error).message}`,
              );
            }
            throw error;
          }),
    );
    return changes.result(`turned on Enhanced Monitoring of ${identifier} every ${interval} s with role ${roleArn}`, compliant);
  },
});
