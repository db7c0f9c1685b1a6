/**
 * The no-rule security group rds_quarantine_instance puts a DB instance in: one
 * per VPC, named cloudmend-rds-quarantine, found, created and emptied as the EC2
 * quarantine group is (bots/ec2/quarantine-group.ts), under its own name and tag.
 */
import type { QuarantineGroupSpec } from '../ec2/quarantine-group';

export const RDS_QUARANTINE_BOT = 'rds_quarantine_instance';
export const RDS_QUARANTINE_GROUP_NAME = 'cloudmend-rds-quarantine';

export const RDS_QUARANTINE_GROUP: QuarantineGroupSpec = {
  name: RDS_QUARANTINE_GROUP_NAME,
  bot: RDS_QUARANTINE_BOT,
  description: `cloudmend quarantine for DB instances: no inbound or outbound rules (${RDS_QUARANTINE_BOT})`,
};

/** Creating the quarantine group and emptying it: the group is kept (issue #11), so undo has nothing to restore. */
export const RDS_QUARANTINE_GROUP_UNDO = {
  reversible: false,
  why:
    `the ${RDS_QUARANTINE_GROUP_NAME} group (created once per VPC, every rule revoked) is left for later quarantines in the VPC: ` +
    'it grants nothing; putting back the rules a new group comes with would only open it',
} as const;
