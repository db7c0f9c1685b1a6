import type { Bot } from '../types';


/** The ec2 bots, in catalog order. */
export const EC2_BOTS: readonly Bot[] = [

];
