/** Shared by the unit and integration tests of this bot. */
export const LOG_BUCKET = 'cloudmend-s3-access-logs-222222222222-us-east-1';

export const LOG_ARN = `arn:aws:s3:::${LOG_BUCKET}`;

export const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export const deliveryGrant = {
  Sid: 'CloudmendS3ServerAccessLogs',
  Effect: 'Allow',
  Principal: { Service: 'logging.s3.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: `${LOG_ARN}/*`,
  Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
};

export const denyInsecure = {
  Sid: 'CloudmendDenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [LOG_ARN, `${LOG_ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
