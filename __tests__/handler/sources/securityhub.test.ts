import { fromSecurityHub } from '../../../handler/sources/securityhub';
import { fixture } from '../../fixtures/load';

const options = { defaultRegion: 'eu-central-1' };

describe('Security Hub findings (ASFF)', () => {
  it('reads the S3.8 sample: control id as rule, bucket name from the ARN', () => {
    const { findings, rejections } = fromSecurityHub(fixture('securityhub-imported-s3.8.json'), options);
    expect(rejections).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      source: 'securityhub',
      id: 'arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/e0182181-9218-420f-bef2-ed09ed230c59',
      rule: 'S3.8',
      severity: 'high',
      status: 'FAILED',
      partition: 'aws',
      account: '111111111111',
      region: 'us-east-1',
      resource: { type: 'AWS::S3::Bucket', id: 'example', arn: 'arn:aws:s3:::example', region: 'us-east-1' },
      requestedActions: [],
    });
  });

  it('reads every finding of a mixed event: both control id generations, suppressed, passed, access key, broken', () => {
    const { findings, rejections } = fromSecurityHub(fixture('securityhub-imported-mixed.json'), options);
    expect(findings.map((f) => [f.rule, f.status, f.account, f.region, f.resource.type, f.resource.id])).toEqual([
      ['S3.8', 'FAILED', '111111111111', 'us-east-1', 'AWS::S3::Bucket', 'example'],
      ['EC2.19', 'FAILED', '222222222222', 'eu-west-1', 'AWS::EC2::SecurityGroup', 'sg-0123abcd4567ef890'],
      ['S3.8', 'PASSED', '111111111111', 'us-east-1', 'AWS::S3::Bucket', 'example'],
      ['IAM.3', 'FAILED', '111111111111', 'us-east-1', 'AWS::IAM::User', 'old-user'],
    ]);
    expect(findings[1]!.severity).toBe('critical');
    expect(findings[1]!.resource.tags).toEqual({ env: 'prod' });
    expect(rejections.map((r) => [r.code, r.reason])).toEqual([
      ['workflow-closed', expect.stringContaining('has workflow status SUPPRESSED')],
      ['malformed-event', 'Security Hub finding #5 without AwsAccountId, Resources[0].Type and Id'],
    ]);
  });

  it('reads custom action events the same way', () => {
    const { findings } = fromSecurityHub(fixture('securityhub-custom-action.json'), options);
    expect(findings.map((f) => f.rule)).toEqual(['S3.8']);
  });

  it('skips RESOLVED (also in the legacy WorkflowState) and ARCHIVED findings, and WARNING compliance', () => {
    const event = fixture('securityhub-imported-s3.8.json');
    const finding = event.detail.findings[0];
    const legacy = { ...finding, Workflow: undefined, WorkflowState: 'RESOLVED' };
    const archived = { ...finding, RecordState: 'ARCHIVED' };
    const warning = { ...finding, Compliance: { Status: 'WARNING' } };
    event.detail.findings = [legacy, archived, warning];
    const { findings, rejections } = fromSecurityHub(event, options);
    expect(findings).toEqual([]);
    expect(rejections.map((r) => r.code)).toEqual(['workflow-closed', 'workflow-closed', 'not-failed']);
    expect(rejections[2]!.reason).toContain('compliance status WARNING; only FAILED findings are remediated');
  });

  it('notes when a finding names several resources and acts on the first', () => {
    const event = fixture('securityhub-imported-s3.8.json');
    event.detail.findings[0].Resources.push({ Type: 'AwsAccount', Id: 'AWS::::Account:111111111111' });
    const { findings } = fromSecurityHub(event, options);
    expect(findings[0]!.notes).toEqual(['the finding names 2 resources; acting on the first (arn:aws:s3:::example)']);
  });

  it('reads account-level resources as AWS::::Account with the account id', () => {
    const event = fixture('securityhub-imported-s3.8.json');
    event.detail.findings[0].Resources = [{ Type: 'AwsAccount', Id: 'AWS::::Account:111111111111', Partition: 'aws', Region: 'us-east-1' }];
    expect(fromSecurityHub(event, options).findings[0]!.resource).toMatchObject({ type: 'AWS::::Account', id: '111111111111' });
  });

  it('rejects an event without findings', () => {
    const { rejections } = fromSecurityHub({ 'detail-type': 'Security Hub Findings - Imported', detail: { findings: [] } }, options);
    expect(rejections[0]!.reason).toBe('Security Hub event without detail.findings (expected a list of ASFF findings)');
  });
});
