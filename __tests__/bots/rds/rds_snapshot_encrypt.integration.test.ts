import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
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
    expect((await runBot(bot, 'plain-cluster-snap', { type: 'AWS::RDS::DBClusterSnapshot' })).status).toBe('remediated');
    const { DBClusterSnapshots = [] } = await rds.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'plain-cluster-snap-cloudmend-encrypted' }),
    );
    expect(DBClusterSnapshots[0]?.KmsKeyId).toBeTruthy();
  });
});
