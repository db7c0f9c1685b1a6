/**
 * Against moto, run by run. The key param is resolved with moto's KMS (ListAliases, DescribeKey) and RDS is handed the key ARN.
 * Moto does not enforce IAM: that the copy and the restore go through sessions naming only that key is proven by the policy
 * simulation and the recorded-calls check. Moto lists alias/aws/rds with a key id of its own before the key exists, where AWS
 * lists it with no TargetKeyId: the "no key yet" refusal is a unit test. The changes are irreversible kinds (nothing to undo).
 */
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_enable_encryption';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, admin, readInstance, remediateJournalled, runBot, seedInstance } from './rds-moto.fixtures';
import { undoThroughCli } from '../../support/undo-through-session';

async function snapshot(name: string) {
  const { DBSnapshots = [] } = await (await admin()).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: name }));
  return DBSnapshots[0];
}

describeMoto('rds_enable_encryption against moto', () => {
  it('walks the plan run by run: snapshot, encrypted copy, restore as a new instance; the original untouched, nothing deleted', async () => {
    const key = (await (await memberSession(MEMBER, REGION)).client(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await seedInstance('plain-db', { Tags: [{ Key: 'team', Value: 'orders' }] });
    const before = await readInstance('plain-db');
    expect(before.StorageEncrypted).toBe(false);
    const params = { kms_key: key, restore: true };

    const dry = await runBot(bot, 'plain-db', { params, dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect(await snapshot('plain-db-cloudmend-unencrypted').catch(() => undefined)).toBeUndefined();

    const first = await runBot(bot, 'plain-db', { params });
    expect(first.changes.map((c) => c.action)).toEqual(['rds:CreateDBSnapshot']);
    const plain = await snapshot('plain-db-cloudmend-unencrypted');
    expect([plain?.Status, plain?.Encrypted]).toEqual(['available', false]);

    const second = await runBot(bot, 'plain-db', { params });
    expect(second.changes.map((c) => c.action)).toEqual(['rds:CopyDBSnapshot']);
    const copy = await snapshot('plain-db-cloudmend-encrypted');
    expect([copy?.Encrypted, copy?.KmsKeyId]).toEqual([true, key]);

    const third = await runBot(bot, 'plain-db', { params });
    expect(third.changes.map((c) => c.action)).toEqual(['rds:RestoreDBInstanceFromDBSnapshot']);
    const restored = await readInstance('plain-db-encrypted');
    expect([restored.StorageEncrypted, restored.DBInstanceClass]).toEqual([true, before.DBInstanceClass]);
    expect(restored.TagList).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'orders' }]));

    const fourth = await runBot(bot, 'plain-db', { params });
    expect(fourth.status).toBe('skipped');
    expect(fourth.message).toMatch(/^plain-db-encrypted \(encrypted\) is ready; left to the operator/);

    // The original and both snapshots are all still there, the original unchanged.
    const after = await readInstance('plain-db');
    expect([after.StorageEncrypted, after.DBInstanceStatus, after.DBInstanceArn]).toEqual([false, 'available', before.DBInstanceArn]);
    expect(await snapshot('plain-db-cloudmend-unencrypted')).toBeDefined();
    expect(await snapshot('plain-db-cloudmend-encrypted')).toBeDefined();
  });

  it('stops at the encrypted copy by default (aws/rds), and an encrypted instance is already compliant', async () => {
    // The account's aws/rds key, as KMS makes it on first use (describing the predefined alias creates it, in AWS and moto alike).
    const kms = (await memberSession(MEMBER, REGION)).client(KMSClient);
    const rdsKey = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/rds' }))).KeyMetadata!.Arn!;
    await seedInstance('plain-b');
    await runBot(bot, 'plain-b');
    const copied = await runBot(bot, 'plain-b');
    expect(copied.changes.map((c) => [c.action, c.undo?.kind])).toEqual([['rds:CopyDBSnapshot', 'encrypted-copy']]);
    expect((await snapshot('plain-b-cloudmend-encrypted'))?.KmsKeyId).toBe(rdsKey);
    const last = await runBot(bot, 'plain-b');
    expect(last.status).toBe('skipped');
    expect(last.message).toMatch(/^encrypted snapshot plain-b-cloudmend-encrypted of plain-b is ready; left to the operator/);
    await expect(readInstance('plain-b-encrypted')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });

    await seedInstance('already-encrypted', { StorageEncrypted: true });
    expect((await runBot(bot, 'already-encrypted')).status).toBe('already-compliant');
  });

  it.each([
    ['the unencrypted snapshot', 0, 'irreversible: the manual snapshot is the point in time the encrypted copy is made from'],
    ['the encrypted copy', 1, 'irreversible: the encrypted copy is what the remediation produced'],
  ])('undo refuses %s as irreversible, saying why, and deletes nothing', async (_what, before, words) => {
    const kms = (await memberSession(MEMBER, REGION)).client(KMSClient);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await seedInstance('undo-db');
    const params = { kms_key: key };
    for (let i = 0; i < before; i++) await runBot(bot, 'undo-db', { params });
    const outcome = await remediateJournalled(bot, 'undo-db', params);
    expect(outcome.result?.status).toBe('remediated');
    const { code, printed } = await undoThroughCli(outcome.resultId!);
    expect(code).toBe(1);
    expect(printed).toContain(words);
    expect(printed).toContain('nothing can be undone; nothing changed');
    expect(await snapshot('undo-db-cloudmend-unencrypted')).toBeDefined();
    if (before === 1) expect((await snapshot('undo-db-cloudmend-encrypted'))?.KmsKeyId).toBe(key);
  });
});
