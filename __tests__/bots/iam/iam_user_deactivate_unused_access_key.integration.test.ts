import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import bot from '../../../bots/iam/iam_user_deactivate_unused_access_key';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('iam_user_deactivate_unused_access_key against moto', () => {
  // Moto stamps keys with its own clock, so the bot's clock moves forward instead of the keys moving back.
  const inDays = (n: number) => new Date(Date.now() + n * 24 * 60 * 60 * 1000);

  it('deactivates keys unused for too long in a member account, reading when each was last used, then reports already-compliant', async () => {
    const account = '222222222222';
    const admin = await memberSession(account);
    const adminIam = admin.client(IAMClient);
    await adminIam.send(new CreateUserCommand({ UserName: 'dave' }));
    const used = (await adminIam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
    const unused = (await adminIam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
    const asDave = new STSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: used.AccessKeyId!, secretAccessKey: used.SecretAccessKey! },
    });
    await asDave.send(new GetCallerIdentityCommand({}));

    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: 'dave' }),
    );
    const resource = { type: 'AWS::IAM::User', id: 'dave' };

    const early = await bot.run(botContext(bot, { resource, client: session.client, now: inDays(30) }));
    expect(early.status).toBe('already-compliant');

    const late = await bot.run(botContext(bot, { resource, client: session.client, now: inDays(100) }));
    expect(late.status).toBe('remediated');
    expect(late.changes.map((c) => c.description)).toEqual([
      expect.stringMatching(new RegExp(`^access key \\.\\.\\.${used.AccessKeyId!.slice(-4)} Active -> Inactive: last used `)),
      expect.stringMatching(new RegExp(`^access key \\.\\.\\.${unused.AccessKeyId!.slice(-4)} Active -> Inactive: never used, created `)),
    ]);

    const after = await adminIam.send(new ListAccessKeysCommand({ UserName: 'dave' }));
    expect(after.AccessKeyMetadata!.map((k) => k.Status)).toEqual(['Inactive', 'Inactive']);

    const again = await bot.run(botContext(bot, { resource, client: session.client, now: inDays(100) }));
    expect(again.status).toBe('already-compliant');
  });
});
