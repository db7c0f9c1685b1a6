import type { Bot } from '../types';
import ecsDeleteRepositoryImage from './ecs_delete_repository_image';
import ecsReboot from './ecs_reboot';
import ecsStop from './ecs_stop';

/** The ecs bots (ECS tasks, and the ECR repositories their images come from), in catalog order. */
export const ECS_BOTS: readonly Bot[] = [ecsStop, ecsReboot, ecsDeleteRepositoryImage];
