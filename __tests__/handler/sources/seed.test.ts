import { fromSeed } from '../../../handler/sources/seed';
import { fixture } from '../../fixtures/load';

const options = { defaultRegion: 'eu-central-1' };

describe('seed-format findings', () => {
  it("reads the user's seed sample as a failed finding requesting its bot", () => {
    const { findings, rejections } = fromSeed(fixture('seed-simplified-s3.json'), options);
    expect(rejections).toEqual([]);
    expect(findings).toEqual([
      {
        source: 'seed',
        id: '123456789012|S3 bucket has public read access|my-company-data-bucket',
        rule: 'S3 bucket has public read access',
        title: 'S3 bucket has public read access',
        severity: 'high',
        status: 'FAILED',
        partition: 'aws',
        account: '123456789012',
        region: 'us-east-1',
        resource: {
          type: 'AWS::S3::Bucket',
          id: 'my-company-data-bucket',
          raw: { id: 'my-company-data-bucket', type: 'S3Bucket', region: 'us-east-1', accountNumber: '123456789012' },
        },
        requestedActions: [{ bot: 's3_remove_public_access', args: [] }],
        raw: fixture('seed-simplified-s3.json'),
        notes: [],
      },
    ]);
  });

  it('splits arguments of an action', () => {
    const event = fixture('seed-simplified-s3.json');
    event.remediation.actions = ['rds_enable_backup days=14  apply_immediately=false'];
    expect(fromSeed(event, options).findings[0]!.requestedActions).toEqual([
      { bot: 'rds_enable_backup', args: ['days=14', 'apply_immediately=false'] },
    ]);
  });

  it('rejects an account number that is not an account id, and actions that are not strings', () => {
    const event = fixture('seed-simplified-s3.json');
    event.entity.accountNumber = 'prod';
    event.remediation.actions = [{ bot: 'x' }];
    expect(fromSeed(event, options).rejections[0]!.reason).toBe(
      'seed-format finding without entity.accountNumber (12 digits), remediation.actions as a list of "bot_name args" strings',
    );
  });
});
