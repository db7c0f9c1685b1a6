/** One dashboard per handler region: traffic, failures, the DLQ, and outcomes by bot and status. */
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { HANDLER_METRICS } from '../../config/runtime';
import { type HandlerContext, json } from './context';

type Metric = [string, string, ...string[]];

export function dashboardBody(ctx: Pick<HandlerContext, 'region' | 'names'>): unknown {
  const { region, names } = ctx;
  const fn = (metric: string): Metric => ['AWS/Lambda', metric, 'FunctionName', names.function];
  const widget = (title: string, x: number, y: number, properties: Record<string, unknown>) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, period: 300, view: 'timeSeries', ...properties },
  });
  return {
    widgets: [
      widget('Handler invocations, errors, throttles', 0, 0, {
        stat: 'Sum',
        metrics: [fn('Invocations'), fn('Errors'), fn('Throttles')],
      }),
      widget('Handler duration (p50, p99)', 12, 0, {
        metrics: [
          [...fn('Duration'), { stat: 'p50' }],
          [...fn('Duration'), { stat: 'p99' }],
        ],
      }),
      widget('Remediations by bot and status', 0, 6, {
        stat: 'Sum',
        metrics: [
          [
            {
              expression: `SEARCH('{${HANDLER_METRICS.namespace},bot,service,status} MetricName="${HANDLER_METRICS.remediations}" service="${names.metricsService}"', 'Sum', 300)`,
              id: 'outcomes',
            },
          ],
        ],
      }),
      widget('Dead-letter queue (replay with cloudmend redrive)', 12, 6, {
        stat: 'Maximum',
        metrics: [
          ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', names.dlq],
          ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', names.dlq],
        ],
      }),
    ],
  };
}

export function addDashboard(ctx: HandlerContext): CloudwatchDashboard {
  return new CloudwatchDashboard(ctx.scope, 'dashboard', { dashboardName: ctx.names.dashboard, dashboardBody: json(dashboardBody(ctx)) });
}
