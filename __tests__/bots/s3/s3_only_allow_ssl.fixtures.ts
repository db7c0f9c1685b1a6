/** Shared by the unit and integration tests of this bot. */
export const ARN = 'arn:aws:s3:::data-bucket';

export const ours = {
  Sid: 'CloudmendDenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

export const readerGrant = {
  Sid: 'PartnerRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::333333333333:root' },
  Action: ['s3:GetObject'],
  Resource: `${ARN}/*`,
};

export const keepBucket = {
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteBucket',
  Resource: ARN,
  Condition: { StringNotEquals: { 'aws:PrincipalAccount': '222222222222' } },
};
