import { DescribeLoggingStatusCommand, type RedshiftClient } from '@aws-sdk/client-redshift';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/redshift/redshift_enable_audit_logging';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { memberRedshift, seedCluster } from './moto-cluster';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

const loggingOf = (redshift: RedshiftClient, id: string) => redshift.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: id }));

describeMoto('redshift_enable_audit_logging against moto', () => {
  const resource = { type: 'AWS::Redshift::Cluster', id: 'silent-warehouse' };
  const botSession = () =>
    memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'silent-warehouse' }),
    );

  it('exports the audit logs to CloudWatch Logs under its session policy, then reports already-compliant', async () => {
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'silent-warehouse');
    const session = await botSession();

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect(await loggingOf(redshift, 'silent-warehouse')).toMatchObject({
      LoggingEnabled: true,
      LogDestinationType: 'cloudwatch',
      LogExports: ['connectionlog', 'userlog', 'useractivitylog'],
    });
    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
    expect(second.message).toBe(
      'audit logging of silent-warehouse is already on, to CloudWatch Logs (connectionlog, userlog, useractivitylog)',
    );
  });

  it('with destination=s3 creates the account’s audit log bucket, letting only Redshift of this account deliver', async () => {
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'silent-warehouse');
    const session = await botSession();

    const result = await bot.run(botContext(bot, { resource, client: session.client, params: { destination: 's3' } }));
    expect(result.status).toBe('remediated');
    const bucket = `cloudmend-redshift-audit-logs-${MEMBER}-${REGION}`;
    expect(await loggingOf(redshift, 'silent-warehouse')).toMatchObject({
      LoggingEnabled: true,
      LogDestinationType: 's3',
      BucketName: bucket,
    });
    const admin = (await memberSession(MEMBER, REGION)).client(S3Client);
    const policy = JSON.parse((await admin.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    expect(policy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { Service: 'redshift.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
        }),
      ]),
    );
  });

  it('undo turns audit logging off again', async () => {
    await prepareUndoState();
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'silent-warehouse');

    const outcome = await remediate(bot, 'AWS::Redshift::Cluster', 'silent-warehouse');
    expect(outcome.result?.status).toBe('remediated');
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect((await loggingOf(redshift, 'silent-warehouse')).LoggingEnabled).toBe(false);
  });
});
