import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_enable_backup';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('rds_enable_backup against moto', () => {
  const account = '222222222222';

  it('turns on backups of an instance in a member account, then reports already-compliant', async () => {
    const admin = await memberSession(account);
    await admin.client(RDSClient).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'member-db',
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-real-password',
        AllocatedStorage: 20,
        BackupRetentionPeriod: 0,
      }),
    );

    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: 'member-db' }),
    );
    const resource = { type: 'AWS::RDS::DBInstance', id: 'member-db' };
    const first = await bot.run(botContext(bot, { resource, client: session.client, params: { days: '14' } }));
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toBe(`arn:aws:rds:us-east-1:${account}:db:member-db`);

    const after = await admin.client(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'member-db' }));
    expect(after.DBInstances![0]!.BackupRetentionPeriod).toBe(14);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params: { days: '14' } }));
    expect(second.status).toBe('already-compliant');
  });
});
