import type { Bot } from '../types';
import iam_quarantine_user from './iam_quarantine_user';

/** The iam bots, in catalog order. */
export const IAM_BOTS: readonly Bot[] = [
  iam_quarantine_user,
];
