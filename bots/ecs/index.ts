import type { Bot } from '../types';
import ecsReboot from './ecs_reboot';
import ecsStop from './ecs_stop';

/** The ecs bots, in catalog order. */
export const ECS_BOTS: readonly Bot[] = [ecsStop, ecsReboot];
