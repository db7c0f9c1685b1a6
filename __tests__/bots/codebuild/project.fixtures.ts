/** A CodeBuild project as BatchGetProjects answers, shared by the CodeBuild bots' unit tests. */
import type { EnvironmentVariable, Project } from '@aws-sdk/client-codebuild';

export const PROJECT_NAME = 'build-api';
export const PROJECT_ARN = `arn:aws:codebuild:us-east-1:222222222222:project/${PROJECT_NAME}`;
export const projectResource = { type: 'AWS::CodeBuild::Project', id: PROJECT_NAME };

export const BASE_ENVIRONMENT = {
  type: 'LINUX_CONTAINER',
  image: 'aws/codebuild/standard:7.0',
  computeType: 'BUILD_GENERAL1_SMALL',
  imagePullCredentialsType: 'CODEBUILD',
  certificate: 'my-bucket/cert.pem',
} as const;

export function project(environment: { privilegedMode?: boolean; environmentVariables?: EnvironmentVariable[] } = {}): {
  projects: Project[];
  projectsNotFound: string[];
} {
  return {
    projects: [{ name: PROJECT_NAME, arn: PROJECT_ARN, environment: { ...BASE_ENVIRONMENT, ...environment } }],
    projectsNotFound: [],
  };
}
