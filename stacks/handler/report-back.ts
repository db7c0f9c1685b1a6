/**
 * The handler stack's part for write-back (handler/feedback): the handler
 * role's extra permissions, the chat topic when chat messages have their own,
 * and the variable the handler finds it by. Like the other handler-stack
 * modules, it adds its resources to the stack itself, so their Terraform
 * addresses do not depend on which module creates them.
 */
import { TerraformOutput } from 'cdktf';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { HANDLER_ENV } from '../../config/runtime';
import { type HandlerContext, json } from './context';
import type { ExecutionRole } from './execution-role';
import { chatTopicArn, chatTopicName, reportBackPolicy } from './report-back-policy';

export function addReportBack(ctx: HandlerContext, parts: { executionRole: ExecutionRole; fn: LambdaFunction }): void {
  const { config, partition, region, account } = ctx;
  const where = { partition, region, securityAccount: account };
  const policy = reportBackPolicy({ ...where, report: config.report });
  if (policy) {
    new IamRolePolicy(ctx.scope, 'report-back-policy', {
      name: 'cloudmend-report-back',
      role: parts.executionRole.role.name,
      policy: json(policy),
    });
  }
  if (config.report.chat.enabled && config.report.chat.topic === 'own') {
    const topic = new SnsTopic(ctx.scope, 'chat', { name: chatTopicName(region) });
    // An override rather than an edit of the function module: the variable exists only when chat has its own topic.
    parts.fn.addOverride(`environment.variables.${HANDLER_ENV.chatTopicArn}`, chatTopicArn(where));
    new TerraformOutput(ctx.scope, 'chat_topic_arn', {
      value: topic.arn,
      description: 'AWS Chatbot custom notifications, one per finding: subscribe your Chatbot (Amazon Q Developer) channel here',
    });
  }
}
