/**
 * naming.prefix: two deployments with different prefixes coexist in one
 * account and one state bucket (no stack, state key or resource name in
 * common); tags: every taggable resource carries the operator's tags.
 */
import { fixtureConfig, resources, type SynthesizedStack, synthDeployment } from './fixtures/deployment';

const S3_BACKEND = { type: 's3' as const, bucket: 'shared-state', keyPrefix: 'cloudmend', region: 'eu-west-1' as const, useLockfile: true };
const deploy = (prefix: string) => synthDeployment(fixtureConfig({ naming: { prefix }, backend: S3_BACKEND }));

/** Names AWS keeps unique per account and region (or account, for IAM): what two deployments could collide on. */
const NAME_FIELDS = ['name', 'function_name', 'alarm_name', 'dashboard_name', 'identifier'];
/** Names scoped to a parent that is itself prefixed (an inline policy's name is unique within its role only). */
const SCOPED_TYPES = new Set(['aws_iam_role_policy', 'aws_lambda_permission']);

function namesIn(stack: SynthesizedStack): string[] {
  return Object.entries(stack.tf.resource ?? {}).flatMap(([type, byId]) =>
    SCOPED_TYPES.has(type)
      ? []
      : Object.values(byId).flatMap((resource) =>
          NAME_FIELDS.filter((field) => typeof resource[field] === 'string' && !resource[field].startsWith('${'))
            // A reference (${...}) names another resource, itself checked.
            .map((field) => `${type}.${field}=${resource[field]}`),
        ),
  );
}

/** Names given inside the CloudFormation templates a StackSet deploys into every member account. */
function templateNamesIn(stack: SynthesizedStack): string[] {
  return resources(stack, 'aws_cloudformation_stack_set').flatMap((set) =>
    Object.values(JSON.parse(set.template_body).Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).flatMap(
      (resource) =>
        ['Name', 'RoleName', 'ManagedPolicyName']
          .filter((key) => typeof resource.Properties[key] === 'string')
          .map((key) => `${resource.Type}.${key}=${resource.Properties[key]}`),
    ),
  );
}

const OU_IDS = {
  Root: 'r-ab12',
  'Root/Security': 'ou-ab12-security',
  'Root/Workloads': 'ou-ab12-workload',
  'Root/Workloads/Prod': 'ou-ab12-prod0001',
  'Root/Workloads/Dev': 'ou-ab12-dev00001',
  'Root/Sandbox': 'ou-ab12-sandbox1',
};
/** The fixture in stackset mode (organization id and OU ids known), as in stackset-stack.test.ts. */
const deployStackSets = (prefix: string) => {
  const base = fixtureConfig();
  return synthDeployment(
    fixtureConfig({
      naming: { prefix },
      backend: S3_BACKEND,
      organization: { ...base.organization, id: 'o-abcdef1234', ouIds: OU_IDS, managementAccount: '999999999999' } as never,
      roles: { ...base.roles, deployment: 'stackset' } as never,
    }),
  );
};

describe.each([
  ['terraform mode', deploy],
  ['stackset mode', deployStackSets],
])('naming.prefix in %s', (_mode, build) => {
  const blue = build('blue');
  const green = build('green');

  it('prefixes every stack, so every state key differs in the shared bucket', () => {
    const stateKeys = (d: typeof blue) => d.stacks.map((s) => s.tf.terraform.backend.s3.key as string);
    expect(blue.stacks.map((s) => s.name).filter((name) => !name.startsWith('blue-'))).toEqual([]);
    expect(stateKeys(blue)).toContain('cloudmend/blue-cloudmend-handler-eu-west-1.tfstate');
    expect(stateKeys(blue).filter((key) => stateKeys(green).includes(key))).toEqual([]);
    expect(blue.plan.handlerStacks.every((name) => name.startsWith('blue-'))).toBe(true);
  });

  it("leaves no resource name in common between the two deployments (nor in the StackSets' templates)", () => {
    const blueNames = blue.stacks.flatMap(namesIn).concat(blue.stacks.flatMap(templateNamesIn));
    const greenNames = new Set(green.stacks.flatMap(namesIn).concat(green.stacks.flatMap(templateNamesIn)));
    expect(blueNames.length).toBeGreaterThan(20);
    expect(blueNames.filter((name) => greenNames.has(name))).toEqual([]);
  });

  it('keeps each deployment pointing at its own parts: trust, assume targets, environment, alarm metric', () => {
    const handler = blue.byName('blue-cloudmend-handler-eu-west-1');
    const trusts = blue.stacks.flatMap((stack) => [
      ...resources(stack, 'aws_iam_role')
        .filter((r) => r.name === 'blue-CloudmendRemediation')
        .map((r) => r.assume_role_policy as string),
      ...resources(stack, 'aws_cloudformation_stack_set').map((set) =>
        JSON.stringify(JSON.parse(set.template_body).Resources.RemediationRole?.Properties ?? {}),
      ),
    ]);
    const roleTrusts = trusts.filter((t) => t.includes('PrincipalArn'));
    expect(roleTrusts.length).toBeGreaterThan(0);
    for (const trust of roleTrusts) expect(trust).toContain('arn:aws:iam::111111111111:role/blue-cloudmend-handler-*');
    expect(JSON.stringify(blue.stacks.map((s) => s.tf.resource))).not.toContain('role/cloudmend-handler-');
    const assume = JSON.stringify(JSON.parse(resources(handler, 'aws_iam_role_policy')[0]!.policy).Statement[0].Resource);
    expect(assume).toContain('role/blue-CloudmendRemediation');
    const env = resources(handler, 'aws_lambda_function')[0]!.environment.variables;
    expect(env).toMatchObject({
      CLOUDMEND_MEMBER_ROLE_NAME: 'blue-CloudmendRemediation',
      CLOUDMEND_OUTPUT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:blue-cloudmend-results-eu-west-1',
      POWERTOOLS_SERVICE_NAME: 'blue-cloudmend',
    });
    const failures = resources(handler, 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === 'RemediationFailures');
    expect(failures!.dimensions).toEqual({ service: 'blue-cloudmend' });
  });
});

describe('naming.prefix defaults', () => {
  it('changes nothing when empty (the default)', () => {
    expect(synthDeployment(fixtureConfig()).stacks.map((s) => s.name)).toContain('cloudmend-handler-eu-west-1');
  });

  it('keeps a member role name the operator chose', () => {
    const config = fixtureConfig({
      naming: { prefix: 'blue' },
      roles: { memberRoleName: 'SecOpsFixer', bootstrapRoleName: 'OrganizationAccountAccessRole', externalId: 'x-1' } as never,
    });
    expect(config.roles.memberRoleName).toBe('SecOpsFixer');
  });
});

describe('tags', () => {
  const deployment = synthDeployment(fixtureConfig({ naming: { prefix: 'blue' }, tags: { owner: 'secops', 'cost-center': '1234' } }));

  it('go on every provider of every stack as default_tags, with cloudmend’s own', () => {
    const providers = deployment.stacks.flatMap((stack) => stack.tf.provider?.aws ?? []);
    expect(providers.length).toBeGreaterThan(3);
    for (const provider of providers) {
      expect(provider.default_tags).toEqual([
        {
          tags: {
            owner: 'secops',
            'cost-center': '1234',
            'cloudmend:component': expect.stringMatching(/^(handler|member-role)$/),
            'cloudmend:managed-by': 'cloudmend',
            'cloudmend:deployment': 'blue',
          },
        },
      ]);
    }
  });

  it('are never overridden by a resource of its own', () => {
    const overriding = deployment.stacks.flatMap((stack) =>
      Object.entries(stack.tf.resource ?? {}).flatMap(([type, byId]) =>
        Object.entries(byId)
          .filter(
            ([, resource]) => resource.tags && (resource.tags.owner !== undefined || resource.tags['cloudmend:component'] !== undefined),
          )
          .map(([id]) => `${type}.${id}`),
      ),
    );
    expect(overriding).toEqual([]);
  });
});
