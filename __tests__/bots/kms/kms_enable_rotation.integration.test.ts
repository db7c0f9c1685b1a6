import { CreateKeyCommand, DisableKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import bot from '../../../bots/kms/kms_enable_rotation';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

// moto gap: moto 5.2.1 reports its predefined `alias/aws/*` keys as KeyManager CUSTOMER and
// lets asymmetric keys "rotate", so the refusal paths are covered by the unit tests above only.
describeMoto('kms_enable_rotation against moto', () => {
  const account = '222222222222';

  it('turns on rotation of a key in a member account, then reports already-compliant', async () => {
    const admin = await memberSession(account);
    const created = await admin.client(KMSClient).send(new CreateKeyCommand({ Description: 'orders data key' }));
    const id = created.KeyMetadata!.KeyId!;

    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: id }),
    );
    const resource = { type: 'AWS::KMS::Key', id };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toBe(`arn:aws:kms:us-east-1:${account}:key/${id}`);

    const after = await admin.client(KMSClient).send(new GetKeyRotationStatusCommand({ KeyId: id }));
    expect(after.KeyRotationEnabled).toBe(true);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('skips a disabled key and leaves its rotation off', async () => {
    const admin = await memberSession(account);
    const kms = admin.client(KMSClient);
    const created = await kms.send(new CreateKeyCommand({}));
    const id = created.KeyMetadata!.KeyId!;
    await kms.send(new DisableKeyCommand({ KeyId: id }));

    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::KMS::Key', id }, client: admin.client }));
    expect(result.status).toBe('skipped');
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled).toBe(false);
  });
});
