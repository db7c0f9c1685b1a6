import {
  CONFIG_SOURCE,
  DEFAULT_SOURCES_SETTINGS,
  isAcceptedSecurityHubProduct,
  GUARDDUTY_SOURCE,
  MAPPED_SOURCES,
  mappingKeyOf,
  SECURITY_HUB_SOURCE,
} from '../../config/sources';
import { MappingsConfig } from '../../config/schema';
import { RuntimeConfig } from '../../config/runtime';

const settings = DEFAULT_SOURCES_SETTINGS;

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
    for (const source of MAPPED_SOURCES) expect(source.eventRules?.({ keys: [], settings })).toEqual([]);
  });

  it('deliver only the mapped keys of each source', () => {
    expect(GUARDDUTY_SOURCE.eventRules?.({ keys: ['Recon:EC2/PortProbeUnprotectedPort'], settings })).toEqual([
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
    expect(CONFIG_SOURCE.eventRules?.({ keys: ['s3-bucket-versioning-enabled'], settings })[0]?.pattern).toMatchObject({
      detail: { configRuleName: ['s3-bucket-versioning-enabled'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
    });
  });

  it('bind the Security Hub custom action rule to the action it is given', () => {
    const rules =
      SECURITY_HUB_SOURCE.eventRules?.({ keys: ['S3.8'], customActionArn: 'arn:aws:securityhub:us-east-1:1:action/custom/X', settings }) ??
      [];
    expect(rules.map((r) => r.id)).toEqual(['securityhub-imported', 'securityhub-action']);
    expect(rules[1]!.pattern).toMatchObject({ resources: ['arn:aws:securityhub:us-east-1:1:action/custom/X'] });
  });

  it("deliver Security Hub findings of Security Hub's own controls and of the listed products only", () => {
    const withGuardDuty = { securityHub: { products: ['aws/guardduty'] } };
    const [imported, action] = SECURITY_HUB_SOURCE.eventRules?.({ keys: ['S3.8'], settings: withGuardDuty }) ?? [];
    const products = [{ suffix: '::product/aws/securityhub' }, { suffix: '::product/aws/guardduty' }];
    expect(imported?.pattern).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: { findings: { ProductArn: products, Compliance: { SecurityControlId: ['S3.8'], Status: ['FAILED'] } } },
    });
    expect(action?.pattern).toMatchObject({ detail: { findings: { ProductArn: products } } });
  });
});

describe('isAcceptedSecurityHubProduct', () => {
  const none = { products: [] };
  it.each<[string | undefined, { products: string[] }, boolean]>([
    ['arn:aws:securityhub:us-east-1::product/aws/securityhub', none, true],
    ['arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/securityhub', none, true],
    ['arn:aws:securityhub:us-east-1::product/aws/guardduty', none, false],
    ['arn:aws:securityhub:us-east-1::product/aws/guardduty', { products: ['aws/guardduty'] }, true],
    ['arn:aws:securityhub:us-east-1:333333333333:product/333333333333/default', none, false],
    ['arn:aws:securityhub:us-east-1:333333333333:product/333333333333/default', { products: ['aws/securityhub'] }, false],
    ['arn:aws:securityhub:us-east-1::product/evil/aws/securityhub-not', none, false],
    ['product/aws/securityhub', none, false],
    [undefined, none, false],
  ])('%s with %j: %s', (arn, settings, accepted) => {
    expect(isAcceptedSecurityHubProduct(arn, settings)).toBe(accepted);
  });
});
