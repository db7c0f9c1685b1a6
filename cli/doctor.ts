/**
 * `cloudmend doctor [--config cloudmend.yaml]`: with the current credentials,
 * checks what a deployment needs before `cdktf deploy` finds out the slow way,
 * and prints a checklist with the fix for each failure:
 *
 * - StackSets trusted access, and the security account as its delegated administrator;
 * - GuardDuty and Security Hub: the security account as their delegated
 *   administrator, and enabled in every deployed region (when the config maps their findings);
 * - Lambda: the account's unreserved concurrency leaves room for `handler.reservedConcurrency`;
 * - the S3 state bucket and its lock (table or native lock file);
 * - Terraform's version, when `terraform` is on PATH (native S3 locking needs >= 1.10).
 *
 * Exit code: 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for usage errors.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { CloudmendConfig } from '../config/schema';
import { parseOptions } from './args';
import { describeFailure, UsageError } from './errors';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a failure or warning: a command where there is one. */
  fix?: string;
}

export interface DoctorDeps {
  organizations(): OrganizationsClient;
  guardduty(region: string): GuardDutyClient;
  securityhub(region: string): SecurityHubClient;
  lambda(region: string): LambdaClient;
  s3(region: string): S3Client;
  dynamodb(region: string): DynamoDBClient;
  /** `terraform version`'s number, or undefined when terraform is not on PATH. */
  terraformVersion(): Promise<string | undefined>;
}

export interface DoctorScope {
  config: CloudmendConfig;
  /** The regions the deployment covers (scoped inventory). */
  regions: readonly string[];
}

export const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';
/** Lambda keeps this much of the account's concurrency unreserved; a reservation that would dip below it fails. */
export const LAMBDA_MIN_UNRESERVED = 100;
export const LAMBDA_CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

const errorName = (error: unknown) => (error as Error)?.name ?? 'Error';
const isAccessDenied = (error: unknown) => /AccessDenied|UnauthorizedOperation|AuthorizationError/.test(errorName(error));

/** A check that could not be made says why, and what permission would let it. */
function couldNotCheck(name: string, error: unknown, needs: string): Check {
  return {
    name,
    status: 'fail',
    detail: `could not check: ${errorName(error)}: ${(error as Error)?.message ?? String(error)}`,
    fix: isAccessDenied(error)
      ? `run doctor with credentials allowed ${needs} (the management account, or the delegated administrator)`
      : `retry; if it persists, check the credentials and region (${needs})`,
  };
}

async function delegatedAdministrators(deps: DoctorDeps, principal: string): Promise<string[]> {
  const { ListDelegatedAdministratorsCommand } = await import('@aws-sdk/client-organizations');
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.organizations().send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: principal, NextToken }));
    for (const admin of page.DelegatedAdministrators ?? []) if (admin.Id) ids.push(admin.Id);
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

async function checkStackSets(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const { ListAWSServiceAccessForOrganizationCommand, DescribeOrganizationCommand } = await import('@aws-sdk/client-organizations');
  const account = scope.config.securityAccount;
  const checks: Check[] = [];
  const trusted = 'StackSets trusted access';
  try {
    const principals: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await deps.organizations().send(new ListAWSServiceAccessForOrganizationCommand({ NextToken }));
      for (const p of page.EnabledServicePrincipals ?? []) if (p.ServicePrincipal) principals.push(p.ServicePrincipal);
      NextToken = page.NextToken;
    } while (NextToken);
    checks.push(
      principals.includes(STACKSETS_PRINCIPAL)
        ? { name: trusted, status: 'pass', detail: 'activated for the organization' }
        : {
            name: trusted,
            status: 'fail',
            detail: 'not activated: service-managed StackSets cannot deploy the member roles',
            fix: 'in the management account: CloudFormation console > StackSets > Activate trusted access (or `aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com`)',
          },
    );
  } catch (error) {
    checks.push(couldNotCheck(trusted, error, 'organizations:ListAWSServiceAccessForOrganization'));
  }
  const admin = 'StackSets delegated administrator';
  try {
    const management = (await deps.organizations().send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId;
    const admins = await delegatedAdministrators(deps, STACKSETS_PRINCIPAL);
    if (management === account) checks.push({ name: admin, status: 'pass', detail: `${account} is the management account` });
    else if (admins.includes(account)) checks.push({ name: admin, status: 'pass', detail: `${account} is a delegated administrator` });
    else {
      checks.push({
        name: admin,
        status: 'fail',
        detail: `${account} (securityAccount) is neither the management account nor a StackSets delegated administrator${admins.length ? ` (they are: ${admins.join(', ')})` : ''}`,
        fix: `in the management account: aws organizations register-delegated-administrator --account-id ${account} --service-principal ${STACKSETS_PRINCIPAL}`,
      });
    }
  } catch (error) {
    checks.push(couldNotCheck(admin, error, 'organizations:DescribeOrganization and organizations:ListDelegatedAdministrators'));
  }
  return checks;
}

async function checkGuardDuty(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const name = 'GuardDuty';
  if (Object.keys(scope.config.mappings.guardduty).length === 0) {
    return [{ name, status: 'skip', detail: 'no GuardDuty finding type is mapped' }];
  }
  const account = scope.config.securityAccount;
  const checks: Check[] = [];
  try {
    const admins = await delegatedAdministrators(deps, 'guardduty.amazonaws.com');
    checks.push(
      admins.includes(account)
        ? { name: `${name} delegated administrator`, status: 'pass', detail: `${account} receives the members' findings` }
        : {
            name: `${name} delegated administrator`,
            status: 'fail',
            detail: `${account} is not GuardDuty's delegated administrator: the members' findings never reach its EventBridge`,
            fix: `in the management account, in each region: aws guardduty enable-organization-admin-account --admin-account-id ${account} --region <region>`,
          },
    );
  } catch (error) {
    checks.push(couldNotCheck(`${name} delegated administrator`, error, 'organizations:ListDelegatedAdministrators'));
  }
  const { ListDetectorsCommand } = await import('@aws-sdk/client-guardduty');
  const missing: string[] = [];
  for (const region of scope.regions) {
    try {
      const detectors = await deps.guardduty(region).send(new ListDetectorsCommand({}));
      if ((detectors.DetectorIds ?? []).length === 0) missing.push(region);
    } catch (error) {
      checks.push(couldNotCheck(`${name} in ${region}`, error, 'guardduty:ListDetectors'));
    }
  }
  checks.push(
    missing.length === 0
      ? { name: `${name} enabled`, status: 'pass', detail: `a detector in each of ${scope.regions.length} region(s)` }
      : {
          name: `${name} enabled`,
          status: 'fail',
          detail: `no detector in ${missing.join(', ')}`,
          fix: missing.map((r) => `aws guardduty create-detector --enable --region ${r}`).join('; '),
        },
  );
  return checks;
}

async function checkSecurityHub(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const name = 'Security Hub';
  if (Object.keys(scope.config.mappings.securityHub).length === 0) {
    return [{ name, status: 'skip', detail: 'no Security Hub control is mapped (no custom action is created)' }];
  }
  const account = scope.config.securityAccount;
  const checks: Check[] = [];
  try {
    const admins = await delegatedAdministrators(deps, 'securityhub.amazonaws.com');
    checks.push(
      admins.includes(account)
        ? { name: `${name} delegated administrator`, status: 'pass', detail: `${account} aggregates the members' findings` }
        : {
            name: `${name} delegated administrator`,
            status: 'fail',
            detail: `${account} is not Security Hub's delegated administrator: the members' findings never reach its EventBridge`,
            fix: `in the management account: aws securityhub enable-organization-admin-account --admin-account-id ${account} --region <region>`,
          },
    );
  } catch (error) {
    checks.push(couldNotCheck(`${name} delegated administrator`, error, 'organizations:ListDelegatedAdministrators'));
  }
  const { DescribeHubCommand } = await import('@aws-sdk/client-securityhub');
  const missing: string[] = [];
  for (const region of scope.regions) {
    try {
      await deps.securityhub(region).send(new DescribeHubCommand({}));
    } catch (error) {
      // Security Hub answers a region where it is not enabled with InvalidAccessException.
      if (/InvalidAccess|ResourceNotFound/.test(errorName(error))) missing.push(region);
      else checks.push(couldNotCheck(`${name} in ${region}`, error, 'securityhub:DescribeHub'));
    }
  }
  checks.push(
    missing.length === 0
      ? { name: `${name} enabled`, status: 'pass', detail: `enabled in each of ${scope.regions.length} region(s)` }
      : {
          name: `${name} enabled`,
          status: 'fail',
          detail: `not enabled in ${missing.join(', ')}: the custom action cannot be created there and deploy fails`,
          fix: missing.map((r) => `aws securityhub enable-security-hub --region ${r}`).join('; '),
        },
  );
  return checks;
}

async function checkLambdaConcurrency(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const { GetAccountSettingsCommand } = await import('@aws-sdk/client-lambda');
  const reserved = scope.config.handler.reservedConcurrency;
  const checks: Check[] = [];
  for (const region of scope.regions) {
    const name = `Lambda concurrency in ${region}`;
    try {
      const settings = await deps.lambda(region).send(new GetAccountSettingsCommand({}));
      const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
      const limit = settings.AccountLimit?.ConcurrentExecutions ?? 0;
      const room = unreserved - LAMBDA_MIN_UNRESERVED;
      if (reserved <= room) {
        checks.push({
          name,
          status: 'pass',
          detail: `reserving ${reserved} of ${unreserved} unreserved (limit ${limit}) leaves ${unreserved - reserved}`,
        });
      } else {
        checks.push({
          name,
          status: 'fail',
          detail: `reserving ${reserved} would leave ${unreserved - reserved} unreserved (account limit ${limit}); Lambda keeps at least ${LAMBDA_MIN_UNRESERVED}, so the deploy would fail`,
          fix: `set handler.reservedConcurrency to at most ${Math.max(room, 0)}${room < 1 ? ' (none fits: raise the quota)' : ''}, or raise the quota: aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA_CODE} --desired-value 1000 --region ${region}`,
        });
      }
    } catch (error) {
      checks.push(couldNotCheck(name, error, 'lambda:GetAccountSettings'));
    }
  }
  return checks;
}

async function checkStateBackend(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const backend = scope.config.backend;
  if (backend.type === 'local') {
    return [
      {
        name: 'Terraform state',
        status: 'warn',
        detail: `local state in ${backend.directory}/: fine on one machine, lost or clobbered in a pipeline`,
        fix: 'set backend: { type: s3, bucket, region } (docs/pipeline.md)',
      },
    ];
  }
  const checks: Check[] = [];
  const { HeadBucketCommand, GetBucketVersioningCommand } = await import('@aws-sdk/client-s3');
  const s3 = deps.s3(backend.region);
  const bucket = `State bucket ${backend.bucket}`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: backend.bucket }));
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: backend.bucket }));
    checks.push(
      versioning.Status === 'Enabled'
        ? { name: bucket, status: 'pass', detail: `reachable in ${backend.region}, versioned` }
        : {
            name: bucket,
            status: 'warn',
            detail: 'reachable, but not versioned: a corrupted or deleted state cannot be recovered',
            fix: `aws s3api put-bucket-versioning --bucket ${backend.bucket} --versioning-configuration Status=Enabled`,
          },
    );
  } catch (error) {
    const name = errorName(error);
    checks.push(
      name === 'NotFound' || name === 'NoSuchBucket'
        ? {
            name: bucket,
            status: 'fail',
            detail: `no bucket ${backend.bucket} in ${backend.region}`,
            fix: `aws s3api create-bucket --bucket ${backend.bucket} --region ${backend.region}${backend.region === 'us-east-1' ? '' : ` --create-bucket-configuration LocationConstraint=${backend.region}`} && aws s3api put-bucket-versioning --bucket ${backend.bucket} --versioning-configuration Status=Enabled`,
          }
        : couldNotCheck(bucket, error, 's3:ListBucket and s3:GetBucketVersioning on the state bucket'),
    );
  }
  if (backend.lockTable) {
    const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
    const name = `State lock table ${backend.lockTable}`;
    try {
      const table = (await deps.dynamodb(backend.region).send(new DescribeTableCommand({ TableName: backend.lockTable }))).Table;
      const hash = table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
      checks.push(
        hash === 'LockID'
          ? { name, status: 'pass', detail: 'keyed by LockID, as Terraform expects' }
          : {
              name,
              status: 'fail',
              detail: `its hash key is ${hash ?? 'missing'}; Terraform's lock needs a string hash key named LockID`,
              fix: `create a table with hash key LockID (S): aws dynamodb create-table --table-name <name> --attribute-definitions AttributeName=LockID,AttributeType=S --key-schema AttributeName=LockID,KeyType=HASH --billing-mode PAY_PER_REQUEST --region ${backend.region}`,
            },
      );
    } catch (error) {
      checks.push(
        errorName(error) === 'ResourceNotFoundException'
          ? {
              name,
              status: 'fail',
              detail: `no table ${backend.lockTable} in ${backend.region}`,
              fix: `aws dynamodb create-table --table-name ${backend.lockTable} --attribute-definitions AttributeName=LockID,AttributeType=S --key-schema AttributeName=LockID,KeyType=HASH --billing-mode PAY_PER_REQUEST --region ${backend.region}`,
            }
          : couldNotCheck(name, error, 'dynamodb:DescribeTable'),
      );
    }
  } else if (!backend.useLockfile) {
    checks.push({
      name: 'State lock',
      status: 'warn',
      detail: 'no lock: two applies at once can corrupt the state',
      fix: 'set backend.useLockfile: true (Terraform >= 1.10) or backend.lockTable',
    });
  }
  return checks;
}

/** `1.10.3` >= `1.10` */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const b = minimum.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

async function checkTerraform(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const name = 'Terraform';
  const version = await deps.terraformVersion();
  if (version === undefined)
    return [{ name, status: 'skip', detail: 'terraform is not on PATH (npx cdktf deploy needs it; a pipeline installs its own)' }];
  const backend = scope.config.backend;
  const nativeLock = backend.type === 's3' && backend.useLockfile;
  if (nativeLock && !versionAtLeast(version, '1.10')) {
    return [
      {
        name,
        status: 'fail',
        detail: `terraform ${version} predates S3 native state locking (backend.useLockfile), which needs 1.10 or later`,
        fix: 'install Terraform >= 1.10 (or OpenTofu >= 1.10), or set backend.useLockfile: false with a backend.lockTable',
      },
    ];
  }
  return [{ name, status: 'pass', detail: `terraform ${version}${nativeLock ? ' (supports S3 native locking)' : ''}` }];
}

/** Every check, in checklist order. Never throws: a check that cannot be made is a failure that says why. */
export async function runChecks(scope: DoctorScope, deps: DoctorDeps): Promise<Check[]> {
  const groups = [checkStackSets, checkGuardDuty, checkSecurityHub, checkLambdaConcurrency, checkStateBackend, checkTerraform];
  const results: Check[] = [];
  for (const group of groups) results.push(...(await group(scope, deps)));
  return results;
}

const MARK: Record<CheckStatus, string> = { pass: '[ok]  ', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' };

export function formatChecklist(checks: readonly Check[]): string {
  const lines = checks.flatMap((c) => [`${MARK[c.status]} ${c.name}: ${c.detail}`, ...(c.fix ? [`       fix: ${c.fix}`] : [])]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(
    '',
    failed === 0 ? `Ready to deploy${warned ? ` (${warned} warning(s))` : ''}.` : `${failed} check(s) failed: fix them before deploying.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Terraform's version from `terraform version -json`, or undefined when it is not on PATH. */
export function terraformVersionFromPath(): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('terraform', ['version', '-json'], { timeout: 20_000, env: { ...process.env, CHECKPOINT_DISABLE: '1' } }, (error, stdout) => {
      if (error) return done(undefined);
      try {
        done((JSON.parse(stdout) as { terraform_version?: string }).terraform_version);
      } catch {
        done(undefined);
      }
    });
  });
}

async function defaultDeps(): Promise<DoctorDeps> {
  const [orgs, gd, sh, lambda, s3, ddb] = await Promise.all([
    import('@aws-sdk/client-organizations'),
    import('@aws-sdk/client-guardduty'),
    import('@aws-sdk/client-securityhub'),
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, create: () => T): T => {
    if (!cache.has(key)) cache.set(key, create());
    return cache.get(key) as T;
  };
  return {
    // Organizations is a global service answered in us-east-1 (aws partition).
    organizations: () => once('orgs', () => new orgs.OrganizationsClient({ region: 'us-east-1' })),
    guardduty: (region) => once(`gd-${region}`, () => new gd.GuardDutyClient({ region })),
    securityhub: (region) => once(`sh-${region}`, () => new sh.SecurityHubClient({ region })),
    lambda: (region) => once(`lambda-${region}`, () => new lambda.LambdaClient({ region })),
    s3: (region) => once(`s3-${region}`, () => new s3.S3Client({ region })),
    dynamodb: (region) => once(`ddb-${region}`, () => new ddb.DynamoDBClient({ region })),
    terraformVersion: terraformVersionFromPath,
  };
}

const USAGE = `usage: cloudmend doctor [--config cloudmend.yaml]

Checks, with your current AWS credentials, what deploying this config needs:
StackSets trusted access and delegated administrator, GuardDuty and Security
Hub delegated administrators and regions, Lambda concurrency, the state
bucket and lock, and the Terraform version. Prints the fix for each failure.`;

export interface DoctorIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

export async function run(
  argv: string[],
  io: DoctorIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), cwd: process.cwd() },
  deps?: DoctorDeps,
): Promise<number> {
  try {
    const values = parseOptions(argv, { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
    if (values.help) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    const configPath = resolve(io.cwd, values.config ?? 'cloudmend.yaml');
    if (!values.config && !existsSync(configPath)) throw new UsageError('no ./cloudmend.yaml here: pass --config cloudmend.yaml', USAGE);
    const { formatNotice, loadConfigWithWarnings } = await import('../config/load');
    const { loadInventory, scopeInventory } = await import('../config/inventory');
    const { config, warnings } = loadConfigWithWarnings(configPath);
    const scoped = scopeInventory(loadInventory(config, configPath).inventory, config);
    const checks = await runChecks({ config, regions: scoped.regions }, deps ?? (await defaultDeps()));
    io.out(`cloudmend doctor: ${configPath} (security account ${config.securityAccount}, ${scoped.regions.length} region(s))\n\n`);
    // The config's warnings and info lines: printed before the checks, never a failure by themselves.
    if (warnings.length > 0) io.out(`config:\n${warnings.map((w) => `  - ${formatNotice(w, '  ')}\n`).join('')}\n`);
    io.out(formatChecklist(checks));
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cloudmend doctor: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.err(`cloudmend doctor: ${describeFailure(error)}\n`);
    return 1;
  }
}
