import type { Bot } from '../types';
import iam_quarantine_role from './iam_quarantine_role';
import iam_revoke_access_key from './iam_revoke_access_key';
import iam_delete_access_key from './iam_delete_access_key';
import iam_user_disable_console_password from './iam_user_disable_console_password';
import iam_user_force_password_change from './iam_user_force_password_change';
import iam_user_attach_policy from './iam_user_attach_policy';
import iam_role_attach_policy from './iam_role_attach_policy';
import iam_user_detach from './iam_user_detach';
import iam_delete_default_policy_version from './iam_delete_default_policy_version';
import iam_user_deactivate_old_access_keys from './iam_user_deactivate_old_access_keys';
import iam_user_disable_unused_console_password from './iam_user_disable_unused_console_password';
import iam_quarantine_user from './iam_quarantine_user';
import iam_turn_on_password_policy from './iam_turn_on_password_policy';
import iam_user_deactivate_unused_access_key from './iam_user_deactivate_unused_access_key';
import iam_user_enforce_mfa from './iam_user_enforce_mfa';
import iam_create_support_role from './iam_create_support_role';

/** The iam bots, in catalog order. */
export const IAM_BOTS: readonly Bot[] = [
  iam_user_deactivate_unused_access_key,
  iam_turn_on_password_policy,
  iam_quarantine_user,
  iam_user_enforce_mfa,
  iam_quarantine_role,
  iam_revoke_access_key,
  iam_delete_access_key,
  iam_user_disable_console_password,
  iam_user_force_password_change,
  iam_user_attach_policy,
  iam_role_attach_policy,
  iam_user_detach,
  iam_delete_default_policy_version,
  iam_user_deactivate_old_access_keys,
  iam_user_disable_unused_console_password,
  iam_create_support_role,
];
