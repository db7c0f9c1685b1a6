/**
 * terraform mode -> stackset mode with no window without a member role:
 *   1. roles.deployment: stackset, a new roles.memberRoleName, roles.migration
 *      { previousRoleName: <old name>, phase: keep }: the StackSet creates the new
 *      role beside the old one; the handlers switch to it only after (dependency).
 *   2. phase: retire: Terraform destroys the old roles (providers kept for that).
 *   3. remove roles.migration.
 */
import { fixtureConfig, resources, synthDeployment } from './fixtures/deployment';

const OU_IDS = {
  Root: 'r-ab12',
  'Root/Security': 'ou-ab12-security',
  'Root/Workloads': 'ou-ab12-workload',
  'Root/Sandbox': 'ou-ab12-sandbox1',
};
const base = fixtureConfig();
const migrating = (phase: 'keep' | 'retire') =>
  fixtureConfig({
    organization: { ...base.organization, id: 'o-abcdef1234', ouIds: OU_IDS } as never,
    roles: {
      ...base.roles,
      deployment: 'stackset',
      memberRoleName: 'CloudmendRemediationV2',
      migration: { previousRoleName: 'CloudmendRemediation', phase },
    } as never,
  });

const memberStacks = (d: ReturnType<typeof synthDeployment>) => d.stacks.filter((s) => /^cloudmend-members-\d+$/.test(s.name));

describe('migration from terraform mode to stackset mode', () => {
  const before = synthDeployment(base);
  const keep = synthDeployment(migrating('keep'));

  it('keep: the Terraform roles are exactly as terraform mode deployed them (same stacks, same resources: no change to plan)', () => {
    const byName = new Map(memberStacks(before).map((s) => [s.name, s.tf.resource ?? {}]));
    expect(memberStacks(keep).map((s) => s.name)).toEqual([...byName.keys()]);
    for (const stack of memberStacks(keep)) expect(stack.tf.resource ?? {}).toEqual(byName.get(stack.name));
  });

  it('keep: the StackSet rolls out the new role name, so the two never collide', () => {
    const set = resources(keep.byName('cloudmend-stacksets'), 'aws_cloudformation_stack_set').find(
      (s) => s.name === 'cloudmend-member-role',
    )!;
    expect(JSON.parse(set.template_body).Resources.RemediationRole.Properties.RoleName).toBe('CloudmendRemediationV2');
    const terraformRoles = memberStacks(keep).flatMap((s) => resources(s, 'aws_iam_role').map((r) => r.name));
    expect(new Set(terraformRoles)).toEqual(new Set(['CloudmendRemediation']));
  });

  it('keep: the handlers switch to the new role only after the StackSet is applied', () => {
    for (const name of keep.plan.handlerStacks) {
      expect(keep.byName(name).construct.dependencies.map((d) => d.node.id)).toEqual(['cloudmend-stacksets']);
    }
    const policy = JSON.parse(resources(keep.byName('cloudmend-handler-us-east-1'), 'aws_iam_role_policy')[0]!.policy);
    expect(policy.Statement[0].Resource).toEqual(['arn:aws:iam::*:role/CloudmendRemediationV2']);
  });

  it('retire: the same stacks, every provider kept, no role left: Terraform destroys the old roles', () => {
    const retire = synthDeployment(migrating('retire'));
    expect(memberStacks(retire).map((s) => s.name)).toEqual(memberStacks(before).map((s) => s.name));
    for (const stack of memberStacks(retire)) expect(stack.tf.resource ?? {}).toEqual({});
    const providers = (d: ReturnType<typeof synthDeployment>) =>
      memberStacks(d)
        .flatMap((s) => (s.tf.provider?.aws ?? []).map((p: { alias: string }) => p.alias))
        .sort();
    for (const alias of providers(before)) expect(providers(retire)).toContain(alias);
  });
});
