import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandler } from '../../stacks/bundle';
import { BundleError } from '../../stacks/errors';

const ENTRY = '__tests__/stacks/fixtures/handler-entry.ts';

describe('bundleHandler', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), 'cloudmend-bundle-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  /** Imports the bundle in a fresh node process, as the Lambda runtime does, and calls its handler. */
  function invokeBundle(bundleFile: string, event: unknown): unknown {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(bundleFile).href)}); process.stdout.write(JSON.stringify(await m.handler(${JSON.stringify(event)})));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  }

  it('bundles the entry into an ES module that runs on node', async () => {
    const result = await bundleHandler({ entry: ENTRY, outDir });
    expect(result.bundleFile).toBe(join(outDir, 'index.mjs'));
    expect(result.entryBytes).toBe(readFileSync(result.bundleFile).length);
    expect(invokeBundle(result.bundleFile, {})).toEqual({ ok: false, client: 'function' });
  });

  it('splits lazily imported SDK clients into chunks that the entry does not read at init', async () => {
    const result = await bundleHandler({ entry: ENTRY, outDir });
    const chunks = readdirSync(join(outDir, 'chunks'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(result.bytes).toBeGreaterThan(result.entryBytes);
    const entry = readFileSync(result.bundleFile, 'utf8');
    expect(entry).not.toContain('GetCallerIdentity');
  });

  it('zips the entry, its chunks and the runtime config, sorted, with the epoch DOS date, readable by unzip', async () => {
    const result = await bundleHandler({ entry: ENTRY, outDir, runtimeConfig: { z: 1, a: [2] } });
    const listing = execFileSync('unzip', ['-Z', '-T', result.zipFile], { encoding: 'utf8' });
    const names = listing
      .split('\n')
      .filter((l) => l.startsWith('-rw'))
      .map((l) => l.trim().split(/\s+/));
    expect(names.map((cols) => cols.at(-1))).toEqual(expect.arrayContaining(['cloudmend.runtime.json', 'index.mjs']));
    expect(names.map((cols) => cols.at(-1)).some((name) => name!.startsWith('chunks/'))).toBe(true);
    expect(names.every((cols) => cols.includes('19800101.000000'))).toBe(true);
    const runtime = execFileSync('unzip', ['-p', result.zipFile, 'cloudmend.runtime.json'], { encoding: 'utf8' });
    expect(runtime).toBe('{\n  "a": [\n    2\n  ],\n  "z": 1\n}\n');
    execFileSync('unzip', ['-tq', result.zipFile]);
  });

  it('produces byte-identical zips on repeated builds', async () => {
    const first = await bundleHandler({ entry: ENTRY, outDir, runtimeConfig: { mode: 'dry-run' } });
    const bytes = readFileSync(first.zipFile);
    await new Promise((r) => setTimeout(r, 1100)); // cross a DOS 2-second boundary at least sometimes
    const second = await bundleHandler({ entry: ENTRY, outDir, runtimeConfig: { mode: 'dry-run' } });
    expect(second.zipSha256).toBe(first.zipSha256);
    expect(readFileSync(second.zipFile).equals(bytes)).toBe(true);
  });

  it('refuses a handler that imports cdktf, naming the offending module', async () => {
    const attempt = bundleHandler({ entry: '__tests__/stacks/fixtures/handler-importing-cdktf.ts', outDir });
    await expect(attempt).rejects.toThrow(BundleError);
    await expect(attempt).rejects.toThrow(/deployer-only modules.*node_modules\/cdktf\//);
  });

  it('says which entry is missing', async () => {
    await expect(bundleHandler({ entry: 'handler/does-not-exist.ts', outDir })).rejects.toThrow(
      'handler entry handler/does-not-exist.ts not found',
    );
  });
});
