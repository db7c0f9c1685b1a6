import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_enable_encryption';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, admin, readInstance, runBot, seedInstance } from './rds-moto.fixtures';

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
    await seedInstance('plain-b');
    await runBot(bot, 'plain-b');
    const copied = await runBot(bot, 'plain-b');
    expect(copied.changes.map((c) => c.action)).toEqual(['rds:CopyDBSnapshot']);
    const last = await runBot(bot, 'plain-b');
    expect(last.status).toBe('skipped');
    expect(last.message).toMatch(/^encrypted snapshot plain-b-cloudmend-encrypted of plain-b is ready; left to the operator/);
    await expect(readInstance('plain-b-encrypted')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });

    await seedInstance('already-encrypted', { StorageEncrypted: true });
    expect((await runBot(bot, 'already-encrypted')).status).toBe('already-compliant');
  });
});
