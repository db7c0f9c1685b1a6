import { z } from 'zod';
import { defineBot, type Bot, type RemediatesMeta } from '../../bots/types';
import { findingMappingKeys, mappedActions, securityHubKeys } from '../../handler/mappings';
import { planRemediation } from '../../handler/plan';
import type { SourcedFinding } from '../../handler/sources/types';
import { runtimeConfig, testRegistry } from './support';

function bot(name: string, resourceType: Bot['meta']['resourceTypes'][number], remediates: RemediatesMeta, destructive = false): Bot {
  return defineBot({
    meta: {
      name,
      summary: 'test bot',
      resourceTypes: [resourceType],
      remediates,
      params: z.strictObject({}),
      permissions: [],
      ...(destructive ? { destructive } : {}),
    },
    run: async () => ({ status: 'already-compliant', message: '', changes: [] }),
  });
}

const blockBucket = bot('block_bucket', 'AWS::S3::Bucket', {
  securityHub: ['S3.8', 'PCI.S3.6'],
  config: ['s3-bucket-level-public-access-prohibited'],
});
const rotateKeys = bot('rotate_keys', 'AWS::IAM::User', { securityHub: ['IAM.3', 'CIS.1.4'] });
const snapshot = bot('snapshot_box', 'AWS::EC2::Instance', { guardduty: ['Backdoor:EC2/C&CActivity.B'] });
const isolate = bot('isolate_box', 'AWS::EC2::Instance', { guardduty: ['Backdoor:EC2/C&CActivity.B'] });
const isolateRole = bot('isolate_role', 'AWS::IAM::Role', { guardduty: ['Backdoor:EC2/C&CActivity.B'] });
const wipe = bot('wipe_bucket2', 'AWS::S3::Bucket', { securityHub: ['S3.2'] }, true);
const registry = testRegistry([blockBucket, rotateKeys, snapshot, isolate, isolateRole, wipe]);
const allEnabled = runtimeConfig({
  enabledBots: ['block_bucket', 'rotate_keys', 'snapshot_box', 'isolate_box', 'isolate_role', 'wipe_bucket2'],
});

function finding(overrides: Partial<SourcedFinding>): SourcedFinding {
  return {
    source: 'securityhub',
    product: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    id: 'f-1',
    rule: 'S3.8',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'us-east-1',
    resource: { type: 'AWS::S3::Bucket', id: 'data-bucket' },
    requestedActions: [],
    raw: {},
    notes: [],
    ...overrides,
  };
}

describe('securityHubKeys: every form Security Hub names a control in', () => {
  it('consolidated control findings: Compliance.SecurityControlId and the security-control GeneratorId', () => {
    const asff = { Compliance: { SecurityControlId: 'IAM.3' }, GeneratorId: 'security-control/IAM.3', ProductFields: {} };
    expect(securityHubKeys(asff, 'IAM.3')).toEqual(['iam.3', 'security-control/iam.3']);
  });

  it('AFSBP per-standard findings: ProductFields.ControlId and the standard GeneratorId', () => {
    const asff = { GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/S3.8', ProductFields: { ControlId: 'S3.8' } };
    expect(securityHubKeys(asff, 'S3.8')).toContain('s3.8');
  });

  it('CIS 1.2.0 findings: ProductFields.RuleId and the ruleset GeneratorId become CIS.<rule>', () => {
    const asff = {
      GeneratorId: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.4',
      ProductFields: { RuleId: '1.4', StandardsGuideArn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0' },
    };
    const keys = securityHubKeys(asff, 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.4');
    expect(keys[0]).toBe('cis.1.4');
    expect(keys).not.toContain('cis.1.14');
  });

  it('a CIS 1.4.0 control numbered 1.14 is not taken for the CIS 1.2.0 rule 1.14, only its consolidated id counts', () => {
    const asff = {
      Compliance: { SecurityControlId: 'IAM.3' },
      GeneratorId: 'cis-aws-foundations-benchmark/v/1.4.0/1.14',
      ProductFields: {
        ControlId: '1.14',
        StandardsControlArn: 'arn:aws:securityhub:us-east-1:222222222222:control/cis-aws-foundations-benchmark/v/1.4.0/1.14',
      },
    };
    const keys = securityHubKeys(asff, '1.14');
    expect(keys[0]).toBe('iam.3');
    expect(keys.filter((k) => k.startsWith('cis.'))).toEqual([]);
  });

  it('PCI findings: PCI.<control> from ControlId and GeneratorId', () => {
    const asff = {
      Compliance: { SecurityControlId: 'S3.1' },
      GeneratorId: 'pci-dss/v/3.2.1/PCI.S3.6',
      ProductFields: { ControlId: 'PCI.S3.6' },
    };
    expect(securityHubKeys(asff, 'PCI.S3.6').slice(0, 2)).toEqual(['s3.1', 'pci.s3.6']);
  });
});

describe('findingMappingKeys', () => {
  it('keys a Config finding by its rule and the managed rule inside a Security Hub-made rule name', () => {
    const f = finding({ source: 'config', rule: 'securityhub-s3-bucket-level-public-access-prohibited-9f8e7d' });
    expect(findingMappingKeys(f)).toEqual({
      table: 'config',
      keys: ['securityhub-s3-bucket-level-public-access-prohibited-9f8e7d', 's3-bucket-level-public-access-prohibited'],
    });
  });

  it('has no table for findings that name their bots themselves', () => {
    expect(findingMappingKeys(finding({ source: 'cloudguard' }))).toEqual({ keys: [] });
  });
});

describe('mappedActions', () => {
  it('falls back on the bots whose metadata declares the control, when the config says nothing', () => {
    const pci = finding({ rule: 'PCI.S3.6', raw: { ProductFields: { ControlId: 'PCI.S3.6' } } });
    expect(mappedActions(pci, allEnabled, registry)).toEqual({
      origin: 'metadata',
      table: 'securityHub',
      key: 'PCI.S3.6',
      actions: [{ bot: 'block_bucket', args: [] }],
    });
  });

  it('matches a CIS 1.2.0 finding to the bot that declares CIS.1.4', () => {
    const cis = finding({
      rule: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.4',
      raw: {
        ProductFields: { RuleId: '1.4' },
        GeneratorId: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.4',
      },
      resource: { type: 'AWS::IAM::User', id: 'alice' },
    });
    expect(mappedActions(cis, allEnabled, registry)).toMatchObject({ origin: 'metadata', actions: [{ bot: 'rotate_keys', args: [] }] });
  });

  it('lets a config entry override the metadata, under any spelling of the control', () => {
    const config = runtimeConfig({ ...allEnabled, mappings: { guardduty: {}, securityHub: { 's3.8': ['isolate_box'] }, config: {} } });
    expect(mappedActions(finding({}), config, registry)).toEqual({
      origin: 'config',
      table: 'securityHub',
      key: 's3.8',
      actions: [{ bot: 'isolate_box', args: [] }],
    });
  });

  it('lets an empty config entry disable the metadata default', () => {
    const config = runtimeConfig({ ...allEnabled, mappings: { guardduty: {}, securityHub: { 'S3.8': [] }, config: {} } });
    const plan = planRemediation(finding({}), config, registry);
    expect(plan.runs).toEqual([]);
    expect(plan.rejections[0]).toMatchObject({
      code: 'no-bot-requested',
      reason: 'no bot requested for S3.8: mappings.securityHub["S3.8"] in cloudmend.yaml is empty (disabled on purpose)',
    });
  });

  it('runs every enabled bot declaring a GuardDuty type that acts on the finding resource (in name order), and no other', () => {
    const gd = finding({
      source: 'guardduty',
      rule: 'Backdoor:EC2/C&CActivity.B',
      resource: { type: 'AWS::EC2::Instance', id: 'i-0abc1234' },
    });
    const plan = planRemediation(gd, allEnabled, registry);
    expect(plan.rejections).toEqual([]);
    expect(plan.runs.map((r) => [r.bot.meta.name, r.requestedBy])).toEqual([
      ['isolate_box', 'bot metadata'],
      ['snapshot_box', 'bot metadata'],
    ]);
  });

  it('leaves out bots that are not enabled or destructive without opt-in, and says so when none is left', () => {
    const some = runtimeConfig({ enabledBots: ['snapshot_box', 'wipe_bucket2'] });
    const gd = finding({
      source: 'guardduty',
      rule: 'Backdoor:EC2/C&CActivity.B',
      resource: { type: 'AWS::EC2::Instance', id: 'i-0abc1234' },
    });
    expect(planRemediation(gd, some, registry).runs.map((r) => r.bot.meta.name)).toEqual(['snapshot_box']);

    const plan = planRemediation(finding({ rule: 'S3.2' }), some, registry);
    expect(plan.runs).toEqual([]);
    expect(plan.rejections[0]!.reason).toBe(
      'no bot requested for S3.2: wipe_bucket2 remediates it but may not run (enable it in bots.enabled, and opt in when destructive), ' +
        'and nothing is configured (mappings.securityHub["S3.2"])',
    );
    const optedIn = runtimeConfig({ enabledBots: ['wipe_bucket2'], optIn: ['wipe_bucket2'] });
    expect(planRemediation(finding({ rule: 'S3.2' }), optedIn, registry).runs.map((r) => r.bot.meta.name)).toEqual(['wipe_bucket2']);
  });

  it('maps a Config rule that Security Hub created to the bot declaring the managed rule', () => {
    const f = finding({ source: 'config', rule: 'securityhub-s3-bucket-level-public-access-prohibited-9f8e7d' });
    expect(planRemediation(f, allEnabled, registry).runs.map((r) => r.bot.meta.name)).toEqual(['block_bucket']);
  });
});
