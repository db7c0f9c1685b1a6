import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { sdk } from '../sdk';

const REPOSITORY_ARN = 'arn:{partition}:ecr:{region}:{account}:repository/{resourceId}';

/** What the undoer reads and writes. */
interface ScanningState {
  scanOnPush: boolean;
}

/** `arn:aws:ecr:eu-west-1:111122223333:repository/team/app` (a change's target) -> `team/app`. */
function repositoryOfTarget(target: string): string {
  const match = /^arn:[\w-]+:ecr:[\w-]+:\d{12}:repository\/(.+)$/.exec(target);
  if (!match?.[1]) throw new Error(`${target} is not an ECR repository ARN`);
  return match[1];
}

async function readScanning(ctx: UndoContext): Promise<ScanningState> {
  const { ECRClient, DescribeRepositoriesCommand } = await sdk.ecr();
  const name = repositoryOfTarget(ctx.target);
  const { repositories = [] } = await ctx.client(ECRClient).send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
  return { scanOnPush: repositories[0]?.imageScanningConfiguration?.scanOnPush ?? false };
}

export default defineBot({
  meta: {
    name: 'ecr_enable_image_scanning',
    summary: 'Scan every image pushed to the ECR repository for vulnerabilities (scan on push)',
    description:
      'Turns on basic scan-on-push for a private ECR repository (PutImageScanningConfiguration scanOnPush=true), as AWS ' +
      'Automated Security Response does for ECR.1. Images already in the repository are not rescanned and nothing else about ' +
      'the repository changes. A registry that uses enhanced scanning (Amazon Inspector) overrides the repository setting; ' +
      'the bot sets it all the same, so the repository is covered if the registry goes back to basic scanning.',
    resourceTypes: ['AWS::ECR::Repository'],
    remediates: { securityHub: ['ECR.1'], config: ['ecr-private-image-scanning-enabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ecr:DescribeRepositories', 'ecr:PutImageScanningConfiguration'],
        resources: [REPOSITORY_ARN],
        reason: "read the repository's scanning setting and turn scan on push on, for the finding's repository only",
      },
    ],
    undo: {
      scanning: {
        reversible: true,
        how: 'turns scan on push off again (images scanned meanwhile keep their findings)',
        permissions: [
          {
            actions: ['ecr:DescribeRepositories', 'ecr:PutImageScanningConfiguration'],
            resources: [REPOSITORY_ARN],
            reason: "undo: read the repository's scanning setting and set it back",
          },
        ],
      },
    },
  },
  undoers: {
    scanning: {
      read: readScanning,
      async write(ctx, state) {
        const { ECRClient, PutImageScanningConfigurationCommand } = await sdk.ecr();
        await ctx.client(ECRClient).send(
          new PutImageScanningConfigurationCommand({
            repositoryName: repositoryOfTarget(ctx.target),
            imageScanningConfiguration: { scanOnPush: (state as ScanningState).scanOnPush },
          }),
        );
      },
    },
  },
  async run(ctx) {
    const { ECRClient, DescribeRepositoriesCommand, PutImageScanningConfigurationCommand } = await sdk.ecr();
    const ecr = ctx.client(ECRClient);
    const name = ctx.finding.resource.id;
    const { repositories = [] } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })).catch((error: unknown) => {
      if ((error as { name?: string }).name === 'RepositoryNotFoundException') return { repositories: [] };
      throw error;
    });
    const repository = repositories[0];
    if (!repository) return skipped(`repository ${name} does not exist in ${ctx.region}; nothing to scan`);
    const target = repository.repositoryArn ?? `arn:${ctx.partition}:ecr:${ctx.region}:${ctx.account}:repository/${name}`;
    const changes = new ChangeSet(ctx);
    if (!repository.imageScanningConfiguration?.scanOnPush) {
      await changes.apply(
        {
          action: 'ecr:PutImageScanningConfiguration',
          target,
          description: 'scan on push off -> on',
          undo: {
            kind: 'scanning',
            before: { scanOnPush: false } satisfies ScanningState,
            after: { scanOnPush: true } satisfies ScanningState,
          },
        },
        () =>
          ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: true } })),
      );
    }
    return changes.result(`repository ${name} now scans every image pushed to it`, `repository ${name} already scans images on push`);
  },
});
