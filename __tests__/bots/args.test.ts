import { z } from 'zod';
import { argsToParams, resolveParams, resolveRequestedParams } from '../../bots/args';

const flowLogs = {
  name: 'vpc_turn_on_flow_logs',
  params: z.strictObject({
    traffic_type: z.enum(['all', 'accept', 'reject']).default('all'),
    destination: z.enum(['logs', 's3']).default('logs'),
    s3_arn: z.string().optional(),
  }),
};

const backup = {
  name: 'rds_enable_backup',
  params: z.strictObject({
    days: z.coerce.number().int().min(1).max(35).default(7),
    apply_immediately: z.union([z.boolean(), z.stringbool()]).default(true),
  }),
  positional: ['days'],
};

const passwordPolicy = {
  name: 'iam_turn_on_password_policy',
  params: z.strictObject({ MinimumPasswordLength: z.coerce.number().default(14), RequireSymbols: z.stringbool().default(true) }),
};

describe('CloudBots arguments -> params', () => {
  it('reads key=value, keeping values that contain = or :', () => {
    expect(argsToParams(flowLogs, ['traffic_type=reject', 'destination=s3', 's3_arn=arn:aws:s3:::logs=1'])).toEqual({
      ok: true,
      params: { traffic_type: 'reject', destination: 's3', s3_arn: 'arn:aws:s3:::logs=1' },
    });
  });

  it('reads Key:Value (the CloudBots password policy style), matching keys regardless of case and separators', () => {
    expect(argsToParams(passwordPolicy, ['MinimumPasswordLength:16', 'require_symbols:false'])).toEqual({
      ok: true,
      params: { MinimumPasswordLength: '16', RequireSymbols: 'false' },
    });
  });

  it('maps positional arguments through meta.positional; a named one wins over a positional one', () => {
    expect(argsToParams(backup, ['14'])).toEqual({ ok: true, params: { days: '14' } });
    expect(argsToParams(backup, ['days=20', '14'])).toEqual({ ok: true, params: { days: '20' } });
  });

  it('refuses an unknown key=value naming the params the bot takes', () => {
    expect(argsToParams(flowLogs, ['trafic_type=all'])).toEqual({
      ok: false,
      error: 'vpc_turn_on_flow_logs has no param "trafic_type"; it takes traffic_type, destination, s3_arn',
    });
  });

  it('refuses more positional arguments than the bot declares', () => {
    expect(argsToParams(backup, ['14', 'extra'])).toEqual({
      ok: false,
      error: 'rds_enable_backup takes 1 positional argument(s) (days), got 2: 14 extra',
    });
    expect(argsToParams(flowLogs, ['arn:aws:s3:::b'])).toEqual({
      ok: false,
      error: 'vpc_turn_on_flow_logs takes no positional arguments, got 1: arn:aws:s3:::b',
    });
  });
});

describe('resolveParams', () => {
  it('merges finding arguments over config defaults, then validates with the schema', () => {
    expect(resolveParams(backup, ['21'], { days: 14, apply_immediately: false })).toEqual({
      ok: true,
      params: { days: 21, apply_immediately: false },
    });
    expect(resolveParams(backup, [], { days: 14 })).toEqual({ ok: true, params: { days: 14, apply_immediately: true } });
  });

  it('returns a readable error naming the bot and the param', () => {
    const result = resolveParams(backup, ['90']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^invalid params for rds_enable_backup: days: Too big: expected number to be <=35/);
  });

  it('reports a bad config default the same way', () => {
    const result = resolveParams(flowLogs, [], { destination: 'kinesis' });
    expect(!result.ok && result.error).toMatch(/^invalid params for vpc_turn_on_flow_logs: destination: /);
  });

  it('reports an unknown key in config defaults (strict schemas)', () => {
    const result = resolveParams(flowLogs, [], { trafficType: 'all' });
    expect(!result.ok && result.error).toMatch(/^invalid params for vpc_turn_on_flow_logs: Unrecognized key: "trafficType"/);
  });
});

describe('resolveRequestedParams: what a finding may set', () => {
  const guarded = {
    ...flowLogs,
    positional: ['traffic_type', 'destination', 's3_arn'],
    overridable: ['traffic_type'],
    sensitiveParams: { s3_arn: 'destination' as const },
  };

  it('lets a finding set an overridable param the config does not pin', () => {
    expect(resolveRequestedParams(guarded, ['traffic_type=reject'], {}, 'finding')).toEqual({
      ok: true,
      params: { traffic_type: 'reject', destination: 'logs' },
    });
  });

  it('refuses a sensitive param from a finding, by name or by position, saying only the config may set it', () => {
    const expected = {
      ok: false,
      error:
        'vpc_turn_on_flow_logs: a finding may not set s3_arn: it names a destination, which only the config may set (bots.params.vpc_turn_on_flow_logs.s3_arn in cloudmend.yaml)',
    };
    expect(resolveRequestedParams(guarded, ['s3_arn=arn:aws:s3:::evil'], {}, 'finding')).toEqual(expected);
    expect(resolveRequestedParams(guarded, ['all', 's3', 'arn:aws:s3:::evil'], {}, 'finding')).toMatchObject({ ok: false });
  });

  it('refuses a param the bot does not declare overridable, listing those it does', () => {
    expect(resolveRequestedParams(guarded, ['destination=s3'], {}, 'finding')).toEqual({
      ok: false,
      error:
        'vpc_turn_on_flow_logs: a finding may not set destination: the bot lets findings set only traffic_type; set it in the config instead (bots.params.vpc_turn_on_flow_logs.destination in cloudmend.yaml)',
    });
    expect(resolveRequestedParams(backup, ['14'], {}, 'finding')).toMatchObject({
      ok: false,
      error: expect.stringContaining('the bot lets findings set none of its params'),
    });
  });

  it('refuses an overridable param the config pins', () => {
    expect(resolveRequestedParams(guarded, ['traffic_type=accept'], { traffic_type: 'reject' }, 'finding')).toEqual({
      ok: false,
      error:
        'vpc_turn_on_flow_logs: a finding may not set traffic_type: it is pinned by bots.params.vpc_turn_on_flow_logs.traffic_type in cloudmend.yaml',
    });
  });

  it('takes arguments the operator wrote (a mappings entry) over bots.params, sensitive or not', () => {
    expect(
      resolveRequestedParams(guarded, ['destination=s3', 's3_arn=arn:aws:s3:::archive'], { traffic_type: 'reject' }, 'config'),
    ).toEqual({
      ok: true,
      params: { traffic_type: 'reject', destination: 's3', s3_arn: 'arn:aws:s3:::archive' },
    });
  });

  it('still reports unknown params before anything else', () => {
    expect(resolveRequestedParams(guarded, ['trafic_type=all'], {}, 'finding')).toMatchObject({
      ok: false,
      error: expect.stringContaining('has no param "trafic_type"'),
    });
  });
});
