/**
 * The runtime config (what the deployer derived from cloudmend.yaml), read once
 * per container from cloudmend.runtime.json next to the bundle, or from the
 * path in CLOUDMEND_RUNTIME_CONFIG.
 *
 * Dry run: the effective mode is dry run when ANY of these says so: the config's
 * `mode: dry-run`, env CLOUDMEND_DRY_RUN=true, or the invocation wrapper
 * `{ "dryRun": true, "event": <event> }` (for trying a finding in production
 * safely). Nothing per invocation can turn dry run off: only a deploy of
 * `mode: enforce` lets bots write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIME_CONFIG_FILE, RuntimeConfig } from '../config/runtime';
import { RuntimeConfigFileError } from './errors';

export function runtimeConfigPath(env: NodeJS.ProcessEnv = process.env, dir: string = __dirname): string {
  return env.CLOUDMEND_RUNTIME_CONFIG || join(dir, RUNTIME_CONFIG_FILE);
}

/** Parses and validates; errors name the file and every wrong field. */
export function parseRuntimeConfig(text: string, path: string): RuntimeConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RuntimeConfigFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = RuntimeConfig.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RuntimeConfigFileError(
      `${path} is not a valid cloudmend runtime config (${issues}); re-synthesize and deploy with this cloudmend version`,
    );
  }
  return parsed.data;
}

export function readRuntimeConfig(path: string): RuntimeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RuntimeConfigFileError(
      `cannot read the runtime config ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        `deploy with cloudmend (it writes ${RUNTIME_CONFIG_FILE} into the bundle) or set CLOUDMEND_RUNTIME_CONFIG`,
    );
  }
  return parseRuntimeConfig(text, path);
}

let cached: { path: string; config: RuntimeConfig } | undefined;

/** Once per container: the file is part of the deployed bundle and cannot change under a running container. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const path = runtimeConfigPath(env);
  if (cached?.path !== path) cached = { path, config: readRuntimeConfig(path) };
  return cached.config;
}

export interface Invocation {
  event: unknown;
  /** Dry run asked for by this invocation. */
  dryRun: boolean;
}

/** Unwraps `{ dryRun: true, event }`; any other event is passed through as it is. */
export function readInvocation(event: unknown): Invocation {
  if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
    const keys = Object.keys(event);
    const wrapper = event as { dryRun?: unknown; event?: unknown };
    if (keys.length === 2 && typeof wrapper.dryRun === 'boolean' && 'event' in wrapper) {
      return { event: wrapper.event, dryRun: wrapper.dryRun };
    }
  }
  return { event, dryRun: false };
}

export function effectiveDryRun(
  config: Pick<RuntimeConfig, 'mode'>,
  invocation: Pick<Invocation, 'dryRun'>,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return config.mode === 'dry-run' || invocation.dryRun || /^(1|true|yes)$/i.test(env.CLOUDMEND_DRY_RUN ?? '');
}
