/**
 * Against moto: the key param resolved with moto's KMS (ListAliases, DescribeKey), the copy encrypted with the key ARN it
 * resolves to. Moto does not enforce IAM: that the session names only that key, and denies another, is proven by the policy
 * simulation (__tests__/policies/member-role.test.ts) and the recorded-calls check. Moto lists alias/aws/rds with a key id
 * of its own before the key exists, where AWS lists it with no TargetKeyId: the "no key yet" refusal is a unit test.
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
} from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_snapshot_encrypt';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, admin, runBot, seedInstance } from './rds-moto.fixtures';

const snapshot = async (id: string) =>
  (await (await admin()).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }))).DBSnapshots![0]!;

describeMoto('rds_snapshot_encrypt against moto', () => {
  it('copies an unencrypted DB snapshot encrypted, keeps the original, then reports the copy without copying again', async () => {
    const key = (await (await memberSession(MEMBER, REGION)).client(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await seedInstance('snap-db');
    await (await admin()).send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'snap-db', DBSnapshotIdentifier: 'plain-snap' }));
    const options = { type: 'AWS::RDS::DBSnapshot' as const, params: { kms_key: key } };

    expect((await runBot(bot, 'plain-snap', { ...options, dryRun: true })).status).toBe('dry-run');
    await expect(snapshot('plain-snap-cloudmend-encrypted')).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });

    expect((await runBot(bot, 'plain-snap', options)).status).toBe('remediated');
    const copy = await snapshot('plain-snap-cloudmend-encrypted');
    expect([copy.Encrypted, copy.KmsKeyId]).toEqual([true, key]);
    expect((await snapshot('plain-snap')).Encrypted).toBe(false);

    const again = await runBot(bot, 'plain-snap', options);
    expect(again.status).toBe('skipped');
    expect(again.message).toMatch(/^encrypted copy plain-snap-cloudmend-encrypted of DB snapshot plain-snap is ready/);
    expect((await runBot(bot, 'plain-snap-cloudmend-encrypted', options)).status).toBe('already-compliant');
  });

  it('resolves an alias of the account to its key and hands RDS the key ARN', async () => {
    const kms = (await memberSession(MEMBER, REGION)).client(KMSClient);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders-db', TargetKeyId: key.KeyId! }));
    await seedInstance('alias-db');
    await (await admin()).send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'alias-db', DBSnapshotIdentifier: 'alias-snap' }));
    const result = await runBot(bot, 'alias-snap', { type: 'AWS::RDS::DBSnapshot', params: { kms_key: 'alias/orders-db' } });
    expect(result.status).toBe('remediated');
    expect(result.message).toContain(`with alias/orders-db (${key.Arn})`);
    expect((await snapshot('alias-snap-cloudmend-encrypted')).KmsKeyId).toBe(key.Arn);
  });

  it('copies an unencrypted DB cluster snapshot encrypted with aws/rds', async () => {
    const rds = await admin();
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'plain-cluster',
        Engine: 'aurora-postgresql',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-real-password',
      }),
    );
    await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'plain-cluster', DBClusterSnapshotIdentifier: 'plain-cluster-snap' }),
    );
    // The account's aws/rds key, as KMS makes it on first use (describing the predefined alias creates it, in AWS and moto alike).
    const kms = (await memberSession(MEMBER, REGION)).client(KMSClient);
    const rdsKey = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/rds' }))).KeyMetadata!.Arn!;
    expect((await runBot(bot, 'plain-cluster-snap', { type: 'AWS::RDS::DBClusterSnapshot' })).status).toBe('remediated');
    const { DBClusterSnapshots = [] } = await rds.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'plain-cluster-snap-cloudmend-encrypted' }),
    );
    expect(DBClusterSnapshots[0]?.KmsKeyId).toBe(rdsKey);
  });
});
