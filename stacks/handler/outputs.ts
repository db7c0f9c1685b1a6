/** What an operator wires to: where to publish findings, where failures wait, where results go. */
import { TerraformOutput } from 'cdktf';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { HandlerContext } from './context';

export function addOutputs(
  ctx: HandlerContext,
  parts: { findings: SnsTopic; dlq: SqsQueue; results: SnsTopic; alarmsTopicArn: string },
): void {
  new TerraformOutput(ctx.scope, 'findings_topic_arn', {
    value: parts.findings.arn,
    description: 'Publish findings here (CloudGuard notification target)',
  });
  new TerraformOutput(ctx.scope, 'dlq_url', { value: parts.dlq.url, description: 'Events that failed after retries' });
  new TerraformOutput(ctx.scope, 'results_topic_arn', { value: parts.results.arn, description: 'Every remediation result' });
  new TerraformOutput(ctx.scope, 'alarms_topic_arn', {
    value: parts.alarmsTopicArn,
    description: 'What the alarms notify: subscribe the on-call here',
  });
}
