/**
 * The default mappings every catalog bot declares (`meta.remediates`): well
 * formed, so each can ever match a finding, and each on a resource type its
 * source reports.
 */
import { BOTS } from '../../bots';
import { defaultMappingTable, NOT_REMEDIATED, normaliseMappingKey } from '../../bots/remediates';

/** `S3.8`, `ELBv2.1`, `PCI.S3.6`, `CIS.1.4`: what Security Hub (normalised) emits. */
const CONTROL_ID = /^(?:PCI\.)?[A-Z][A-Za-z0-9]*\.\d+$|^CIS\.\d+\.\d+$/;
/** `ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact` */
const GUARDDUTY_TYPE = /^[A-Za-z]+:[A-Za-z0-9]+\/[\w.&!-]+$/;
/** Managed rule names are lower-case words joined by `-`. */
const CONFIG_RULE = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

describe.each(BOTS.map((bot) => [bot.meta.name, bot] as const))('%s remediates', (_name, bot) => {
  const { securityHub = [], guardduty = [], config = [] } = bot.meta.remediates ?? {};

  it('declares Security Hub control ids, GuardDuty finding types and Config rule names in the forms those sources emit', () => {
    expect(securityHub.filter((id) => !CONTROL_ID.test(id))).toEqual([]);
    expect(guardduty.filter((type) => !GUARDDUTY_TYPE.test(type))).toEqual([]);
    expect(config.filter((rule) => !CONFIG_RULE.test(rule))).toEqual([]);
  });

  it('declares each key once', () => {
    for (const keys of [securityHub, guardduty, config]) expect(keys.length).toBe(new Set(keys).size);
  });

  it('acts on GuardDuty findings only through resource types the GuardDuty adapter reports', () => {
    if (guardduty.length === 0) return;
    const reported = ['AWS::EC2::Instance', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::RDS::DBInstance'];
    expect(bot.meta.resourceTypes.filter((type) => reported.includes(type))).not.toEqual([]);
  });
});

describe('the default mapping table of the catalog', () => {
  it('covers the controls of the wave-1 bots, each to the bot AWS’s remediation solution uses for it', () => {
    const table = defaultMappingTable(BOTS);
    const botsFor = (id: string) => table.securityHub.get(id.toLowerCase())?.bots;
    expect(botsFor('S3.8')).toEqual(['s3_block_all_public_access']);
    expect(botsFor('pci.s3.1')).toEqual(['s3_block_all_public_access']);
    expect(botsFor('CIS.2.2')).toEqual(['cloudtrail_enable_log_file_validation']);
    expect(botsFor('EC2.7')).toEqual(['ebs_enable_encryption_by_default']);
    expect(botsFor('KMS.4')).toEqual(['kms_enable_rotation']);
    expect(table.guardduty.get('Backdoor:EC2/C&CActivity.B')?.bots).toEqual(['ec2_quarantine_instance', 'ec2_create_snapshot']);
  });

  it("maps the wave-2a gaps: account-level block public access and the trail's log bucket", () => {
    const table = defaultMappingTable(BOTS);
    const botsFor = (id: string) => table.securityHub.get(normaliseMappingKey('securityHub', id))?.bots;
    expect(botsFor('S3.1')).toEqual(['s3_block_account_public_access']);
    expect(botsFor('PCI.S3.6')).toEqual(['s3_block_account_public_access']);
    // The finding's resource is the trail's bucket (ASR's CIS 2.3 runbook parses a bucket ARN and blocks its public access).
    expect(botsFor('CloudTrail.6')).toEqual(['s3_block_all_public_access']);
    expect(botsFor('2.3')).toEqual(['s3_block_all_public_access']);
    expect(table.config.get('s3-account-level-public-access-blocks-periodic')?.bots).toEqual(['s3_block_account_public_access']);
  });

  it('leaves the keys listed as not remediated on purpose to people: no bot declares them', () => {
    const table = defaultMappingTable(BOTS);
    const declared = NOT_REMEDIATED.flatMap((entry) =>
      entry.keys.filter((key) => table[entry.source].has(normaliseMappingKey(entry.source, key))),
    );
    expect(declared).toEqual([]);
    for (const entry of NOT_REMEDIATED) expect(entry.why.length).toBeGreaterThan(40);
  });
});
