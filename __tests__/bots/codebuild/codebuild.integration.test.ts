/**
 * Against moto, the CodeBuild bots' reads: moto 5.2.1 serves CreateProject and
 * BatchGetProjects but no UpdateProject, so the writes (and undo) are carried
 * by the unit tests; here the report-only and compliant paths run end to end.
 */
import { CodeBuildClient, CreateProjectCommand, type EnvironmentVariable } from '@aws-sdk/client-codebuild';
import privileged from '../../../bots/codebuild/codebuild_disable_privileged_mode';
import credentials from '../../../bots/codebuild/codebuild_remove_clear_text_credentials';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

const ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describeMoto('CodeBuild bots against moto (reads)', () => {
  async function seed(name: string, environment: { privilegedMode: boolean; environmentVariables: EnvironmentVariable[] }) {
    const admin = await memberSession(ACCOUNT, REGION);
    await admin.client(CodeBuildClient).send(
      new CreateProjectCommand({
        name,
        source: { type: 'S3', location: 'build-sources/api.zip' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL', ...environment },
        serviceRole: `arn:aws:iam::${ACCOUNT}:role/codebuild-api`,
      }),
    );
  }
  const sessionFor = async (bot: Bot, name: string) =>
    (
      await memberSession(
        ACCOUNT,
        REGION,
        sessionPolicyFor(bot.meta, { partition: 'aws', account: ACCOUNT, region: REGION, resourceId: name }),
      )
    ).client;

  it('reports the clear-text credentials of a project by name only, and leaves them (remove=false by default)', async () => {
    await seed('build-api', {
      privilegedMode: false,
      environmentVariables: [
        { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET, type: 'PLAINTEXT' },
        { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
      ],
    });
    const resource = { type: 'AWS::CodeBuild::Project', id: 'build-api' };
    const result = await credentials.run(botContext(credentials, { resource, client: await sessionFor(credentials, 'build-api') }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('environment variables AWS_SECRET_ACCESS_KEY; not removed (remove=false)');
    expect(JSON.stringify(result)).not.toContain(SECRET);

    // The privileged-mode bot reads the same project: privileged mode is off.
    const compliant = await privileged.run(botContext(privileged, { resource, client: await sessionFor(privileged, 'build-api') }));
    expect(compliant).toEqual({
      status: 'already-compliant',
      message: 'privileged mode already off in CodeBuild project build-api',
      changes: [],
    });
  });

  it('finds nothing to report in a project whose credentials are Parameter Store references', async () => {
    await seed('build-web', {
      privilegedMode: true,
      environmentVariables: [{ name: 'AWS_SECRET_ACCESS_KEY', value: '/build/secret', type: 'PARAMETER_STORE' }],
    });
    const resource = { type: 'AWS::CodeBuild::Project', id: 'build-web' };
    const result = await credentials.run(
      botContext(credentials, { resource, client: await sessionFor(credentials, 'build-web'), params: { remove: true } }),
    );
    expect(result.status).toBe('already-compliant');
    // Dry run reads the privileged project and plans the update moto could not serve.
    const planned = await privileged.run(
      botContext(privileged, { resource, client: await sessionFor(privileged, 'build-web'), dryRun: true }),
    );
    expect(planned.status).toBe('dry-run');
  });
});
