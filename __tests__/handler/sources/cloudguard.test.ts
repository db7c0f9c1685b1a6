import { fromCloudGuard } from '../../../handler/sources/cloudguard';
import { fixture } from '../../fixtures/load';

const options = { defaultRegion: 'eu-central-1' };

describe('CloudGuard compliance notifications', () => {
  it('reads the public CloudBots S3 sample: bucket name, account, AUTO: bot, and says it assumed the region', () => {
    const { findings, rejections } = fromCloudGuard(fixture('cloudguard-s3-bucket.json'), options);
    expect(rejections).toEqual([]);
    expect(findings).toHaveLength(1);
    const finding = findings[0]!;
    expect(finding).toMatchObject({
      source: 'cloudguard',
      id: '621958466464|S3 bucket should not be publicly accessible|dome9clickthroughs',
      rule: 'S3 bucket should not be publicly accessible',
      severity: 'high',
      status: 'FAILED',
      partition: 'aws',
      account: '621958466464',
      region: 'eu-central-1',
      resource: { type: 'AWS::S3::Bucket', id: 'dome9clickthroughs', name: 'dome9clickthroughs', tags: {} },
      requestedActions: [{ bot: 's3_delete_permissions', args: [] }],
    });
    expect(finding.notes).toEqual(["the notification names no region; assumed the handler's region eu-central-1"]);
  });

  it('reads several pipe-separated tags with loose spacing, merges remediationActions without duplicates, normalises us_east_1', () => {
    const { findings } = fromCloudGuard(fixture('cloudguard-ec2-instance.json'), options);
    const finding = findings[0]!;
    expect(finding.id).toBe('Gj8pL2qvXk1o9D0rTq7ZxA');
    expect(finding.region).toBe('us-east-1');
    expect(finding.notes).toEqual([]);
    expect(finding.severity).toBe('critical');
    expect(finding.resource).toMatchObject({
      type: 'AWS::EC2::Instance',
      id: 'i-0a1b2c3d4e5f67890',
      arn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0a1b2c3d4e5f67890',
      region: 'us-east-1',
      tags: { Name: 'web-1', 'cloudmend:exclude': 'true' },
    });
    expect(finding.requestedActions).toEqual([
      { bot: 'ec2_stop_instance', args: [] },
      { bot: 'ec2_create_snapshot', args: [] },
    ]);
  });

  it('keeps bot arguments and treats null regions as missing', () => {
    const { findings } = fromCloudGuard(fixture('cloudguard-null-region.json'), options);
    expect(findings[0]!.requestedActions).toEqual([
      { bot: 'rds_enable_backup', args: ['14'] },
      { bot: 's3_enable_versioning', args: [] },
    ]);
    expect(findings[0]!.region).toBe('eu-central-1');
  });

  it('takes the region from the entity ARN when the notification has none', () => {
    const event = fixture('cloudguard-ec2-instance.json');
    event.region = '';
    event.entity.region = null;
    const { findings } = fromCloudGuard(event, options);
    expect(findings[0]!.region).toBe('us-east-1');
  });

  it('maps status Passed to PASSED (the planner decides not to act)', () => {
    const { findings } = fromCloudGuard(fixture('cloudguard-s3-passed.json'), options);
    expect(findings[0]!.status).toBe('PASSED');
  });

  it('rejects a partial notification naming every missing field', () => {
    const { findings, rejections } = fromCloudGuard(fixture('cloudguard-partial.json'), options);
    expect(findings).toEqual([]);
    expect(rejections).toEqual([
      expect.objectContaining({
        code: 'malformed-event',
        kind: 'error',
        reason: 'CloudGuard notification without entity.id, account.id (12 digits), status ("Passed" or "Failed")',
      }),
    ]);
  });

  it('uses the IAM user name, not an ARN id, for IAM entities', () => {
    const event = fixture('cloudguard-ec2-instance.json');
    event.entity = { id: 'arn:aws:iam::222222222222:user/dev/alice', name: 'alice', type: 'IamUser', region: '' };
    const { findings } = fromCloudGuard(event, options);
    expect(findings[0]!.resource).toMatchObject({ type: 'AWS::IAM::User', id: 'alice' });
  });

  it('keeps an unknown entity type recognisable so the planner can name it', () => {
    const event = fixture('cloudguard-ec2-instance.json');
    event.entity.type = 'ElasticSearchDomain';
    expect(fromCloudGuard(event, options).findings[0]!.resource.type).toBe('CloudGuard::ElasticSearchDomain');
  });

  it('reports each remediationActions entry that is not text, and still reads the finding with the others', () => {
    const event = fixture('cloudguard-ec2-instance.json');
    event.remediationActions = ['ec2_stop_instance', 42, null, '  ', { bot: 'x' }];
    const { findings, rejections } = fromCloudGuard(event, options);
    expect(findings[0]!.requestedActions.map((a) => a.bot)).toEqual(['ec2_stop_instance', 'ec2_create_snapshot']);
    expect(rejections.map((r) => [r.code, r.findingId, r.reason])).toEqual([
      [
        'malformed-event',
        'Gj8pL2qvXk1o9D0rTq7ZxA',
        'CloudGuard notification Gj8pL2qvXk1o9D0rTq7ZxA: remediationActions[1] is a number, expected "bot_name args" text',
      ],
      [
        'malformed-event',
        'Gj8pL2qvXk1o9D0rTq7ZxA',
        'CloudGuard notification Gj8pL2qvXk1o9D0rTq7ZxA: remediationActions[2] is null, expected "bot_name args" text',
      ],
      [
        'malformed-event',
        'Gj8pL2qvXk1o9D0rTq7ZxA',
        'CloudGuard notification Gj8pL2qvXk1o9D0rTq7ZxA: remediationActions[3] is blank, expected "bot_name args" text',
      ],
      [
        'malformed-event',
        'Gj8pL2qvXk1o9D0rTq7ZxA',
        'CloudGuard notification Gj8pL2qvXk1o9D0rTq7ZxA: remediationActions[4] is an object, expected "bot_name args" text',
      ],
    ]);
  });

  it("keeps a CloudFormation type it does not know marked as CloudGuard's, so no bot mistakes it for its own", () => {
    const event = fixture('cloudguard-ec2-instance.json');
    event.entity.type = 'AWS::EKS::Cluster';
    expect(fromCloudGuard(event, options).findings[0]!.resource.type).toBe('CloudGuard::AWS::EKS::Cluster');
  });
});
