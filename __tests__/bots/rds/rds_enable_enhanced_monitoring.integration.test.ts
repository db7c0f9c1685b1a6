/**
 * Against moto: a given role_arn (seeded), the narrowed session that passes it,
 * read-back, the second run, and undo. The moto server the suite runs does not
 * load AWS managed policies (MOTO_IAM_LOAD_MANAGED_POLICIES is off), so
 * AttachRolePolicy of AmazonRDSEnhancedMonitoringRole answers NoSuchEntity
 * there: creating cloudmend-rds-monitoring is covered by the unit tests, and
 * here only up to CreateRole.
 */
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/rds/rds_enable_enhanced_monitoring';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, readInstance, remediateJournalled, runBot, seedInstance } from './rds-moto.fixtures';
import { undoThroughCli } from '../../support/undo-through-session';

const givenRole = `arn:aws:iam::${MEMBER}:role/service-role/rds-monitoring-role`;

async function seedGivenRole(): Promise<void> {
  const iam = (await memberSession(MEMBER, REGION)).client(IAMClient);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'rds-monitoring-role',
      Path: '/service-role/',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
}

describeMoto('rds_enable_enhanced_monitoring against moto', () => {
  it('turns monitoring on with a given role of the account, reads back, then reports already-compliant', async () => {
    await seedGivenRole();
    await seedInstance('mon-a');
    expect((await readInstance('mon-a')).MonitoringInterval ?? 0).toBe(0);

    const dry = await runBot(bot, 'mon-a', { params: { role_arn: givenRole }, dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect((await readInstance('mon-a')).MonitoringInterval ?? 0).toBe(0);

    const first = await runBot(bot, 'mon-a', { params: { role_arn: givenRole, interval: '30' } });
    expect(first.status).toBe('remediated');
    expect(first.changes.map((c) => c.action)).toEqual(['rds:ModifyDBInstance']);
    const a = await readInstance('mon-a');
    expect([a.MonitoringInterval, a.MonitoringRoleArn]).toEqual([30, givenRole]);

    expect((await runBot(bot, 'mon-a', { params: { role_arn: givenRole, interval: '30' } })).status).toBe('already-compliant');
  });

  it('creates its own role tagged, bounded and trusting RDS monitoring (up to what moto serves)', async () => {
    await seedInstance('mon-own');
    await expect(runBot(bot, 'mon-own')).rejects.toMatchObject({ name: 'NoSuchEntityException' }); // the managed policy moto lacks
    const { Role } = await (await memberSession(MEMBER, REGION))
      .client(IAMClient)
      .send(new GetRoleCommand({ RoleName: 'cloudmend-rds-monitoring' }));
    expect(Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe('arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole');
    expect(Role!.Tags).toEqual([{ Key: 'cloudmend:created-by', Value: 'rds_enable_enhanced_monitoring' }]);
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toContain('monitoring.rds.amazonaws.com');
  });

  it('undo turns monitoring off again', async () => {
    await seedGivenRole();
    await seedInstance('mon-undo');
    const outcome = await remediateJournalled(bot, 'mon-undo', { role_arn: givenRole });
    expect(outcome.result?.status).toBe('remediated');
    expect((await readInstance('mon-undo')).MonitoringInterval).toBe(60);

    const { code, printed } = await undoThroughCli(outcome.resultId!);
    expect(printed).toContain('restored: rds:ModifyDBInstance on arn:aws:rds:us-east-1:222222222222:db:mon-undo');
    expect(code).toBe(0);
    expect((await readInstance('mon-undo')).MonitoringInterval).toBe(0);
  });
});
