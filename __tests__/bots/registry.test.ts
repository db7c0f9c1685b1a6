/**
 * The registry as a whole: every bot any engineer adds is held to the same
 * metadata contract, because the deployer builds least-privilege policies and
 * the catalog from this metadata alone. Each check iterates over BOTS.
 */
import { z } from 'zod';
import { BOTS, botNames, getBot } from '../../bots';
import { DERIVED_PLACEHOLDERS } from '../../bots/permissions';
import type { Bot } from '../../bots/types';

const bots: Array<[string, Bot]> = BOTS.map((bot) => [bot.meta.name, bot]);

/**
 * Services whose API calls go to one global endpoint, so `aws:RequestedRegion` bounds must not apply.
 * CloudFront too: its control-plane API is served from us-east-1 whatever Region a distribution's finding names.
 */
const GLOBAL_SERVICES = new Set(['iam', 'sts', 'organizations', 'cloudfront']);

/** Bots that delete, terminate or cut off something for good: each must be opt-in. Checked when the bot exists. */
const MUST_BE_DESTRUCTIVE = [
  'ec2_terminate_instance',
  'sg_delete',
  's3_delete_bucket',
  's3_delete_permissions',
  'iam_delete_access_key',
  'igw_delete',
  'vpc_isolate',
];

const KNOWN_PLACEHOLDERS = new Set<string>(['partition', 'region', 'account', 'resourceId', ...DERIVED_PLACEHOLDERS]);

/** Params a bot cannot run without: the input JSON schema's `required` list. */
function requiredParams(bot: Bot): string[] {
  const schema = z.toJSONSchema(bot.meta.params, { io: 'input', unrepresentable: 'any' }) as { required?: string[] };
  return schema.required ?? [];
}

function paramNames(bot: Bot): string[] {
  const schema = z.toJSONSchema(bot.meta.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return Object.keys(schema.properties ?? {});
}

describe('bot registry', () => {
  it('is not empty, and registers every bot under a unique name', () => {
    expect(BOTS.length).toBeGreaterThan(0);
    const names = BOTS.map((bot) => bot.meta.name);
    const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
    expect(duplicates).toEqual([]);
    expect(botNames()).toEqual([...names].sort());
  });

  it('finds each bot by name and nothing else', () => {
    for (const bot of BOTS) expect(getBot(bot.meta.name)).toBe(bot);
    expect(getBot('no_such_bot')).toBeUndefined();
  });

  it('holds only bots with a run function', () => {
    for (const [name, bot] of bots) expect([name, typeof bot.run]).toEqual([name, 'function']);
  });
});

describe.each(bots)('%s metadata', (name, bot) => {
  const { meta } = bot;

  it('has a snake_case name, a one-line summary and resource types', () => {
    expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/);
    expect(meta.summary.trim()).not.toBe('');
    expect(meta.summary).not.toContain('\n');
    expect(meta.resourceTypes.length).toBeGreaterThan(0);
    for (const type of meta.resourceTypes) expect(type).toMatch(/^AWS::([A-Za-z0-9]+)?::[A-Za-z0-9]+$|^AWS::::Account$/);
  });

  it('has a zod params schema that parses {} or declares the params it requires', () => {
    expect(meta.params).toBeInstanceOf(z.ZodType);
    const parsesEmpty = meta.params.safeParse({}).success;
    if (!parsesEmpty) expect(requiredParams(bot)).not.toEqual([]);
  });

  it('takes its params as a strict object, so a misspelt param is an error rather than silently ignored', () => {
    expect(meta.params).toHaveProperty('shape');
    const result = meta.params.safeParse({ cloudmend_no_such_param: 'x' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('cloudmend_no_such_param');
  });

  it('describes every param, for the catalog and config completion', () => {
    const schema = z.toJSONSchema(meta.params, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { description?: string }>;
    };
    const undescribed = Object.entries(schema.properties ?? {})
      .filter(([, property]) => !property.description?.trim())
      .map(([param]) => param);
    expect(undescribed).toEqual([]);
  });

  it('fills positional CloudBots arguments only into params it has', () => {
    const names = paramNames(bot);
    for (const param of meta.positional ?? []) expect(names).toContain(param);
  });

  it('declares permissions: exact `service:Action` names, resources, and a reason for each', () => {
    expect(meta.permissions.length).toBeGreaterThan(0);
    for (const permission of meta.permissions) {
      expect(permission.actions.length).toBeGreaterThan(0);
      for (const action of permission.actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      expect(permission.resources.length).toBeGreaterThan(0);
      expect(permission.reason.trim()).not.toBe('');
    }
  });

  it('uses only the known placeholders in resource templates', () => {
    for (const template of meta.permissions.flatMap((p) => p.resources)) {
      const placeholders = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
      const unknown = placeholders.filter((p) => !KNOWN_PLACEHOLDERS.has(p));
      expect({ template, unknown }).toEqual({ template, unknown: [] });
      // `${...}` would be taken by Terraform's own interpolation.
      expect(template).not.toContain('$');
    }
  });

  it('marks permissions of global services (IAM, STS, Organizations, CloudFront) global, and only those', () => {
    for (const permission of meta.permissions) {
      const services = [...new Set(permission.actions.map((a) => a.split(':')[0]!))];
      const expected = services.every((s) => GLOBAL_SERVICES.has(s));
      expect({ actions: permission.actions, global: permission.global ?? false }).toEqual({
        actions: permission.actions,
        global: expected,
      });
    }
  });
});

describe('destructive bots', () => {
  const present = MUST_BE_DESTRUCTIVE.filter((name) => getBot(name));

  it('include the ones that terminate or delete, whenever they are registered', () => {
    expect(present).toContain('ec2_terminate_instance');
    const notFlagged = present.filter((name) => getBot(name)!.meta.destructive !== true);
    expect(notFlagged).toEqual([]);
  });
});

/** Words in a param name that say it points somewhere or at someone (a flag such as `bucket_key_enabled` does not). */
const SENSITIVE_WORDS = new Set([
  'arn',
  'bucket',
  'destination',
  'principal',
  'policy',
  'role',
  'kms',
  'key',
  'topic',
  'queue',
  'stream',
  'target',
  'account',
  'endpoint',
]);

function looksSensitive(param: string): boolean {
  if (/_enabled$|Enabled$/.test(param)) return false;
  const words = param.split(/_|(?=[A-Z])/).map((w) => w.toLowerCase());
  return words.some((w) => SENSITIVE_WORDS.has(w));
}

describe('params a finding may set (meta.overridable)', () => {
  it.each(bots)('%s: only params it declares, never a destination, key, principal or policy', (_name, bot) => {
    const names = paramNames(bot);
    const overridable = bot.meta.overridable ?? [];
    const sensitive = Object.keys(bot.meta.sensitiveParams ?? {});
    expect(overridable.filter((p) => !names.includes(p))).toEqual([]);
    expect(sensitive.filter((p) => !names.includes(p))).toEqual([]);
    expect(overridable.filter((p) => sensitive.includes(p))).toEqual([]);
    // A new bot's `bucket`, `role_arn` or `kms_key` param is caught even when it forgets to declare it sensitive.
    expect(overridable.filter(looksSensitive)).toEqual([]);
  });

  it('recognises what a destination or key param looks like', () => {
    expect(
      ['s3_arn', 'target_bucket', 'kms_key_id', 'kms_key_arn', 'RoleArn', 'destination', 'principal'].filter(looksSensitive),
    ).toHaveLength(7);
    expect(['traffic_type', 'days', 'bucket_key_enabled', 'MinimumPasswordLength', 'encryption_type'].filter(looksSensitive)).toEqual([]);
  });

  it('declares the destination and key params of the shipped bots sensitive', () => {
    const declared = Object.fromEntries(bots.filter(([, b]) => b.meta.sensitiveParams).map(([name, b]) => [name, b.meta.sensitiveParams]));
    expect(declared).toMatchObject({
      vpc_turn_on_flow_logs: { s3_arn: 'destination' },
      s3_enable_logging: { target_bucket: 'own-destination' },
      s3_enable_encryption: { kms_key_arn: 'key' },
      ebs_enable_encryption_by_default: { kms_key_id: 'key' },
    });
  });
});

/**
 * Issue #11, no silent gaps: every bot says, per kind of change it makes,
 * whether and how `cloudmend undo` reverses it. The kinds a bot records at run
 * time are held to its metadata in every test (support/recording.ts); here the
 * metadata itself: a reversible kind has its undoer and undo permissions, an
 * irreversible one says why, and an undoer belongs to a reversible kind.
 */
describe.each(bots)('%s undo metadata', (name, bot) => {
  const kinds = Object.entries(bot.meta.undo ?? {});

  it('declares the kinds of change it makes', () => {
    expect([name, kinds.length]).not.toEqual([name, 0]);
  });

  it('gives each reversible kind an undoer, a plan line and undo permissions; each irreversible kind a reason', () => {
    for (const [kind, undo] of kinds) {
      if (undo.reversible) {
        expect([kind, typeof bot.undoers?.[kind]?.read, typeof bot.undoers?.[kind]?.write]).toEqual([kind, 'function', 'function']);
        expect([kind, undo.how.trim().length > 10]).toEqual([kind, true]);
        expect([kind, undo.permissions.length > 0]).toEqual([kind, true]);
        for (const p of undo.permissions) expect([kind, p.actions.filter((a) => a.includes('*'))]).toEqual([kind, []]);
      } else {
        expect([kind, undo.why.trim().length > 20]).toEqual([kind, true]);
      }
    }
  });

  it('has undoers only for kinds it declares reversible', () => {
    for (const kind of Object.keys(bot.undoers ?? {})) expect([kind, bot.meta.undo?.[kind]?.reversible]).toEqual([kind, true]);
  });
});
