/**
 * The handler's runtime configuration: what the deployer derives from
 * `cloudmend.yaml` and the inventory, and ships inside the Lambda bundle as
 * `cloudmend.runtime.json` (the handler's environment is limited to 4 KB, too
 * small for the account scope of a large organization). This file is the
 * contract between the two halves; it imports nothing but zod and the source
 * declarations (config/sources.ts, zod only) so the handler
 * bundle stays small.
 */
import { z } from 'zod';
import { perMappedSource } from './sources';

export const RUNTIME_CONFIG_FILE = 'cloudmend.runtime.json';

export const RuntimeConfig = z.strictObject({
  version: z.literal(1),
  mode: z.enum(['enforce', 'dry-run']),
  securityAccount: z.string(),
  /** Resolved list of enabled bot names (never "all"). */
  enabledBots: z.array(z.string()),
  /** Destructive bots explicitly allowed. */
  optIn: z.array(z.string()),
  /** Default params per bot. */
  params: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Per mapped source (config/sources.ts): the finding's rule -> bot invocations. */
  mappings: perMappedSource(() => z.record(z.string(), z.array(z.string()))),
  exclusionTag: z.strictObject({ key: z.string(), value: z.string().optional() }),
  memberRoleName: z.string(),
  externalId: z.string(),
  /** In-scope accounts: id -> OU path. A finding from any other account is rejected. */
  accounts: z.record(z.string(), z.string()),
  /** Enabled regions. A finding from any other region is rejected. */
  regions: z.array(z.string()),
});

export type RuntimeConfig = z.output<typeof RuntimeConfig>;

/**
 * Environment variables the deployer sets on the handler Lambda (small values
 * only; everything else is in cloudmend.runtime.json).
 */
export const HANDLER_ENV = {
  /** sha256 of cloudmend.runtime.json: logged with every result, so a result names the config it ran under. */
  configDigest: 'CLOUDMEND_CONFIG_DIGEST',
  mode: 'CLOUDMEND_MODE',
  memberRoleName: 'CLOUDMEND_MEMBER_ROLE_NAME',
  externalId: 'CLOUDMEND_EXTERNAL_ID',
  /** Where results are published. */
  outputTopicArn: 'CLOUDMEND_OUTPUT_TOPIC_ARN',
} as const;

/**
 * The metrics the handler writes (embedded metric format) and the handler
 * stacks alarm on and chart: namespace, metric names, and the `service`
 * dimension's environment variable (Powertools reads it).
 */
export const HANDLER_METRICS = {
  namespace: 'cloudmend',
  /** By service, bot and status. */
  remediations: 'Remediations',
  /** By service alone: the series the failure alarm watches. */
  failures: 'RemediationFailures',
  serviceEnv: 'POWERTOOLS_SERVICE_NAME',
  defaultService: 'cloudmend',
} as const;
