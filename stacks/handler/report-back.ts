/**
 * The handler stack's part for write-back (handler/feedback): the handler
 * role's extra permissions, the chat topic when chat messages have their own,
 * and the environment the handler reads them from. HandlerStack creates one
 * after its role and spreads `environment` into the Lambda's variables.
 */
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { HANDLER_ENV } from '../../config/runtime';
import type { CloudmendConfig } from '../../config/schema';
import { chatTopicArn, chatTopicName, reportBackPolicy } from './report-back-policy';

export interface ReportBackProps {
  config: CloudmendConfig;
  partition: string;
  region: string;
  /** The handler's execution role (its name attribute, so the policy waits for the role). */
  roleName: string;
}

export class ReportBack extends Construct {
  /** Variables for the handler Lambda. */
  readonly environment: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: ReportBackProps) {
    super(scope, id);
    const { config, partition, region } = props;
    const where = { partition, region, securityAccount: config.securityAccount };
    const policy = reportBackPolicy({ ...where, report: config.report });
    if (policy) {
      new IamRolePolicy(this, 'role-policy', { name: 'cloudmend-report-back', role: props.roleName, policy: JSON.stringify(policy) });
    }
    if (config.report.chat.enabled && config.report.chat.topic === 'own') {
      const topic = new SnsTopic(this, 'chat', { name: chatTopicName(region) });
      this.environment[HANDLER_ENV.chatTopicArn] = chatTopicArn(where);
      new TerraformOutput(this, 'chat_topic_arn', {
        value: topic.arn,
        description: 'AWS Chatbot custom notifications, one per finding: subscribe your Chatbot (Amazon Q Developer) channel here',
      });
    }
  }
}
