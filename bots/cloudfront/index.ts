import type { Bot } from '../types';
import cloudfront_set_default_root_object from './cloudfront_set_default_root_object';

/** The CloudFront bots, in catalog order. */
export const CLOUDFRONT_BOTS: readonly Bot[] = [cloudfront_set_default_root_object];
