import type { EnvironmentVariable } from '@aws-sdk/client-codebuild';
import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { projectArnOf, projectName, projectPermissions, readProject } from './project';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const NAME = 'codebuild_remove_clear_text_credentials';

/**
 * What AWS's CodeBuild.2 check (Config rule codebuild-project-envvar-awscred-check)
 * and its Automated Security Response remediation look for: a PLAINTEXT
 * environment variable named, in any case, like an AWS access key.
 */
export const CREDENTIAL_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

export function isClearTextCredential(variable: EnvironmentVariable): boolean {
  // A variable without a type is PLAINTEXT: that is CodeBuild's default.
  const type = variable.type ?? 'PLAINTEXT';
  return type === 'PLAINTEXT' && (CREDENTIAL_NAMES as readonly string[]).includes((variable.name ?? '').toUpperCase());
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Report clear-text AWS credentials in a CodeBuild project environment; remove them only when configured to',
    description:
      'Reads the project and looks for PLAINTEXT environment variables named AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY ' +
      '(any case), the ones Security Hub CodeBuild.2 flags. By default it only reports them, by name: the result is ' +
      '`skipped` and names the variables; their values never appear in results, logs or the change journal. With ' +
      '`remove=true` (config only, never from a finding) it calls UpdateProject with the environment as read minus those ' +
      'variables. Removal is irreversible: the values are kept nowhere, and builds whose buildspec uses them fail until ' +
      'the build gets credentials another way (the service role, or Parameter Store / Secrets Manager references). ' +
      'Unlike AWS’s own remediation it does not copy the values into Parameter Store. Either way, the exposed access ' +
      'key should be deactivated and rotated in IAM: anyone who could read the project could read the key.',
    resourceTypes: ['AWS::CodeBuild::Project'],
    remediates: { securityHub: ['CodeBuild.2', 'PCI.CodeBuild.2'], config: ['codebuild-project-envvar-awscred-check'] },
    params: z.strictObject({
      remove: flagParam
        .default(false)
        .describe(
          'Remove the clear-text credential variables from the project environment (irreversible: their values are lost). ' +
            'Default false: report their names only. Settable in the config only, never by a finding.',
        ),
    }),
    permissions: projectPermissions(
      'read the project environment and, when removal is configured, update it without the credential variables',
    ),
    undo: {
      'clear-text-credentials': {
        reversible: false,
        why: 'the removed values are recorded nowhere (cloudmend never keeps credential values); put credentials back from their source, preferably as Parameter Store or Secrets Manager references',
      },
    },
  },
  async run(ctx) {
    const { CodeBuildClient, UpdateProjectCommand } = await sdk.codeBuild();
    const codebuild = ctx.client(CodeBuildClient);
    const name = projectName(NAME, ctx.finding.resource.id, ctx.region);
    const project = await readProject(codebuild, NAME, name);
    const variables = project.environment.environmentVariables ?? [];
    const found = variables.filter(isClearTextCredential).map((v) => v.name ?? '');
    if (found.length === 0) {
      return new ChangeSet(ctx).result('', `no clear-text AWS credentials in the environment of CodeBuild project ${name}`);
    }
    const names = found.join(', ');
    ctx.log.warn('clear-text AWS credentials in a CodeBuild project environment', { project: name, variables: found });
    const rotate = 'deactivate and rotate the exposed access key in IAM';
    if (!ctx.params.remove) {
      return skipped(
        `CodeBuild project ${name} holds clear-text AWS credentials in environment variables ${names}; not removed (remove=false): ` +
          `${rotate}, give the build its credentials through the service role or a Parameter Store / Secrets Manager reference, ` +
          'or configure remove=true',
      );
    }
    const changes = new ChangeSet(ctx);
    const kept = variables.filter((v) => !isClearTextCredential(v));
    await changes.apply(
      {
        action: 'codebuild:UpdateProject',
        target: projectArnOf(project, ctx, name),
        description: `removed clear-text credential environment variables ${names} (values not kept; irreversible)`,
        undo: { kind: 'clear-text-credentials', before: { variables: found }, after: null },
      },
      () => codebuild.send(new UpdateProjectCommand({ name, environment: { ...project.environment, environmentVariables: kept } })),
    );
    return changes.result(`removed clear-text AWS credential variables ${names} from CodeBuild project ${name}; ${rotate}`);
  },
});
