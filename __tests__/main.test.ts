import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveConfigPath, synthesize } from '../main';

const ROOT = join(__dirname, '..');
const OUTDIR = '.gen/main-test/cdktf.out';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', '.git', '.gen', 'cdktf.out', 'coverage', 'dist'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('imports', () => {
  it('never loads the @cdktf/provider-aws index (2,212 modules, 3 s, 570 MB): only deep lib/<resource> paths', () => {
    const offenders = sourceFiles(ROOT).filter((file) =>
      /(from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-aws(\/lib)?\/?['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});

describe('resolveConfigPath', () => {
  it('prefers CLOUDMEND_CONFIG, then ./cloudmend.yaml, then the embedded example', () => {
    expect(resolveConfigPath('/somewhere', { CLOUDMEND_CONFIG: 'x/my.yaml' })).toBe('/somewhere/x/my.yaml');
    expect(resolveConfigPath('/nonexistent-dir', {})).toBe(join(ROOT, 'config/example.yaml'));
  });
});

describe('synthesize the embedded example', () => {
  let result: Awaited<ReturnType<typeof synthesize>>;
  const stackJson = new Map<string, string>();

  beforeAll(async () => {
    rmSync(join(ROOT, OUTDIR), { recursive: true, force: true });
    result = await synthesize({
      cwd: ROOT,
      configPath: 'config/example.yaml',
      outdir: OUTDIR,
      entry: '__tests__/stacks/fixtures/handler-entry.ts',
    });
    for (const name of readdirSync(join(ROOT, OUTDIR, 'stacks')).sort()) {
      stackJson.set(name, readFileSync(join(ROOT, OUTDIR, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    }
  }, 60000);
  afterAll(() => rmSync(join(ROOT, '.gen/main-test'), { recursive: true, force: true }));

  it('writes one handler stack per example region, the security account role and the StackSets', () => {
    const regions = result.config.regions.include as string[];
    expect([...stackJson.keys()]).toEqual([
      ...regions.map((r) => `cloudmend-handler-${r}`).sort(),
      'cloudmend-members-security',
      'cloudmend-stacksets',
    ]);
  });

  it('prints a summary that matches the example config', () => {
    const { summary, config, scoped } = result;
    expect(summary).toContain('cloudmend synth: config/example.yaml (dry-run)');
    expect(summary).toContain(`accounts          ${scoped.accounts.length} in scope`);
    expect(summary).toContain('stacks            3 handler + 1 member-role + 1 StackSet = 5');
    for (const bot of config.bots.enabled as string[]) expect(summary).toContain(bot);
    expect(summary).toMatch(/excluded \d{12} \(sandbox\): under excluded OU Root\/Sandbox/);
    // The example enables a subset of the catalog: the defaults of the rest are reported, not silently dropped.
    expect(summary).toContain('may not run, so these findings get no bot');
    expect(summary).toMatch(/ {2}- warning: config\/example\.yaml:\d+:\d+: bots\.enabled: \d+ bot\(s\) remediate findings by default/);
    expect(summary).toContain('  - ec2_terminate_instance (not enabled): EC2.4, ec2-stopped-instance');
    // Stated at synth (and by `cloudmend doctor`): the security account is always in scope.
    expect(summary).toMatch(/ {2}- info: config\/example\.yaml:\d+:\d+: securityAccount: security account 111111111111 is always in scope/);
  });

  it('is stable: no absolute paths, no timestamps', () => {
    for (const json of stackJson.values()) {
      expect(json).not.toContain(ROOT);
      expect(json).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });

  it('matches the reviewed snapshot', () => {
    // The zip hash follows the bundled code (bundle determinism has its own tests); everything else is pinned.
    const normalized = Object.fromEntries(
      [...stackJson].map(([name, json]) => {
        const zipSha = /assets\/code\/([0-9a-f]{64})\//.exec(json)?.[1];
        let text = json;
        if (zipSha) {
          text = text.split(zipSha).join('<zip-sha256>').split(Buffer.from(zipSha, 'hex').toString('base64')).join('<zip-sha256-base64>');
        }
        return [name, JSON.parse(text)];
      }),
    );
    expect(normalized).toMatchSnapshot();
  });
});
