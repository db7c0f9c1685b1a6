import type { Bot } from '../types';
import iam_quarantine_user from './iam_quarantine_user';
import iam_turn_on_password_policy from './iam_turn_on_password_policy';
import iam_user_deactivate_unused_access_key from './iam_user_deactivate_unused_access_key';
import iam_user_enforce_mfa from './iam_user_enforce_mfa';

/** The iam bots, in catalog order. */
export const IAM_BOTS: readonly Bot[] = [
  iam_user_deactivate_unused_access_key,
  iam_turn_on_password_policy,
  iam_quarantine_user,
  iam_user_enforce_mfa,
];
