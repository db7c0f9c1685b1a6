/**
 * The `cloudmend.yaml` schema. Every object is strict: an unknown key is an
 * error, because a typo like `optin:` silently ignored would leave a
 * destructive bot running (or a wanted one not) without anyone noticing.
 */
import { z } from 'zod';
import {
  ALARMS_DEFAULT,
  AlarmsConfig,
  checkOperations,
  EncryptionConfig,
  NamingConfig,
  resolveNaming,
  TagsConfig,
} from './operations-schema';
import { KNOWN_REGIONS, partitionOf } from './regions';
import { DEFAULT_SOURCES_SETTINGS, perMappedSource, SourcesSettings } from './sources';
import { LimitsConfig, REPORT_DEFAULTS, ReportConfig } from './runtime';
import { checkPartitions } from './rollout-checks';

/**
 * YAML reads an unquoted account id as a number and drops leading zeros, so
 * numbers are accepted only when they still have 12 digits.
 */
export const AccountId = z
  .union([
    z.string(),
    z
      .number()
      .int()
      .transform((n) => String(n)),
  ])
  .pipe(
    z.string().regex(/^\d{12}$/, {
      message: 'an AWS account id is exactly 12 digits; quote it ("012345678901") so YAML keeps leading zeros',
    }),
  )
  .describe('AWS account id, 12 digits, quoted');

export const Region = z
  .string()
  .refine((r) => KNOWN_REGIONS.has(r), {
    error: (issue) => `unknown region ${JSON.stringify(issue.input)}: use a region name such as "us-east-1" or "eu-west-1"`,
  })
  .meta({ description: 'AWS region name, e.g. us-east-1', enum: [...KNOWN_REGIONS].sort() });

export const BotName = z
  .string()
  .regex(/^[a-z0-9]+(_[a-z0-9]+)*$/, { message: 'bot names are snake_case, e.g. "s3_block_all_public_access"' });

/**
 * A bot to run, CloudBots-style: `"bot_name"` or `"bot_name param=value other"`,
 * the same text CloudGuard rules carry after `AUTO:`.
 */
export const BotInvocation = z.string().regex(/^\s*[a-z0-9]+(_[a-z0-9]+)*(\s+\S+)*\s*$/, {
  message: 'expected "bot_name" or "bot_name param=value ...", as in a CloudGuard AUTO: tag',
});

const OuPath = z.string().regex(/^(Root|r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})?(\/[^/]+)*$/, {
  message: 'an OU is an id ("ou-ab12-cdefgh34") or a path from the root ("Root/Workloads/Prod")',
});

const StaticAccount = z.strictObject({
  id: AccountId,
  name: z.string().min(1).describe('Account name, for summaries and tags'),
  ou: OuPath.describe('OU path from the root, e.g. "Root/Workloads/Prod"'),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']).default('ACTIVE'),
});

export const OrganizationConfig = z
  .strictObject({
    id: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, { message: 'an organization id looks like "o-a1b2c3d4e5"' })
      .optional()
      .describe('Organization id (o-...), for static configs: lets the handler role be limited by aws:ResourceOrgID'),
    discover: z
      .boolean()
      .default(false)
      .describe('true: read accounts and OUs from AWS Organizations (npx cloudmend discover); false: use `accounts`'),
    inventoryFile: z.string().optional().describe('Inventory written by `cloudmend discover` and read by synth, relative to this file'),
    accounts: z.array(StaticAccount).default([]).describe('Static list of member accounts (when not discovering)'),
    ouIds: z
      .record(
        z.string().regex(/^[^/]+(\/[^/]+)*$/, { message: 'an OU path from the root, e.g. "Root/Workloads"' }),
        z.string().regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, {
          message: 'an OU or root id, e.g. "ou-ab12-cdefgh34" or "r-ab12"',
        }),
      )
      .default({})
      .describe(
        'For static configs in stackset mode: the id of each OU path the accounts use ({ Root: r-ab12, Root/Workloads: ou-ab12-cdefgh34 }), as discovery would record them',
      ),
    managementAccount: AccountId.optional().describe(
      'The management account: never targeted by accident (a service-managed StackSet cannot deploy there); discovery records it',
    ),
    includeOus: z.array(OuPath).default([]).describe('Only accounts under these OUs (ids or paths); empty means all'),
    excludeOus: z.array(OuPath).default([]).describe('Never accounts under these OUs'),
    includeAccounts: z.array(AccountId).default([]).describe('Only these accounts; empty means all in scope'),
    excludeAccounts: z.array(AccountId).default([]).describe('Never these accounts'),
  })
  .superRefine((org, ctx) => {
    const seen = new Map<string, number>();
    org.accounts.forEach((account, index) => {
      const first = seen.get(account.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', index, 'id'],
          message: `account ${account.id} is listed twice (first at accounts[${first}]); list each account once`,
        });
      } else {
        seen.set(account.id, index);
      }
    });
    if (!org.discover && org.accounts.length === 0 && !org.inventoryFile) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts'],
        message: 'no accounts: list them under organization.accounts, set organization.inventoryFile, or set organization.discover: true',
      });
    }
  });

export const RegionsConfig = z.strictObject({
  include: z
    .union([z.literal('all-enabled'), z.array(Region).min(1)])
    .default('all-enabled')
    .describe('"all-enabled" (every region enabled in the organization) or a list of regions'),
  exclude: z.array(Region).default([]).describe('Regions never deployed to'),
});

export const BotsConfig = z.strictObject({
  enabled: z
    .union([z.literal('all'), z.array(BotName)])
    .describe('Bots that may run: "all" or a list of bot names. Destructive bots also need optIn.'),
  optIn: z.array(BotName).default([]).describe('Destructive bots (delete, stop, terminate) explicitly allowed to run'),
  params: z
    .record(BotName, z.record(z.string(), z.unknown()))
    .default({})
    .describe("Default params per bot, e.g. { rds_enable_backup: { days: 14 } }; a finding's own arguments override them"),
});

export const MappingsConfig = perMappedSource((source) =>
  z.record(z.string(), z.array(BotInvocation)).default({}).describe(source.mapping.describe),
);

/** An ARN of a bucket (optionally a folder in it) or a log destination, in any partition; checked against the regions' partition below. */
const DestinationArn = z
  .string()
  .regex(
    /^arn:(aws|aws-cn|aws-us-gov):(s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|logs:[a-z0-9-]+:\d{12}:log-group:[\w#./-]+|firehose:[a-z0-9-]+:\d{12}:deliverystream\/[\w.-]+)$/,
    {
      message: 'a destination ARN: an S3 bucket (arn:aws:s3:::log-archive, optionally /folder/), a log group or a Firehose stream',
    },
  );

const KmsKeyArn = z.string().regex(/^arn:(aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/, {
  message: 'a KMS key or alias ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
});

/** How member roles are rolled out and who applies what (stacks/rollout-settings.ts explains the choices). */
const OuId = z.string().regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, {
  message: 'an OU or root id, e.g. "ou-ab12-cdefgh34" or "r-ab12"',
});
const RoleName = z.string().regex(/^[\w+=,.@/-]{1,128}$/, { message: 'an IAM role name (or path/name)' });
const ROLLOUT_SETTINGS = {
  deployment: z
    .enum(['stackset', 'terraform'])
    .default('stackset')
    .describe(
      'stackset: member roles as one service-managed CloudFormation StackSet over the in-scope OUs (accounts that join get the role, accounts that leave lose it, no redeploy); terraform: one role per account through per-account providers (organizations without StackSets trusted access)',
    ),
  stackSet: z
    .strictObject({
      targetOus: z
        .array(OuId)
        .default([])
        .describe(
          'OU ids the StackSets target; default: organization.includeOus resolved to ids, else the root, with excluded OUs carved out',
        ),
      adminAccount: AccountId.optional().describe(
        'Account that owns the StackSets: the management account (default) or a StackSets delegated administrator (then call_as DELEGATED_ADMIN)',
      ),
      adminRoleName: RoleName.optional().describe(
        "Role the pipeline assumes in the StackSet admin account; absent: the pipeline's own credentials are already there",
      ),
      region: Region.optional().describe('Region the StackSets and their instances live in (IAM is global); default: the first region'),
    })
    .default({ targetOus: [] }),
  migration: z
    .strictObject({
      previousRoleName: z
        .string()
        .regex(/^[\w+=,.@-]{1,64}$/, { message: 'an IAM role name: 1-64 letters, digits and +=,.@_-' })
        .describe('The member role name the terraform-mode deployment created (its former roles.memberRoleName)'),
      phase: z
        .enum(['keep', 'retire'])
        .describe('keep: the Terraform roles stay while the StackSet rolls out the new one; retire: the Terraform roles are destroyed'),
    })
    .optional()
    .describe(
      'Moving a terraform-mode deployment to stackset mode with no window without member roles (README: Migrating to stackset mode)',
    ),
  securityAccountRoleName: RoleName.optional().describe(
    "Role the pipeline assumes in the security account to apply the handler stacks; absent: the pipeline's own credentials are already there",
  ),
  forwardFindings: z
    .boolean()
    .default(false)
    .describe(
      'true: member accounts also forward GuardDuty and Security Hub findings to the security account bus (when the security account is not their delegated administrator); Config compliance changes are always forwarded',
    ),
};

/**
 * Where bot params may point outside the finding's own account. A destination
 * or KMS key param (vpc_turn_on_flow_logs s3_arn, s3_enable_encryption
 * kms_key_arn, ...) is used only when it is in the finding's account or listed
 * here: an organization log archive bucket, a shared key.
 */
export const TrustConfig = z.strictObject({
  allowedDestinations: z
    .array(DestinationArn)
    .default([])
    .describe('Destinations in other accounts bot params may name, e.g. arn:aws:s3:::org-log-archive (covers its folders)'),
  allowedKmsKeys: z.array(KmsKeyArn).default([]).describe('KMS keys (or aliases) in other accounts bot params may name, by ARN'),
});

/** Every allow-listed ARN must be in the partition the regions are in (one partition per deployment). */
function checkTrustPartition(
  config: { regions: { include: 'all-enabled' | string[] }; trust: z.output<typeof TrustConfig> },
  ctx: z.RefinementCtx,
): void {
  const first = Array.isArray(config.regions.include) ? config.regions.include[0] : undefined;
  const partition = first ? partitionOf(first) : undefined;
  for (const key of ['allowedDestinations', 'allowedKmsKeys'] as const) {
    config.trust[key].forEach((arn, i) => {
      // An entry that is no ARN at all already has its own issue.
      if (!arn.startsWith('arn:')) return;
      const arnPartition = arn.split(':')[1];
      const expected = partition ?? config.trust.allowedDestinations.concat(config.trust.allowedKmsKeys)[0]?.split(':')[1];
      if (arnPartition !== expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['trust', key, i],
          message: `${arn} is in partition ${arnPartition}, but cloudmend runs in ${expected}${partition ? ` (regions.include: ${first})` : ''}; list ARNs of that partition only`,
        });
      }
    });
  }
}

export const RolesConfig = z.strictObject({
  memberRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, { message: 'an IAM role name: 1-64 letters, digits and +=,.@_-' })
    .default('CloudmendRemediation')
    .describe('Name of the remediation role created in every member account'),
  bootstrapRoleName: z
    .string()
    .regex(/^[\w+=,.@/-]{1,128}$/, { message: 'an IAM role name (or path/name)' })
    .default('OrganizationAccountAccessRole')
    .describe('Role the deployer assumes in each member account to create the remediation role'),
  externalId: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, { message: 'an external id: 2-1224 characters of letters, digits and +=,.@:/-' })
    .default('cloudmend')
    .describe('External id the handler passes when assuming member roles'),
  ...ROLLOUT_SETTINGS,
});

export const BackendConfig = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('local'),
      directory: z.string().default('terraform-state').describe('Folder for local state files'),
    }),
    z.strictObject({
      type: z.literal('s3'),
      bucket: z.string().min(3),
      keyPrefix: z.string().default('cloudmend'),
      region: Region,
      lockTable: z.string().optional().describe('DynamoDB table for state locking'),
      useLockfile: z.boolean().default(true).describe('S3 native state locking (Terraform >= 1.10)'),
    }),
  ])
  .default({ type: 'local', directory: 'terraform-state' });

export const NotificationsConfig = z.strictObject({
  subscribers: z
    .array(
      z.strictObject({
        protocol: z.enum(['email', 'https', 'sqs', 'lambda']),
        endpoint: z.string().min(1),
      }),
    )
    .default([])
    .describe('Subscribers of the output topic that receives every remediation result'),
  publisherAccounts: z
    .array(AccountId)
    .default([])
    .describe("Accounts allowed to publish findings to the input topic, e.g. CloudGuard's account"),
});

export const HandlerConfig = z.strictObject({
  memorySize: z.number().int().min(128).max(10240).default(256),
  timeoutSeconds: z.number().int().min(10).max(900).default(120),
  reservedConcurrency: z.number().int().min(1).max(1000).default(10),
  logRetentionDays: z
    .union([
      z.literal(1),
      z.literal(3),
      z.literal(5),
      z.literal(7),
      z.literal(14),
      z.literal(30),
      z.literal(60),
      z.literal(90),
      z.literal(120),
      z.literal(150),
      z.literal(180),
      z.literal(365),
      z.literal(400),
      z.literal(545),
      z.literal(731),
      z.literal(1096),
      z.literal(1827),
      z.literal(2192),
      z.literal(2557),
      z.literal(2922),
      z.literal(3288),
      z.literal(3653),
    ])
    .default(90),
  dlqRetentionDays: z.number().int().min(1).max(14).default(14),
  maxRetries: z.number().int().min(0).max(2).default(2),
});

export const CloudmendConfig = z
  .strictObject({
    $schema: z.string().optional(),
    securityAccount: AccountId.describe('The central account that runs the handlers'),
    mode: z.enum(['enforce', 'dry-run']).default('dry-run').describe('dry-run reports what would change and changes nothing'),
    regions: RegionsConfig.default({ include: 'all-enabled', exclude: [] }),
    organization: OrganizationConfig,
    bots: BotsConfig,
    mappings: MappingsConfig.default({ guardduty: {}, securityHub: {}, config: {} }),
    sources: SourcesSettings.default(DEFAULT_SOURCES_SETTINGS).describe('Settings of the finding sources (see config/sources.ts)'),
    exclusionTag: z
      .strictObject({
        key: z.string().min(1).default('cloudmend:exclude'),
        value: z.string().optional().describe('Only this value excludes; any value when absent'),
      })
      .default({ key: 'cloudmend:exclude' })
      .describe('Resources carrying this tag are never remediated'),
    roles: RolesConfig.default({
      memberRoleName: 'CloudmendRemediation',
      bootstrapRoleName: 'OrganizationAccountAccessRole',
      externalId: 'cloudmend',
      deployment: 'stackset',
      stackSet: { targetOus: [] },
      forwardFindings: false,
    }),
    trust: TrustConfig.default({ allowedDestinations: [], allowedKmsKeys: [] }).describe(
      "Destinations and KMS keys outside a finding's account that bot params may name",
    ),
    backend: BackendConfig,
    notifications: NotificationsConfig.default({ subscribers: [], publisherAccounts: [] }),
    handler: HandlerConfig.default({
      memorySize: 256,
      timeoutSeconds: 120,
      reservedConcurrency: 10,
      logRetentionDays: 90,
      dlqRetentionDays: 14,
      maxRetries: 2,
    }),
    report: ReportConfig.default(REPORT_DEFAULTS),
    sharding: z
      .strictObject({
        accountsPerStack: z
          .number()
          .int()
          .min(1)
          .max(500)
          .default(40)
          .describe('terraform mode: above this many accounts in one member stack, synth notes that planning it needs much memory'),
        shards: z
          .number()
          .int()
          .min(1)
          .max(1024)
          .optional()
          .describe(
            'terraform mode: fixed number of member-role stacks (default 64). Accounts are hashed into them, so growth never moves a role or renames a stack; set it once: a change moves roles between Terraform states',
          ),
      })
      .default({ accountsPerStack: 40 })
      .describe('Member roles are grouped into stacks of this many accounts'),
    limits: LimitsConfig.default({ perAccountPerHour: 50, perBotPerHour: 200, consecutiveFailures: 3 }).describe(
      'Blast-radius limits: past one, that scope runs in dry run for the rest of the hour (docs/state.md)',
    ),
    alarms: AlarmsConfig.default(ALARMS_DEFAULT),
    encryption: EncryptionConfig.default({ deletionWindowDays: 30 }),
    naming: NamingConfig.default({ prefix: '' }),
    tags: TagsConfig.default({}),
  })
  .superRefine((config, ctx) => {
    checkOperations(config, ctx);
    checkPartitions(config, ctx);
    checkTrustPartition(config, ctx);
    for (const [i, region] of config.regions.exclude.entries()) {
      if (Array.isArray(config.regions.include) && !config.regions.include.includes(region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', 'exclude', i],
          message: `${region} is excluded but not included; remove it from regions.exclude`,
        });
      }
    }
  })
  .transform(resolveNaming);

export type CloudmendConfig = z.output<typeof CloudmendConfig>;
export type CloudmendConfigInput = z.input<typeof CloudmendConfig>;
export type StaticAccount = z.output<typeof StaticAccount>;
