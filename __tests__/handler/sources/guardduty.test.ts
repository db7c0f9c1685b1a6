import { fromGuardDuty, guardDutySeverity } from '../../../handler/sources/guardduty';
import { fixture } from '../../fixtures/load';

const options = { defaultRegion: 'eu-central-1' };

describe('GuardDuty findings', () => {
  it('reads an EC2 finding: instance id, tags, type as rule, account and region from the finding', () => {
    const event = fixture('guardduty-ec2-malicious-ip.json');
    const { findings, rejections } = fromGuardDuty(event, options);
    expect(rejections).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      source: 'guardduty',
      id: '5ec9a1b2c3d4e5f60718293a4b5c6d7e',
      rule: 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom',
      title: 'EC2 instance i-0a1b2c3d4e5f67890 is communicating with a disallowed IP address on a custom threat list.',
      severity: 'high',
      status: 'FAILED',
      partition: 'aws',
      account: '222222222222',
      region: 'eu-west-1',
      resource: { type: 'AWS::EC2::Instance', id: 'i-0a1b2c3d4e5f67890', tags: { Name: 'web-1', team: 'payments' } },
      requestedActions: [],
      notes: [],
    });
  });

  it('maps an access key finding to the IAM user who owns the key', () => {
    const { findings } = fromGuardDuty(fixture('guardduty-iam-access-key.json'), options);
    expect(findings[0]!.resource).toMatchObject({ type: 'AWS::IAM::User', id: 'ci-deployer', name: 'ci-deployer' });
    expect(findings[0]!.severity).toBe('medium');
  });

  it('maps an assumed-role access key to the role, and refuses to act on the root user', () => {
    const event = fixture('guardduty-iam-access-key.json');
    event.detail.resource.accessKeyDetails.userType = 'AssumedRole';
    event.detail.resource.accessKeyDetails.userName = 'deploy-role';
    expect(fromGuardDuty(event, options).findings[0]!.resource).toMatchObject({ type: 'AWS::IAM::Role', id: 'deploy-role' });

    event.detail.resource.accessKeyDetails.userType = 'Root';
    const { findings, rejections } = fromGuardDuty(event, options);
    expect(findings).toEqual([]);
    expect(rejections[0]).toMatchObject({ code: 'unsupported-resource', source: 'guardduty' });
    expect(rejections[0]!.reason).toContain('root user');
  });

  it('makes one finding per bucket of an S3 finding, each with its own id', () => {
    const { findings } = fromGuardDuty(fixture('guardduty-s3-buckets.json'), options);
    expect(findings.map((f) => [f.id, f.resource.id, f.resource.arn, f.resource.tags])).toEqual([
      ['9ac9a1b2c3d4e5f60718293a4b5c6d70/logs-a', 'logs-a', 'arn:aws:s3:::logs-a', { team: 'data' }],
      ['9ac9a1b2c3d4e5f60718293a4b5c6d70/logs-b', 'logs-b', 'arn:aws:s3:::logs-b', {}],
    ]);
    expect(findings[0]!.severity).toBe('low');
  });

  it('rejects resource types it cannot act on, naming the ones it can', () => {
    const { rejections } = fromGuardDuty(fixture('guardduty-eks-unsupported.json'), options);
    expect(rejections[0]!.reason).toMatch(/resource type EKSCluster is not one cloudmend acts on \(expected Instance/);
  });

  it('skips archived findings', () => {
    const event = fixture('guardduty-ec2-malicious-ip.json');
    event.detail.service.archived = true;
    expect(fromGuardDuty(event, options).rejections[0]).toMatchObject({ code: 'workflow-closed', kind: 'skip' });
  });

  it('rejects a finding without type, id or account', () => {
    const { rejections } = fromGuardDuty({ 'detail-type': 'GuardDuty Finding', detail: { resource: null } }, options);
    expect(rejections[0]!.reason).toBe('GuardDuty finding without detail.type, detail.id, detail.accountId');
  });

  it('rejects an instance finding without an instance id', () => {
    const event = fixture('guardduty-ec2-malicious-ip.json');
    delete event.detail.resource.instanceDetails.instanceId;
    expect(fromGuardDuty(event, options).rejections[0]!.reason).toContain('without instanceDetails.instanceId');
  });

  it.each([
    [9.5, 'critical'],
    [8, 'high'],
    [5, 'medium'],
    [1, 'low'],
    ['n/a', 'unknown'],
  ])('severity %p is %s', (value, label) => {
    expect(guardDutySeverity(value)).toBe(label);
  });

  it('reports a bucket entry without a name instead of dropping it, and reads the named ones', () => {
    const event = fixture('guardduty-s3-buckets.json');
    event.detail.resource.s3BucketDetails.splice(1, 0, { arn: 'arn:aws:s3:::' }, 'logs-c');
    const { findings, rejections } = fromGuardDuty(event, options);
    expect(findings.map((f) => f.id)).toEqual(['9ac9a1b2c3d4e5f60718293a4b5c6d70/logs-a', '9ac9a1b2c3d4e5f60718293a4b5c6d70/logs-b']);
    expect(rejections.map((r) => [r.code, r.findingId, r.reason])).toEqual([
      [
        'malformed-event',
        '9ac9a1b2c3d4e5f60718293a4b5c6d70',
        'GuardDuty finding 9ac9a1b2c3d4e5f60718293a4b5c6d70 (Policy:S3/BucketBlockPublicAccessDisabled): s3BucketDetails[1] names no bucket (no name)',
      ],
      [
        'malformed-event',
        '9ac9a1b2c3d4e5f60718293a4b5c6d70',
        'GuardDuty finding 9ac9a1b2c3d4e5f60718293a4b5c6d70 (Policy:S3/BucketBlockPublicAccessDisabled): s3BucketDetails[2] names no bucket (no name)',
      ],
    ]);
  });

  it('gives the one named bucket of a finding with a malformed entry its own id, as it would with several', () => {
    const event = fixture('guardduty-s3-buckets.json');
    event.detail.resource.s3BucketDetails = [{ name: 'logs-a' }, {}];
    expect(fromGuardDuty(event, options).findings.map((f) => f.id)).toEqual(['9ac9a1b2c3d4e5f60718293a4b5c6d70/logs-a']);
  });
});
