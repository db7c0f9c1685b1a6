import { z } from 'zod';
import { configRuleNames, defaultMappingTable, idleDefaultMappings, normaliseControlId, normaliseMappingKey } from '../../bots/remediates';
import { defineBot, type RemediatesMeta } from '../../bots/types';

function bot(name: string, remediates: RemediatesMeta, destructive = false) {
  return defineBot({
    meta: {
      name,
      summary: 'test bot',
      resourceTypes: ['AWS::S3::Bucket'],
      remediates,
      params: z.strictObject({}),
      permissions: [],
      ...(destructive ? { destructive } : {}),
    },
    run: async () => ({ status: 'already-compliant', message: '', changes: [] }),
  });
}

describe('normaliseControlId', () => {
  it.each([
    ['S3.8', 's3.8'],
    [' s3.8 ', 's3.8'],
    ['PCI.S3.6', 'pci.s3.6'],
    ['pci s3.6', 'pci.s3.6'],
    ['CIS.1.4', 'cis.1.4'],
    ['CIS 1.4', 'cis.1.4'],
    ['cis_1.4', 'cis.1.4'],
    ['1.4', 'cis.1.4'],
    ['ELBv2.1', 'elbv2.1'],
  ])('%s -> %s', (id, normalised) => {
    expect(normaliseControlId(id)).toBe(normalised);
  });

  it('keeps the CIS 1.2.0 rule 1.4 apart from 1.14', () => {
    expect(normaliseControlId('1.4')).not.toBe(normaliseControlId('1.14'));
  });
});

describe('configRuleNames', () => {
  it('finds the managed rule name inside the names Security Hub and conformance packs give their rules', () => {
    expect(configRuleNames('securityhub-s3-bucket-versioning-enabled-a1b2c3')).toEqual([
      'securityhub-s3-bucket-versioning-enabled-a1b2c3',
      's3-bucket-versioning-enabled',
    ]);
    expect(configRuleNames('s3-bucket-versioning-enabled-conformance-pack-xyz123')).toEqual([
      's3-bucket-versioning-enabled-conformance-pack-xyz123',
      's3-bucket-versioning-enabled',
    ]);
    expect(configRuleNames('S3-Bucket-Versioning-Enabled')).toEqual(['s3-bucket-versioning-enabled']);
  });
});

describe('normaliseMappingKey', () => {
  it('compares GuardDuty finding types exactly, control ids and Config rule names without case', () => {
    expect(normaliseMappingKey('guardduty', 'Recon:EC2/PortProbeUnprotectedPort')).toBe('Recon:EC2/PortProbeUnprotectedPort');
    expect(normaliseMappingKey('securityHub', 'CIS 2.4')).toBe('cis.2.4');
    expect(normaliseMappingKey('config', 'Cloudtrail-Enabled')).toBe('cloudtrail-enabled');
  });
});

describe('defaultMappingTable', () => {
  it('lists every declared key with the bots declaring it, in registry order, under one spelling', () => {
    const table = defaultMappingTable([
      bot('first', { securityHub: ['S3.8', 'CIS.2.3'], config: ['s3-bucket-level-public-access-prohibited'] }),
      bot('second', { securityHub: ['s3.8'], guardduty: ['Policy:S3/BucketBlockPublicAccessDisabled'] }),
    ]);
    expect(table.securityHub.get('s3.8')).toEqual({ key: 'S3.8', bots: ['first', 'second'] });
    expect(table.securityHub.get('cis.2.3')).toEqual({ key: 'CIS.2.3', bots: ['first'] });
    expect(table.config.get('s3-bucket-level-public-access-prohibited')).toEqual({
      key: 's3-bucket-level-public-access-prohibited',
      bots: ['first'],
    });
    expect(table.guardduty.get('Policy:S3/BucketBlockPublicAccessDisabled')!.bots).toEqual(['second']);
  });
});

describe('idleDefaultMappings', () => {
  const bots = [
    bot('blocker', { securityHub: ['S3.8', 'S3.1'] }),
    bot('backup_blocker', { securityHub: ['S3.8'] }),
    bot('deleter', { securityHub: ['S3.2'] }, true),
    bot('quiet', {}),
  ];

  it('names the bots that are off with the keys nothing else covers', () => {
    expect(idleDefaultMappings(bots, new Set(['backup_blocker', 'deleter']), new Set())).toEqual([
      { bot: 'blocker', why: 'not enabled', keys: ['S3.1'] },
      { bot: 'deleter', why: 'destructive, not opted in', keys: ['S3.2'] },
    ]);
  });

  it('is empty when every declaring bot may run', () => {
    expect(idleDefaultMappings(bots, new Set(['blocker', 'backup_blocker', 'deleter', 'quiet']), new Set(['deleter']))).toEqual([]);
  });
});
