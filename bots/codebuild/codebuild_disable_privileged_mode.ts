import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { PROJECT_RESOURCE, projectArnOf, projectName, projectNameOfTarget, projectPermissions, readProject } from './project';
import { sdk } from '../sdk';

const NAME = 'codebuild_disable_privileged_mode';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn off privileged mode in the CodeBuild project environment',
    description:
      'Reads the project and, when its build environment runs in privileged mode, calls UpdateProject with the environment ' +
      'exactly as read (image, compute type, certificate, registry credential, environment variables, fleet) except ' +
      'privilegedMode = false. Builds that run Docker inside the build container (docker build, docker-in-docker) stop ' +
      'working until privileged mode is turned on again; nothing else on the project changes. Reversible: undo turns it back on.',
    resourceTypes: ['AWS::CodeBuild::Project'],
    remediates: { securityHub: ['CodeBuild.5'], config: ['codebuild-project-environment-privileged-check'] },
    params: z.strictObject({}),
    permissions: projectPermissions('read the project environment and update it with privileged mode off'),
    undo: {
      'privileged-mode': {
        reversible: true,
        how: 'turns privileged mode on again, keeping the rest of the environment as it is then',
        permissions: [
          {
            actions: ['codebuild:BatchGetProjects', 'codebuild:UpdateProject'],
            resources: [PROJECT_RESOURCE],
            reason: 'undo: read the project environment and turn privileged mode on again',
          },
        ],
      },
    },
  },
  undoers: {
    'privileged-mode': {
      async read(ctx) {
        const { CodeBuildClient } = await sdk.codeBuild();
        const project = await readProject(ctx.client(CodeBuildClient), NAME, projectNameOfTarget(ctx.target));
        return { privilegedMode: project.environment.privilegedMode === true };
      },
      async write(ctx, state) {
        const { CodeBuildClient, UpdateProjectCommand } = await sdk.codeBuild();
        const codebuild = ctx.client(CodeBuildClient);
        const name = projectNameOfTarget(ctx.target);
        const project = await readProject(codebuild, NAME, name);
        const { privilegedMode } = state as { privilegedMode: boolean };
        await codebuild.send(new UpdateProjectCommand({ name, environment: { ...project.environment, privilegedMode } }));
      },
    },
  },
  async run(ctx) {
    const { CodeBuildClient, UpdateProjectCommand } = await sdk.codeBuild();
    const codebuild = ctx.client(CodeBuildClient);
    const name = projectName(NAME, ctx.finding.resource.id, ctx.region);
    const project = await readProject(codebuild, NAME, name);
    const changes = new ChangeSet(ctx);
    if (project.environment.privilegedMode === true) {
      await changes.apply(
        {
          action: 'codebuild:UpdateProject',
          target: projectArnOf(project, ctx, name),
          description: 'build environment privileged mode on -> off (Docker builds inside the container stop working)',
          undo: { kind: 'privileged-mode', before: { privilegedMode: true }, after: { privilegedMode: false } },
        },
        () => codebuild.send(new UpdateProjectCommand({ name, environment: { ...project.environment, privilegedMode: false } })),
      );
    }
    return changes.result(
      `turned off privileged mode of CodeBuild project ${name}`,
      `privileged mode already off in CodeBuild project ${name}`,
    );
  },
});
