/**
 * Bundles the Lambda handler once per synth: esbuild into a minified ES module
 * split into lazily loaded chunks, then one deterministic zip with the runtime config beside it. Every
 * handler stack attaches this same zip as a file asset; packaging an archive
 * per stack cost ~230 ms each.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { RUNTIME_CONFIG_FILE } from '../config/runtime';
import { BundleError } from './errors';
import { stableStringify } from './stable-json';
import { createZip } from './zip';

export const DEFAULT_HANDLER_ENTRY = 'handler/index.ts';
export const DEFAULT_BUNDLE_DIR = '.gen/handler';

export interface BundleOptions {
  /** Handler entry file, relative to `cwd`. Default handler/index.ts. */
  entry?: string | undefined;
  /** Output folder, relative to `cwd`. Default .gen/handler. */
  outDir?: string;
  /** Written as cloudmend.runtime.json next to index.mjs in the zip. Absent: no runtime config in the zip. */
  runtimeConfig?: unknown;
  /** Repository root; default process.cwd(). */
  cwd?: string;
  /** Default true. Off only to read a CPU profile of the bundle by function name (`npm run bench -- e2e --profile`). */
  minify?: boolean;
}

export interface BundleResult {
  /** The bundle's entry, index.mjs (absolute path); chunks sit beside it in chunks/. */
  bundleFile: string;
  /** Size of the entry and all chunks, in bytes. */
  bytes: number;
  /** Size of the entry alone: what every cold start reads. */
  entryBytes: number;
  /** The deterministic zip holding index.mjs, chunks/ (+ cloudmend.runtime.json). */
  zipFile: string;
  /** sha256 of the zip, hex: the code hash Terraform compares. */
  zipSha256: string;
}

/** Modules that must never reach the Lambda bundle: the deployer's half. */
const DEPLOYER_ONLY = /(^|\/)node_modules\/(cdktf|constructs|@cdktf\/[^/]+)\//;

export async function bundleHandler(options: BundleOptions = {}): Promise<BundleResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const entry = resolve(cwd, options.entry ?? DEFAULT_HANDLER_ENTRY);
  const outDir = resolve(cwd, options.outDir ?? DEFAULT_BUNDLE_DIR);
  if (!existsFile(entry)) throw new BundleError(`handler entry ${relative(cwd, entry) || entry} not found`);
  mkdirSync(outDir, { recursive: true });
  // Chunk names carry content hashes: drop the previous build's so they never pile up.
  rmSync(join(outDir, 'chunks'), { recursive: true, force: true });

  // Loaded here, not at the top: `cloudmend policy` and tests of pure stack code never pay for esbuild.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { index: entry },
    outdir: outDir,
    absWorkingDir: cwd,
    bundle: true,
    platform: 'node',
    target: 'node22',
    // ESM with code splitting: each AWS SDK client a bot loads with `await import()` becomes
    // its own chunk, read only when a bot needs it. As one CJS file, Node read all 2.8 MiB
    // at every cold start (~128 ms here); split, init reads the entry alone (~40 ms).
    format: 'esm',
    // The SDK's ES module builds: named exports survive `await import()` of a split chunk
    // (a CommonJS build would only expose `default` there).
    mainFields: ['module', 'main'],
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: ESM_SHIMS },
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const forbidden = Object.keys(result.metafile.inputs)
    .filter((input) => DEPLOYER_ONLY.test(input))
    .sort();
  if (forbidden.length > 0) {
    throw new BundleError(
      `the handler bundle pulls in deployer-only modules (handler/ and bots/ must never import cdktf, constructs or @cdktf/*): ${forbidden
        .slice(0, 5)
        .join(', ')}${forbidden.length > 5 ? ` and ${forbidden.length - 5} more` : ''}`,
    );
  }

  const bundleFile = join(outDir, 'index.mjs');
  const entries = result.outputFiles.map((file) => {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
    return { name: relative(outDir, file.path).split(sep).join('/'), data: Buffer.from(file.contents) };
  });
  const bytes = entries.reduce((sum, e) => sum + e.data.length, 0);
  const entryFile = entries.find((e) => e.name === 'index.mjs');
  if (!entryFile) throw new BundleError(`esbuild produced no ${bundleFile}`);
  const entryBytes = entryFile.data.length;
  if (options.runtimeConfig !== undefined) {
    entries.push({ name: RUNTIME_CONFIG_FILE, data: Buffer.from(`${stableStringify(options.runtimeConfig)}\n`) });
  }
  const zip = createZip(entries);
  const zipFile = join(outDir, 'handler.zip');
  writeFileSync(zipFile, zip);
  return { bundleFile, bytes, entryBytes, zipFile, zipSha256: createHash('sha256').update(zip).digest('hex') };
}

/**
 * Bundled CommonJS dependencies (the AWS SDK is mostly CJS) call `require` for
 * Node built-ins and read `__dirname`; ES modules have neither, so every output
 * file defines them first.
 */
const ESM_SHIMS = [
  "import { createRequire as __cmCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cmFileURLToPath } from 'node:url';",
  "import { dirname as __cmDirname } from 'node:path';",
  'const require = __cmCreateRequire(import.meta.url);',
  'const __filename = __cmFileURLToPath(import.meta.url);',
  'const __dirname = __cmDirname(__filename);',
].join('\n');

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
