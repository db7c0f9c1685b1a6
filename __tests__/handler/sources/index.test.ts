import { parseEvent } from '../../../handler/sources';
import { fixture } from '../../fixtures/load';

const options = { defaultRegion: 'us-east-1' };

describe('parseEvent: format detection and dispatch', () => {
  it.each([
    ['cloudguard-s3-bucket.json', 'cloudguard'],
    ['sns-envelope-cloudguard-s3.json', 'cloudguard'],
    ['seed-simplified-s3.json', 'seed'],
    ['guardduty-ec2-malicious-ip.json', 'guardduty'],
    ['securityhub-imported-s3.8.json', 'securityhub'],
    ['securityhub-custom-action.json', 'securityhub'],
    ['config-vpc-flow-logs.json', 'config'],
  ])('recognises %s as %s', (file, source) => {
    const { findings, rejections } = parseEvent(fixture(file), options);
    expect(rejections).toEqual([]);
    expect(findings.map((f) => f.source)).toEqual([source]);
  });

  it('stamps findings and rejections with the SQS record they came from', () => {
    const { findings, rejections } = parseEvent(fixture('sqs-batch-mixed.json'), options);
    expect(findings.map((f) => [f.source, f.recordId])).toEqual([
      ['guardduty', '11111111-1111-1111-1111-111111111111'],
      ['config', '22222222-2222-2222-2222-222222222222'],
    ]);
    expect(rejections.map((r) => r.recordId)).toEqual(['33333333-3333-3333-3333-333333333333']);
  });

  it('reads GuardDuty forwarded through SNS, and every record of a multi-record event', () => {
    const { findings } = parseEvent(fixture('sns-envelope-multi.json'), options);
    expect(findings.map((f) => f.source)).toEqual(['cloudguard', 'seed', 'guardduty']);
  });

  it('names what it expected for an EventBridge event of another kind', () => {
    const { rejections } = parseEvent({ 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: {} }, options);
    expect(rejections[0]).toMatchObject({ code: 'unrecognised-format', kind: 'error' });
    expect(rejections[0]!.reason).toMatch(
      /^EventBridge event with detail-type "EC2 Instance State-change Notification" \(source aws.ec2\) is not a finding cloudmend reads; expected a CloudGuard/,
    );
  });

  it('names the keys it saw for an unrecognised message', () => {
    const { rejections } = parseEvent({ hello: 'world' }, options);
    expect(rejections[0]!.reason).toMatch(/^unrecognised message \(keys: hello\); expected a CloudGuard compliance notification/);
  });
});

describe('bare findings (as the AWS CLI prints them, for cloudmend invoke)', () => {
  const options = { defaultRegion: 'us-east-1' };

  it('reads one bare ASFF finding as Security Hub would deliver it', () => {
    const asff = fixture('securityhub-imported-s3.8.json').detail.findings[0];
    const { findings, rejections } = parseEvent(asff, options);
    expect(rejections).toEqual([]);
    expect(findings.map((f) => [f.source, f.rule, f.resource.id])).toEqual([['securityhub', 'S3.8', 'example']]);
  });

  it('reads one bare GuardDuty finding as EventBridge would deliver it', () => {
    const detail = fixture('guardduty-ec2-malicious-ip.json').detail;
    const { findings, rejections } = parseEvent(detail, options);
    expect(rejections).toEqual([]);
    expect(findings.map((f) => [f.source, f.rule, f.resource.id])).toEqual([
      ['guardduty', 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom', 'i-0a1b2c3d4e5f67890'],
    ]);
  });
});
