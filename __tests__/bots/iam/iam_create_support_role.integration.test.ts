import { type ChildProcess, spawn } from 'node:child_process';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListEntitiesForPolicyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_create_support_role';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { freePort, waitUntilUp } from '../../support/moto-global-setup';
import { botSession, MEMBER, memberAdmin } from './iam-test-support';

const POLICY = 'arn:aws:iam::aws:policy/AWSSupportAccess';
const resource = { type: 'AWS::::Account', id: MEMBER };

/**
 * moto serves AWS managed policies (AWSSupportAccess) only when its server starts
 * with MOTO_IAM_LOAD_MANAGED_POLICIES=true, which would slow every other test's
 * IAM: this file starts its own such server, and stops it after.
 */
describeMoto('iam_create_support_role against moto', () => {
  let server: ChildProcess | undefined;
  let url = '';
  let previous: string | undefined;
  beforeAll(async () => {
    url = `http://127.0.0.1:${await freePort()}`;
    server = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', url.split(':')[2]!], {
      stdio: 'ignore',
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    });
    server.unref();
    await waitUntilUp(url, 30000);
    previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = url;
  }, 40000);
  afterAll(() => {
    process.env.AWS_ENDPOINT_URL = previous;
    server?.kill();
  });
  beforeEach(async () => {
    await fetch(`${url}/moto-api/reset`, { method: 'POST' });
  });

  // Another holder of AWSSupportAccess (already compliant) and a role of the name with a wider trust are unit-tested: each
  // moto IAM backend here loads every AWS managed policy, seconds per test.
  it('creates the support role with AWSSupportAccess, then reports already-compliant; dry run first changes nothing', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    const session = await botSession(bot, MEMBER);

    const dry = await bot.run(botContext(bot, { resource, client: session.client, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    await expect(iam.send(new GetRoleCommand({ RoleName: 'aws_incident_support_role' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'aws_incident_support_role' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({
      AWS: `arn:aws:iam::${MEMBER}:root`,
    });
    expect(Role!.Tags).toEqual([{ Key: 'cloudmend:created-by', Value: 'iam_create_support_role' }]);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'aws_incident_support_role' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([POLICY]);
    expect((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: POLICY }))).PolicyRoles?.map((r) => r.RoleName)).toEqual([
      'aws_incident_support_role',
    ]);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second).toMatchObject({ status: 'already-compliant', changes: [] });
  });
});
