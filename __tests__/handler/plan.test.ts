import { planRemediation, screenByLookedUpTags } from '../../handler/plan';
import type { TagLookup } from '../../handler/resource-tags';
import type { SourcedFinding } from '../../handler/sources/types';
import { fixBucket, runtimeConfig, stopBox, testRegistry } from './support';

function finding(overrides: Partial<SourcedFinding> = {}): SourcedFinding {
  return {
    source: 'cloudguard',
    id: 'f-1',
    rule: 'S3 bucket should not be public',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'us-east-1',
    resource: { type: 'AWS::S3::Bucket', id: 'data-bucket', tags: { team: 'data' } },
    requestedActions: [{ bot: 'fix_bucket', args: [] }],
    raw: {},
    notes: [],
    ...overrides,
  };
}

const registry = testRegistry();

function rejectionOf(f: SourcedFinding, config = runtimeConfig()) {
  const plan = planRemediation(f, config, registry);
  expect(plan.runs).toEqual([]);
  expect(plan.rejections).toHaveLength(1);
  return plan.rejections[0]!;
}

describe('planRemediation', () => {
  it('plans the bot the finding requests, with params from its arguments where the bot lets findings set them', () => {
    const f = finding({ requestedActions: [{ bot: 'fix_bucket', args: ['3'] }] });
    const plan = planRemediation(f, runtimeConfig(), registry);
    expect(plan.rejections).toEqual([]);
    expect(plan.runs).toEqual([{ finding: f, bot: fixBucket, params: { level: 3 }, requestedBy: 'finding' }]);
  });

  it('refuses a finding argument for a param the config pins, naming the param and the config key', () => {
    const f = finding({ requestedActions: [{ bot: 'fix_bucket', args: ['3'] }] });
    const r = rejectionOf(f, runtimeConfig({ params: { fix_bucket: { level: 2 } } }));
    expect(r).toMatchObject({
      code: 'invalid-params',
      reason: 'fix_bucket: a finding may not set level: it is pinned by bots.params.fix_bucket.level in cloudmend.yaml',
    });
  });

  it('uses config defaults when the finding gives no arguments', () => {
    const plan = planRemediation(finding(), runtimeConfig({ params: { fix_bucket: { level: 2 } } }), registry);
    expect(plan.runs[0]!.params).toEqual({ level: 2 });
  });

  it('plans bots mapped in config to a GuardDuty type, a Security Hub control and a Config rule', () => {
    const config = runtimeConfig({
      mappings: {
        guardduty: { 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom': ['stop_box'] },
        securityHub: { 'S3.8': ['fix_bucket 2'] },
        config: { 's3-bucket-public-read-prohibited': ['fix_bucket'] },
      },
    });
    const gd = finding({
      source: 'guardduty',
      rule: 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom',
      requestedActions: [],
      resource: { type: 'AWS::EC2::Instance', id: 'i-0a1b2c3d4e5f67890' },
    });
    const sh = finding({
      source: 'securityhub',
      product: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
      rule: 'S3.8',
      requestedActions: [],
    });
    const cfg = finding({ source: 'config', rule: 's3-bucket-public-read-prohibited', requestedActions: [] });
    expect(planRemediation(gd, config, registry).runs.map((r) => [r.bot, r.params, r.requestedBy])).toEqual([
      [stopBox, {}, 'config mapping'],
    ]);
    expect(planRemediation(sh, config, registry).runs.map((r) => r.params)).toEqual([{ level: 2 }]);
    expect(planRemediation(cfg, config, registry).runs.map((r) => r.bot.meta.name)).toEqual(['fix_bucket']);
  });

  it('lets account-level bots act on a finding about any resource in the account', () => {
    const plan = planRemediation(finding({ requestedActions: [{ bot: 'set_password_policy', args: [] }] }), runtimeConfig(), registry);
    expect(plan.runs.map((r) => r.bot.meta.name)).toEqual(['set_password_policy']);
  });

  it('plans the good bots and rejects the bad ones of one finding independently', () => {
    const plan = planRemediation(
      finding({
        requestedActions: [
          { bot: 'fix_bucket', args: [] },
          { bot: 'nope', args: [] },
        ],
      }),
      runtimeConfig(),
      registry,
    );
    expect(plan.runs.map((r) => r.bot.meta.name)).toEqual(['fix_bucket']);
    expect(plan.rejections.map((r) => r.code)).toEqual(['unknown-bot']);
  });

  describe('rejects, with a reason', () => {
    it('an unknown bot, suggesting the closest name', () => {
      const r = rejectionOf(finding({ requestedActions: [{ bot: 'fix_buckett', args: [] }] }));
      expect(r).toMatchObject({ code: 'unknown-bot', kind: 'error', bot: 'fix_buckett' });
      expect(r.reason).toBe('no bot named "fix_buckett"; did you mean "fix_bucket"? (see the catalog: npm run catalog)');
    });

    it('a bot that is not enabled', () => {
      const r = rejectionOf(finding(), runtimeConfig({ enabledBots: ['stop_box'] }));
      expect(r).toMatchObject({ code: 'bot-not-enabled', kind: 'skip', bot: 'fix_bucket' });
      expect(r.reason).toBe('bot fix_bucket is not enabled; add it to bots.enabled in cloudmend.yaml to let it run');
    });

    it('a finding that passed', () => {
      const r = rejectionOf(finding({ status: 'PASSED' }));
      expect(r).toMatchObject({
        code: 'finding-passed',
        reason: 'the finding passed (S3 bucket should not be public); nothing to remediate',
      });
    });

    it('an account not in scope', () => {
      const r = rejectionOf(finding({ account: '999999999999' }));
      expect(r).toMatchObject({ code: 'account-not-in-scope', reason: expect.stringContaining('account 999999999999 is not in scope') });
    });

    it('a region that is not enabled', () => {
      const r = rejectionOf(finding({ region: 'ap-south-1' }));
      expect(r).toMatchObject({
        code: 'region-not-enabled',
        reason: 'region ap-south-1 is not enabled (regions in cloudmend.yaml: us-east-1, eu-west-1)',
      });
    });

    it('a destructive bot without opt-in (and runs it with opt-in)', () => {
      const f = finding({ requestedActions: [{ bot: 'wipe_bucket', args: [] }] });
      expect(rejectionOf(f)).toMatchObject({
        code: 'destructive-not-opted-in',
        reason: 'bot wipe_bucket is destructive and runs only when opted in; add it to bots.optIn in cloudmend.yaml',
      });
      expect(planRemediation(f, runtimeConfig({ optIn: ['wipe_bucket'] }), registry).runs).toHaveLength(1);
    });

    it('invalid params, with the zod message naming the param', () => {
      const r = rejectionOf(finding({ requestedActions: [{ bot: 'fix_bucket', args: ['9'] }] }));
      expect(r).toMatchObject({ code: 'invalid-params', kind: 'error' });
      expect(r.reason).toMatch(/^invalid params for fix_bucket: level: Too big/);
    });

    it('a resource type the bot does not act on', () => {
      const r = rejectionOf(finding({ resource: { type: 'AWS::EC2::Instance', id: 'i-0a1b2c3d4e5f67890' } }));
      expect(r).toMatchObject({
        code: 'resource-type-not-supported',
        reason: 'bot fix_bucket acts on AWS::S3::Bucket, not on AWS::EC2::Instance i-0a1b2c3d4e5f67890',
      });
    });

    it('a finding for which nothing requests a bot, naming the mapping to add', () => {
      const r = rejectionOf(
        finding({
          source: 'securityhub',
          product: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
          rule: 'S3.1',
          requestedActions: [],
        }),
      );
      expect(r).toMatchObject({
        code: 'no-bot-requested',
        reason: 'no bot requested for S3.1: the finding names none and nothing is configured (mappings.securityHub["S3.1"])',
      });
    });
  });
});

describe('planRemediation of Security Hub findings by product', () => {
  const mapped = runtimeConfig({ mappings: { guardduty: {}, securityHub: { 'S3.8': ['fix_bucket'] }, config: {} } });
  const fromProduct = (product: string | undefined) =>
    finding({ source: 'securityhub', rule: 'S3.8', requestedActions: [], ...(product ? { product } : {}) });

  it("acts on Security Hub's own controls", () => {
    expect(planRemediation(fromProduct('arn:aws:securityhub:us-east-1::product/aws/securityhub'), mapped, registry).runs).toHaveLength(1);
  });

  it('skips another product, or none, naming the setting that would accept it', () => {
    const plan = planRemediation(fromProduct('arn:aws:securityhub:us-east-1:333333333333:product/333333333333/default'), mapped, registry);
    expect(plan.runs).toEqual([]);
    expect(plan.rejections.map((r) => [r.code, r.kind, r.reason])).toEqual([
      [
        'product-not-accepted',
        'skip',
        "the Security Hub finding comes from product arn:aws:securityhub:us-east-1:333333333333:product/333333333333/default: cloudmend acts on Security Hub's own controls and on the products listed in sources.securityHub.products in cloudmend.yaml (none)",
      ],
    ]);
    expect(planRemediation(fromProduct(undefined), mapped, registry).rejections[0]!.code).toBe('product-not-accepted');
  });

  it('acts on a product the config lists', () => {
    const listed = { ...mapped, sources: { securityHub: { products: ['aws/guardduty'] } } };
    expect(planRemediation(fromProduct('arn:aws:securityhub:eu-west-1::product/aws/guardduty'), listed, registry).runs).toHaveLength(1);
  });
});

describe('planRemediation and the tags a finding carries', () => {
  it("decides nothing on them: they are the source's copy, and the live tags are screened after planning", () => {
    const tagged = finding({ resource: { type: 'AWS::S3::Bucket', id: 'data-bucket', tags: { 'cloudmend:exclude': 'yes' } } });
    expect(planRemediation(tagged, runtimeConfig(), registry)).toMatchObject({
      runs: [expect.objectContaining({ finding: tagged })],
      rejections: [],
    });
  });
});

describe('screenByLookedUpTags (the exclusion check on the live tags)', () => {
  const untagged = finding({ resource: { type: 'AWS::S3::Bucket', id: 'data-bucket' } });
  const runs = planRemediation(untagged, runtimeConfig(), registry).runs;
  const target = { via: 'tag:GetResources' as const, arn: 'arn:aws:s3:::data-bucket', region: 'us-east-1' };
  const screen = (lookup: TagLookup, config = runtimeConfig()) => screenByLookedUpTags(runs, lookup, config);

  it('plans on a finding without tags (the lookup comes after planning)', () => {
    expect(runs).toHaveLength(1);
  });

  it('rejects the runs when the looked-up tags carry the exclusion tag, saying where the tag was found', () => {
    const screened = screen({ status: 'found', tags: { 'cloudmend:exclude': '' }, target });
    expect(screened.runs).toEqual([]);
    expect(screened.failures).toEqual([]);
    expect(screened.rejections).toEqual([
      expect.objectContaining({
        code: 'resource-excluded',
        kind: 'skip',
        finding: untagged,
        reason:
          'AWS::S3::Bucket data-bucket carries the exclusion tag cloudmend:exclude (read live with tag:GetResources); nothing was changed',
      }),
    ]);
  });

  it('with a configured value, excludes only on that value: the key with another value is not excluded', () => {
    const valued = runtimeConfig({ exclusionTag: { key: 'cloudmend:exclude', value: 'true' } });
    expect(screen({ status: 'found', tags: { 'cloudmend:exclude': 'false' }, target }, valued)).toEqual({
      runs,
      rejections: [],
      failures: [],
    });
    expect(screen({ status: 'found', tags: { 'cloudmend:exclude': 'true' }, target }, valued).rejections[0]!.reason).toBe(
      'AWS::S3::Bucket data-bucket carries the exclusion tag cloudmend:exclude=true (read live with tag:GetResources); nothing was changed',
    );
  });

  it('lets the runs go ahead on other tags, no tags, or a resource the lookup does not know', () => {
    expect(screen({ status: 'found', tags: { team: 'data' }, target })).toEqual({ runs, rejections: [], failures: [] });
    expect(screen({ status: 'found', tags: {}, target })).toEqual({ runs, rejections: [], failures: [] });
    expect(screen({ status: 'not-found', target })).toEqual({ runs, rejections: [], failures: [] });
    expect(screen({ status: 'not-needed' })).toEqual({ runs, rejections: [], failures: [] });
  });

  it('fails every run, not retried, when the lookup was denied: the member role needs redeploying', () => {
    const error = { name: 'AccessDeniedException', message: 'not authorized to perform: tag:GetResources', retryable: false };
    const screened = screen({ status: 'failed', error, denied: true, target });
    expect(screened.runs).toEqual([]);
    expect(screened.failures).toEqual([
      {
        run: runs[0],
        durationMs: 0,
        error: {
          name: 'TagLookupDenied',
          retryable: false,
          message:
            'cannot read the tags of AWS::S3::Bucket data-bucket to check the exclusion tag cloudmend:exclude: tag:GetResources was denied in account 222222222222 (us-east-1). ' +
            'The member role probably predates the exclusion-tag lookup: redeploy the member-role stacks (cdktf deploy) so it grants tag:GetResources. ' +
            'Not run blind (not authorized to perform: tag:GetResources)',
        },
      },
    ]);
  });

  it('fails every run as retryable when the lookup failed transiently, keeping the error name', () => {
    const error = { name: 'ThrottlingException', message: 'Rate exceeded', retryable: true };
    expect(screen({ status: 'failed', error, denied: false, target }).failures.map((f) => f.error)).toEqual([
      {
        name: 'ThrottlingException',
        retryable: true,
        message:
          'cannot read the tags of AWS::S3::Bucket data-bucket to check the exclusion tag cloudmend:exclude: Rate exceeded. Not run blind',
      },
    ]);
  });

  it('fails every run closed, not retried, when the tags cannot be read at all', () => {
    const screened = screen({ status: 'unsupported', reason: 'no ARN' });
    expect(screened.runs).toEqual([]);
    expect(screened.failures.map((f) => f.error)).toEqual([
      {
        name: 'TagLookupUnsupported',
        message: 'cannot read the tags of AWS::S3::Bucket data-bucket to check the exclusion tag cloudmend:exclude: no ARN. Not run blind',
        retryable: false,
      },
    ]);
  });

  it("lets an account-level bot run whatever the resource's tags: it changes the account, not the resource", () => {
    const both = planRemediation(
      finding({
        resource: { type: 'AWS::S3::Bucket', id: 'data-bucket' },
        requestedActions: [
          { bot: 'fix_bucket', args: [] },
          { bot: 'set_password_policy', args: [] },
        ],
      }),
      runtimeConfig(),
      registry,
    ).runs;
    const excluded = screenByLookedUpTags(both, { status: 'found', tags: { 'cloudmend:exclude': '' }, target }, runtimeConfig());
    expect(excluded.runs.map((r) => r.bot.meta.name)).toEqual(['set_password_policy']);
    expect(excluded.rejections.map((r) => r.code)).toEqual(['resource-excluded']);
    const unreadable = screenByLookedUpTags(both, { status: 'unsupported', reason: 'no ARN' }, runtimeConfig());
    expect(unreadable.runs.map((r) => r.bot.meta.name)).toEqual(['set_password_policy']);
    expect(unreadable.failures.map((f) => f.run.bot.meta.name)).toEqual(['fix_bucket']);
  });
});
