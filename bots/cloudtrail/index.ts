import type { Bot } from '../types';


/** The cloudtrail bots, in catalog order. */
export const CLOUDTRAIL_BOTS: readonly Bot[] = [

];
