import { mockClient } from 'aws-sdk-client-mock';
import { DeleteKeyPairCommand, DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_delete_key_pair';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const resource = { type: 'AWS::EC2::KeyPair', id: 'deploy-key' };

describe('ec2_delete_key_pair', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('deletes the key pair by name, naming its id and fingerprint in the change', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({
      KeyPairs: [{ KeyName: 'deploy-key', KeyPairId: 'key-0123456789abcdef0', KeyType: 'ed25519', KeyFingerprint: 'ab:cd' }],
    });
    ec2.on(DeleteKeyPairCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeKeyPairsCommand)[0]!.args[0].input).toEqual({ KeyNames: ['deploy-key'] });
    expect(ec2.commandCalls(DeleteKeyPairCommand)[0]!.args[0].input).toEqual({ KeyName: 'deploy-key' });
    expect(result).toEqual({
      status: 'remediated',
      message: 'deleted key pair deploy-key',
      changes: [
        {
          action: 'ec2:DeleteKeyPair',
          target: 'arn:aws:ec2:us-east-1:222222222222:key-pair/deploy-key',
          description: 'deleted key pair deploy-key (key-0123456789abcdef0, ed25519, fingerprint ab:cd)',
          applied: true,
          undo: { kind: 'key-pair', before: { exists: true }, after: { exists: false } },
        },
      ],
    });
  });

  it('is already compliant when the key pair does not exist', async () => {
    ec2.on(DescribeKeyPairsCommand).rejects(awsError('InvalidKeyPair.NotFound', "The key pair 'deploy-key' does not exist", 400));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: 'key pair deploy-key does not exist', changes: [] });
    expect(ec2.commandCalls(DeleteKeyPairCommand)).toHaveLength(0);
  });

  it('in dry run deletes nothing', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [{ KeyName: 'deploy-key' }] });
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(DeleteKeyPairCommand)).toHaveLength(0);
  });

  it('refuses a key pair id (its permission names key pairs by name), before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::KeyPair', id: 'key-0123456789abcdef0' } }))).rejects.toThrow(
      'expected the key pair\'s name as the finding\'s resource, got its id "key-0123456789abcdef0"',
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('passes on other errors', async () => {
    ec2.on(DescribeKeyPairsCommand).rejects(awsError('UnauthorizedOperation', 'denied', 403));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('denied');
  });

  it('is destructive and declares the deletion irreversible', () => {
    expect(bot.meta.destructive).toBe(true);
    expect(bot.meta.undo?.['key-pair']).toMatchObject({ reversible: false });
  });
});
