/**
 * AssumeRole refuses a session policy over 2,048 characters. A narrowed session
 * names the ids a bot read, so it grows with the instance: each bot names them
 * a batch at a time, and the largest batch must fit.
 */
import { getBot } from '../../bots';
import { VOLUMES_PER_SESSION } from '../../bots/ec2/ec2_create_snapshot';
import { INTERFACES_PER_SESSION } from '../../bots/ec2/ec2_quarantine_instance';
import { ADDRESSES_PER_SESSION } from '../../bots/ec2/ec2_release_eips';
import { sessionPolicyFor } from '../../bots/permissions';
import { MAX_SESSION_POLICY_CHARS } from '../../handler/credentials';

const scope = { partition: 'aws-us-gov', account: '222222222222', region: 'us-gov-west-1', resourceId: 'i-0123456789abcdef0' };
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-0${String(i).padStart(16, '0')}`);

describe('narrowed session policies stay within AssumeRole’s limit', () => {
  it.each([
    // Interfaces come INTERFACES_PER_SESSION at a time; each VPC of the instance has its own quarantine group.
    ['ec2_quarantine_instance', { vpcId: ids('vpc', 4) }],
    ['ec2_quarantine_instance', { securityGroupId: ids('sg', 3), networkInterfaceId: ids('eni', INTERFACES_PER_SESSION) }],
    ['ec2_create_snapshot', { volumeId: ids('vol', VOLUMES_PER_SESSION) }],
    ['ec2_release_eips', { allocationId: ids('eipalloc', ADDRESSES_PER_SESSION), networkInterfaceId: ids('eni', ADDRESSES_PER_SESSION) }],
  ])('%s with %j', (name, derived) => {
    const length = JSON.stringify(sessionPolicyFor(getBot(name)!.meta, { ...scope, derived })).length;
    expect(length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });
});
