/**
 * Remediate, then `cloudmend undo`, against moto, for the KMS bots: rotation
 * and the key policy read back equal to their seeded state; a cancelled
 * deletion is refused (undo never schedules a deletion), while the key it
 * enabled is disabled again, as the cancellation left it.
 */
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import kmsCancelKeyDeletion from '../../../bots/kms/kms_cancel_key_deletion';
import kmsEnableRotation from '../../../bots/kms/kms_enable_rotation';
import kmsRemovePublicAccess from '../../../bots/kms/kms_remove_public_access';
import { describeMoto, memberSession } from '../../support/moto';
import { createStateTable } from './support';
import { MEMBER, REGION, remediate, TABLE, undoResult } from './undo-support';

describeMoto('KMS: remediate, then undo, against moto', () => {
  let kms: KMSClient;
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
    kms = (await memberSession(MEMBER, REGION)).client(KMSClient);
  });
  const newKey = async () => (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;

  it('kms_enable_rotation: undo turns rotation off again', async () => {
    const key = await newKey();
    const outcome = await remediate(kmsEnableRotation, 'AWS::KMS::Key', key.Arn!);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).KeyRotationEnabled).toBe(true);

    expect((await undoResult(outcome)).code).toBe(0);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).KeyRotationEnabled).toBe(false);
  });

  it('kms_remove_public_access: undo puts the key policy back as seeded', async () => {
    const key = await newKey();
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }));
    const policy = JSON.parse(Policy!) as { Statement: unknown[] };
    const open = { Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    const seeded = { ...policy, Statement: [...policy.Statement, open] };
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: JSON.stringify(seeded) }));

    const outcome = await remediate(kmsRemovePublicAccess, 'AWS::KMS::Key', key.Arn!);
    expect(outcome.result?.status).toBe('remediated');
    const readPolicy = async () =>
      JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }))).Policy!);
    expect(JSON.stringify(await readPolicy())).not.toContain('Anyone');

    expect((await undoResult(outcome)).code).toBe(0);
    expect(await readPolicy()).toEqual(seeded);
  });

  it('kms_cancel_key_deletion: undo disables the key again and refuses to schedule its deletion, saying why', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    const outcome = await remediate(kmsCancelKeyDeletion, 'AWS::KMS::Key', key.KeyId!);
    expect([outcome.error, outcome.result?.message]).toEqual([undefined, expect.any(String)]);
    const state = async () => (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.KeyState;
    expect(await state()).toBe('Enabled');

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: kms:EnableKey');
    expect(text).toContain('kms:CancelKeyDeletion on');
    expect(text).toContain('REFUSED, irreversible: undo would schedule the key for deletion again');
    expect(code).toBe(1);
    expect(await state()).toBe('Disabled');
  });
});
