/**
 * moto 5.2.1 serves no CodeBuild UpdateProject, so these unit tests carry the
 * write and the undo; the integration test reads a moto project (compliant case).
 */
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetProjectsCommand, CodeBuildClient, UpdateProjectCommand } from '@aws-sdk/client-codebuild';
import bot from '../../../bots/codebuild/codebuild_disable_privileged_mode';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';
import { BASE_ENVIRONMENT, PROJECT_ARN, PROJECT_NAME, project, projectResource } from './project.fixtures';

const variables = [
  { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' as const },
  { name: 'DB_PASSWORD', value: '/build/db', type: 'PARAMETER_STORE' as const },
];

describe('codebuild_disable_privileged_mode', () => {
  const codebuild = mockClient(CodeBuildClient);
  beforeEach(() => codebuild.reset());
  afterAll(() => codebuild.restore());

  it('turns privileged mode off, giving the rest of the environment back exactly as read', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: true, environmentVariables: variables }));
    codebuild.on(UpdateProjectCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: projectResource }));

    expect(codebuild.commandCalls(BatchGetProjectsCommand)[0]!.args[0].input).toEqual({ names: [PROJECT_NAME] });
    expect(codebuild.commandCalls(UpdateProjectCommand)[0]!.args[0].input).toEqual({
      name: PROJECT_NAME,
      environment: { ...BASE_ENVIRONMENT, environmentVariables: variables, privilegedMode: false },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: `turned off privileged mode of CodeBuild project ${PROJECT_NAME}`,
      changes: [
        {
          action: 'codebuild:UpdateProject',
          target: PROJECT_ARN,
          description: 'build environment privileged mode on -> off (Docker builds inside the container stop working)',
          applied: true,
          undo: { kind: 'privileged-mode', before: { privilegedMode: true }, after: { privilegedMode: false } },
        },
      ],
    });
  });

  it.each([[false], [undefined]])('reports already-compliant when privilegedMode is %p', async (privilegedMode) => {
    codebuild.on(BatchGetProjectsCommand).resolves(project(privilegedMode === undefined ? {} : { privilegedMode }));
    const result = await bot.run(botContext(bot, { resource: projectResource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `privileged mode already off in CodeBuild project ${PROJECT_NAME}`,
      changes: [],
    });
    expect(codebuild.commandCalls(UpdateProjectCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: true }));
    const result = await bot.run(botContext(bot, { resource: projectResource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'codebuild:UpdateProject', target: PROJECT_ARN, applied: false })]);
    expect(codebuild.commandCalls(UpdateProjectCommand)).toHaveLength(0);
  });

  it('accepts the project ARN as the resource id, and refuses one of another region before any call', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: true }));
    await bot.run(botContext(bot, { resource: { ...projectResource, id: PROJECT_ARN } }));
    expect(codebuild.commandCalls(UpdateProjectCommand)[0]!.args[0].input).toMatchObject({ name: PROJECT_NAME });

    codebuild.resetHistory();
    await expect(
      bot.run(botContext(bot, { resource: { ...projectResource, id: 'arn:aws:codebuild:eu-west-1:222222222222:project/build-api' } })),
    ).rejects.toThrow('is in eu-west-1, but the finding is for us-east-1');
    await expect(
      bot.run(botContext(bot, { resource: { ...projectResource, id: 'arn:aws:codebuild:us-east-1:222222222222:report-group/x' } })),
    ).rejects.toThrow('is not a CodeBuild project name or project ARN');
    expect(codebuild.calls()).toHaveLength(0);
  });

  it('fails, writing nothing, when the project does not exist', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves({ projects: [], projectsNotFound: [PROJECT_NAME] });
    await expect(bot.run(botContext(bot, { resource: projectResource }))).rejects.toThrow(`CodeBuild project ${PROJECT_NAME} not found`);
    expect(codebuild.commandCalls(UpdateProjectCommand)).toHaveLength(0);
  });

  it('passes a refused update on, reporting no change', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: true }));
    codebuild.on(UpdateProjectCommand).rejects(awsError('AccessDeniedException', 'not authorized', 400));
    await expect(bot.run(botContext(bot, { resource: projectResource }))).rejects.toThrow('not authorized');
  });

  describe('undo', () => {
    const undoer = bot.undoers!['privileged-mode']!;
    const undoCtx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: PROJECT_ARN };

    it('is declared reversible', () => {
      expect(bot.meta.undo?.['privileged-mode']).toMatchObject({ reversible: true });
    });

    it('reads the privileged mode of the project the change names', async () => {
      codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: false }));
      expect(await undoer.read(undoCtx)).toEqual({ privilegedMode: false });
      expect(codebuild.commandCalls(BatchGetProjectsCommand)[0]!.args[0].input).toEqual({ names: [PROJECT_NAME] });
    });

    it('turns privileged mode on again, keeping the environment as it is now', async () => {
      codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: false, environmentVariables: variables }));
      await undoer.write(undoCtx, { privilegedMode: true });
      expect(codebuild.commandCalls(UpdateProjectCommand)[0]!.args[0].input).toEqual({
        name: PROJECT_NAME,
        environment: { ...BASE_ENVIRONMENT, environmentVariables: variables, privilegedMode: true },
      });
    });
  });
});
