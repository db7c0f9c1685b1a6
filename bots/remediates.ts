/**
 * The default finding-to-bot mappings, read off each bot's `meta.remediates`,
 * and the one spelling of a mapping key both sides compare in. Pure and
 * dependency-free, so the handler (planning), the deployer (event rules, synth
 * warnings) and the catalog all read the same table.
 */
import type { Bot, RemediatesMeta } from './types';

export type MappingSource = keyof RemediatesMeta;

export const MAPPING_SOURCES: readonly MappingSource[] = ['securityHub', 'guardduty', 'config'];

/**
 * Security Hub writes one control several ways: `S3.8`, `PCI.S3.6`, the CIS
 * 1.2.0 rule `1.4` (ProductFields.RuleId) that cloudmend spells `CIS.1.4`.
 * Case, and a space or `_`/`-` between the standard and the number, do not
 * matter. A bare `1.4` is a CIS 1.2.0 rule id: that is the only standard whose
 * ids Security Hub emits without a prefix under that name.
 */
export function normaliseControlId(id: string): string {
  const text = id.trim();
  const cis = /^(?:CIS[\s._-]*)?(\d+(?:\.\d+)+)$/i.exec(text);
  if (cis) return `cis.${cis[1]}`;
  const pci = /^PCI[\s._-]*(.+)$/i.exec(text)?.[1];
  if (pci) return `pci.${pci.toLowerCase()}`;
  return text.toLowerCase();
}

/**
 * Config rules deployed by Security Hub (`securityhub-<managed-name>-<suffix>`)
 * and by conformance packs (`<managed-name>-conformance-pack-<suffix>`) carry the
 * managed rule's name inside their own; both match a mapping on the plain name.
 */
export function configRuleNames(ruleName: string): string[] {
  const name = ruleName.trim().toLowerCase();
  const inner = [/^securityhub-(.+)-[a-z0-9]{6,}$/.exec(name)?.[1], /^(.+)-conformance-pack-[a-z0-9]+$/.exec(name)?.[1]];
  return [name, ...inner.filter((n): n is string => n !== undefined)];
}

/** The key a mapping is compared under; GuardDuty finding types are exact. */
export function normaliseMappingKey(source: MappingSource, key: string): string {
  if (source === 'securityHub') return normaliseControlId(key);
  if (source === 'config') return key.trim().toLowerCase();
  return key.trim();
}

export interface DefaultMapping {
  /** The key as the first bot declaring it spells it (for reports and docs). */
  key: string;
  /** Bots declaring the key, in the order given. */
  bots: string[];
}

export type DefaultMappingTable = Record<MappingSource, Map<string, DefaultMapping>>;

/** Every key any bot declares, by source and normalised key, with the bots that declare it. */
export function defaultMappingTable(bots: readonly Pick<Bot, 'meta'>[]): DefaultMappingTable {
  const table: DefaultMappingTable = { securityHub: new Map(), guardduty: new Map(), config: new Map() };
  for (const { meta } of bots) {
    for (const source of MAPPING_SOURCES) {
      for (const key of meta.remediates?.[source] ?? []) {
        const normalised = normaliseMappingKey(source, key);
        const entry = table[source].get(normalised) ?? { key, bots: [] };
        if (!entry.bots.includes(meta.name)) entry.bots.push(meta.name);
        table[source].set(normalised, entry);
      }
    }
  }
  return table;
}

/** Whether a bot may run on a mapping at all: enabled, and opted in when destructive. */
export function runnable(bot: Pick<Bot, 'meta'>, enabled: ReadonlySet<string>, optIn: ReadonlySet<string>): boolean {
  return enabled.has(bot.meta.name) && (!bot.meta.destructive || optIn.has(bot.meta.name));
}

export interface IdleMapping {
  bot: string;
  why: 'not enabled' | 'destructive, not opted in';
  keys: string[];
}

/**
 * Metadata mappings that will not run because their bot is off, with the keys
 * that then get no bot from metadata (a key another runnable bot also declares
 * is still covered, and not listed, as is a key the config maps itself). For
 * the synth summary: a default that silently does nothing is what an operator
 * must hear about.
 */
export function idleDefaultMappings(
  bots: readonly Pick<Bot, 'meta'>[],
  enabled: ReadonlySet<string>,
  optIn: ReadonlySet<string>,
  configured: Partial<Record<MappingSource, Record<string, unknown>>> = {},
): IdleMapping[] {
  const table = defaultMappingTable(bots);
  const byName = new Map(bots.map((bot) => [bot.meta.name, bot]));
  const inConfig = Object.fromEntries(
    MAPPING_SOURCES.map((source) => [source, new Set(Object.keys(configured[source] ?? {}).map((k) => normaliseMappingKey(source, k)))]),
  ) as Record<MappingSource, Set<string>>;
  const covered = (source: MappingSource, key: string) =>
    inConfig[source].has(normaliseMappingKey(source, key)) ||
    (table[source].get(normaliseMappingKey(source, key))?.bots ?? []).some((name) => {
      const other = byName.get(name);
      return other !== undefined && runnable(other, enabled, optIn);
    });
  const idle: IdleMapping[] = [];
  for (const bot of bots) {
    if (runnable(bot, enabled, optIn)) continue;
    const keys = MAPPING_SOURCES.flatMap((source) => (bot.meta.remediates?.[source] ?? []).filter((key) => !covered(source, key)));
    if (keys.length === 0) continue;
    idle.push({ bot: bot.meta.name, why: enabled.has(bot.meta.name) ? 'destructive, not opted in' : 'not enabled', keys });
  }
  return idle;
}

/** A finding cloudmend leaves to people on purpose, and why: listed in docs/bots.md beside the default mappings. */
export interface NotRemediated {
  source: MappingSource;
  keys: readonly string[];
  why: string;
}

/**
 * Controls in the services the catalog covers that no bot declares, on purpose.
 * A test keeps this list and the bots' `remediates` apart: a key is either
 * mapped or here, never both.
 */
export const NOT_REMEDIATED: readonly NotRemediated[] = [
  {
    source: 'securityHub',
    keys: ['S3.11'],
    why:
      'event notifications need a destination (an SNS topic, SQS queue or Lambda function) and the events to send, which only ' +
      "the bucket's owner can choose; a bot picking them would send object events somewhere nobody reviewed",
  },
  {
    source: 'securityHub',
    keys: ['S3.13'],
    why:
      "a lifecycle configuration decides when the bucket's data moves to other storage classes or expires; no default is safe " +
      "for someone else's data (an expiration deletes it, a transition changes its cost and retrieval time)",
  },
  {
    source: 'securityHub',
    keys: ['AutoScaling.3', 'AutoScaling.5'],
    why:
      'launch configurations cannot be changed: the fix is a new launch configuration (or template) and a group switched to it, ' +
      'which replaces instances as they cycle; that is a deployment, for the owner to roll out',
  },
  {
    source: 'securityHub',
    keys: ['CloudFront.12'],
    why:
      "the origin's bucket is gone; pointing the origin somewhere else decides what the distribution serves, and taking it " +
      "down breaks the site: both are the owner's call",
  },
  {
    source: 'securityHub',
    keys: ['EC2.10'],
    why:
      'an interface VPC endpoint costs money per hour and Availability Zone and changes how every instance in the VPC reaches ' +
      'EC2: a network design decision, not a fix',
  },
  {
    source: 'securityHub',
    keys: ['EC2.18'],
    why:
      "which ports may be open to the world is the owner's list (the control's authorizedTcpPorts); EC2.19 (high-risk ports, " +
      'sg_remove_world_open_high_risk_ports) and EC2.13/14 (admin ports) are remediated; for EC2.18, map it to ' +
      'sg_delete_not_matching_cidr or sg_rules_delete_by_scope with the ports you allow',
  },
  {
    source: 'securityHub',
    keys: ['ECS.5'],
    why:
      'a read-only root file system is set in a new task definition revision and rolled out by updating the service; an ' +
      'application that writes to its file system then fails: a deployment for the owner',
  },
  {
    source: 'securityHub',
    keys: ['IAM.22'],
    why:
      'IAM.22 flags credentials unused for 45 days, IAM.8 and CIS 1.3 for 90; the same bots serve both ' +
      '(iam_user_deactivate_unused_access_key, iam_user_disable_unused_console_password) with one `days` param: map IAM.22 ' +
      'to them and set days: 45 if 45 is your policy',
  },
  {
    source: 'securityHub',
    keys: ['RDS.5'],
    why:
      'Multi-AZ doubles the instance cost: rds_enable_multi_az does it, but only where the config maps RDS.5 to it (or a rule ' +
      'names it), never by default',
  },
  {
    source: 'config',
    keys: ['cloudtrail-s3-bucket-public-access-prohibited'],
    why:
      "this rule's finding names the trail, not its bucket; the Security Hub controls for the same check (CloudTrail.6, CIS.2.3) " +
      'name the bucket and run s3_block_all_public_access',
  },
];
