import type { Bot } from '../types';
import cloudformation_enable_stack_notifications from './cloudformation_enable_stack_notifications';

/** The CloudFormation bots, in catalog order. */
export const CLOUDFORMATION_BOTS: readonly Bot[] = [cloudformation_enable_stack_notifications];
