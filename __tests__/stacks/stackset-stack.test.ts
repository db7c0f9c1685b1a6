import { staticInventory } from '../../config/inventory';
import { stackSetTargets, StackSetScopeError } from '../../stacks/stackset-targets';
import { fixtureConfig, resources, synthDeployment } from './fixtures/deployment';

const OU_IDS = {
  Root: 'r-ab12',
  'Root/Security': 'ou-ab12-security',
  'Root/Workloads': 'ou-ab12-workload',
  'Root/Workloads/Prod': 'ou-ab12-prod0001',
  'Root/Workloads/Dev': 'ou-ab12-dev00001',
  'Root/Sandbox': 'ou-ab12-sandbox1',
};
const stacksetConfig = (organization: Record<string, unknown> = {}, roles: Record<string, unknown> = {}) => {
  const base = fixtureConfig();
  return fixtureConfig({
    organization: { ...base.organization, id: 'o-abcdef1234', ouIds: OU_IDS, managementAccount: '999999999999', ...organization } as never,
    roles: { ...base.roles, deployment: 'stackset', ...roles } as never,
  });
};

describe('stackset mode', () => {
  const deployment = synthDeployment(stacksetConfig());
  const stack = deployment.byName('cloudmend-stacksets');

  it('rolls the member role out as a service-managed StackSet with auto-deployment that removes the role from accounts that leave', () => {
    const set = resources(stack, 'aws_cloudformation_stack_set').find((s) => s.name === 'cloudmend-member-role')!;
    expect(set).toMatchObject({
      permission_model: 'SERVICE_MANAGED',
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
    });
    expect(set.call_as).toBeUndefined();
    const template = JSON.parse(set.template_body);
    expect(template.Resources.RemediationRole.Properties.RoleName).toBe('CloudmendRemediation');
    const policy = JSON.stringify(template.Resources.RemediationPolicy1.Properties);
    expect(policy).toContain('${AWS::AccountId}');
    expect(policy).toContain('${AWS::Partition}');
    for (const account of ['222222222222', '333333333333', '444444444444']) expect(set.template_body).not.toContain(account);
    expect(template.Resources.RemediationPolicy1.Properties.Roles).toEqual([{ Ref: 'RemediationRole' }]);
  });

  it('targets the in-scope OUs in one region, the excluded OU carved out, excluded, security and management accounts left out', () => {
    const instances = resources(stack, 'aws_cloudformation_stack_set_instance').filter((i) => i.stack_set_name.includes('member-role'));
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({
      stack_set_instance_region: 'eu-west-1',
      deployment_targets: {
        organizational_unit_ids: ['ou-ab12-security', 'ou-ab12-workload'],
        account_filter_type: 'DIFFERENCE',
        accounts: ['111111111111', '777777777777', '999999999999'],
      },
    });
  });

  it('needs one provider, whatever the number of accounts, and none in a member account', () => {
    expect(stack.tf.provider!.aws).toHaveLength(1);
    const providers = deployment.stacks.flatMap((s) => s.tf.provider?.aws ?? []);
    expect(providers.filter((p) => p.assume_role?.[0]?.role_arn?.includes('222222222222'))).toEqual([]);
  });

  it('keeps the security account role in Terraform, applied with the pipeline credentials there', () => {
    const security = deployment.byName('cloudmend-members-security');
    expect(resources(security, 'aws_iam_role')).toHaveLength(1);
    expect(security.tf.provider!.aws).toEqual([expect.objectContaining({ allowed_account_ids: ['111111111111'] })]);
  });

  it('calls as DELEGATED_ADMIN from a StackSets delegated administrator, through the configured role', () => {
    const d = synthDeployment(
      stacksetConfig({}, { stackSet: { targetOus: [], adminAccount: '111111111111', adminRoleName: 'CloudmendStackSetAdmin' } }),
    );
    const s = d.byName('cloudmend-stacksets');
    for (const r of [...resources(s, 'aws_cloudformation_stack_set'), ...resources(s, 'aws_cloudformation_stack_set_instance')]) {
      expect(r.call_as).toBe('DELEGATED_ADMIN');
    }
    expect(s.tf.provider?.aws?.[0]?.assume_role).toEqual([
      { role_arn: 'arn:aws:iam::111111111111:role/CloudmendStackSetAdmin', session_name: 'cloudmend-deployer' },
    ]);
  });

  it('puts nothing per account into the handler: member roles are assumable by organization id', () => {
    const handler = deployment.byName('cloudmend-handler-us-east-1');
    const policy = JSON.parse(resources(handler, 'aws_iam_role_policy')[0]!.policy);
    expect(policy.Statement[0]!).toMatchObject({
      Resource: ['arn:aws:iam::*:role/CloudmendRemediation'],
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abcdef1234' } },
    });
    expect(deployment.runtime).not.toHaveProperty('accounts');
  });
});

describe('event topology', () => {
  const deployment = synthDeployment(stacksetConfig());

  it("opens each region's security bus to the organization, and to nobody else", () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const policy = resources(deployment.byName(`cloudmend-handler-${region}`), 'aws_cloudwatch_event_bus_policy');
      expect(policy).toHaveLength(1);
      expect(JSON.parse(policy[0]!.policy).Statement).toEqual([
        expect.objectContaining({
          Principal: '*',
          Action: ['events:PutEvents'],
          Resource: [`arn:aws:events:${region}:111111111111:event-bus/default`],
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } },
        }),
      ]);
    }
  });

  it('forwards member events by a StackSet in every enabled region; GuardDuty and Security Hub only when asked', () => {
    const stack = deployment.byName('cloudmend-stacksets');
    const instances = resources(stack, 'aws_cloudformation_stack_set_instance').filter((i) => i.stack_set_name.includes('forwarding'));
    expect(instances.map((i) => i.stack_set_instance_region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    const body = (d: ReturnType<typeof synthDeployment>) =>
      JSON.parse(
        resources(d.byName('cloudmend-stacksets'), 'aws_cloudformation_stack_set').find((s) => s.name === 'cloudmend-event-forwarding')!
          .template_body,
      );
    expect(Object.keys(body(deployment).Resources)).toEqual(['ForwardingRole', 'ForwardConfigCompliance']);
    const forwarding = synthDeployment(stacksetConfig({}, { forwardFindings: true }));
    expect(Object.keys(body(forwarding).Resources).sort()).toEqual([
      'ForwardConfigCompliance',
      'ForwardGuardDutyFindings',
      'ForwardSecurityHubFindings',
      'ForwardingRole',
    ]);
    expect(body(forwarding).Resources.ForwardConfigCompliance.Properties.Targets[0].Arn).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:111111111111:event-bus/default',
    });
  });
});

describe('stackset mode: bad input fails at synth with the field and the fix', () => {
  it('without an organization id', () => {
    const config = stacksetConfig({ id: undefined });
    expect(() => synthDeployment(config)).toThrow(/stackset needs the organization id.*organization\.id/);
  });

  it('without OU ids to target', () => {
    const config = stacksetConfig({ ouIds: {} });
    expect(() => stackSetTargets(config, staticInventory(config))).toThrow(StackSetScopeError);
    expect(() => stackSetTargets(config, staticInventory(config))).toThrow(/organization\.includeOus.*OU ids/);
  });

  it('with regions of several partitions', () => {
    const config = stacksetConfig();
    expect(() => synthDeployment({ ...config, regions: { include: ['us-east-1', 'cn-north-1'], exclude: [] } })).toThrow(
      /several partitions/,
    );
  });
});
