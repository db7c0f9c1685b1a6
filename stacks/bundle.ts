/**
 * Bundles the Lambda handler once per synth: esbuild into one minified CJS
 * file, then one deterministic zip with the runtime config beside it. Every
 * handler stack attaches this same zip as a file asset; packaging an archive
 * per stack cost ~230 ms each.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { RUNTIME_CONFIG_FILE } from '../config/runtime';
import { stableStringify } from './stable-json';
import { createZip } from './zip';

export const DEFAULT_HANDLER_ENTRY = 'handler/index.ts';
export const DEFAULT_BUNDLE_DIR = '.gen/handler';

export interface BundleOptions {
  /** Handler entry file, relative to `cwd`. Default handler/index.ts. */
  entry?: string;
  /** Output folder, relative to `cwd`. Default .gen/handler. */
  outDir?: string;
  /** Written as cloudmend.runtime.json next to index.js in the zip. Absent: no runtime config in the zip. */
  runtimeConfig?: unknown;
  /** Repository root; default process.cwd(). */
  cwd?: string;
}

export interface BundleResult {
  /** The bundled index.js (absolute path). */
  bundleFile: string;
  /** Size of index.js in bytes. */
  bytes: number;
  /** The deterministic zip holding index.js (+ cloudmend.runtime.json). */
  zipFile: string;
  /** sha256 of the zip, hex: the code hash Terraform compares. */
  zipSha256: string;
}

/** Modules that must never reach the Lambda bundle: the deployer's half. */
const DEPLOYER_ONLY = /(^|\/)node_modules\/(cdktf|constructs|@cdktf\/[^/]+)\//;

export class BundleError extends Error {}

export async function bundleHandler(options: BundleOptions = {}): Promise<BundleResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const entry = resolve(cwd, options.entry ?? DEFAULT_HANDLER_ENTRY);
  const outDir = resolve(cwd, options.outDir ?? DEFAULT_BUNDLE_DIR);
  if (!existsFile(entry)) throw new BundleError(`handler entry ${relative(cwd, entry) || entry} not found`);
  mkdirSync(outDir, { recursive: true });
  const bundleFile = join(outDir, 'index.js');

  // Loaded here, not at the top: `cloudmend policy` and tests of pure stack code never pay for esbuild.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: bundleFile,
    absWorkingDir: cwd,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
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

  const output = result.outputFiles.find((file) => file.path === bundleFile);
  if (!output) throw new BundleError(`esbuild produced no ${bundleFile}`);
  const code = Buffer.from(output.contents);
  writeFileSync(bundleFile, code);
  const entries = [{ name: 'index.js', data: code }];
  if (options.runtimeConfig !== undefined) {
    entries.push({ name: RUNTIME_CONFIG_FILE, data: Buffer.from(`${stableStringify(options.runtimeConfig)}\n`) });
  }
  const zip = createZip(entries);
  const zipFile = join(outDir, 'handler.zip');
  writeFileSync(zipFile, zip);
  return { bundleFile, bytes: code.length, zipFile, zipSha256: createHash('sha256').update(zip).digest('hex') };
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
