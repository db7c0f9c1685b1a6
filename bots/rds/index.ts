import type { Bot } from '../types';


/** The rds bots, in catalog order. */
export const RDS_BOTS: readonly Bot[] = [

];
