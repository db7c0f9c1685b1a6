import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_PERMISSIONS, pipelinePolicyFor, renderPermissionsDoc } from '../../stacks/pipeline-permissions';
import { fixtureConfig, synthDeployment } from './fixtures/deployment';

const OU_IDS = {
  Root: 'r-ab12',
  'Root/Security': 'ou-ab12-security',
  'Root/Workloads': 'ou-ab12-workload',
  'Root/Sandbox': 'ou-ab12-sandbox1',
};

/** Every resource type any stack writes, in both modes, with every optional feature switched on. */
function synthesizedTypes(): Map<string, string[]> {
  const base = fixtureConfig();
  const configs = [
    base,
    fixtureConfig({
      organization: { ...base.organization, id: 'o-abcdef1234', ouIds: OU_IDS } as never,
      roles: { ...base.roles, deployment: 'stackset', forwardFindings: true } as never,
    }),
  ];
  const types = new Map<string, string[]>();
  for (const config of configs) {
    for (const stack of synthDeployment(config).stacks) {
      for (const type of Object.keys(stack.tf.resource ?? {})) types.set(type, [...(types.get(type) ?? []), stack.name]);
    }
  }
  return types;
}

describe('docs/permissions.md: what the pipeline identity needs', () => {
  it('covers every resource type the stacks synthesize', () => {
    const missing = [...synthesizedTypes()]
      .filter(([type]) => !(type in PIPELINE_PERMISSIONS))
      .map(([type, stacks]) => `${type} (in ${stacks[0]})`);
    expect(missing).toEqual([]);
  });

  it('grants no wildcard action', () => {
    for (const account of ['security', 'stackset-admin', 'member'] as const) {
      const actions = pipelinePolicyFor(account).Statement.flatMap((s) => (s as { Action: string[] }).Action);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('needs nothing in member accounts in stackset mode beyond what the StackSet admin does', () => {
    const memberOnly = Object.entries(PIPELINE_PERMISSIONS)
      .filter(([, p]) => p.accounts.includes('member'))
      .map(([t]) => t);
    expect(memberOnly.sort()).toEqual(['aws_iam_policy', 'aws_iam_role', 'aws_iam_role_policy_attachment']);
  });

  it('is up to date (npx tsx stacks/pipeline-permissions-cli.ts)', () => {
    expect(readFileSync(join(__dirname, '../../docs/permissions.md'), 'utf8')).toBe(renderPermissionsDoc());
  });
});
