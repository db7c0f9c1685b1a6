import type { Bot } from '../types';
import ecr_enable_image_scanning from './ecr_enable_image_scanning';

/** The ecr bots, in catalog order. */
export const ECR_BOTS: readonly Bot[] = [ecr_enable_image_scanning];
