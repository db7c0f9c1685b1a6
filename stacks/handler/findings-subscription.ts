/** The handler hears the findings topic; what SNS cannot deliver goes to the DLQ. */
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { type HandlerContext, json } from './context';

export function subscribeToFindings(ctx: HandlerContext, fn: LambdaFunction, findings: SnsTopic): void {
  new LambdaPermission(ctx.scope, 'from-findings-topic', {
    statementId: 'FindingsTopic',
    action: 'lambda:InvokeFunction',
    functionName: fn.functionName,
    principal: 'sns.amazonaws.com',
    sourceArn: findings.arn,
  });
  new SnsTopicSubscription(ctx.scope, 'findings-to-handler', {
    topicArn: findings.arn,
    protocol: 'lambda',
    endpoint: fn.arn,
    redrivePolicy: json({ deadLetterTargetArn: ctx.arn('sqs', ctx.names.dlq) }),
  });
}
