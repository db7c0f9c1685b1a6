import type { FlowLog } from '@aws-sdk/client-ec2';

export type TrafficType = 'ALL' | 'ACCEPT' | 'REJECT';

/**
 * The active flow logs that together already capture `wanted` traffic, or an
 * empty list when they do not: one ALL log, or one of the asked type, or an
 * ACCEPT and a REJECT log side by side (which together capture ALL).
 */
export function flowLogsCovering(flowLogs: readonly FlowLog[], wanted: TrafficType): FlowLog[] {
  const active = flowLogs.filter((log) => log.FlowLogStatus === 'ACTIVE');
  const ofType = (type: string) => active.find((log) => log.TrafficType === type);
  const all = ofType('ALL');
  if (all) return [all];
  if (wanted !== 'ALL') {
    const exact = ofType(wanted);
    return exact ? [exact] : [];
  }
  const accept = ofType('ACCEPT');
  const reject = ofType('REJECT');
  return accept && reject ? [accept, reject] : [];
}

/** `fl-1 (ALL to cloud-watch-logs /grp)`, for messages. */
export function describeFlowLog(log: FlowLog): string {
  const destination = log.LogDestination ?? log.LogGroupName ?? 'unknown destination';
  const failing = log.DeliverLogsStatus === 'FAILED' ? `, delivery failing: ${log.DeliverLogsErrorMessage ?? 'no reason given'}` : '';
  return `${log.FlowLogId} (${log.TrafficType} to ${log.LogDestinationType ?? 'cloud-watch-logs'} ${destination}${failing})`;
}
