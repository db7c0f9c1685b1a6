import { fromConfig } from '../../../handler/sources/config';
import { fixture } from '../../fixtures/load';

const options = { defaultRegion: 'eu-central-1' };

describe('AWS Config compliance changes', () => {
  it('reads a NON_COMPLIANT VPC evaluation: rule name, resource type and id, account, region, partition', () => {
    const { findings, rejections } = fromConfig(fixture('config-vpc-flow-logs.json'), options);
    expect(rejections).toEqual([]);
    expect(findings[0]).toMatchObject({
      source: 'config',
      id: '3b7c9d1e-2f4a-4c5b-8e6d-7a9f0b1c2d3e',
      rule: 'vpc-flow-logs-enabled',
      status: 'FAILED',
      partition: 'aws',
      account: '333333333333',
      region: 'us-east-2',
      resource: { type: 'AWS::EC2::VPC', id: 'vpc-0a1b2c3d4e5f60718' },
      notes: [],
    });
  });

  it('maps COMPLIANT to a passed finding', () => {
    const event = fixture('config-vpc-flow-logs.json');
    event.detail.newEvaluationResult.complianceType = 'COMPLIANT';
    expect(fromConfig(event, options).findings[0]!.status).toBe('PASSED');
  });

  it('skips NOT_APPLICABLE evaluations with the reason', () => {
    const { findings, rejections } = fromConfig(fixture('config-not-applicable.json'), options);
    expect(findings).toEqual([]);
    expect(rejections[0]).toMatchObject({
      code: 'not-failed',
      reason:
        'Config rule vpc-flow-logs-enabled evaluated AWS::EC2::VPC vpc-0a1b2c3d4e5f60718 as NOT_APPLICABLE; only NON_COMPLIANT is remediated',
    });
  });

  it('falls back to the qualifier when the top-level fields are missing', () => {
    const event = fixture('config-vpc-flow-logs.json');
    delete event.detail.resourceId;
    delete event.detail.resourceType;
    delete event.detail.configRuleName;
    expect(fromConfig(event, options).findings[0]!.resource).toMatchObject({ type: 'AWS::EC2::VPC', id: 'vpc-0a1b2c3d4e5f60718' });
  });

  it('rejects an event without an evaluation', () => {
    const event = fixture('config-vpc-flow-logs.json');
    delete event.detail.newEvaluationResult;
    expect(fromConfig(event, options).rejections[0]!.reason).toBe(
      'Config compliance change without detail.newEvaluationResult.complianceType',
    );
  });
});
