import type { Bot } from '../types';
import config_enable from './config_enable';

/** The config bots, in catalog order. */
export const CONFIG_BOTS: readonly Bot[] = [config_enable];
