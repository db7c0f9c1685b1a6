import { mockClient } from 'aws-sdk-client-mock';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import bot from '../../../bots/kms/kms_remove_public_access';
import { isPublicStatement } from '../../../bots/kms/key-policy';
import { botContext } from '../../support/bot-context';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ARN = `arn:aws:kms:us-east-1:222222222222:key/${KEY_ID}`;
const resource = { type: 'AWS::KMS::Key', id: ARN };
const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' };
const anyone = { Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' };
const anyAws = { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:DescribeKey', Resource: '*' };
const orgOnly = {
  Sid: 'Org',
  Effect: 'Allow',
  Principal: '*',
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
};
const denyAll = { Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' };

describe('kms_remove_public_access', () => {
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    kms.reset();
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: ARN, KeyManager: 'CUSTOMER' } });
  });
  afterAll(() => kms.restore());

  it('drops the statements open to anyone and keeps every other one, in order', async () => {
    kms
      .on(GetKeyPolicyCommand)
      .resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Id: 'p', Statement: [root, anyone, orgOnly, anyAws, denyAll] }) });

    const result = await bot.run(botContext(bot, { resource }));

    expect(kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input).toEqual({ KeyId: ARN, PolicyName: 'default' });
    const put = kms.commandCalls(PutKeyPolicyCommand)[0]!.args[0].input;
    expect(put.KeyId).toBe(ARN);
    expect(put.PolicyName).toBe('default');
    expect(put.BypassPolicyLockoutSafetyCheck).toBeUndefined();
    expect(JSON.parse(put.Policy!)).toEqual({ Version: '2012-10-17', Id: 'p', Statement: [root, orgOnly, denyAll] });
    expect(result.changes[0]!.description).toBe('key policy: removed Anyone, statement #4 (Principal *); 3 statement(s) kept');
  });

  it.each([
    ['kms:CallerAccount', { StringEquals: { 'kms:CallerAccount': '222222222222' } }, false],
    ['aws:SourceArn', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:222222222222:trail/*' } }, false],
    ['only an IfExists test', { StringEqualsIfExists: { 'aws:PrincipalAccount': '222222222222' } }, true],
    ['only an unrelated key', { Bool: { 'aws:SecureTransport': 'true' } }, true],
  ])('a Principal * statement conditioned on %s is public: %s', (_what, Condition, isPublic) => {
    expect(isPublicStatement({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition })).toBe(isPublic);
  });

  it('reports a policy without public statements as compliant', async () => {
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root, orgOnly] }) });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(kms.commandCalls(PutKeyPolicyCommand)).toHaveLength(0);
  });

  it('never writes an empty policy', async () => {
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: anyone }) });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(kms.commandCalls(PutKeyPolicyCommand)).toHaveLength(0);
  });

  it('in dry run writes nothing', async () => {
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root, anyone] }) });
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(kms.commandCalls(PutKeyPolicyCommand)).toHaveLength(0);
  });
});
