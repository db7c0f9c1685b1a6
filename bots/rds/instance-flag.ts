/**
 * The RDS bots that set one boolean of a DB instance (public access off,
 * deletion protection on, automatic minor version upgrade on, Multi-AZ on):
 * read the instance, change the flag when it is not already as wanted (or
 * pending so), record the undo, and report.
 */
import type { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type Bot, type BotMeta, type RemediatesMeta } from '../types';
import {
  DB_ARN_TEMPLATE,
  type FlagName,
  dbArn,
  dbInstanceIdentifier,
  describeDbInstance,
  flagOf,
  flagUndoer,
  modifyUndoPermissions,
  unmodifiable,
} from './db';
import { sdk } from '../sdk';

export interface InstanceFlagBot<P extends z.ZodTypeAny> {
  name: string;
  summary: string;
  description: string;
  remediates: RemediatesMeta;
  params: P;
  overridable?: readonly string[];
  flag: FlagName;
  /** The value the bot sets. */
  wanted: boolean;
  /** Words for the setting, in change descriptions, messages and undo (`public accessibility`). */
  what: string;
  /** The `Change.undo.kind` of the change. */
  undoKind: string;
  /** ApplyImmediately for the bot's write (false where RDS applies the flag at once anyway). */
  applyImmediately: (params: z.output<P>) => boolean;
  /** What undo sends as ApplyImmediately. */
  undoApplyImmediately: boolean;
  /** Why a member of a DB cluster is skipped (the setting belongs to the cluster), or undefined to act on it too. */
  clusterMemberSkip?: string;
  /** Extra words for the change description (an outage, a cost). */
  note?: (params: z.output<P>) => string;
}

export function defineInstanceFlagBot<P extends z.ZodTypeAny>(spec: InstanceFlagBot<P>): Bot<P> {
  const meta: BotMeta<P> = {
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    resourceTypes: ['AWS::RDS::DBInstance'],
    remediates: spec.remediates,
    params: spec.params,
    ...(spec.overridable ? { overridable: spec.overridable } : {}),
    permissions: [
      {
        actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
        resources: [DB_ARN_TEMPLATE],
        reason: `read the ${spec.what} of the DB instance and set it`,
      },
    ],
    undo: {
      [spec.undoKind]: {
        reversible: true,
        how: `sets the ${spec.what} of the DB instance back to ${!spec.wanted}`,
        permissions: modifyUndoPermissions(spec.what),
      },
    },
  };
  return defineBot({
    meta,
    undoers: { [spec.undoKind]: flagUndoer(spec.flag, spec.undoApplyImmediately) },
    async run(ctx) {
      const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
      const rds = ctx.client(RDSClient);
      const identifier = dbInstanceIdentifier(spec.name, ctx.finding.resource.id, ctx);
      const instance = await describeDbInstance(rds, identifier);
      const current = flagOf(instance, spec.flag);
      const changes = new ChangeSet(ctx);
      const compliant = `${spec.what} of ${identifier} is already ${spec.wanted}${instance[spec.flag] === spec.wanted ? '' : ' (pending)'}`;
      if (current === spec.wanted) return changes.result('', compliant);
      if (instance.DBClusterIdentifier && spec.clusterMemberSkip) {
        return skipped(`${identifier} belongs to DB cluster ${instance.DBClusterIdentifier}: ${spec.clusterMemberSkip}`);
      }
      const status = unmodifiable(instance);
      if (status) return skipped(`${identifier} is ${status}: RDS modifies only an available instance; ${spec.what} left ${current}`);

      const applyImmediately = spec.applyImmediately(ctx.params);
      const note = spec.note?.(ctx.params) ?? '';
      await changes.apply(
        {
          action: 'rds:ModifyDBInstance',
          target: instance.DBInstanceArn ?? dbArn(ctx, identifier),
          description: `${spec.what} ${current} -> ${spec.wanted}${note ? ` (${note})` : ''}`,
          undo: { kind: spec.undoKind, before: { [spec.flag]: current }, after: { [spec.flag]: spec.wanted } },
        },
        () =>
          rds.send(
            new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, [spec.flag]: spec.wanted, ApplyImmediately: applyImmediately }),
          ),
      );
      return changes.result(`set ${spec.what} of ${identifier} to ${spec.wanted} (was ${current})`, compliant);
    },
  });
}
