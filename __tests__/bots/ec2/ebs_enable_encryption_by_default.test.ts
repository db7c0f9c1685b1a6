import { mockClient } from 'aws-sdk-client-mock';
import {
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyEbsDefaultKmsKeyIdCommand,
} from '@aws-sdk/client-ec2';
import bot, { sameKey } from '../../../bots/ec2/ebs_enable_encryption_by_default';
import { botContext } from '../../support/bot-context';

const account = { type: 'AWS::::Account', id: '222222222222' };
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:222222222222:key/${KEY_ID}`;

describe('ebs_enable_encryption_by_default', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('turns encryption by default on without touching the default key when no key is given', async () => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false });
    ec2.on(EnableEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(ec2.commandCalls(EnableEbsEncryptionByDefaultCommand)[0]!.args[0].input).toEqual({});
    expect(ec2.commandCalls(GetEbsDefaultKmsKeyIdCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyEbsDefaultKmsKeyIdCommand)).toHaveLength(0);
    expect(result).toEqual({
      status: 'remediated',
      message: 'EBS encryption by default is on in 222222222222/us-east-1',
      changes: [
        {
          action: 'ec2:EnableEbsEncryptionByDefault',
          target: '222222222222/us-east-1',
          description: 'EBS encryption by default off -> on',
          applied: true,
          undo: { kind: 'ebs-encryption-by-default', before: { enabled: false }, after: { enabled: true } },
        },
      ],
    });
  });

  it('sets the given key as default before turning encryption on', async () => {
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:alias/aws/ebs' });
    ec2.on(ModifyEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: KEY_ARN });
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false });

    const result = await bot.run(botContext(bot, { resource: account, params: { kms_key_id: KEY_ARN } }));

    expect(ec2.commandCalls(ModifyEbsDefaultKmsKeyIdCommand)[0]!.args[0].input).toEqual({ KmsKeyId: KEY_ARN });
    const writes = ec2
      .calls()
      .map((c) => c.args[0].constructor.name)
      .filter((n) => !n.startsWith('Get'));
    expect(writes).toEqual(['ModifyEbsDefaultKmsKeyIdCommand', 'EnableEbsEncryptionByDefaultCommand']);
    expect(result.changes[0]).toEqual({
      action: 'ec2:ModifyEbsDefaultKmsKeyId',
      target: '222222222222/us-east-1',
      description: `default EBS KMS key arn:aws:kms:us-east-1:222222222222:alias/aws/ebs -> ${KEY_ARN}`,
      applied: true,
      undo: {
        kind: 'ebs-default-key',
        before: { KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:alias/aws/ebs' },
        after: { KmsKeyId: KEY_ARN },
      },
    });
    expect(result.message).toBe(`EBS encryption by default is on in 222222222222/us-east-1 with default key ${KEY_ARN}`);
  });

  it('changes only the key when encryption is already on with another key', async () => {
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/other' });
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
    const result = await bot.run(botContext(bot, { resource: account, params: { kms_key_id: KEY_ID } }));
    expect(result.status).toBe('remediated');
    expect(result.changes.map((c) => c.action)).toEqual(['ec2:ModifyEbsDefaultKmsKeyId']);
    expect(ec2.commandCalls(EnableEbsEncryptionByDefaultCommand)).toHaveLength(0);
  });

  it('reports already-compliant and writes nothing when on with the asked-for key (given by id)', async () => {
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({ KmsKeyId: KEY_ARN });
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
    const result = await bot.run(botContext(bot, { resource: account, params: { kms_key_id: KEY_ID } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `EBS encryption by default already on in 222222222222/us-east-1 with default key ${KEY_ID}`,
      changes: [],
    });
    expect(ec2.commandCalls(ModifyEbsDefaultKmsKeyIdCommand)).toHaveLength(0);
    expect(ec2.commandCalls(EnableEbsEncryptionByDefaultCommand)).toHaveLength(0);
  });

  it('in dry run reports both writes and makes neither', async () => {
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({});
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false });
    const result = await bot.run(botContext(bot, { resource: account, params: { kms_key_id: 'alias/ebs' }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([
      expect.objectContaining({
        action: 'ec2:ModifyEbsDefaultKmsKeyId',
        description: 'default EBS KMS key unset -> alias/ebs',
        applied: false,
      }),
      expect.objectContaining({ action: 'ec2:EnableEbsEncryptionByDefault', applied: false }),
    ]);
    expect(ec2.commandCalls(ModifyEbsDefaultKmsKeyIdCommand)).toHaveLength(0);
    expect(ec2.commandCalls(EnableEbsEncryptionByDefaultCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);

    it('defaults to no key, and fills kms_key_id from the first positional argument', () => {
      expect(parse({})).toEqual({ success: true, data: {} });
      expect(bot.meta.positional).toEqual(['kms_key_id']);
    });

    it.each([
      KEY_ID,
      KEY_ARN,
      'mrk-1234abcd12ab34cd56ef1234567890ab',
      'alias/ebs-default',
      'arn:aws:kms:us-east-1:222222222222:alias/ebs-default',
      'arn:aws-us-gov:kms:us-gov-west-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ])('accepts the key form %s', (key) => {
      expect(parse({ kms_key_id: key }).success).toBe(true);
    });

    it.each(['', 'my-key', 'arn:aws:s3:::bucket', 'arn:aws:kms:us-east-1:222222222222:key/', '1234'])('rejects %j as a key', (key) => {
      expect(parse({ kms_key_id: key }).success).toBe(false);
    });

    it('rejects unknown params', () => {
      expect(parse({ key: KEY_ID }).success).toBe(false);
    });
  });

  describe('sameKey', () => {
    it('matches a key id or alias against the ARN EBS reports', () => {
      expect(sameKey(KEY_ARN, KEY_ID)).toBe(true);
      expect(sameKey(KEY_ARN, KEY_ARN)).toBe(true);
      expect(sameKey('arn:aws:kms:us-east-1:222222222222:alias/ebs', 'alias/ebs')).toBe(true);
      expect(sameKey('alias/ebs', 'alias/ebs')).toBe(true);
    });

    it('does not match another key, an unset key, or a key id that is only a suffix', () => {
      expect(sameKey(KEY_ARN, `arn:aws:kms:us-east-1:333333333333:key/${KEY_ID}`)).toBe(false);
      expect(sameKey(undefined, KEY_ID)).toBe(false);
      expect(sameKey(`arn:aws:kms:us-east-1:222222222222:key/x${KEY_ID}`, KEY_ID)).toBe(false);
      expect(sameKey('arn:aws:kms:us-east-1:222222222222:alias/team/ebs', 'alias/ebs')).toBe(false);
    });
  });
});
