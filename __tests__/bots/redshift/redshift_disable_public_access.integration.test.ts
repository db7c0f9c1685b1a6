import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/redshift/redshift_disable_public_access';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { memberRedshift, readCluster, seedCluster } from './moto-cluster';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('redshift_disable_public_access against moto', () => {
  const resource = { type: 'AWS::Redshift::Cluster', id: 'public-warehouse' };

  it('makes a public cluster in a member account private under its session policy, then reports already-compliant', async () => {
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'public-warehouse', { PubliclyAccessible: true });
    const session = await memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'public-warehouse' }),
    );

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toBe(`arn:aws:redshift:${REGION}:${MEMBER}:cluster:public-warehouse`);
    expect((await readCluster(redshift, 'public-warehouse')).PubliclyAccessible).toBe(false);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('undo makes the cluster public again, as seeded', async () => {
    await prepareUndoState();
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'public-warehouse', { PubliclyAccessible: true });

    const outcome = await remediate(bot, 'AWS::Redshift::Cluster', 'public-warehouse');
    expect(outcome.result?.status).toBe('remediated');
    expect((await readCluster(redshift, 'public-warehouse')).PubliclyAccessible).toBe(false);

    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.printed).toContain('restored: redshift:ModifyCluster');
    expect(undone.code).toBe(0);
    expect((await readCluster(redshift, 'public-warehouse')).PubliclyAccessible).toBe(true);
  });
});
