/**
 * The handler role's access to the remediation state table, proven by
 * simulation of the policy the handler stack attaches: the item calls the
 * runtime makes on its own region's table, and nothing else (no scan, no other
 * table, no table administration).
 */
import { handlerNames, handlerRoleArn } from '../../stacks/member-role-policy';
import { STATE_TABLE_ACTIONS, stateTableArn, stateTablePolicy } from '../../stacks/state-table';
import { ENABLED_REGIONS, FINDING_REGION, PARTITION, principalContext, SECURITY_ACCOUNT } from './fixtures';
import { type Decision, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
afterAll(() => {
  console.log(tally.table('handler role on the state table'));
  tally.write(expect.getState().testPath ?? 'state-table.test.ts');
});

const names = handlerNames(FINDING_REGION);
const principal = `arn:${PARTITION}:sts::${SECURITY_ACCOUNT}:assumed-role/${names.role}/${names.function}`;
const policy = stateTablePolicy({ partition: PARTITION, region: FINDING_REGION, account: SECURITY_ACCOUNT });
const ownTable = stateTableArn({ partition: PARTITION, region: FINDING_REGION, account: SECURITY_ACCOUNT });
const otherRegionTable = stateTableArn({ partition: PARTITION, region: ENABLED_REGIONS[1]!, account: SECURITY_ACCOUNT });
const lockTable = `arn:${PARTITION}:dynamodb:${FINDING_REGION}:${SECURITY_ACCOUNT}:table/terraform-locks`;

const cases: Array<[string, string, Decision | 'Denied']> = [
  ...STATE_TABLE_ACTIONS.map((action): [string, string, Decision] => [action, ownTable, 'Allowed']),
  ['dynamodb:Scan', ownTable, 'Denied'],
  ['dynamodb:Query', ownTable, 'Denied'],
  ['dynamodb:BatchWriteItem', ownTable, 'Denied'],
  ['dynamodb:DeleteTable', ownTable, 'Denied'],
  ['dynamodb:UpdateTimeToLive', ownTable, 'Denied'],
  ['dynamodb:RestoreTableToPointInTime', ownTable, 'Denied'],
  ['dynamodb:PutItem', lockTable, 'Denied'],
  ['dynamodb:DeleteItem', lockTable, 'Denied'],
  ['dynamodb:UpdateItem', otherRegionTable, 'Denied'],
];

describe('handler role on the state table', () => {
  it.each(cases)('%s on %s: %s', async (action, resource, expected) => {
    const region = resource.split(':')[3]!;
    const outcome = await simulate({
      request: {
        principal,
        action,
        resource,
        resourceAccount: SECURITY_ACCOUNT,
        context: principalContext(handlerRoleArn(PARTITION, SECURITY_ACCOUNT, FINDING_REGION), names.function, region),
      },
      identityPolicies: [policy],
    });
    tally.count('handler role on the state table', outcome.decision);
    if (expected === 'Denied') expect(outcome.decision).not.toBe('Allowed');
    else expect(outcome.decision).toBe(expected);
  });
});
