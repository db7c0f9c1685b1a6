import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetBucketTaggingCommand, GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { run } from '../../cli/invoke';
import { runtimeConfig } from '../handler/support';
import { tempDirForFile } from '../support/temp-dir';
import { awsError } from '../support/aws-error';

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
// Config events carry no tags: the handler looks the bucket's tags up (exclusion tag) before running the bot.
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
afterAll(() => {
  sts.restore();
  s3.restore();
  tagging.restore();
});

const dir = tempDirForFile('cloudmend-invoke-');
const fixtures = join(__dirname, '../fixtures');
const runtimeJson = join(dir, 'cloudmend.runtime.json');
writeFileSync(
  runtimeJson,
  JSON.stringify(
    runtimeConfig({
      enabledBots: ['s3_enable_versioning'],
      mappings: { guardduty: {}, securityHub: {}, config: { 's3-bucket-versioning-enabled': ['s3_enable_versioning'] } },
      regions: ['us-east-2'],
      accounts: { '333333333333': 'Root' },
    }),
  ),
);

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
    cwd: fixtures,
    env: {},
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

beforeEach(() => {
  sts.reset();
  s3.reset();
  tagging.reset();
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
  sts
    .on(AssumeRoleCommand)
    .resolves({ Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T', Expiration: new Date(Date.now() + 900_000) } });
  s3.on(GetBucketTaggingCommand).resolves({ TagSet: [] });
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
  s3.on(PutBucketVersioningCommand).resolves({});
});

describe('cloudmend invoke', () => {
  it('runs the handler code on an event file and prints the plan and the results as tables', async () => {
    const t = io();
    const code = await run(['--event', 'config-s3-versioning.json', '--config', runtimeJson], t);
    expect(t.stderr()).toBe('');
    expect(code).toBe(0);
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleArn).toBe('arn:aws:iam::333333333333:role/CloudmendRemediation');
    const text = t.stdout();
    expect(text).toContain('cloudmend invoke config-s3-versioning.json (enforce: bots will make changes)');
    expect(text).toMatch(/Plan:\nBOT +RESOURCE +ACCOUNT +REGION +SOURCE +REQUESTED BY +PARAMS\n-+/);
    expect(text).toMatch(/s3_enable_versioning +AWS::S3::Bucket member-bucket +333333333333 +us-east-2 +config +config mapping +\{\}/);
    expect(text).toMatch(/remediated +s3_enable_versioning +AWS::S3::Bucket member-bucket .* enabled versioning on member-bucket/);
    expect(text).toMatch(/changed: versioning Suspended -> Enabled \(s3:PutBucketVersioning arn:aws:s3:::member-bucket\)/);
  });

  it('--dry-run changes nothing and says so', async () => {
    const t = io();
    expect(await run(['--event', 'config-s3-versioning.json', '--config', runtimeJson, '--dry-run'], t)).toBe(0);
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
    expect(t.stdout()).toContain('(dry run: nothing will be changed)');
    expect(t.stdout()).toMatch(/dry-run +s3_enable_versioning/);
    expect(t.stdout()).toContain('would change: versioning Suspended -> Enabled');
  });

  it('exits 1 when a result failed, printing why', async () => {
    s3.on(GetBucketVersioningCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const t = io();
    expect(await run(['--event', 'config-s3-versioning.json', '--config', runtimeJson], t)).toBe(1);
    expect(t.stdout()).toMatch(/failed +s3_enable_versioning .* s3_enable_versioning failed: Access Denied \[AccessDenied\]/);
    expect(t.stdout()).toContain('1 of 1 result(s) failed.');
  });

  it('says a transient failure is not retried by invoke, and how to retry it', async () => {
    s3.on(GetBucketVersioningCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    const t = io();
    expect(await run(['--event', 'config-s3-versioning.json', '--config', runtimeJson], t)).toBe(1);
    expect(t.stdout()).toContain('1 of 1 result(s) failed (1 transient: invoke does not retry; run it again).');
    expect(t.stdout()).not.toContain('will be retried');
  });

  it('prints JSON results with --json', async () => {
    const t = io();
    await run(['--event', 'config-not-applicable.json', '--config', runtimeJson, '--json'], t);
    expect(JSON.parse(t.stdout())).toEqual([expect.objectContaining({ status: 'skipped', errorName: 'not-failed', source: 'config' })]);
  });

  it('builds the runtime config from cloudmend.yaml as synth does', async () => {
    const yaml = join(dir, 'cloudmend.yaml');
    writeFileSync(
      yaml,
      [
        'securityAccount: "111111111111"',
        'mode: dry-run',
        'regions: { include: [us-east-2] }',
        'organization:',
        '  accounts:',
        '    - { id: "333333333333", name: web, ou: Root/Workloads }',
        'bots: { enabled: [s3_enable_versioning] }',
        'mappings: { config: { s3-bucket-versioning-enabled: [s3_enable_versioning] } }',
        'roles: { deployment: terraform }',
        '',
      ].join('\n'),
    );
    const t = io();
    const code = await run(['--event', 'config-s3-versioning.json', '--config', yaml], t);
    // Nothing on stderr but the config's warnings, as synth gives them: here, the default mappings of the bots not enabled.
    expect(t.stderr()).toMatch(
      /^cloudmend invoke: warning: .*cloudmend\.yaml:7:\d+: bots\.enabled: \d+ bot\(s\) remediate findings by default/,
    );
    expect(
      t
        .stderr()
        .split('\n')
        .filter((line) => line && !line.startsWith('  - ')),
    ).toHaveLength(1);
    expect(code).toBe(0);
    expect(t.stdout()).toMatch(/dry-run +s3_enable_versioning +AWS::S3::Bucket member-bucket/);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.ExternalId).toBe('cloudmend');
  });

  it.each([
    [[], '--event <file.json> is required'],
    [['--event', 'x.json', '--bogus'], "Unknown option '--bogus'"],
  ])('rejects bad arguments %j with usage and exit 2', async (argv, message) => {
    const t = io();
    expect(await run(argv as string[], t)).toBe(2);
    expect(t.stderr()).toContain(message);
    expect(t.stderr()).toContain('usage: cloudmend invoke --event');
  });

  it('says which file it cannot read', async () => {
    const t = io();
    expect(await run(['--event', 'missing.json', '--config', runtimeJson], t)).toBe(1);
    expect(t.stderr()).toContain(`cannot read the event ${join(fixtures, 'missing.json')}`);
  });
});
