/** Policy documents the blanket-permissions tests share. */
export const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
export const STAR_STAR = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['logs:CreateLogStream'], Resource: '*' },
    { Effect: 'Allow', Action: ['*:*'], Resource: ['*'], Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
  ],
};
export const LOGS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:PutLogEvents'], Resource: '*' }],
};
export const S3_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
export const DENY_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] };
