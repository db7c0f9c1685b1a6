import type { FlowLog } from '@aws-sdk/client-ec2';
import { describeFlowLog, flowLogsCovering } from '../../../bots/vpc/flow-log-coverage';

const log = (id: string, TrafficType: string, FlowLogStatus = 'ACTIVE'): FlowLog => ({
  FlowLogId: id,
  TrafficType: TrafficType as FlowLog['TrafficType'],
  FlowLogStatus,
});

describe('flowLogsCovering', () => {
  it('finds nothing when the VPC has no flow logs', () => {
    expect(flowLogsCovering([], 'ALL')).toEqual([]);
  });

  it('accepts an active ALL log for any asked traffic type', () => {
    for (const wanted of ['ALL', 'ACCEPT', 'REJECT'] as const) {
      expect(flowLogsCovering([log('fl-1', 'ALL')], wanted)).toEqual([log('fl-1', 'ALL')]);
    }
  });

  it('accepts a log of exactly the asked type, but not the other one', () => {
    expect(flowLogsCovering([log('fl-1', 'REJECT')], 'REJECT')).toHaveLength(1);
    expect(flowLogsCovering([log('fl-1', 'REJECT')], 'ACCEPT')).toEqual([]);
  });

  it('counts an ACCEPT and a REJECT log together as ALL, but not either alone', () => {
    expect(flowLogsCovering([log('fl-1', 'ACCEPT'), log('fl-2', 'REJECT')], 'ALL').map((l) => l.FlowLogId)).toEqual(['fl-1', 'fl-2']);
    expect(flowLogsCovering([log('fl-1', 'ACCEPT')], 'ALL')).toEqual([]);
  });

  it('ignores flow logs that are not active', () => {
    expect(flowLogsCovering([log('fl-1', 'ALL', 'INACTIVE')], 'ALL')).toEqual([]);
  });
});

describe('describeFlowLog', () => {
  it('names the id, traffic, destination, and a failing delivery', () => {
    expect(describeFlowLog({ FlowLogId: 'fl-1', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::b' })).toBe(
      'fl-1 (ALL to s3 arn:aws:s3:::b)',
    );
    expect(
      describeFlowLog({
        FlowLogId: 'fl-2',
        TrafficType: 'REJECT',
        LogGroupName: 'grp',
        DeliverLogsStatus: 'FAILED',
        DeliverLogsErrorMessage: 'Access error',
      }),
    ).toBe('fl-2 (REJECT to cloud-watch-logs grp, delivery failing: Access error)');
  });
});
