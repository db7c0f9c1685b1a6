/**
 * The AWS SDK client packages, each loaded on first use and then kept: a bot
 * writes `const { S3Client, ... } = await sdk.s3()` where it would write
 * `await import('@aws-sdk/client-s3')`.
 *
 * Loading on first use keeps a cold start that runs no EC2 bot from paying for
 * the EC2 client. Keeping the module matters on every warm run: in Node 22 an
 * `import()` of a module already loaded still resolves the specifier and
 * awaits the module's job, about 11 µs in a hot loop and 45–60 µs between two
 * requests of the per-event benchmark (`npm run bench -- e2e`), more than the
 * rest of a bot's own work. A held promise costs nothing.
 *
 * __tests__/architecture.test.ts keeps bots from importing an SDK client any
 * other way.
 */
import { lazy } from './lazy';

export const sdk = {
  autoScaling: lazy(() => import('@aws-sdk/client-auto-scaling')),
  cloudFormation: lazy(() => import('@aws-sdk/client-cloudformation')),
  cloudFront: lazy(() => import('@aws-sdk/client-cloudfront')),
  cloudTrail: lazy(() => import('@aws-sdk/client-cloudtrail')),
  cloudWatch: lazy(() => import('@aws-sdk/client-cloudwatch')),
  cloudWatchLogs: lazy(() => import('@aws-sdk/client-cloudwatch-logs')),
  codeBuild: lazy(() => import('@aws-sdk/client-codebuild')),
  configService: lazy(() => import('@aws-sdk/client-config-service')),
  dynamoDb: lazy(() => import('@aws-sdk/client-dynamodb')),
  ec2: lazy(() => import('@aws-sdk/client-ec2')),
  ecr: lazy(() => import('@aws-sdk/client-ecr')),
  ecs: lazy(() => import('@aws-sdk/client-ecs')),
  guardDuty: lazy(() => import('@aws-sdk/client-guardduty')),
  iam: lazy(() => import('@aws-sdk/client-iam')),
  kms: lazy(() => import('@aws-sdk/client-kms')),
  lambda: lazy(() => import('@aws-sdk/client-lambda')),
  rds: lazy(() => import('@aws-sdk/client-rds')),
  redshift: lazy(() => import('@aws-sdk/client-redshift')),
  resourceGroupsTagging: lazy(() => import('@aws-sdk/client-resource-groups-tagging-api')),
  s3: lazy(() => import('@aws-sdk/client-s3')),
  securityHub: lazy(() => import('@aws-sdk/client-securityhub')),
  s3Control: lazy(() => import('@aws-sdk/client-s3-control')),
  sns: lazy(() => import('@aws-sdk/client-sns')),
  sqs: lazy(() => import('@aws-sdk/client-sqs')),
  sts: lazy(() => import('@aws-sdk/client-sts')),
};
