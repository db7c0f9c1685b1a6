import type { Bot } from '../types';
import lambdaDisable from './lambda_disable';

/** The lambda bots, in catalog order. */
export const LAMBDA_BOTS: readonly Bot[] = [lambdaDisable];
