/**
 * `cloudmend doctor` on mocked clients: each check passes, or fails with the
 * fix; a check that cannot be made says which permission it lacked.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetBucketVersioningCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { type Check, type DoctorDeps, formatChecklist, run, runChecks, STACKSETS_PRINCIPAL, versionAtLeast } from '../../cli/doctor';
import { FIXTURE_CONFIG, fixtureConfig } from '../stacks/fixtures/deployment';

const orgs = mockClient(OrganizationsClient);
const guardduty = mockClient(GuardDutyClient);
const securityhub = mockClient(SecurityHubClient);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const dynamodb = mockClient(DynamoDBClient);
const all = [orgs, guardduty, securityhub, lambda, s3, dynamodb];
afterAll(() => {
  for (const m of all) m.restore();
});

const SECURITY = '111111111111';
const REGIONS = ['eu-west-1', 'us-east-1'];
const config = fixtureConfig({
  backend: { type: 's3', bucket: 'acme-tf-state', keyPrefix: 'cloudmend', region: 'eu-west-1', lockTable: 'tf-locks', useLockfile: true },
});

function deps(options: { terraform?: string } = { terraform: '1.11.4' }): DoctorDeps {
  return {
    organizations: () => new OrganizationsClient({ region: 'us-east-1' }),
    guardduty: (region) => new GuardDutyClient({ region }),
    securityhub: (region) => new SecurityHubClient({ region }),
    lambda: (region) => new LambdaClient({ region }),
    s3: (region) => new S3Client({ region }),
    dynamodb: (region) => new DynamoDBClient({ region }),
    terraformVersion: async () => options.terraform,
  };
}

const awsError = (name: string) => Object.assign(new Error(`${name} (mocked)`), { name, $metadata: {} });

function healthy(): void {
  orgs.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [{ ServicePrincipal: STACKSETS_PRINCIPAL }] });
  orgs.on(DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: '999999999999' } });
  orgs.on(ListDelegatedAdministratorsCommand).resolves({ DelegatedAdministrators: [{ Id: SECURITY }] });
  guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
  securityhub.on(DescribeHubCommand).resolves({ HubArn: 'arn:aws:securityhub:eu-west-1:111111111111:hub/default' });
  lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  s3.on(HeadBucketCommand).resolves({});
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  dynamodb.on(DescribeTableCommand).resolves({ Table: { KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }] } });
}

const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

beforeEach(() => {
  for (const m of all) m.reset();
  healthy();
});

describe('cloudmend doctor', () => {
  it('passes everything on a ready organization, asking exactly what it needs', async () => {
    const checks = await runChecks({ config, regions: REGIONS }, deps());
    expect(checks.filter((c) => c.status !== 'pass').map((c) => c.name)).toEqual([]);
    expect(
      orgs
        .commandCalls(ListDelegatedAdministratorsCommand)
        .map((c) => c.args[0].input.ServicePrincipal)
        .sort(),
    ).toEqual([STACKSETS_PRINCIPAL, 'guardduty.amazonaws.com', 'securityhub.amazonaws.com'].sort());
    expect(guardduty.commandCalls(ListDetectorsCommand)).toHaveLength(2);
    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'acme-tf-state' });
    expect(dynamodb.commandCalls(DescribeTableCommand)[0]!.args[0].input).toEqual({ TableName: 'tf-locks' });
    expect(formatChecklist(checks)).toMatch(/\nReady to deploy\.\n$/);
  });

  it('fails each missing prerequisite with its fix', async () => {
    orgs.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [] });
    orgs.on(ListDelegatedAdministratorsCommand).resolves({ DelegatedAdministrators: [{ Id: '222222222222' }] });
    guardduty.on(ListDetectorsCommand).callsFake(async () => ({ DetectorIds: [] }));
    securityhub.on(DescribeHubCommand).rejects(awsError('InvalidAccessException'));
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 105, UnreservedConcurrentExecutions: 105 } });
    s3.on(HeadBucketCommand).rejects(awsError('NotFound'));
    dynamodb.on(DescribeTableCommand).rejects(awsError('ResourceNotFoundException'));

    const checks = byName(await runChecks({ config, regions: REGIONS }, deps({ terraform: '1.9.8' })));
    expect(checks['StackSets trusted access']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('enable-aws-service-access --service-principal member.org.stacksets'),
    });
    expect(checks['StackSets delegated administrator']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('(they are: 222222222222)'),
      fix: `in the management account: aws organizations register-delegated-administrator --account-id ${SECURITY} --service-principal ${STACKSETS_PRINCIPAL}`,
    });
    expect(checks['GuardDuty delegated administrator']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining(`enable-organization-admin-account --admin-account-id ${SECURITY}`),
    });
    expect(checks['GuardDuty enabled']).toMatchObject({
      status: 'fail',
      detail: 'no detector in eu-west-1, us-east-1',
      fix: 'aws guardduty create-detector --enable --region eu-west-1; aws guardduty create-detector --enable --region us-east-1',
    });
    expect(checks['Security Hub enabled']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('aws securityhub enable-security-hub --region eu-west-1'),
    });
    expect(checks['Lambda concurrency in eu-west-1']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('reserving 10 would leave 95 unreserved (account limit 105)'),
      fix: expect.stringMatching(
        /^set handler\.reservedConcurrency to at most 5, or raise the quota: aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384/,
      ),
    });
    expect(checks['State bucket acme-tf-state']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining(
        'aws s3api create-bucket --bucket acme-tf-state --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1',
      ),
    });
    expect(checks['State lock table tf-locks']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('--table-name tf-locks --attribute-definitions AttributeName=LockID,AttributeType=S'),
    });
    expect(checks.Terraform).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('terraform 1.9.8 predates S3 native state locking'),
    });
    expect(formatChecklist(Object.values(checks))).toContain('check(s) failed: fix them before deploying.');
  });

  it('says which permission it lacked when it cannot check, and goes on with the rest', async () => {
    orgs.on(ListAWSServiceAccessForOrganizationCommand).rejects(awsError('AccessDeniedException'));
    const checks = byName(await runChecks({ config, regions: REGIONS }, deps()));
    expect(checks['StackSets trusted access']).toMatchObject({
      status: 'fail',
      detail: 'could not check: AccessDeniedException: AccessDeniedException (mocked)',
      fix: 'run doctor with credentials allowed organizations:ListAWSServiceAccessForOrganization (the management account, or the delegated administrator)',
    });
    expect(checks['Lambda concurrency in us-east-1']!.status).toBe('pass');
  });

  it('warns on an unversioned state bucket, and on a local backend', async () => {
    s3.on(GetBucketVersioningCommand).resolves({});
    expect(byName(await runChecks({ config, regions: REGIONS }, deps()))['State bucket acme-tf-state']).toMatchObject({
      status: 'warn',
      fix: 'aws s3api put-bucket-versioning --bucket acme-tf-state --versioning-configuration Status=Enabled',
    });
    const local = fixtureConfig();
    expect(byName(await runChecks({ config: local, regions: REGIONS }, deps()))['Terraform state']!.status).toBe('warn');
  });

  it('skips GuardDuty and Security Hub when nothing maps their findings, and Terraform when it is not on PATH', async () => {
    const unmapped = fixtureConfig({ mappings: { guardduty: {}, securityHub: {}, config: {} } });
    const checks = byName(await runChecks({ config: unmapped, regions: REGIONS }, deps({})));
    expect([checks.GuardDuty?.status, checks['Security Hub']?.status, checks.Terraform?.status]).toEqual(['skip', 'skip', 'skip']);
    expect(guardduty.commandCalls(ListDetectorsCommand)).toEqual([]);
  });

  it('prints the checklist with each fix, and exits 1 when a check failed, 0 when none did', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), cwd: __dirname };
    expect(await run(['--config', FIXTURE_CONFIG], io, deps())).toBe(0);
    expect(out.join('')).toContain('[warn] Terraform state: local state in terraform-state/');
    // The config's info lines and warnings come first, and never fail the run.
    expect(out.join('')).toMatch(/config:\n {2}- info: [^\n]*: securityAccount: security account \d{12} is always in scope/);
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 50, UnreservedConcurrentExecutions: 50 } });
    out.length = 0;
    expect(await run(['--config', FIXTURE_CONFIG], io, deps())).toBe(1);
    expect(out.join('')).toMatch(
      /\[FAIL\] Lambda concurrency in [a-z0-9-]+: reserving 10 would leave 40 unreserved[^\n]*\n {7}fix: set handler\.reservedConcurrency to at most 0 \(none fits: raise the quota\)/,
    );
    expect(await run(['--bogus'], io, deps())).toBe(2);
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('1.10.0', '1.10')).toBe(true);
    expect(versionAtLeast('1.9.8', '1.10')).toBe(false);
    expect(versionAtLeast('1.11.4', '1.10')).toBe(true);
    expect(versionAtLeast('2.0.0', '1.10')).toBe(true);
  });
});
