import { undoPermissionsOf } from '../../bots/permissions';
import { BOTS } from '../../bots';
import { frameworkPermissionsFor } from '../../bots/framework-permissions';
import { MANAGED_POLICY_MAX_CHARS } from '../../stacks/member-role-policy';
import { fixtureConfig, policyDocuments, resources, synthDeployment } from './fixtures/deployment';

describe('buildStacks on the fixture organization', () => {
  const deployment = synthDeployment(fixtureConfig());

  it('gives every enabled region a handler stack, and excluded regions none', () => {
    expect(deployment.plan.handlerStacks).toEqual(['cloudmend-handler-eu-west-1', 'cloudmend-handler-us-east-1']);
    const names = deployment.stacks.map((s) => s.name);
    expect(names.filter((n) => n.startsWith('cloudmend-handler-')).sort()).toEqual(deployment.plan.handlerStacks);
    for (const stack of deployment.stacks) expect(stack.json).not.toContain('ap-southeast-2');
  });

  it('gives every in-scope account (the security account included) exactly one remediation role', () => {
    const roles = deployment.stacks
      .filter((s) => s.name.startsWith('cloudmend-members-'))
      .flatMap((s) => resources(s, 'aws_iam_role').map((r) => r.provider as string));
    expect(roles.sort()).toEqual(['aws.a111111111111', 'aws.a222222222222', 'aws.a333333333333', 'aws.a444444444444']);
  });

  it('gives excluded, out-of-scope and suspended accounts no role, only a provider (so a role made before they left scope is destroyed, not orphaned)', () => {
    const out = ['555555555555', '666666666666', '777777777777'];
    for (const stack of deployment.stacks) {
      const withResources = Object.values(stack.tf.resource ?? {}).flatMap((byId) => Object.values(byId));
      for (const id of out) expect(JSON.stringify(withResources)).not.toContain(id);
    }
    const providers = deployment.stacks.flatMap((s) => s.tf.provider?.aws ?? []).map((p) => p.alias);
    for (const id of out) expect(providers).toContain(`a${id}`);
  });

  it('never grants a wildcard action, in any policy of any stack', () => {
    const actions = deployment.stacks
      .flatMap(policyDocuments)
      .flatMap((doc) => doc.Statement)
      .flatMap((s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('needs no order between member and handler stacks: the trust names the account and a role pattern, so roles may come first (migration)', () => {
    const members = deployment.stacks.filter((s) => s.name.startsWith('cloudmend-members-'));
    expect(members).toHaveLength(64);
    for (const member of members) expect(member.construct.dependencies).toEqual([]);
  });
});

describe('bots', () => {
  const allMemberActions = (d: ReturnType<typeof synthDeployment>) =>
    d.stacks
      .filter((s) => s.name.startsWith('cloudmend-members-'))
      .flatMap((s) => resources(s, 'aws_iam_policy'))
      .flatMap((p) => JSON.parse(p.policy).Statement.flatMap((s: { Action: string[] }) => s.Action));

  it('contribute nothing when disabled', () => {
    const d = synthDeployment(
      fixtureConfig({
        bots: { enabled: ['s3_enable_versioning'], optIn: [], params: {} },
        mappings: { guardduty: {}, securityHub: {}, config: {} },
      }),
    );
    // Plus the framework's exclusion-tag lookup for the one type that bot acts on: a bucket's tags, from S3.
    expect([...new Set(allMemberActions(d))].sort()).toEqual(['s3:GetBucketTagging', 's3:GetBucketVersioning', 's3:PutBucketVersioning']);
  });

  const destructive = BOTS.filter((b) => b.meta.destructive).map((b) => b.meta.name);

  it('all enabled without opt-in: no action only a destructive bot declares is granted', () => {
    const d = synthDeployment(fixtureConfig({ bots: { enabled: 'all', optIn: [], params: {} } }));
    const safe = new Set(BOTS.filter((b) => !b.meta.destructive).flatMap((b) => b.meta.permissions.flatMap((p) => p.actions)));
    const onlyDestructive = BOTS.filter((b) => b.meta.destructive)
      .flatMap((b) => b.meta.permissions.flatMap((p) => p.actions))
      .filter((action) => !safe.has(action));
    expect(onlyDestructive).toContain('ec2:TerminateInstances');
    const granted = new Set(allMemberActions(d));
    expect(onlyDestructive.filter((action) => granted.has(action))).toEqual([]);
  });

  it("all enabled and every destructive bot opted in: every declared action granted, every policy within IAM's size limit", () => {
    const d = synthDeployment(fixtureConfig({ bots: { enabled: 'all', optIn: destructive, params: {} } }));
    const declared = [
      ...new Set(
        [...BOTS.map((b) => b.meta), { permissions: frameworkPermissionsFor(BOTS.flatMap((b) => b.meta.resourceTypes)) }].flatMap((m) =>
          [...m.permissions, ...undoPermissionsOf(m)].flatMap((p) => p.actions),
        ),
      ),
    ].sort();
    expect([...new Set(allMemberActions(d))].sort()).toEqual(declared);
    for (const stack of d.stacks) {
      for (const policy of resources(stack, 'aws_iam_policy')) expect(policy.policy.length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    }
  });
});
