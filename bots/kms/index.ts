import type { Bot } from '../types';


/** The kms bots, in catalog order. */
export const KMS_BOTS: readonly Bot[] = [

];
