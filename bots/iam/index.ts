import type { Bot } from '../types';


/** The iam bots, in catalog order. */
export const IAM_BOTS: readonly Bot[] = [

];
