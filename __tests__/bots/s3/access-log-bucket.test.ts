import { accessLogBucketName, grantsLogDelivery, logDeliveryStatement } from '../../../bots/s3/access-log-bucket';

const LOG_ARN = 'arn:aws:s3:::cloudmend-s3-access-logs-222222222222-us-east-1';
const ours = logDeliveryStatement(LOG_ARN, '222222222222');

describe('accessLogBucketName', () => {
  it('is unique per account and region, and a valid bucket name even for the longest region names', () => {
    const name = accessLogBucketName('222222222222', 'ap-southeast-5');
    expect(name).toBe('cloudmend-s3-access-logs-222222222222-ap-southeast-5');
    expect(name.length).toBeLessThanOrEqual(63);
  });
});

describe('grantsLogDelivery', () => {
  it('accepts the grant the bot writes, and an unconditioned one with the service among others', () => {
    expect(grantsLogDelivery(ours, LOG_ARN, '222222222222')).toBe(true);
    const broad = {
      Effect: 'Allow',
      Principal: { Service: ['logging.s3.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['s3:Put*'],
      Resource: `${LOG_ARN}/*`,
    };
    expect(grantsLogDelivery(broad, LOG_ARN, '222222222222')).toBe(true);
  });

  it.each([
    ['another account as source', { ...ours, Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } } }],
    [
      'a grant narrowed to some source buckets',
      { ...ours, Condition: { ...ours.Condition, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::web-*' } } },
    ],
    ['a prefix only', { ...ours, Resource: `${LOG_ARN}/web/*` }],
    ['a Deny', { ...ours, Effect: 'Deny' }],
    ['another service', { ...ours, Principal: { Service: 'delivery.logs.amazonaws.com' } }],
    ['a read action', { ...ours, Action: 's3:GetObject' }],
  ])('rejects %s', (_, statement) => {
    expect(grantsLogDelivery(statement, LOG_ARN, '222222222222')).toBe(false);
  });
});
