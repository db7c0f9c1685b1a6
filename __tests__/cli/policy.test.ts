import { run } from '../../cli/policy';
import { FIXTURE_CONFIG, fixtureConfig, resources, synthDeployment } from '../stacks/fixtures/deployment';

async function printed(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    out += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await run(argv), out };
  } finally {
    write.mockRestore();
    err.mockRestore();
  }
}

/** The JSON blocks after each "## " heading. */
function documents(out: string): unknown[] {
  return out
    .split(/^## /m)
    .slice(1)
    .filter((section) => !section.startsWith('Why'))
    .map((section) => JSON.parse(section.slice(section.indexOf('\n') + 1).trim()));
}

describe('cloudmend policy prints exactly what synth deploys', () => {
  it('the trust policy and every managed policy of an account, as in its member stack', async () => {
    const { code, out } = await printed(['--account', '222222222222', '--config', FIXTURE_CONFIG]);
    expect(code).toBe(0);
    const deployment = synthDeployment(fixtureConfig());
    const deployed = deployment.stacks.flatMap((s) => resources(s, 'aws_iam_policy')).filter((p) => p.provider === 'aws.a222222222222');
    const role = deployment.stacks.flatMap((s) => resources(s, 'aws_iam_role')).find((r) => r.provider === 'aws.a222222222222')!;
    const [trust, ...policies] = documents(out);
    expect(trust).toEqual(JSON.parse(role.assume_role_policy));
    expect(policies).toEqual(deployed.map((p) => JSON.parse(p.policy)));
  });
});
