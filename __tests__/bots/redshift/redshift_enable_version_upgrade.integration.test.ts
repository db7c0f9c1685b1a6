import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/redshift/redshift_enable_version_upgrade';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { memberRedshift, readCluster, seedCluster } from './moto-cluster';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('redshift_enable_version_upgrade against moto', () => {
  const resource = { type: 'AWS::Redshift::Cluster', id: 'pinned-warehouse' };

  it('turns on automatic major version upgrades under its session policy, then reports already-compliant', async () => {
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'pinned-warehouse', { AllowVersionUpgrade: false });
    const session = await memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'pinned-warehouse' }),
    );

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect((await readCluster(redshift, 'pinned-warehouse')).AllowVersionUpgrade).toBe(true);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('undo turns automatic major version upgrades off again', async () => {
    await prepareUndoState();
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'pinned-warehouse', { AllowVersionUpgrade: false });

    const outcome = await remediate(bot, 'AWS::Redshift::Cluster', 'pinned-warehouse');
    expect(outcome.result?.status).toBe('remediated');
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect((await readCluster(redshift, 'pinned-warehouse')).AllowVersionUpgrade).toBe(false);
  });
});
