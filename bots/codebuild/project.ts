/**
 * The CodeBuild project a finding names, read once: its name from the finding
 * (a name, or the project ARN Security Hub gives), the project from
 * BatchGetProjects, and the environment UpdateProject must be given back whole.
 */
import type { CodeBuildClient, Project, ProjectEnvironment } from '@aws-sdk/client-codebuild';
import type { BotContext, Permission } from '../types';
import { sdk } from '../sdk';

/** `arn:aws:codebuild:eu-west-1:111122223333:project/build-api` -> region and name. */
const PROJECT_ARN = /^arn:[\w-]+:codebuild:([\w-]+):\d{12}:project\/(.+)$/;

export const PROJECT_RESOURCE = 'arn:{partition}:codebuild:{region}:{account}:project/{resourceId}';

/** Read and update the project: UpdateProject replaces the environment whole, so it is read first. */
export function projectPermissions(reason: string): Permission[] {
  return [{ actions: ['codebuild:BatchGetProjects', 'codebuild:UpdateProject'], resources: [PROJECT_RESOURCE], reason }];
}

/** The project name in the finding's resource id; an ARN of another region than the finding's is refused. */
export function projectName(bot: string, resourceId: string, region: string): string {
  if (!resourceId.startsWith('arn:')) return resourceId;
  const match = PROJECT_ARN.exec(resourceId);
  if (!match) throw new Error(`${bot}: "${resourceId}" is not a CodeBuild project name or project ARN`);
  const [, arnRegion, name = ''] = match;
  if (arnRegion !== region) throw new Error(`${bot}: CodeBuild project ${resourceId} is in ${arnRegion}, but the finding is for ${region}`);
  return name;
}

/** The project's name in a change's target (the project ARN), for undo. */
export function projectNameOfTarget(target: string): string {
  return PROJECT_ARN.exec(target)?.[2] ?? target;
}

export function projectArnOf(project: Project, ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, name: string): string {
  return project.arn ?? `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.account}:project/${name}`;
}

export async function readProject(
  codebuild: CodeBuildClient,
  bot: string,
  name: string,
): Promise<Project & { environment: ProjectEnvironment }> {
  const { BatchGetProjectsCommand } = await sdk.codeBuild();
  const { projects } = await codebuild.send(new BatchGetProjectsCommand({ names: [name] }));
  const project = projects?.find((p) => p.name === name || p.arn === name) ?? projects?.[0];
  if (!project) {
    throw new Error(`${bot}: CodeBuild project ${name} not found (BatchGetProjects lists it under projectsNotFound)`);
  }
  if (!project.environment) throw new Error(`${bot}: CodeBuild project ${name} has no environment in the BatchGetProjects answer`);
  return project as Project & { environment: ProjectEnvironment };
}
