import { deniesInsecureTransport, denyInsecureTransport } from '../../../bots/s3/secure-transport';

const ARN = 'arn:aws:s3:::data-bucket';
const ours = denyInsecureTransport(ARN);

describe('deniesInsecureTransport', () => {
  it('accepts the statement s3_only_allow_ssl writes', () => {
    expect(ours).toEqual({
      Sid: 'CloudmendDenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [ARN, `${ARN}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(deniesInsecureTransport(ours, ARN)).toBe(true);
  });

  it.each([
    [
      'Principal {AWS: *}, Action *, a wildcard resource, BoolIfExists, a boolean false',
      {
        Effect: 'Deny',
        Principal: { AWS: ['*'] },
        Action: ['*'],
        Resource: 'arn:aws:s3:::data-bucket*',
        Condition: { BoolIfExists: { 'aws:securetransport': false } },
      },
    ],
    ['s3:* among other actions', { ...ours, Action: ['s3:GetObject', 's3:*'] }],
  ])('accepts an equivalent written with %s', (_, statement) => {
    expect(deniesInsecureTransport(statement, ARN)).toBe(true);
  });

  it.each([
    ['an Allow', { ...ours, Effect: 'Allow' }],
    ['a single action', { ...ours, Action: 's3:GetObject' }],
    ['only the bucket, not its objects', { ...ours, Resource: ARN }],
    ['another bucket', { ...ours, Resource: ['arn:aws:s3:::other', 'arn:aws:s3:::other/*'] }],
    ['one principal', { ...ours, Principal: { AWS: 'arn:aws:iam::333333333333:root' } }],
    ['a NotPrincipal exception', { ...ours, NotPrincipal: { AWS: 'arn:aws:iam::333333333333:root' } }],
    [
      'a narrowing extra condition',
      { ...ours, Condition: { Bool: { 'aws:SecureTransport': 'false' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ],
    ['SecureTransport true', { ...ours, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
    ['no condition at all (a deny-everything is not this control)', (({ Condition: _, ...rest }) => rest)(ours)],
    ['a TLS version condition instead', { ...ours, Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }],
  ])('rejects %s', (_, statement) => {
    expect(deniesInsecureTransport(statement, ARN)).toBe(false);
  });
});
