import { z } from 'zod';
import { defineInstanceFlagBot } from './instance-flag';

export default defineInstanceFlagBot({
  name: 'rds_disable_public_access',
  summary: 'Make the DB instance not publicly accessible (PubliclyAccessible = false)',
  description:
    'Sets PubliclyAccessible to false on the DB instance: its endpoint then resolves to its private address only, so clients ' +
    'outside its VPC (and its peered or connected networks) can no longer reach it. RDS applies this at once whatever ' +
    'ApplyImmediately says; the bot sends ApplyImmediately=false so that modifications already pending for the maintenance ' +
    'window stay pending. Security groups, subnets, the endpoint name and the data are left as they are. Undo sets it back to true.',
  remediates: { securityHub: ['RDS.2', 'PCI.RDS.2'], config: ['rds-instance-public-access-check'] },
  params: z.strictObject({}),
  flag: 'PubliclyAccessible',
  wanted: false,
  what: 'public accessibility',
  undoKind: 'public-access',
  applyImmediately: () => false,
  undoApplyImmediately: false,
});
