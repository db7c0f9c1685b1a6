import { CONFIG_SOURCE, GUARDDUTY_SOURCE, MAPPED_SOURCES, mappingKeyOf, SECURITY_HUB_SOURCE } from '../../config/sources';
import { MappingsConfig } from '../../config/schema';
import { RuntimeConfig } from '../../config/runtime';

describe('source declarations', () => {
  it('give each mapped source its key in cloudmend.yaml and the runtime config', () => {
    expect(MAPPED_SOURCES.map((s) => [s.name, s.mapping.key])).toEqual([
      ['guardduty', 'guardduty'],
      ['securityhub', 'securityHub'],
      ['config', 'config'],
    ]);
    expect(Object.keys(MappingsConfig.shape)).toEqual(['guardduty', 'securityHub', 'config']);
    expect(Object.keys(RuntimeConfig.shape.mappings.shape)).toEqual(['guardduty', 'securityHub', 'config']);
    expect(mappingKeyOf('securityhub')).toBe('securityHub');
    expect(mappingKeyOf('cloudguard')).toBeUndefined();
  });

  it('declare no EventBridge rule for a source with nothing mapped', () => {
    for (const source of MAPPED_SOURCES) expect(source.eventRules?.({ keys: [] })).toEqual([]);
  });

  it('deliver only the mapped keys of each source', () => {
    expect(GUARDDUTY_SOURCE.eventRules?.({ keys: ['Recon:EC2/PortProbeUnprotectedPort'] })).toEqual([
      {
        id: 'guardduty',
        description: 'GuardDuty findings of the mapped types',
        pattern: {
          source: ['aws.guardduty'],
          'detail-type': ['GuardDuty Finding'],
          detail: { type: ['Recon:EC2/PortProbeUnprotectedPort'] },
        },
      },
    ]);
    expect(CONFIG_SOURCE.eventRules?.({ keys: ['s3-bucket-versioning-enabled'] })[0]?.pattern).toMatchObject({
      detail: { configRuleName: ['s3-bucket-versioning-enabled'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
    });
  });

  it('bind the Security Hub custom action rule to the action it is given', () => {
    const rules =
      SECURITY_HUB_SOURCE.eventRules?.({ keys: ['S3.8'], customActionArn: 'arn:aws:securityhub:us-east-1:1:action/custom/X' }) ?? [];
    expect(rules.map((r) => r.id)).toEqual(['securityhub-imported', 'securityhub-action']);
    expect(rules[1]!.pattern).toMatchObject({ resources: ['arn:aws:securityhub:us-east-1:1:action/custom/X'] });
  });
});
