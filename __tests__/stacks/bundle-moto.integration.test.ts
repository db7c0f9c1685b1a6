/**
 * The production artefact, not the sources: the handler bundled exactly as the
 * deployer ships it (ESM entry + lazily loaded chunks + cloudmend.runtime.json
 * beside it), imported by a fresh Node process the way the Lambda runtime
 * imports it, remediates a Security Hub finding in a member account on moto.
 * Catches what source-level tests cannot: a chunk that fails to load, an SDK
 * export lost in bundling, a runtime config the bundle cannot find.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { bundleHandler } from '../../stacks/bundle';
import { RUNTIME_CONFIG_FILE, type RuntimeConfig } from '../../config/runtime';
import { fixture } from '../fixtures/load';
import { describeMoto, memberSession, motoUrl } from '../support/moto';
import { tempDirForFile } from '../support/temp-dir';

const MEMBER = '222222222222';
const dir = tempDirForFile('cloudmend-bundle-moto-');

const runtime: RuntimeConfig = {
  version: 1,
  mode: 'enforce',
  securityAccount: '111111111111',
  enabledBots: ['s3_block_all_public_access'],
  optIn: [],
  params: {},
  mappings: { guardduty: {}, securityHub: { 'S3.8': ['s3_block_all_public_access'] }, config: {} },
  exclusionTag: { key: 'cloudmend:exclude' },
  memberRoleName: 'CloudmendRemediation',
  externalId: 'cloudmend',
  accounts: { '111111111111': 'Root/Security', [MEMBER]: 'Root/Prod' },
  regions: ['us-east-1'],
};

describeMoto('the bundled handler against moto', () => {
  it('remediates a Security Hub S3.8 finding in a member account, loading its chunks on demand', async () => {
    const bundle = await bundleHandler({ outDir: dir, cwd: join(__dirname, '../..') });
    writeFileSync(join(dir, RUNTIME_CONFIG_FILE), JSON.stringify(runtime));

    const s3 = (await memberSession(MEMBER)).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'bundled-target' }));
    const event = fixture('securityhub-imported-s3.8.json');
    const finding = event.detail.findings[0];
    finding.AwsAccountId = MEMBER;
    finding.Resources[0].Id = 'arn:aws:s3:::bundled-target';
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));

    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(bundle.bundleFile).href)});
      const { readFileSync } = await import('node:fs');
      const outcome = await handler(JSON.parse(readFileSync(${JSON.stringify(join(dir, 'event.json'))}, 'utf8')));
      process.stderr.write('OUTCOME ' + JSON.stringify(outcome) + '\\n');`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: motoUrl(),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_MAX_ATTEMPTS: '1',
      },
    });

    expect(stderr).toContain('OUTCOME {"results":{"remediated":1},"dryRun":false}');
    const logged = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logged.find((l) => l.result)?.result).toMatchObject({
      bot: 's3_block_all_public_access',
      status: 'remediated',
      account: MEMBER,
    });
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bundled-target' }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });
});
