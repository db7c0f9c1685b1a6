/**
 * Seeds an ECS cluster in a moto member account: a task definition, a Fargate task of a service, and an EC2 container
 * instance (on a moto EC2 instance) running a standalone task. Long ARN formats on, as every account has had since 2021.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  ECSClient,
  PutAccountSettingCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { seedInstance } from '../ec2/moto-seed';
import { admin } from '../lambda/lambda-moto';

export interface SeededCluster {
  ecs: ECSClient;
  /** `cluster/taskId` of a Fargate task started by service `web`. */
  serviceTask: string;
  /** `cluster/taskId` of a standalone task on the EC2 container instance. */
  standaloneTask: string;
  containerInstanceArn: string;
}

const taskIdOf = (arn: string) => `prod/${arn.split('/').pop()}`;

export async function seedCluster(): Promise<SeededCluster> {
  const session = await admin();
  const ecs = session.client(ECSClient);
  for (const name of ['taskLongArnFormat', 'containerInstanceLongArnFormat'] as const) {
    await ecs.send(new PutAccountSettingCommand({ name, value: 'enabled' }));
  }
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      // Bridge networking: moto wants a network configuration for awsvpc tasks and does not check Fargate's need of it.
      containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128, cpu: 64, essential: true }],
    }),
  );
  const fargate = await ecs.send(
    new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web', launchType: 'FARGATE', group: 'service:web', count: 1 }),
  );
  const { instanceId } = await seedInstance(session.client(EC2Client));
  const registered = await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: 'prod',
      instanceIdentityDocument: JSON.stringify({ instanceId, region: 'us-east-1' }),
      totalResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 1024 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: 2048 },
      ],
    }),
  );
  const onEc2 = await ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web', launchType: 'EC2', count: 1 }));
  return {
    ecs,
    serviceTask: taskIdOf(fargate.tasks![0]!.taskArn!),
    standaloneTask: taskIdOf(onEc2.tasks![0]!.taskArn!),
    containerInstanceArn: registered.containerInstance!.containerInstanceArn!,
  };
}
