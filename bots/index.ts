/**
 * The bot registry: every bot cloudmend ships, by CloudBots name. Importing it
 * loads metadata only; each bot loads its AWS SDK client when it first runs.
 */
import type { Bot } from './types';
import { CLOUDTRAIL_BOTS } from './cloudtrail';
import { CLOUDWATCH_BOTS } from './cloudwatch';
import { CONFIG_BOTS } from './config';
import { EC2_BOTS } from './ec2';
import { ECR_BOTS } from './ecr';
import { ECS_BOTS } from './ecs';
import { IAM_BOTS } from './iam';
import { KMS_BOTS } from './kms';
import { LAMBDA_BOTS } from './lambda';
import { RDS_BOTS } from './rds';
import { S3_BOTS } from './s3';
import { VPC_BOTS } from './vpc';

export const BOTS: readonly Bot[] = [
  ...S3_BOTS,
  ...EC2_BOTS,
  ...VPC_BOTS,
  ...IAM_BOTS,
  ...RDS_BOTS,
  ...KMS_BOTS,
  ...CLOUDTRAIL_BOTS,
  ...CLOUDWATCH_BOTS,
  ...CONFIG_BOTS,
  ...ECR_BOTS,
  ...LAMBDA_BOTS,
  ...ECS_BOTS,
];

const byName = new Map(BOTS.map((bot) => [bot.meta.name, bot]));

export function getBot(name: string): Bot | undefined {
  return byName.get(name);
}

export function botNames(): string[] {
  return [...byName.keys()].sort();
}
