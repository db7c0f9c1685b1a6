import { z } from 'zod';
import type { DBInstance, DBSnapshot, RDSClient } from '@aws-sdk/client-rds';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { DB_ARN_TEMPLATE, dbArn, dbInstanceIdentifier, describeDbInstance } from './db';
import { KMS_KEY_PARAM, KMS_KEY_PARAM_DESCRIPTION, RDS_KEY_PERMISSIONS, keyIdOfArn, resolveRdsKey } from './kms-key';
import { SNAPSHOT_ARN, describeSnapshot, snapshotName } from './snapshots';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const BOT_NAME = 'rds_enable_encryption';
const CREATED_BY = 'cloudmend:created-by';
const NEW_DB_ARN = 'arn:{partition}:rds:{region}:{account}:db:{dbInstanceId}';

/** `orders` -> `orders-encrypted`, within the 63 characters RDS allows an instance identifier. */
export function encryptedInstanceName(identifier: string): string {
  return `${identifier.slice(0, 53).replace(/-+$/, '')}-encrypted`;
}

const params = z.strictObject({
  kms_key: KMS_KEY_PARAM.describe(`${KMS_KEY_PARAM_DESCRIPTION} Everyone restoring or reading the copy needs use of this key.`),
  restore: flagParam
    .default(false)
    .describe(
      'Also restore the encrypted snapshot as a NEW instance <identifier>-encrypted (billed like the original) once the copy is ready. ' +
        'Default false: the bot makes the snapshot and its encrypted copy only, and the operator restores when ready to cut over.',
    ),
});

/** A parameter or option group RDS made (`default.postgres16`, `default:postgres-16`): not named on restore. */
function notDefault(group: string | undefined): string | undefined {
  return group && !/^default[.:]/.test(group) ? group : undefined;
}

type Step = { name: string; state: 'done' | 'started now' | 'in progress' | 'to do' | 'operator' };

function planText(steps: Step[]): string {
  return steps.map((step, i) => `${i + 1}. [${step.state}] ${step.name}`).join('; ');
}

async function instanceOrNone(rds: RDSClient, identifier: string): Promise<DBInstance | undefined> {
  return describeDbInstance(rds, identifier).catch((error: unknown) => {
    if ((error as { name?: string }).name === 'DBInstanceNotFoundFault') return undefined;
    throw error;
  });
}

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: 'Encrypt a DB instance the only way RDS allows: snapshot, encrypted copy, and (opt-in) restore as a new instance',
    description:
      'RDS cannot encrypt an existing instance in place. The bot works through the plan AWS documents, one step per run as ' +
      'each snapshot becomes available, and reports every step with its state: (1) a manual snapshot <identifier>-cloudmend-unencrypted ' +
      'of the instance; (2) an encrypted copy <identifier>-cloudmend-encrypted with `kms_key` (default the AWS managed key aws/rds); ' +
      '(3) only with `restore=true`, a NEW instance <identifier>-encrypted restored from the copy with the original class, subnet ' +
      'group, security groups, parameter and option groups, Multi-AZ, port and tags (billed like the original; not restored: ' +
      'backup retention, monitoring, Performance Insights, log exports and IAM roles, which the result tells the operator to check). ' +
      'A run that finds a snapshot still being created reports that step in progress and changes nothing; the next run continues. ' +
      'Nothing is ever deleted and the original instance is never modified: it keeps serving until the operator cuts over ' +
      '(stop writes, take a final snapshot or use replication to carry changes made since the snapshot, point clients at the new ' +
      'endpoint, then delete or keep the old instance and the unencrypted snapshot). Default without restore because a second ' +
      'instance costs money and the cut-over needs the application owner. Cluster members (Aurora) are skipped: their ' +
      "encryption is the cluster's. The key is resolved before the copy (an alias through ListAliases) and must be an enabled " +
      "symmetric key of the finding's account and Region; RDS is handed its key ARN, and the copy and the restore go through " +
      'sessions naming only that key (the restore: the key the copy is encrypted with). aws/rds before its first use has no key ' +
      'yet: the run is skipped with what to do.',
    resourceTypes: ['AWS::RDS::DBInstance'],
    remediates: { securityHub: ['RDS.3'], config: ['rds-storage-encrypted'] },
    params,
    sensitiveParams: { kms_key: 'key' },
    permissions: [
      {
        actions: ['rds:DescribeDBInstances'],
        resources: [DB_ARN_TEMPLATE],
        reason: 'read the DB instance: its encryption, class, network and groups',
      },
      {
        actions: ['rds:CreateDBSnapshot'],
        resources: [DB_ARN_TEMPLATE, SNAPSHOT_ARN],
        reason: 'snapshot the DB instance under the name the bot gives the unencrypted snapshot',
      },
      {
        actions: ['rds:DescribeDBSnapshots', 'rds:CopyDBSnapshot', 'rds:AddTagsToResource'],
        resources: [SNAPSHOT_ARN],
        reason: 'read the two snapshots of the plan, make the encrypted copy, and tag them cloudmend:created-by as they are created',
      },
      {
        actions: ['rds:DescribeDBInstances', 'rds:AddTagsToResource'],
        resources: [NEW_DB_ARN],
        reason: 'restore=true: find the new encrypted instance, and tag it cloudmend:created-by as it is restored',
      },
      {
        actions: ['rds:RestoreDBInstanceFromDBSnapshot'],
        resources: [
          NEW_DB_ARN,
          SNAPSHOT_ARN,
          'arn:{partition}:rds:{region}:{account}:subgrp:*',
          'arn:{partition}:rds:{region}:{account}:pg:*',
          'arn:{partition}:rds:{region}:{account}:og:*',
        ],
        reason:
          'restore=true: restore the new instance from the encrypted copy, with the subnet, parameter and option groups of the ' +
          'original (read from it; RDS checks them as resources of the restore)',
      },
      ...RDS_KEY_PERMISSIONS,
    ],
    undo: {
      'unencrypted-snapshot': {
        reversible: false,
        why:
          'the manual snapshot is the point in time the encrypted copy is made from and the fallback until the cut-over; the ' +
          'instance was not changed, so there is nothing to put back, and deleting a snapshot of customer data is left to the operator',
      },
      'encrypted-copy': {
        reversible: false,
        why:
          'the encrypted copy is what the remediation produced, and the snapshot it was copied from is kept: there is nothing to ' +
          'put back, and deleting the copy (a snapshot of customer data) is left to the operator',
      },
      'encrypted-instance': {
        reversible: false,
        why:
          'the new encrypted instance is created beside the original, which is never modified: there is nothing to put back, and ' +
          'deleting a database (and its data written since) is left to the operator, as is the cut-over',
      },
    },
  },
  async run(ctx) {
    const { RDSClient, CreateDBSnapshotCommand, CopyDBSnapshotCommand, RestoreDBInstanceFromDBSnapshotCommand } = await sdk.rds();
    const identifier = dbInstanceIdentifier(BOT_NAME, ctx.finding.resource.id, ctx);
    const { kms_key: kmsKey, restore } = ctx.params;
    const rds = ctx.client(RDSClient);
    const instance = await describeDbInstance(rds, identifier);
    if (instance.StorageEncrypted) {
      return { status: 'already-compliant', message: `${identifier} is encrypted (${instance.KmsKeyId ?? 'KMS'})`, changes: [] };
    }
    if (instance.DBClusterIdentifier) {
      return skipped(
        `${identifier} belongs to DB cluster ${instance.DBClusterIdentifier}: encryption is the cluster's; this bot encrypts standalone instances`,
      );
    }

    const plain = snapshotName(identifier, 'unencrypted');
    const encrypted = snapshotName(identifier, 'encrypted');
    const newId = encryptedInstanceName(identifier);
    // Every call after the first read goes through a session naming exactly the two snapshots and the new instance; each
    // write through one naming only what it needs (the copy: both snapshots and the key; the restore: the copy, the new
    // instance and the copy's key), which also keeps each session policy within AssumeRole's 2,048 characters.
    const planIds = { dbSnapshotId: [plain, encrypted], dbInstanceId: [newId] };
    const named = (await ctx.narrowTo(planIds))(RDSClient);
    const snapshotArn = (name: string) => `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:snapshot:${name}`;
    const tags = [{ Key: CREATED_BY, Value: BOT_NAME }];
    const changes = new ChangeSet(ctx);

    const copy = await describeSnapshot(named, encrypted);
    if (copy && copy.Encrypted !== true) {
      throw new Error(`${encrypted} exists but is not encrypted: it is not the copy this bot makes; rename it`);
    }
    const source = copy ? undefined : await describeSnapshot(named, plain);
    const progress = (s: DBSnapshot) => `${s.Status}${s.PercentProgress !== undefined ? `, ${s.PercentProgress}%` : ''}`;
    const steps: Step[] = [
      { name: `snapshot ${plain} of ${identifier}`, state: copy || source?.Status === 'available' ? 'done' : 'to do' },
      { name: `encrypted copy ${encrypted} with ${kmsKey}`, state: copy?.Status === 'available' ? 'done' : 'to do' },
      {
        name: restore
          ? `restore ${encrypted} as new instance ${newId}`
          : `restore ${encrypted} as a new instance (restore=true, or by hand)`,
        state: restore ? 'to do' : 'operator',
      },
      {
        name: `cut over: stop writes to ${identifier}, carry over changes since the snapshot, point clients at the new endpoint, then retire ${identifier}`,
        state: 'operator',
      },
    ];
    let waiting: string | undefined;

    if (!copy && !source) {
      if (instance.DBInstanceStatus !== 'available') {
        return skipped(`${identifier} is ${instance.DBInstanceStatus}: RDS snapshots only an available instance; nothing started`);
      }
      await changes.apply(
        {
          action: 'rds:CreateDBSnapshot',
          target: snapshotArn(plain),
          description: `step 1: snapshot ${plain} of ${identifier} (unencrypted, kept)`,
          undo: { kind: 'unencrypted-snapshot', before: null, after: null },
        },
        () => named.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: identifier, DBSnapshotIdentifier: plain, Tags: tags })),
      );
      steps[0]!.state = 'started now';
    } else if (!copy && source) {
      if (source.Status !== 'available') {
        steps[0]!.state = 'in progress';
        waiting = `snapshot ${plain} is ${progress(source)}`;
      } else {
        // The key is resolved and read only now, through a session naming the two snapshots and that key: RDS may use no other.
        const resolved = await resolveRdsKey(ctx, kmsKey, { dbSnapshotId: [plain, encrypted] });
        if ('notYet' in resolved) return skipped(`${resolved.notYet}: ${planText(steps)}`);
        const { key, clients } = resolved;
        const keyWords = key.arn === kmsKey ? key.arn : `${kmsKey} (${key.arn})`;
        await changes.apply(
          {
            action: 'rds:CopyDBSnapshot',
            target: snapshotArn(encrypted),
            description: `step 2: encrypted copy ${encrypted} of ${plain} with KMS key ${keyWords}`,
            undo: { kind: 'encrypted-copy', before: null, after: null },
          },
          () =>
            clients(RDSClient).send(
              new CopyDBSnapshotCommand({
                SourceDBSnapshotIdentifier: plain,
                TargetDBSnapshotIdentifier: encrypted,
                KmsKeyId: key.arn,
                CopyTags: false,
                Tags: tags,
              }),
            ),
        );
        steps[1]!.state = 'started now';
      }
    } else if (copy && copy.Status !== 'available') {
      steps[1]!.state = 'in progress';
      waiting = `encrypted copy ${encrypted} is ${progress(copy)}`;
    } else if (copy && restore) {
      const existing = await instanceOrNone(named, newId);
      if (existing) {
        steps[2]!.state = existing.DBInstanceStatus === 'available' ? 'done' : 'in progress';
        if (!existing.StorageEncrypted)
          throw new Error(`${newId} exists but is not encrypted: it is not the instance this bot restores; rename it`);
      } else {
        // RDS creates a grant on the copy's key as the caller: the restore's session names that key, and no other.
        const copyKey = keyIdOfArn(copy.KmsKeyId, ctx);
        if (copy.KmsKeyId && !copyKey) {
          throw new Error(
            `${encrypted} is encrypted with ${copy.KmsKeyId}, not a key of account ${ctx.account} in ${ctx.region}: not restoring through it`,
          );
        }
        const restoreIds = { dbSnapshotId: [encrypted], dbInstanceId: [newId], ...(copyKey ? { kmsKeyId: [copyKey] } : {}) };
        const restorer = (await ctx.narrowTo(restoreIds))(RDSClient);
        await changes.apply(
          {
            action: 'rds:RestoreDBInstanceFromDBSnapshot',
            target: dbArn(ctx, newId),
            description: `step 3: new encrypted instance ${newId} restored from ${encrypted} (billed like ${identifier}; ${identifier} untouched)`,
            undo: { kind: 'encrypted-instance', before: null, after: null },
          },
          () =>
            restorer.send(
              new RestoreDBInstanceFromDBSnapshotCommand({
                DBInstanceIdentifier: newId,
                DBSnapshotIdentifier: encrypted,
                DBInstanceClass: instance.DBInstanceClass,
                DBSubnetGroupName: instance.DBSubnetGroup?.DBSubnetGroupName,
                VpcSecurityGroupIds: (instance.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
                // Default groups are left for RDS to assign: it picks the default of the snapshot's engine version.
                DBParameterGroupName: notDefault(instance.DBParameterGroups?.[0]?.DBParameterGroupName),
                OptionGroupName: notDefault(instance.OptionGroupMemberships?.[0]?.OptionGroupName),
                MultiAZ: instance.MultiAZ,
                Port: instance.Endpoint?.Port,
                PubliclyAccessible: instance.PubliclyAccessible,
                AutoMinorVersionUpgrade: instance.AutoMinorVersionUpgrade,
                DeletionProtection: instance.DeletionProtection,
                CopyTagsToSnapshot: instance.CopyTagsToSnapshot,
                StorageType: instance.StorageType,
                Tags: [...(instance.TagList ?? []).filter((t) => t.Key !== CREATED_BY), ...tags],
              }),
            ),
        );
        steps[2]!.state = 'started now';
      }
    }
    if (copy?.Status === 'available' || steps[1]!.state === 'started now') steps[0]!.state = 'done';

    const plan = planText(steps);
    const leftOut =
      'check on the new instance what a restore does not carry: backup retention, Enhanced Monitoring, Performance Insights, log exports, IAM roles';
    if (changes.size > 0) {
      return changes.result(`encryption of ${identifier} under way, ${identifier} untouched and nothing deleted: ${plan}`);
    }
    if (waiting) return skipped(`encryption of ${identifier} in progress (${waiting}); run again to continue: ${plan}`);
    if (restore) {
      return skipped(
        `${newId} (encrypted) is ${steps[2]!.state === 'done' ? 'ready' : 'being created'}; left to the operator: ${plan}; ${leftOut}`,
      );
    }
    return skipped(`encrypted snapshot ${encrypted} of ${identifier} is ready; left to the operator (or restore=true): ${plan}`);
  },
});
