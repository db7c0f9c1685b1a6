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

describe('naming.prefix', () => {
  const blue = deploy('blue');
  const green = deploy('green');

  it('prefixes every stack, so every state key differs in the shared bucket', () => {
    const stateKeys = (d: typeof blue) => d.stacks.map((s) => s.tf.terraform.backend.s3.key);
    expect(blue.stacks.map((s) => s.name)).toEqual(
      expect.arrayContaining(['blue-cloudmend-handler-eu-west-1', 'blue-cloudmend-members-0']),
    );
    expect(stateKeys(blue)).toContain('cloudmend/blue-cloudmend-handler-eu-west-1.tfstate');
    expect(stateKeys(blue).filter((key) => stateKeys(green).includes(key))).toEqual([]);
    expect(blue.plan.handlerStacks.every((name) => name.startsWith('blue-'))).toBe(true);
  });

  it('leaves no resource name in common between the two deployments', () => {
    const blueNames = blue.stacks.flatMap(namesIn);
    const greenNames = new Set(green.stacks.flatMap(namesIn));
    expect(blueNames.length).toBeGreaterThan(20);
    expect(blueNames.filter((name) => greenNames.has(name))).toEqual([]);
  });

  it('keeps each deployment pointing at its own parts: trust, assume targets, environment, alarm metric', () => {
    const handler = blue.byName('blue-cloudmend-handler-eu-west-1');
    const members = blue.byName('blue-cloudmend-members-0');
    const role = resources(members, 'aws_iam_role')[0]!;
    expect(role.name).toBe('blue-CloudmendRemediation');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.AWS).toContain(
      'arn:aws:iam::111111111111:role/blue-cloudmend-handler-eu-west-1',
    );
    const assume = JSON.parse(resources(handler, 'aws_iam_role_policy')[0]!.policy).Statement[0];
    expect(assume.Resource).toContain('arn:aws:iam::222222222222:role/blue-CloudmendRemediation');
    const env = resources(handler, 'aws_lambda_function')[0]!.environment.variables;
    expect(env).toMatchObject({
      CLOUDMEND_MEMBER_ROLE_NAME: 'blue-CloudmendRemediation',
      CLOUDMEND_OUTPUT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:blue-cloudmend-results-eu-west-1',
      POWERTOOLS_SERVICE_NAME: 'blue-cloudmend',
    });
    const failures = resources(handler, 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === 'RemediationFailures');
    expect(failures!.dimensions).toEqual({ service: 'blue-cloudmend' });
  });

  it('changes nothing when empty (the default)', () => {
    expect(synthDeployment(fixtureConfig()).stacks.map((s) => s.name)).toContain('cloudmend-handler-eu-west-1');
  });

  it('keeps a member role name the operator chose', () => {
    const config = fixtureConfig({
      naming: { prefix: 'blue' },
      roles: { memberRoleName: 'SecOpsFixer', bootstrapRoleName: 'OrganizationAccountAccessRole', externalId: 'x-1' },
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
