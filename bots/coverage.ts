/**
 * How far the catalog reaches into the two catalogs users migrate from: the
 * Security Hub controls AWS's Automated Security Response solution remediates,
 * and the Dome9 CloudBots bot names existing CloudGuard rules name in `AUTO:`
 * tags. Pure data and one pure function: the catalog prints the result
 * (docs/bots.md) and a test holds every gap to a stated reason.
 */
import { normaliseControlId } from './remediates';
import type { Bot } from './types';

/**
 * The controls of ASR's Security Controls playbook (v3.1.5,
 * source/playbooks/SC/lib/control_runbooks-construct.ts), consolidated ids.
 */
export const ASR_CONTROLS: readonly string[] = [
  'APIGateway.1',
  'APIGateway.5',
  'Athena.4',
  'AutoScaling.1',
  'AutoScaling.3',
  'AutoScaling.5',
  'CloudFormation.1',
  'CloudFront.1',
  'CloudFront.12',
  'CloudTrail.1',
  'CloudTrail.2',
  'CloudTrail.4',
  'CloudTrail.5',
  'CloudTrail.6',
  'CloudTrail.7',
  'CloudWatch.1',
  'CloudWatch.16',
  'CodeBuild.2',
  'CodeBuild.5',
  'Config.1',
  'DynamoDB.1',
  'DynamoDB.5',
  'DynamoDB.6',
  'EC2.1',
  'EC2.2',
  'EC2.4',
  'EC2.6',
  'EC2.7',
  'EC2.8',
  'EC2.10',
  'EC2.13',
  'EC2.15',
  'EC2.18',
  'EC2.19',
  'EC2.23',
  'ECR.1',
  'ECS.5',
  'ELB.1',
  'ElastiCache.1',
  'ElastiCache.2',
  'ElastiCache.3',
  'GuardDuty.1',
  'GuardDuty.2',
  'IAM.3',
  'IAM.7',
  'IAM.8',
  'IAM.18',
  'IAM.22',
  'KMS.4',
  'Lambda.1',
  'Macie.1',
  'RDS.1',
  'RDS.2',
  'RDS.4',
  'RDS.5',
  'RDS.6',
  'RDS.7',
  'RDS.8',
  'RDS.13',
  'RDS.16',
  'Redshift.1',
  'Redshift.3',
  'Redshift.4',
  'Redshift.6',
  'S3.1',
  'S3.2',
  'S3.4',
  'S3.5',
  'S3.6',
  'S3.11',
  'S3.13',
  'SNS.1',
  'SNS.2',
  'SQS.1',
  'SSM.1',
  'SSM.4',
  'SSM.7',
  'SecretsManager.1',
  'SecretsManager.3',
  'SecretsManager.4',
];

/**
 * The Dome9 CloudBots names (and the seed remediations) users' CloudGuard
 * rules name, as listed in the catalog to reach; every one should be a bot.
 */
export const CLOUDBOTS_NAMES: readonly string[] = [
  'acl_delete',
  'acl_revert_modification',
  'ami_set_to_private',
  'cloudtrail_enable',
  'cloudtrail_enable_log_file_validation',
  'cloudtrail_encrypt_log_files_using_existing_key',
  'cloudtrail_encrypt_log_files_using_new_key_creation',
  'cloudtrail_send_to_cloudwatch',
  'cloudwatch_create_metric_filter',
  'config_enable',
  'ebs_enable_encryption_by_default',
  'ec2_attach_instance_role',
  'ec2_attach_sg',
  'ec2_create_snapshot',
  'ec2_delete_key_pair',
  'ec2_detach_instance_role',
  'ec2_quarantine_instance',
  'ec2_release_eips',
  'ec2_stop_instance',
  'ec2_tag_instance_from_vpc',
  'ec2_terminate_instance',
  'ec2_update_instance_role',
  'ecs_delete_repository_image',
  'ecs_reboot',
  'ecs_stop',
  'iam_delete_access_key',
  'iam_delete_default_policy_version',
  'iam_quarantine_role',
  'iam_quarantine_user',
  'iam_revoke_access_key',
  'iam_role_attach_policy',
  'iam_turn_on_password_policy',
  'iam_user_attach_policy',
  'iam_user_deactivate_unused_access_key',
  'iam_user_detach',
  'iam_user_disable_console_password',
  'iam_user_enforce_mfa',
  'iam_user_force_password_change',
  'igw_delete',
  'kms_enable_rotation',
  'lambda_detach_blanket_permissions',
  'lambda_detach_external_layer',
  'lambda_disable',
  'mark_for_stop_ec2_resource',
  'rds_disable_public_access',
  'rds_enable_backup',
  'rds_enable_encryption',
  'rds_quarantine_instance',
  's3_block_all_public_access',
  's3_delete_acls',
  's3_delete_bucket',
  's3_delete_permissions',
  's3_enable_encryption',
  's3_enable_logging',
  's3_enable_versioning',
  's3_only_allow_ssl',
  's3_remove_public_access',
  'sg_delete',
  'sg_delete_not_matching_cidr',
  'sg_modify_scope_by_port',
  'sg_rules_delete',
  'sg_rules_delete_by_scope',
  'sg_single_rule_delete',
  'tag_ec2_resource',
  'vpc_isolate',
  'vpc_turn_on_flow_logs',
];

/** The service of an ASR control id (`EC2.8` -> `ec2`), spelt as in a resource type. */
export function controlService(control: string): string {
  const prefix = control.slice(0, control.indexOf('.')).toLowerCase();
  // CloudWatch.16 is about log groups, which cloudmend's CloudWatch Logs types carry.
  return prefix === 'cloudwatch' ? 'cloudwatch' : prefix;
}

/** The services a bot acts on, from its resource types (`AWS::EC2::Instance` -> `ec2`; `AWS::Logs::*` counts as CloudWatch). */
function servicesOf(bot: Pick<Bot, 'meta'>): string[] {
  return bot.meta.resourceTypes.flatMap((type) => {
    const service = type.split('::')[1]?.toLowerCase();
    if (!service) return [];
    return service === 'logs' ? ['cloudwatch'] : [service];
  });
}

export interface Coverage {
  /** ASR controls in services the catalog acts on, with the bots remediating each (empty: none). */
  controls: Array<{ control: string; bots: string[] }>;
  /** ASR controls in services no bot acts on. */
  otherServices: string[];
  /** CloudBots names the registry accepts, and those it does not. */
  cloudBots: { accepted: string[]; missing: string[] };
}

export function coverage(bots: readonly Pick<Bot, 'meta'>[]): Coverage {
  const touched = new Set(bots.flatMap(servicesOf));
  const remediating = new Map<string, string[]>();
  for (const bot of bots) {
    for (const id of bot.meta.remediates?.securityHub ?? []) {
      const key = normaliseControlId(id);
      remediating.set(key, [...(remediating.get(key) ?? []), bot.meta.name]);
    }
  }
  for (const control of ASR_CONTROLS) if (remediating.has(normaliseControlId(control))) touched.add(controlService(control));
  const inTouched = ASR_CONTROLS.filter((control) => touched.has(controlService(control)));
  const names = new Set(bots.map((bot) => bot.meta.name));
  return {
    controls: inTouched.map((control) => ({ control, bots: remediating.get(normaliseControlId(control)) ?? [] })),
    otherServices: ASR_CONTROLS.filter((control) => !touched.has(controlService(control))),
    cloudBots: {
      accepted: CLOUDBOTS_NAMES.filter((name) => names.has(name)),
      missing: CLOUDBOTS_NAMES.filter((name) => !names.has(name)),
    },
  };
}
