import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import bot from '../../../bots/ecr/ecr_enable_image_scanning';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('ecr_enable_image_scanning against moto', () => {
  const account = '222222222222';
  const region = 'us-east-1';

  it('turns scan on push on, then is already compliant; undo turns it off again', async () => {
    const admin = await memberSession(account, region);
    const ecr = admin.client(ECRClient);
    const name = 'team/scan-test';
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: false } }));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/neighbour', imageScanningConfiguration: { scanOnPush: false } }));

    const scope = { partition: 'aws', account, region, resourceId: name };
    const session = await memberSession(account, region, sessionPolicyFor(bot.meta, scope));
    const resource = { type: 'AWS::ECR::Repository', id: name };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const scanOnPush = async (repositoryName: string) =>
      (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }))).repositories?.[0]?.imageScanningConfiguration
        ?.scanOnPush;
    expect(await scanOnPush(name)).toBe(true);
    expect(await scanOnPush('team/neighbour')).toBe(false);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');

    const change = first.changes[0]!;
    const kind = bot.meta.undo!.scanning!;
    const undoSession = await memberSession(
      account,
      region,
      sessionPolicyFor({ permissions: kind.reversible ? kind.permissions : [] }, scope),
    );
    const context = { client: undoSession.client, partition: 'aws', account, region, target: change.target };
    expect(await bot.undoers!.scanning!.read(context)).toEqual(change.undo!.after);
    await bot.undoers!.scanning!.write(context, change.undo!.before);
    expect(await scanOnPush(name)).toBe(false);
  });
});
