/**
 * Results of CloudGuard findings carry CloudGuard's own ids, as its
 * notification names them, so a team can find the finding, the rule and the
 * ruleset in CloudGuard's findings, exclusion and remediation screens.
 */
import { cloudGuardIdsOf } from '../../../handler/feedback/cloudguard';
import { fixture } from '../../fixtures/load';
import { run, scriptedBot } from './support';

/** The CloudBots-style fixture with the ids a current CloudGuard notification carries. */
function notification() {
  const n = fixture('cloudguard-s3-bucket.json');
  n.account.id = '222222222222';
  n.account.dome9CloudAccountId = 'c0ffee00-1234-4abc-9def-000000000001';
  n.region = 'us-east-1';
  n.rule.ruleId = 'D9.AWS.NET.06';
  n.rule.logicHash = 'k3LtHXoBtOcY0lZFbSJgxw';
  n.rule.complianceTags = 'AUTO: block_public';
  n.bundle.id = 123456;
  n.findingKey = 'qqhYr/Ll0tbRZhGPrFQ6dQ';
  n.entity.tags = [{ key: 'team', value: 'data' }];
  return n;
}

describe('CloudGuard ids on results', () => {
  it('a bot run on a CloudGuard finding reports the rule id, logic hash, ruleset id, finding key, entity and cloud account ids', async () => {
    const outcome = await run(notification(), {
      bots: [scriptedBot('block_public', { status: 'remediated', message: 'ok', changes: [] })],
    });
    expect(outcome.results).toHaveLength(1);
    expect(outcome.results[0]!.cloudGuard).toEqual({
      ruleId: 'D9.AWS.NET.06',
      ruleName: 'S3 bucket should not be publicly accessible',
      ruleLogicHash: 'k3LtHXoBtOcY0lZFbSJgxw',
      findingKey: 'qqhYr/Ll0tbRZhGPrFQ6dQ',
      bundleId: '123456',
      bundleName: 'Remediations2',
      entityId: '1|4abce12b-cdbe-4cf8-a64a-c240e5a38f06|rg|s3Bucket|dome9clickthroughs-62362',
      cloudAccountId: 'c0ffee00-1234-4abc-9def-000000000001',
    });
    expect(outcome.results[0]!.findingId).toBe('qqhYr/Ll0tbRZhGPrFQ6dQ');
  });

  it('a CloudGuard finding that is not remediated (bot not enabled) carries them too', async () => {
    const n = notification();
    n.rule.complianceTags = 'AUTO: some_other_bot';
    const outcome = await run(n, { bots: [scriptedBot('block_public', { status: 'remediated', message: 'ok', changes: [] })] });
    expect(outcome.results[0]!.status).not.toBe('remediated');
    expect(outcome.results[0]!.cloudGuard).toMatchObject({
      ruleId: 'D9.AWS.NET.06',
      findingKey: 'qqhYr/Ll0tbRZhGPrFQ6dQ',
      bundleId: '123456',
    });
  });

  it('takes rule.id when there is no rule.ruleId, keeps only the ids present, and nothing for a notification without any', () => {
    expect(cloudGuardIdsOf({ rule: { id: 42 }, findingKey: 'k' })).toEqual({ ruleId: '42', findingKey: 'k' });
    expect(cloudGuardIdsOf({ rule: {}, bundle: null })).toBeUndefined();
    expect(cloudGuardIdsOf('not an object')).toBeUndefined();
  });

  it('results of other sources carry none', async () => {
    const { securityHubEvent } = await import('./support');
    const outcome = await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', { status: 'remediated', message: 'ok', changes: [] })],
      mappings: { securityHub: { 'S3.8': ['block_public'] } },
    });
    expect(outcome.results[0]).not.toHaveProperty('cloudGuard');
  });
});
