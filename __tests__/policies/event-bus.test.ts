/**
 * The security account's default bus accepts forwarded events from accounts of
 * the organization and nobody else, proven by simulating its policy.
 */
import { eventBusPolicyFor } from '../../stacks/forwarding-template';
import { ORGANIZATION_ID, OUTSIDE_ACCOUNT, PARTITION, principalContext, SECURITY_ACCOUNT } from './fixtures';
import { type Decision, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
afterAll(() => tally.write(expect.getState().testPath ?? 'event-bus.test.ts'));

const REGION = 'eu-west-1';
const bus = `arn:${PARTITION}:events:${REGION}:${SECURITY_ACCOUNT}:event-bus/default`;
const policy = eventBusPolicyFor({
  partition: PARTITION,
  region: REGION,
  securityAccount: SECURITY_ACCOUNT,
  organizationId: ORGANIZATION_ID,
});
const PUT_ANYWHERE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] };

async function put(account: string, orgId: string, resource = bus): Promise<Decision> {
  const roleArn = `arn:${PARTITION}:iam::${account}:role/forwarder`;
  const outcome = await simulate({
    request: {
      principal: `arn:${PARTITION}:sts::${account}:assumed-role/forwarder/events`,
      action: 'events:PutEvents',
      resource,
      resourceAccount: SECURITY_ACCOUNT,
      context: { ...principalContext(roleArn, 'events', REGION), 'aws:PrincipalOrgID': orgId },
    },
    identityPolicies: [PUT_ANYWHERE],
    resourcePolicy: policy,
  });
  tally.count('events:PutEvents (security bus policy)', outcome.decision);
  return outcome.decision;
}

describe('security bus policy', () => {
  it('accepts events from an account of the organization', async () => {
    expect(await put('222222222222', ORGANIZATION_ID)).toBe('Allowed');
  });

  it('refuses an account of another organization, and one in no organization', async () => {
    expect(await put(OUTSIDE_ACCOUNT, 'o-otherorg123')).not.toBe('Allowed');
    expect(await put(OUTSIDE_ACCOUNT, '')).not.toBe('Allowed');
  });

  it('opens the default bus only, not another bus of the security account', async () => {
    expect(await put('222222222222', ORGANIZATION_ID, `arn:${PARTITION}:events:${REGION}:${SECURITY_ACCOUNT}:event-bus/payments`)).not.toBe(
      'Allowed',
    );
  });
});
