import { mockClient } from 'aws-sdk-client-mock';
import { DescribeRepositoriesCommand, ECRClient, PutImageScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import bot from '../../../bots/ecr/ecr_enable_image_scanning';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const name = 'team/app';
const arn = `arn:aws:ecr:us-east-1:222222222222:repository/${name}`;
const resource = { type: 'AWS::ECR::Repository', id: name };
const repository = (scanOnPush: boolean) => ({
  repositories: [{ repositoryName: name, repositoryArn: arn, imageScanningConfiguration: { scanOnPush } }],
});

describe('ecr_enable_image_scanning', () => {
  const ecr = mockClient(ECRClient);
  beforeEach(() => ecr.reset());
  afterAll(() => ecr.restore());

  it('turns scan on push on for the repository, recording that it was off', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves(repository(false));
    const result = await bot.run(botContext(bot, { resource }));
    expect(ecr.commandCalls(DescribeRepositoriesCommand)[0]!.args[0].input).toEqual({ repositoryNames: [name] });
    expect(ecr.commandCalls(PutImageScanningConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      { repositoryName: name, imageScanningConfiguration: { scanOnPush: true } },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: `repository ${name} now scans every image pushed to it`,
      changes: [
        {
          action: 'ecr:PutImageScanningConfiguration',
          target: arn,
          description: 'scan on push off -> on',
          applied: true,
          undo: { kind: 'scanning', before: { scanOnPush: false }, after: { scanOnPush: true } },
        },
      ],
    });
  });

  it('is already compliant when scan on push is on', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves(repository(true));
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'already-compliant',
      message: `repository ${name} already scans images on push`,
      changes: [],
    });
    expect(ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
  });

  it('in dry run reports the change and makes no write', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves(repository(false));
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ applied: false })]);
    expect(ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
  });

  it('skips a repository that no longer exists', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(awsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist`, 400));
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'skipped',
      message: `repository ${name} does not exist in us-east-1; nothing to scan`,
      changes: [],
    });
  });

  it('lets an error it cannot handle through (the runner classifies and reports it)', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsError('AccessDeniedException', 'denied', 400));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  describe('undo', () => {
    const undoer = bot.undoers!.scanning!;
    // `cloudmend undo` runs undoers with the undo permissions (simulated in __tests__/policies/undo.test.ts), not the bot's.
    const context = {
      client: <C>(ClientClass: new (config: { region: string }) => C) => new ClientClass({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: arn,
    };

    it('reads the setting and puts the recorded one back', async () => {
      ecr.on(DescribeRepositoriesCommand).resolves(repository(true));
      expect(await undoer.read(context)).toEqual({ scanOnPush: true });
      await undoer.write(context, { scanOnPush: false });
      expect(ecr.commandCalls(PutImageScanningConfigurationCommand)[0]!.args[0].input).toEqual({
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: false },
      });
    });
  });
});
