/**
 * The dependency direction of DESIGN.md, enforced: the Lambda bundle must not
 * pull in the deployer, bots must stay free of transport concerns, and the
 * deployer only bundles the handler's entry file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports, statically or dynamically. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return [...new Set(specifiers)];
}

/** The top-level folder a relative import lands in, e.g. "bots" or "handler". */
function targetFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(root, resolve(root, dirname(file), specifier)).split(/[\\/]/)[0];
}

const deployerPackages = /^(cdktf|constructs|@cdktf\/)/;

describe('architecture', () => {
  it.each(['handler', 'bots'])('%s/ never imports cdktf or constructs (the Lambda bundle stays small)', (dir) => {
    const offenders = sourceFiles(dir).flatMap((file) =>
      importsOf(file)
        .filter((s) => deployerPackages.test(s))
        .map((s) => `${file} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('bots/ depend on nothing of ours outside bots/', () => {
    const offenders = sourceFiles('bots').flatMap((file) =>
      importsOf(file)
        .filter((s) => {
          const folder = targetFolder(file, s);
          return folder !== undefined && folder !== 'bots';
        })
        .map((s) => `${file} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('handler/ uses bots/ and the runtime config contract (runtime config, source declarations, region names), never the deployer', () => {
    const offenders = sourceFiles('handler').flatMap((file) =>
      importsOf(file)
        .filter((s) => {
          const folder = targetFolder(file, s);
          if (folder === undefined || folder === 'handler' || folder === 'bots') return false;
          return !(folder === 'config' && /config\/(runtime|sources|regions)$/.test(s));
        })
        .map((s) => `${file} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the contract modules the handler may import depend on zod and each other only', () => {
    const offenders = ['config/runtime.ts', 'config/sources.ts', 'config/regions.ts'].flatMap((file) =>
      importsOf(file)
        .filter((s) => s !== 'zod' && !/^\.\/(runtime|sources|regions)$/.test(s))
        .map((s) => `${file} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('stacks/ never import handler internals (they bundle the entry file by path)', () => {
    const offenders = sourceFiles('stacks').flatMap((file) =>
      importsOf(file)
        .filter((s) => targetFolder(file, s) === 'handler')
        .map((s) => `${file} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('handler/ has no import cycle (shared types live in the leaf handler/types.ts)', () => {
    const files = new Set(sourceFiles('handler'));
    const edges = new Map(
      [...files].map((file) => [
        file,
        importsOf(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => relative(root, resolve(root, dirname(file), s)))
          .flatMap((target) => [`${target}.ts`, join(target, 'index.ts')].filter((candidate) => files.has(candidate))),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('bots and the handler load AWS SDK clients through bots/sdk.ts, which keeps each module once loaded', () => {
    // An import() of a module already loaded still costs a bot tens of µs per run (bots/sdk.ts); type imports cost nothing.
    const offenders = [...sourceFiles('bots'), ...sourceFiles('handler')]
      .filter((file) => file !== 'bots/sdk.ts')
      .flatMap((file) =>
        [...readFileSync(join(root, file), 'utf8').matchAll(/import\(\s*['"](@aws-sdk\/client-[^'"]+)['"]\s*\)/g)].map(
          (m) => `${file} imports ${m[1]} itself`,
        ),
      );
    expect(offenders).toEqual([]);
  });

  it('detects the imports it checks (guards the checker itself)', () => {
    expect(importsOf('bots/index.ts')).toContain('./s3');
    expect(targetFolder('handler/index.ts', '../bots/types')).toBe('bots');
    expect(deployerPackages.test('@cdktf/provider-aws/lib/iam-role')).toBe(true);
  });
});
