/**
 * moto 5.2.1 serves no CodeBuild UpdateProject, so these unit tests carry the
 * removal; the integration test reads moto projects (report-only and compliant).
 */
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetProjectsCommand, CodeBuildClient, UpdateProjectCommand } from '@aws-sdk/client-codebuild';
import { resolveRequestedParams } from '../../../bots/args';
import bot, { isClearTextCredential } from '../../../bots/codebuild/codebuild_remove_clear_text_credentials';
import { botContext } from '../../support/bot-context';
import { BASE_ENVIRONMENT, PROJECT_ARN, PROJECT_NAME, project, projectResource } from './project.fixtures';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const credentials = [
  { name: 'AWS_ACCESS_KEY_ID', value: KEY_ID, type: 'PLAINTEXT' as const },
  { name: 'aws_secret_access_key', value: SECRET },
];
const others = [
  { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' as const },
  { name: 'AWS_SECRET_ACCESS_KEY_REF', value: SECRET, type: 'PLAINTEXT' as const },
  { name: 'AWS_ACCESS_KEY_ID', value: '/build/key-id', type: 'PARAMETER_STORE' as const },
  { name: 'AWS_SECRET_ACCESS_KEY', value: 'build/secret', type: 'SECRETS_MANAGER' as const },
];

/** A context whose log lines are kept, to show no credential value reaches them. */
function recordingContext(options: Parameters<typeof botContext>[1]) {
  const ctx = botContext(bot, options);
  const lines: unknown[] = [];
  const keep = (message: string, extra?: Record<string, unknown>) => void lines.push({ message, extra });
  ctx.log = { debug: keep, info: keep, warn: keep };
  return { ctx, lines };
}

describe('codebuild_remove_clear_text_credentials', () => {
  const codebuild = mockClient(CodeBuildClient);
  beforeEach(() => codebuild.reset());
  afterAll(() => codebuild.restore());

  it('recognises PLAINTEXT (or untyped) variables named like AWS access keys, in any case, and nothing else', () => {
    expect(credentials.map(isClearTextCredential)).toEqual([true, true]);
    expect(others.map(isClearTextCredential)).toEqual([false, false, false, false]);
  });

  it('by default reports the variables by name, skipped, and writes nothing: no value in the result or the logs', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ environmentVariables: [...others, ...credentials] }));
    const { ctx, lines } = recordingContext({ resource: projectResource });

    const result = await bot.run(ctx);

    expect(codebuild.commandCalls(BatchGetProjectsCommand)[0]!.args[0].input).toEqual({ names: [PROJECT_NAME] });
    expect(codebuild.commandCalls(UpdateProjectCommand)).toHaveLength(0);
    expect(result.status).toBe('skipped');
    expect(result.message).toBe(
      `CodeBuild project ${PROJECT_NAME} holds clear-text AWS credentials in environment variables AWS_ACCESS_KEY_ID, aws_secret_access_key; ` +
        'not removed (remove=false): deactivate and rotate the exposed access key in IAM, give the build its credentials through the ' +
        'service role or a Parameter Store / Secrets Manager reference, or configure remove=true',
    );
    expect(lines).toEqual([
      {
        message: 'clear-text AWS credentials in a CodeBuild project environment',
        extra: { project: PROJECT_NAME, variables: ['AWS_ACCESS_KEY_ID', 'aws_secret_access_key'] },
      },
    ]);
    const said = JSON.stringify([result, lines]);
    expect(said).not.toContain(KEY_ID);
    expect(said).not.toContain(SECRET);
  });

  it('with remove=true removes only those variables, keeping the rest of the environment as read; no value said', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ privilegedMode: true, environmentVariables: [...others, ...credentials] }));
    codebuild.on(UpdateProjectCommand).resolves({});
    const { ctx, lines } = recordingContext({ resource: projectResource, params: { remove: true } });

    const result = await bot.run(ctx);

    expect(codebuild.commandCalls(UpdateProjectCommand)[0]!.args[0].input).toEqual({
      name: PROJECT_NAME,
      environment: { ...BASE_ENVIRONMENT, privilegedMode: true, environmentVariables: others },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: `removed clear-text AWS credential variables AWS_ACCESS_KEY_ID, aws_secret_access_key from CodeBuild project ${PROJECT_NAME}; deactivate and rotate the exposed access key in IAM`,
      changes: [
        {
          action: 'codebuild:UpdateProject',
          target: PROJECT_ARN,
          description:
            'removed clear-text credential environment variables AWS_ACCESS_KEY_ID, aws_secret_access_key (values not kept; irreversible)',
          applied: true,
          undo: { kind: 'clear-text-credentials', before: { variables: ['AWS_ACCESS_KEY_ID', 'aws_secret_access_key'] }, after: null },
        },
      ],
    });
    const said = JSON.stringify([result, lines]);
    expect(said).not.toContain(KEY_ID);
    expect(said).not.toContain(SECRET);
  });

  it('reads "true" from the config as the CloudBots string form too', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ environmentVariables: credentials }));
    const result = await bot.run(botContext(bot, { resource: projectResource, params: { remove: 'true' } }));
    expect(result.status).toBe('remediated');
    expect(codebuild.commandCalls(UpdateProjectCommand)[0]!.args[0].input.environment?.environmentVariables).toEqual([]);
  });

  it.each([
    ['no variables', undefined],
    ['only references and other names', others],
  ])('reports already-compliant with %s, even with remove=true', async (_label, environmentVariables) => {
    codebuild.on(BatchGetProjectsCommand).resolves(project(environmentVariables ? { environmentVariables } : {}));
    const result = await bot.run(botContext(bot, { resource: projectResource, params: { remove: true } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `no clear-text AWS credentials in the environment of CodeBuild project ${PROJECT_NAME}`,
      changes: [],
    });
    expect(codebuild.commandCalls(UpdateProjectCommand)).toHaveLength(0);
  });

  it('in dry run with remove=true reads, reports the removal, and does not make it', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves(project({ environmentVariables: credentials }));
    const result = await bot.run(botContext(bot, { resource: projectResource, params: { remove: true }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'codebuild:UpdateProject', target: PROJECT_ARN, applied: false })]);
    expect(codebuild.commandCalls(UpdateProjectCommand)).toHaveLength(0);
  });

  describe('metadata', () => {
    it('never lets a finding turn removal on, and declares the removal irreversible', () => {
      expect(bot.meta.overridable ?? []).not.toContain('remove');
      expect(resolveRequestedParams(bot.meta, ['remove=true'], {}, 'finding')).toEqual({
        ok: false,
        error: expect.stringContaining('a finding may not set remove'),
      });
      expect(resolveRequestedParams(bot.meta, ['remove=true'], {}, 'config')).toEqual({ ok: true, params: { remove: true } });
      expect(bot.meta.undo?.['clear-text-credentials']).toMatchObject({ reversible: false });
    });

    it('defaults to report-only and rejects a non-boolean remove', () => {
      expect(bot.meta.params.parse({})).toEqual({ remove: false });
      expect(bot.meta.params.parse({ remove: 'false' })).toEqual({ remove: false });
      expect(bot.meta.params.safeParse({ remove: 'yes please' }).success).toBe(false);
    });
  });
});
