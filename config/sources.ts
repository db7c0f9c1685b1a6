/**
 * The finding sources, as both halves must agree on them: the key each one is
 * mapped to bots under (`mappings.<key>` in cloudmend.yaml and in the runtime
 * config), and the EventBridge rules that deliver its events. The handler reads
 * the mapping keys, the stacks read the rules; each source's adapter lives in
 * handler/sources/<source>.ts and points at its declaration here.
 *
 * Pure and dependency-free but for zod, like config/runtime.ts: the Lambda
 * bundle may import it, and so may the deployer.
 */
import { z } from 'zod';

/** An EventBridge rule the handler stack creates for a source. */
export interface SourceEventRule {
  /** Resource id suffix and rule name suffix (`cloudmend-<id>`). */
  id: string;
  description: string;
  pattern: Record<string, unknown>;
}

/**
 * A Security Hub product, as its product ARN names it: `company/product`
 * (`aws/guardduty`, `aws/inspector`, `prowler/prowler`). The ARN is the
 * product's identity Security Hub vouches for; a ProductName a custom
 * integration writes itself proves nothing.
 */
const SecurityHubProduct = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i, {
  message: 'a Security Hub product as its product ARN names it: "company/product", e.g. "aws/guardduty" or "prowler/prowler"',
});

export const SecurityHubSettings = z.strictObject({
  products: z
    .array(SecurityHubProduct)
    .default([])
    .describe(
      'Security Hub products whose findings cloudmend acts on besides Security Hub\'s own controls (aws/securityhub), as their product ARN names them: "company/product", e.g. "aws/guardduty"',
    ),
});

/** Each source's own settings: `sources` in cloudmend.yaml and in the runtime config. */
export const SourcesSettings = z.strictObject({
  securityHub: SecurityHubSettings.default({ products: [] }),
});
export type SourcesSettings = z.output<typeof SourcesSettings>;

export const DEFAULT_SOURCES_SETTINGS: SourcesSettings = { securityHub: { products: [] } };

/** Security Hub's own controls: the only product trusted without a word in the config. */
const SECURITY_HUB_OWN_PRODUCT = 'aws/securityhub';

/** The product ARN suffixes (`::product/company/product`) a Security Hub finding may carry to be acted on. */
export function acceptedSecurityHubProducts(settings: SourcesSettings['securityHub']): string[] {
  return [...new Set([SECURITY_HUB_OWN_PRODUCT, ...settings.products])].map((p) => `::product/${p}`);
}

/** True for a finding of Security Hub's own controls or of a product the config lists, by its ProductArn. */
export function isAcceptedSecurityHubProduct(productArn: string | undefined, settings: SourcesSettings['securityHub']): boolean {
  if (productArn === undefined || !/^arn:[a-z-]+:securityhub:[a-z0-9-]+::product\//.test(productArn)) return false;
  return acceptedSecurityHubProducts(settings).some((suffix) => productArn.toLowerCase().endsWith(suffix.toLowerCase()));
}

export interface SourceRuleInput {
  /** The mapping keys configured for the source, sorted: only their findings are delivered. */
  keys: string[];
  /** The sources' settings from cloudmend.yaml. */
  settings: SourcesSettings;
  /** ARN of the Security Hub custom action, for a source that declares one. */
  customActionArn?: string;
}

/** A Security Hub custom action ("send to cloudmend") a source's findings may also arrive through. */
export interface CustomActionDeclaration {
  /** At most 20 characters. */
  name: string;
  identifier: string;
  description: string;
}

export type SourceName = 'cloudguard' | 'seed' | 'guardduty' | 'securityhub' | 'config';
export type MappingKey = 'guardduty' | 'securityHub' | 'config';

export interface SourceDeclaration {
  name: SourceName;
  /** For messages: "GuardDuty". */
  title: string;
  /**
   * Sources whose findings name no bot are mapped to bots by the config:
   * `mappings.<key>`, keyed by the finding's rule (finding type, control id, rule name).
   */
  mapping?: { key: MappingKey; describe: string };
  /** The rules that deliver the source's findings to the handler; none: they arrive on the findings topic. */
  eventRules?: (input: SourceRuleInput) => SourceEventRule[];
  customAction?: CustomActionDeclaration;
}

export interface MappedSourceDeclaration extends SourceDeclaration {
  mapping: { key: MappingKey; describe: string };
}

export const CLOUDGUARD_SOURCE: SourceDeclaration = { name: 'cloudguard', title: 'CloudGuard' };

export const SEED_SOURCE: SourceDeclaration = { name: 'seed', title: 'seed-format' };

export const GUARDDUTY_SOURCE: MappedSourceDeclaration = {
  name: 'guardduty',
  title: 'GuardDuty',
  mapping: {
    key: 'guardduty',
    describe: 'GuardDuty finding type -> bots, e.g. "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom": [ec2_quarantine_instance]',
  },
  eventRules: ({ keys }) =>
    keys.length === 0
      ? []
      : [
          {
            id: 'guardduty',
            description: 'GuardDuty findings of the mapped types',
            pattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { type: keys } },
          },
        ],
};

/** ProductName of the findings of Security Hub's own controls. */
export const SECURITY_HUB_PRODUCT = 'Security Hub';

export const SECURITY_HUB_CUSTOM_ACTION: CustomActionDeclaration = {
  name: 'Cloudmend remediate',
  identifier: 'CloudmendRemediate',
  description: 'Send the selected findings to cloudmend for remediation',
};

export const SECURITY_HUB_SOURCE: MappedSourceDeclaration = {
  name: 'securityhub',
  title: 'Security Hub',
  mapping: { key: 'securityHub', describe: 'Security Hub control id -> bots, e.g. "S3.8": [s3_block_all_public_access]' },
  customAction: SECURITY_HUB_CUSTOM_ACTION,
  eventRules: ({ keys, customActionArn, settings }) => {
    if (keys.length === 0) return [];
    // Only Security Hub's own controls and the listed products: any account's integration can import a finding.
    const ProductArn = acceptedSecurityHubProducts(settings.securityHub).map((suffix) => ({ suffix }));
    return [
      {
        id: 'securityhub-imported',
        description: 'Failed Security Hub findings of the mapped controls, from Security Hub and the listed products',
        pattern: {
          source: ['aws.securityhub'],
          'detail-type': ['Security Hub Findings - Imported'],
          detail: { findings: { ProductArn, Compliance: { SecurityControlId: keys, Status: ['FAILED'] } } },
        },
      },
      {
        id: 'securityhub-action',
        description: 'Findings sent with the Security Hub custom action, from Security Hub and the listed products',
        pattern: {
          source: ['aws.securityhub'],
          'detail-type': ['Security Hub Findings - Custom Action'],
          ...(customActionArn ? { resources: [customActionArn] } : {}),
          detail: { findings: { ProductArn } },
        },
      },
    ];
  },
};

export const CONFIG_SOURCE: MappedSourceDeclaration = {
  name: 'config',
  title: 'AWS Config',
  mapping: { key: 'config', describe: 'AWS Config rule name -> bots, e.g. "vpc-flow-logs-enabled": [vpc_turn_on_flow_logs]' },
  eventRules: ({ keys }) =>
    keys.length === 0
      ? []
      : [
          {
            id: 'config',
            description: 'AWS Config rules of the mapped names turning non-compliant',
            pattern: {
              source: ['aws.config'],
              'detail-type': ['Config Rules Compliance Change'],
              detail: { configRuleName: keys, newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
            },
          },
        ],
};

/** Every source, in the order the handler tries to recognise them. */
export const SOURCE_DECLARATIONS: readonly SourceDeclaration[] = [
  GUARDDUTY_SOURCE,
  SECURITY_HUB_SOURCE,
  CONFIG_SOURCE,
  SEED_SOURCE,
  CLOUDGUARD_SOURCE,
];

/** The sources mapped to bots by the config, in the order of `mappings` in cloudmend.yaml. */
export const MAPPED_SOURCES: readonly MappedSourceDeclaration[] = [GUARDDUTY_SOURCE, SECURITY_HUB_SOURCE, CONFIG_SOURCE];

export function mappingKeyOf(source: string): MappingKey | undefined {
  return MAPPED_SOURCES.find((s) => s.name === source)?.mapping.key;
}

/** One schema per mapped source, keyed by its mapping key: `mappings` in cloudmend.yaml and in the runtime config. */
export function perMappedSource<T extends z.ZodType>(
  schemaFor: (source: MappedSourceDeclaration) => T,
): z.ZodObject<Record<MappingKey, T>, z.core.$strict> {
  return z.strictObject(Object.fromEntries(MAPPED_SOURCES.map((s) => [s.mapping.key, schemaFor(s)])) as Record<MappingKey, T>);
}
