import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import bot from '../../../bots/kms/kms_enable_rotation';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';

const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const keyArn = `arn:aws:kms:us-east-1:222222222222:key/${keyId}`;
const key = { type: 'AWS::KMS::Key', id: keyId };

function metadata(overrides: Partial<KeyMetadata> = {}): { KeyMetadata: KeyMetadata } {
  return {
    KeyMetadata: {
      KeyId: keyId,
      Arn: keyArn,
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
      KeySpec: 'SYMMETRIC_DEFAULT',
      Origin: 'AWS_KMS',
      ...overrides,
    },
  };
}

describe('kms_enable_rotation', () => {
  const kms = mockClient(KMSClient);
  beforeEach(() => kms.reset());
  afterAll(() => kms.restore());

  it('turns on rotation of a customer-managed symmetric key', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kms.on(EnableKeyRotationCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: key }));

    expect(kms.commandCalls(DescribeKeyCommand)[0]!.args[0].input).toEqual({ KeyId: keyId });
    expect(kms.commandCalls(GetKeyRotationStatusCommand)[0]!.args[0].input).toEqual({ KeyId: keyId });
    expect(kms.commandCalls(EnableKeyRotationCommand)[0]!.args[0].input).toEqual({ KeyId: keyId });
    expect(result).toEqual({
      status: 'remediated',
      message: `turned on automatic rotation of ${keyArn}`,
      changes: [
        {
          action: 'kms:EnableKeyRotation',
          target: keyArn,
          description: 'automatic key rotation off -> on',
          applied: true,
          undo: { kind: 'key-rotation', before: { KeyRotationEnabled: false }, after: { KeyRotationEnabled: true } },
        },
      ],
    });
  });

  it('accepts the key ARN as the resource id', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    await bot.run(botContext(bot, { resource: { ...key, id: keyArn } }));
    expect(kms.commandCalls(DescribeKeyCommand)[0]!.args[0].input).toEqual({ KeyId: keyArn });
    expect(kms.commandCalls(EnableKeyRotationCommand)[0]!.args[0].input).toEqual({ KeyId: keyArn });
  });

  it('reports already-compliant and writes nothing when rotation is on', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
    const result = await bot.run(botContext(bot, { resource: key }));
    expect(result).toEqual({ status: 'already-compliant', message: `automatic rotation is already on for ${keyArn}`, changes: [] });
    expect(kms.commandCalls(EnableKeyRotationCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    const result = await bot.run(botContext(bot, { resource: key, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'kms:EnableKeyRotation', target: keyArn, applied: false })]);
    expect(kms.commandCalls(EnableKeyRotationCommand)).toHaveLength(0);
  });

  it.each<[string, Partial<KeyMetadata>, string]>([
    ['an AWS-managed key', { KeyManager: 'AWS' }, 'AWS-managed keys rotate automatically and cannot be changed'],
    ['a disabled key', { KeyState: 'Disabled' }, 'key state is Disabled'],
    ['a key pending deletion', { KeyState: 'PendingDeletion' }, 'key state is PendingDeletion'],
    ['an asymmetric key', { KeySpec: 'RSA_2048' }, 'key spec RSA_2048'],
    ['an HMAC key', { KeySpec: 'HMAC_256' }, 'key spec HMAC_256'],
    ['a key with imported material', { Origin: 'EXTERNAL' }, 'imported key material (origin EXTERNAL)'],
    ['a CloudHSM key store key', { Origin: 'AWS_CLOUDHSM' }, 'custom key store (origin AWS_CLOUDHSM)'],
    [
      'a multi-Region replica',
      { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: 'arn:aws:kms:eu-west-1:222222222222:key/mrk-1' } } },
      'rotation is set on the primary key arn:aws:kms:eu-west-1:222222222222:key/mrk-1',
    ],
  ])('skips %s with the reason, without asking for or changing rotation', async (_, overrides, reason) => {
    kms.on(DescribeKeyCommand).resolves(metadata(overrides));
    const result = await bot.run(botContext(bot, { resource: key }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain(keyArn);
    expect(result.message).toContain(reason);
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
    expect(kms.commandCalls(EnableKeyRotationCommand)).toHaveLength(0);
  });

  it.each([
    ['alias/orders', 'is an alias'],
    ['arn:aws:kms:us-east-1:222222222222:alias/orders', 'is not a KMS key id or key ARN'],
    [`arn:aws:kms:eu-west-1:222222222222:key/${keyId}`, 'is in eu-west-1, but the finding is for us-east-1'],
  ])('rejects the resource id %s before any call', async (id, message) => {
    await expect(bot.run(botContext(bot, { resource: { ...key, id } }))).rejects.toThrow(message);
    expect(kms.calls()).toHaveLength(0);
  });

  it('scopes its session policy to the one key, whether the finding gives its id or its ARN', () => {
    const scope = { partition: 'aws', account: '222222222222', region: 'us-east-1' };
    for (const resourceId of [keyId, keyArn]) {
      expect(sessionPolicyFor(bot.meta, { ...scope, resourceId }).Statement.map((s) => s.Resource)).toEqual([[keyArn]]);
    }
  });

  it('takes no params and rejects unknown ones', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ days: '90' }).success).toBe(false);
  });
});
