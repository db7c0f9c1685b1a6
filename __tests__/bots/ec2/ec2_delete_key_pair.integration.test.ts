import { CreateKeyPairCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_delete_key_pair';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('ec2_delete_key_pair against moto', () => {
  it('deletes a member key pair and leaves the others, then reports already-compliant', async () => {
    const admin = await adminEc2();
    await admin.send(new CreateKeyPairCommand({ KeyName: 'leaked-key' }));
    await admin.send(new CreateKeyPairCommand({ KeyName: 'other-key' }));
    const session = await botSession(bot, 'leaked-key');
    const resource = { type: 'AWS::EC2::KeyPair', id: 'leaked-key' };

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    const left = (await admin.send(new DescribeKeyPairsCommand({}))).KeyPairs!.map((k) => k.KeyName);
    expect(left).toEqual(['other-key']);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('undo refuses: a deleted key pair cannot be brought back', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    await admin.send(new CreateKeyPairCommand({ KeyName: 'leaked-key' }));
    const outcome = await remediate(bot, 'AWS::EC2::KeyPair', 'leaked-key');
    expect(outcome.result?.status).toBe('remediated');
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(1);
    expect(undone.printed).toContain('REFUSED, irreversible: a deleted key pair cannot be brought back');
  });
});
