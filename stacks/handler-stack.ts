/**
 * One HandlerStack per enabled region, in the security account: the Lambda,
 * where findings come in (SNS topic, EventBridge rules), where failures go
 * (DLQ) and where results go (output topic).
 *
 * Provider resources are imported by deep path only: the package index loads
 * 2,212 modules (3 s, 570 MB).
 */
import { AssetType, TerraformAsset, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecurityhubActionTarget } from '@cdktf/provider-aws/lib/securityhub-action-target';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { partitionOf } from '../config/regions';
import { HANDLER_ENV } from '../config/runtime';
import type { CloudmendConfig } from '../config/schema';
import type { BackendSettings } from './backend';
import { applyBackend } from './backend';
import { ReportBack } from './handler/report-back';
import { handlerNames, handlerRolePolicy } from './member-role-policy';

export interface HandlerCode {
  /** The zip built once by bundleHandler. */
  zipFile: string;
  zipSha256: string;
}

export interface HandlerStackProps {
  config: CloudmendConfig;
  region: string;
  /** In-scope accounts (ids) the handler may assume the member role in. */
  accounts: readonly string[];
  organizationId?: string;
  code: HandlerCode;
  configDigest: string;
  backend: BackendSettings;
}

export const SECURITY_HUB_ACTION_ID = 'CloudmendRemediate';

export function handlerStackName(region: string): string {
  return `cloudmend-handler-${region}`;
}

/** What a handler stack creates, for the synth summary. */
export function handlerStackContents(config: CloudmendConfig): string[] {
  const items = ['lambda', 'log group', 'findings topic', 'DLQ', 'results topic'];
  if (Object.keys(config.mappings.guardduty).length > 0) items.push('GuardDuty rule');
  if (Object.keys(config.mappings.securityHub).length > 0) items.push('Security Hub rules + action');
  if (Object.keys(config.mappings.config).length > 0) items.push('Config rule');
  if (config.notifications.subscribers.length > 0) items.push(`${config.notifications.subscribers.length} subscriber(s)`);
  return items;
}

const json = (value: unknown) => JSON.stringify(value);

export class HandlerStack extends TerraformStack {
  readonly functionName: string;

  constructor(scope: Construct, props: HandlerStackProps) {
    const { config, region } = props;
    super(scope, handlerStackName(region));
    const partition = partitionOf(region);
    const account = config.securityAccount;
    const names = handlerNames(region);
    const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${account}:${resource}`;
    this.functionName = names.function;
    applyBackend(this, props.backend, handlerStackName(region));

    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: [account],
      defaultTags: [{ tags: { 'cloudmend:component': 'handler', 'cloudmend:managed-by': 'cloudmend' } }],
    });

    const role = new IamRole(this, 'role', {
      name: names.role,
      description: 'cloudmend handler: may only assume the member remediation roles and write its own logs, DLQ and results topic',
      assumeRolePolicy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
        ],
      }),
    });
    const rolePolicy = new IamRolePolicy(this, 'role-policy', {
      name: 'cloudmend-handler',
      role: role.name,
      policy: json(
        handlerRolePolicy({
          partition,
          securityAccount: account,
          region,
          memberRoleName: config.roles.memberRoleName,
          accounts: props.accounts,
          ...(props.organizationId ? { organizationId: props.organizationId } : {}),
        }),
      ),
    });

    const reportBack = new ReportBack(this, 'report-back', { config, partition, region, roleName: role.name });

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: names.logGroup,
      retentionInDays: config.handler.logRetentionDays,
    });

    const dlq = new SqsQueue(this, 'dlq', {
      name: names.dlq,
      messageRetentionSeconds: config.handler.dlqRetentionDays * 86400,
      sqsManagedSseEnabled: true,
    });

    const inputTopic = new SnsTopic(this, 'findings', { name: names.inputTopic });
    const publishers = [...new Set([account, ...config.notifications.publisherAccounts])].sort();
    new SnsTopicPolicy(this, 'findings-policy', {
      arn: inputTopic.arn,
      policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowedPublishers',
            Effect: 'Allow',
            Principal: { AWS: publishers.map((id) => `arn:${partition}:iam::${id}:root`) },
            Action: 'sns:Publish',
            Resource: arn('sns', names.inputTopic),
          },
        ],
      }),
    });
    // SNS keeps what it cannot deliver to the Lambda in the DLQ instead of dropping it.
    new SqsQueuePolicy(this, 'dlq-policy', {
      queueUrl: dlq.url,
      policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'FindingsTopicRedrive',
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: arn('sqs', names.dlq),
            Condition: { ArnEquals: { 'aws:SourceArn': arn('sns', names.inputTopic) } },
          },
        ],
      }),
    });

    const outputTopic = new SnsTopic(this, 'results', { name: names.outputTopic });
    config.notifications.subscribers.forEach((subscriber, i) => {
      new SnsTopicSubscription(this, `results-subscriber-${i}`, {
        topicArn: outputTopic.arn,
        protocol: subscriber.protocol,
        endpoint: subscriber.endpoint,
      });
    });

    const asset = new TerraformAsset(this, 'code', {
      path: props.code.zipFile,
      type: AssetType.FILE,
      assetHash: props.code.zipSha256,
    });
    const fn = new LambdaFunction(this, 'handler', {
      functionName: names.function,
      description: `cloudmend: remediates findings in ${region} (${config.mode})`,
      role: role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: Buffer.from(props.code.zipSha256, 'hex').toString('base64'),
      memorySize: config.handler.memorySize,
      timeout: config.handler.timeoutSeconds,
      reservedConcurrentExecutions: config.handler.reservedConcurrency,
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      environment: {
        variables: {
          [HANDLER_ENV.configDigest]: props.configDigest,
          [HANDLER_ENV.mode]: config.mode,
          [HANDLER_ENV.memberRoleName]: config.roles.memberRoleName,
          [HANDLER_ENV.externalId]: config.roles.externalId,
          [HANDLER_ENV.outputTopicArn]: arn('sns', names.outputTopic),
          ...reportBack.environment,
        },
      },
      dependsOn: [rolePolicy, logGroup],
    });
    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: fn.functionName,
      maximumRetryAttempts: config.handler.maxRetries,
      destinationConfig: { onFailure: { destination: dlq.arn } },
    });

    new LambdaPermission(this, 'from-findings-topic', {
      statementId: 'FindingsTopic',
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: inputTopic.arn,
    });
    new SnsTopicSubscription(this, 'findings-to-handler', {
      topicArn: inputTopic.arn,
      protocol: 'lambda',
      endpoint: fn.arn,
      redrivePolicy: json({ deadLetterTargetArn: arn('sqs', names.dlq) }),
    });

    const rule = (id: string, description: string, pattern: unknown) => {
      const r = new CloudwatchEventRule(this, `rule-${id}`, {
        name: `cloudmend-${id}`,
        description,
        eventPattern: json(pattern),
      });
      new CloudwatchEventTarget(this, `rule-${id}-target`, { rule: r.name, arn: fn.arn, targetId: 'cloudmend-handler' });
      new LambdaPermission(this, `from-rule-${id}`, {
        statementId: `EventBridge-${id}`,
        action: 'lambda:InvokeFunction',
        functionName: fn.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: r.arn,
      });
    };
    const sorted = (record: Record<string, unknown>) => Object.keys(record).sort();
    const guardduty = sorted(config.mappings.guardduty);
    if (guardduty.length > 0) {
      rule('guardduty', 'GuardDuty findings of the mapped types', {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { type: guardduty },
      });
    }
    const controls = sorted(config.mappings.securityHub);
    if (controls.length > 0) {
      rule('securityhub-imported', 'Failed Security Hub findings of the mapped controls', {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        detail: { findings: { Compliance: { SecurityControlId: controls, Status: ['FAILED'] } } },
      });
      const action = new SecurityhubActionTarget(this, 'securityhub-action', {
        name: 'Cloudmend remediate', // at most 20 characters
        identifier: SECURITY_HUB_ACTION_ID,
        description: 'Send the selected findings to cloudmend for remediation',
      });
      rule('securityhub-action', 'Findings sent with the Security Hub custom action', {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Custom Action'],
        resources: [action.arn],
      });
    }
    const configRules = sorted(config.mappings.config);
    if (configRules.length > 0) {
      rule('config', 'AWS Config rules of the mapped names turning non-compliant', {
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: { configRuleName: configRules, newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
      });
    }

    new TerraformOutput(this, 'findings_topic_arn', {
      value: inputTopic.arn,
      description: 'Publish findings here (CloudGuard notification target)',
    });
    new TerraformOutput(this, 'dlq_url', { value: dlq.url, description: 'Events that failed after retries' });
    new TerraformOutput(this, 'results_topic_arn', { value: outputTopic.arn, description: 'Every remediation result' });
  }
}
