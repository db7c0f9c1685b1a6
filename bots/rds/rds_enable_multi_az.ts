import { z } from 'zod';
import { defineInstanceFlagBot } from './instance-flag';
import { flagParam } from '../args';

/**
 * Multi-AZ doubles what the instance costs (a standby of the same class and
 * storage), so the bot is in no default mapping: it runs only where the
 * operator maps a finding to it (`mappings.securityHub: { RDS.5: [rds_enable_multi_az] }`)
 * or a rule names it. It is not `destructive` (it deletes nothing, and
 * `bots.optIn` is for deletes and stops); an explicit mapping is the opt-in.
 */
export default defineInstanceFlagBot({
  name: 'rds_enable_multi_az',
  summary: 'COSTS MONEY: make the DB instance Multi-AZ (a standby in a second Availability Zone); opt-in by mapping only',
  description:
    'Sets MultiAZ to true on the DB instance: RDS creates a synchronous standby of the same class and storage in another ' +
    'Availability Zone, which roughly DOUBLES the instance and storage cost. Therefore the bot is in no default mapping: it runs ' +
    'only on findings the config maps to it (Security Hub RDS.5, Config rds-multi-az-support: ' +
    '`mappings.securityHub: { RDS.5: [rds_enable_multi_az] }`) or that name it in an `AUTO:` rule. The conversion causes no outage ' +
    'but takes a snapshot and adds I/O latency while the standby is built. By default it is applied in the next maintenance ' +
    'window; `apply_immediately=true` starts it now, and then also applies any other modification pending for the window. ' +
    "Instances of a DB cluster (Aurora, Multi-AZ DB clusters) are skipped: their availability is the cluster's. " +
    'Undo turns Multi-AZ off again (the standby is removed).',
  remediates: {},
  params: z.strictObject({
    apply_immediately: flagParam
      .default(false)
      .describe(
        'Start the conversion now (true; any other modification pending for the maintenance window is applied with it) or in the next maintenance window (false, default).',
      ),
  }),
  overridable: ['apply_immediately'],
  flag: 'MultiAZ',
  wanted: true,
  what: 'Multi-AZ',
  undoKind: 'multi-az',
  applyImmediately: (params) => params.apply_immediately,
  undoApplyImmediately: false,
  clusterMemberSkip: "the availability of a cluster's instances is set on the cluster",
  note: (params) =>
    `costs money: a standby instance of the same class and storage; applied ${params.apply_immediately ? 'now' : 'in the next maintenance window'}`,
});
