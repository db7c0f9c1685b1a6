/**
 * The pipeline path: `npx cdktf synth` (cdktf-cli from the lockfile, running
 * cdktf.json's app) writes exactly what `npm run synth` writes, offline (no
 * provider download, no telemetry: any HTTP(S) request would hit a closed port).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join, relative } from 'node:path';
import { tempDirForFile } from './support/temp-dir';

const ROOT = join(__dirname, '..');
const OUT = join(tempDirForFile('cdktf-cli-'), 'cdktf.out');
const OFFLINE = {
  ...process.env,
  CLOUDMEND_CONFIG: 'config/example.yaml',
  CHECKPOINT_DISABLE: '1',
  CI: '1',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '',
};

/** Every file under `dir`, by relative path. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('npx cdktf synth', () => {
  let viaCli: Map<string, string>;
  let viaNpm: Map<string, string>;

  beforeAll(() => {
    execFileSync(join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', OUT], { cwd: ROOT, env: OFFLINE, stdio: 'pipe' });
    viaCli = files(OUT);
    rmSync(OUT, { recursive: true, force: true });
    execFileSync('npm', ['run', '--silent', 'synth'], { cwd: ROOT, env: { ...OFFLINE, CDKTF_OUTDIR: OUT }, stdio: 'pipe' });
    viaNpm = files(OUT);
  }, 180_000);

  it('writes the same stacks as npm run synth, byte for byte', () => {
    const stacks = [...viaCli.keys()].filter((f) => f.endsWith('cdk.tf.json')).sort();
    expect(stacks).toEqual([
      'stacks/cloudmend-handler-eu-west-1/cdk.tf.json',
      'stacks/cloudmend-handler-us-east-1/cdk.tf.json',
      'stacks/cloudmend-handler-us-east-2/cdk.tf.json',
      'stacks/cloudmend-members-security/cdk.tf.json',
      'stacks/cloudmend-stacksets/cdk.tf.json',
    ]);
    expect([...viaCli.keys()].sort()).toEqual([...viaNpm.keys()].sort());
    for (const [path, text] of viaCli) expect({ path, text }).toEqual({ path, text: viaNpm.get(path) });
  });

  it('feeds the reference pipeline: its stack lists, run on this manifest, cover every stack once, handlers in their own group', () => {
    const workflow = parse(readFileSync(join(ROOT, 'examples/github-actions/cloudmend-deploy.yml'), 'utf8'));
    const step = workflow.jobs.synth.steps.find((s: { id?: string }) => s.id === 'stacks');
    const dir = join(OUT, '..');
    writeFileSync(join(dir, 'cdktf.out-manifest.json'), viaCli.get('manifest.json')!);
    const outputs = join(dir, 'github-output');
    writeFileSync(outputs, '');
    execFileSync('bash', ['-euo', 'pipefail', '-c', step.run.replaceAll('cdktf.out/manifest.json', 'cdktf.out-manifest.json')], {
      cwd: dir,
      env: { ...process.env, GITHUB_OUTPUT: outputs },
    });
    const groups = Object.fromEntries(
      readFileSync(outputs, 'utf8')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), JSON.parse(line.slice(line.indexOf('=') + 1))]),
    );
    expect(groups.before).toEqual([]);
    expect(groups.handler).toEqual(['cloudmend-handler-eu-west-1', 'cloudmend-handler-us-east-1', 'cloudmend-handler-us-east-2']);
    expect(groups.member).toEqual(['cloudmend-members-security', 'cloudmend-stacksets']);
    expect([...groups.before, ...groups.handler, ...groups.member].sort()).toEqual([...groups.all].sort());
  });

  it('asks cdktf for no generated provider bindings (cdktf get would write ~300 MB): the prebuilt @cdktf/provider-aws serves', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')).terraformProviders).toEqual([]);
  });
});
