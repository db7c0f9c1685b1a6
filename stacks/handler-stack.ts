/**
 * One HandlerStack per enabled region, in the security account: the Lambda,
 * where findings come in (SNS topic, EventBridge rules), where failures go
 * (DLQ) and where results go (output topic).
 *
 * Each part is a construct module under stacks/handler/ with one job; the
 * constructor only wires them, so a new part is one line here.
 *
 * Provider resources are imported by deep path only: the package index loads
 * 2,212 modules (3 s, 570 MB).
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { prefixed } from '../config/operations-schema';
import type { CloudmendConfig } from '../config/schema';
import { applyBackend } from './backend';
import { handlerContext, type HandlerStackProps } from './handler/context';
import { addAlarms, addAlarmTopic } from './handler/alarms';
import { addDashboard } from './handler/dashboard';
import { addEncryptionKey } from './handler/encryption';
import { addDeadLetterQueue, allowDeadLetterSenders } from './handler/dead-letter-queue';
import { addSourceRules } from './handler/event-rules';
import { addExecutionRole } from './handler/execution-role';
import { subscribeToFindings } from './handler/findings-subscription';
import { addHandlerFunction } from './handler/handler-function';
import { addLogGroup } from './handler/log-group';
import { addOutputs } from './handler/outputs';
import { addProvider } from './handler/provider';
import { addReportBack } from './handler/report-back';
import { addFindingsTopic, addResultsTopic } from './handler/topics';
import { StateTable } from './state-table';

export type { HandlerCode, HandlerStackProps } from './handler/context';
export { SECURITY_HUB_ACTION_ID } from './handler/security-hub-action';

/** The stack, and so its state key: naming.prefix keeps two deployments apart in one state bucket. */
export function handlerStackName(region: string, prefix = ''): string {
  return prefixed(prefix, `cloudmend-handler-${region}`);
}

/** What a handler stack creates, for the synth summary. */
export function handlerStackContents(config: CloudmendConfig): string[] {
  const items = ['lambda', 'log group', 'findings topic', 'DLQ', 'results topic', '4 alarms', 'dashboard'];
  if (config.encryption.kmsKey === 'create') items.push('KMS key');
  if (Object.keys(config.mappings.guardduty).length > 0) items.push('GuardDuty rule');
  if (Object.keys(config.mappings.securityHub).length > 0) items.push('Security Hub rules + action');
  if (Object.keys(config.mappings.config).length > 0) items.push('Config rule');
  if (config.notifications.subscribers.length > 0) items.push(`${config.notifications.subscribers.length} subscriber(s)`);
  return items;
}

export class HandlerStack extends TerraformStack {
  readonly functionName: string;

  constructor(scope: Construct, props: HandlerStackProps) {
    super(scope, handlerStackName(props.region, props.config.naming.prefix));
    const ctx = handlerContext(this, props);
    this.functionName = ctx.names.function;
    applyBackend(this, props.backend, handlerStackName(props.region, props.config.naming.prefix));
    addProvider(ctx);

    const executionRole = addExecutionRole(ctx);
    new StateTable(this, {
      partition: ctx.partition,
      region: ctx.region,
      account: ctx.account,
      roleName: executionRole.role.name,
      prefix: ctx.config.naming.prefix,
    });
    const key = addEncryptionKey(ctx, executionRole);
    const logGroup = addLogGroup(ctx, key);
    const dlq = addDeadLetterQueue(ctx, key);
    const findings = addFindingsTopic(ctx, key);
    allowDeadLetterSenders(ctx, dlq);
    const results = addResultsTopic(ctx, key);
    const fn = addHandlerFunction(ctx, { executionRole, logGroup, dlq });
    addReportBack(ctx, { executionRole, fn });
    subscribeToFindings(ctx, fn, findings);
    addSourceRules(ctx, { fn, dlq });
    const alarms = addAlarmTopic(ctx, key);
    addAlarms(ctx, alarms.topicArn);
    addDashboard(ctx);
    addOutputs(ctx, { findings, dlq, results, alarmsTopicArn: alarms.topicArn });
  }
}
