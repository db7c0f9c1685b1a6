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
import { perMappedSource, SourcesSettings } from './sources';

export const RUNTIME_CONFIG_FILE = 'cloudmend.runtime.json';

/**
 * `report:` in cloudmend.yaml: what the handler writes back to where a finding
 * came from, besides the results topic (docs/reporting.md). Shipped as it is in
 * the runtime config.
 */
export const SecurityHubWriteBack = z
  .enum(['off', 'notes', 'notes-and-workflow'])
  .describe(
    'Security Hub findings: "notes" writes a note naming the bot, outcome, changes and result id; "notes-and-workflow" also sets ' +
      'the workflow status (NOTIFIED while unresolved or after a failure, RESOLVED after a remediation; unchanged in dry run)',
  );

export const ReportConfig = z
  .strictObject({
    securityHub: SecurityHubWriteBack.default('off'),
    guardDuty: z
      .strictObject({
        archive: z
          .boolean()
          .default(false)
          .describe('Archive a GuardDuty finding once every bot that ran on it remediated it (or found it already compliant)'),
      })
      .default({ archive: false }),
    chat: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe('Publish one AWS Chatbot (Amazon Q Developer) custom notification per finding, for Slack or Teams channels'),
        topic: z
          .enum(['own', 'results'])
          .default('own')
          .describe(
            '"own": a separate chat topic per region (subscribe the Chatbot channel to it); "results": the results topic, with the ' +
              'message attribute format=chatbot so a subscription filter policy can select them',
          ),
      })
      .default({ enabled: false, topic: 'own' }),
  })
  .describe('Writing outcomes back to Security Hub and GuardDuty, and chat-ready messages (docs/reporting.md)');

export type ReportConfig = z.output<typeof ReportConfig>;

/**
 * Everything off by default: an upgrade grants the handler no new permission
 * and changes no finding until the config opts in.
 */
export const REPORT_DEFAULTS: ReportConfig = {
  securityHub: 'off',
  guardDuty: { archive: false },
  chat: { enabled: false, topic: 'own' },
};

/**
 * Blast-radius limits (`limits` in cloudmend.yaml, shipped as they are in the
 * runtime config). Why these defaults: docs/state.md.
 */
const positiveCount = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of at least 1` })
    .int({ message: `${what} must be a whole number of at least 1` })
    .min(1, { message: `${what} must be at least 1; a limit of 0 or less would stop every remediation (use mode: dry-run for that)` });

export const LIMIT_DEFAULTS = {
  perAccountPerHour: 50,
  perBotPerHour: 200,
  consecutiveFailures: 3,
} as const;

export const LimitsConfig = z.strictObject({
  perAccountPerHour: positiveCount('limits.perAccountPerHour')
    .default(LIMIT_DEFAULTS.perAccountPerHour)
    .describe(
      'Most remediations that change something in one account per clock hour; past it, that account runs in dry run for the rest of the hour',
    ),
  perBotPerHour: positiveCount('limits.perBotPerHour')
    .default(LIMIT_DEFAULTS.perBotPerHour)
    .describe(
      'Most remediations one bot makes across the organization (per region) per clock hour; past it, that bot runs in dry run for the rest of the hour',
    ),
  consecutiveFailures: positiveCount('limits.consecutiveFailures')
    .default(LIMIT_DEFAULTS.consecutiveFailures)
    .describe('A bot failing this many times in a row in one account pauses there until `cloudmend resume`'),
});

export type LimitsConfig = z.output<typeof LimitsConfig>;

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
  /** Each source's settings (config/sources.ts); absent in a runtime config written before they existed: the defaults. */
  sources: SourcesSettings.optional(),
  exclusionTag: z.strictObject({ key: z.string(), value: z.string().optional() }),
  memberRoleName: z.string(),
  externalId: z.string(),
  /** terraform mode: in-scope accounts, id -> OU path (their roles are per account anyway). A finding from any other account is rejected. */
  accounts: z.record(z.string(), z.string()).optional(),
  /**
   * stackset mode: nothing per account. An account is in scope when it is in the
   * organization (the handler role may assume member roles only there), not
   * excluded here, and holds the member role (the StackSet puts it in exactly
   * the in-scope OUs), so an account that joins is covered with no redeploy.
   */
  scope: z
    .strictObject({
      organizationId: z.string(),
      includeAccounts: z.array(z.string()),
      excludeAccounts: z.array(z.string()),
      managementAccount: z.string().optional(),
    })
    .optional(),
  /** Enabled regions. A finding from any other region is rejected. */
  regions: z.array(z.string()),
  /** Write-back switches (ReportConfig above); absent in configs synthesized before them: nothing is written back. */
  report: ReportConfig.optional(),
  /** Blast-radius limits; absent in runtime configs written before they existed (defaults apply). */
  limits: LimitsConfig.optional(),
  /** Destinations and KMS keys outside a finding's account that bot params may name (`trust` in cloudmend.yaml). */
  trust: z.strictObject({ allowedDestinations: z.array(z.string()), allowedKmsKeys: z.array(z.string()) }).optional(),
});

export type RuntimeConfig = z.output<typeof RuntimeConfig>;

/** The remediation state table of a region's handler stack (security account); `prefix` is naming.prefix. */
export function stateTableName(region: string, prefix = ''): string {
  return `${prefix ? `${prefix}-` : ''}cloudmend-state-${region}`;
}

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
  /** Where chat-ready (AWS Chatbot) messages are published, when `report.chat` is enabled. */
  chatTopicArn: 'CLOUDMEND_CHAT_TOPIC_ARN',
  /** The remediation state table (idempotency, limits, change journal); absent: no state kept. */
  stateTable: 'CLOUDMEND_STATE_TABLE',
} as const;

/**
 * The metrics the handler writes (embedded metric format) and the handler
 * stacks alarm on and chart: namespace, metric names, and the `service`
 * dimension's environment variable (Powertools' name for it, kept: deployed
 * stacks set it; handler/metrics.ts reads it).
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
