/**
 * The account password policy as settings that can be compared for strictness.
 * Pure: the bot reads and writes, this decides.
 */
import type { PasswordPolicy, UpdateAccountPasswordPolicyRequest } from '@aws-sdk/client-iam';

export interface PasswordPolicySettings {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  /** Days until a password expires; undefined: passwords never expire. */
  MaxPasswordAge: number | undefined;
  /** Previous passwords a user may not reuse; undefined: reuse allowed. */
  PasswordReusePrevention: number | undefined;
  HardExpiry: boolean;
}

export type Setting = keyof PasswordPolicySettings;

const SETTINGS: readonly Setting[] = [
  'MinimumPasswordLength',
  'RequireSymbols',
  'RequireNumbers',
  'RequireUppercaseCharacters',
  'RequireLowercaseCharacters',
  'AllowUsersToChangePassword',
  'MaxPasswordAge',
  'PasswordReusePrevention',
  'HardExpiry',
];

/** What IAM returns, in the same shape; undefined when the account has no password policy. Missing values count as the weakest. */
export function settingsOf(policy: PasswordPolicy | undefined): PasswordPolicySettings | undefined {
  if (!policy) return undefined;
  const positive = (n: number | undefined) => (n && n > 0 ? n : undefined);
  return {
    MinimumPasswordLength: policy.MinimumPasswordLength ?? 0,
    RequireSymbols: policy.RequireSymbols ?? false,
    RequireNumbers: policy.RequireNumbers ?? false,
    RequireUppercaseCharacters: policy.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: policy.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: policy.AllowUsersToChangePassword ?? false,
    MaxPasswordAge: policy.ExpirePasswords === false ? undefined : positive(policy.MaxPasswordAge),
    PasswordReusePrevention: positive(policy.PasswordReusePrevention),
    HardExpiry: policy.HardExpiry ?? false,
  };
}

/**
 * The stricter of the current policy and the asked one, setting by setting, so
 * the bot never weakens what an administrator already tightened. Every boolean
 * is stricter when true (letting users change their own password included, as
 * CIS asks); a shorter maximum age and a longer reuse history are stricter.
 */
export function stricterPolicy(current: PasswordPolicySettings | undefined, asked: PasswordPolicySettings): PasswordPolicySettings {
  if (!current) return { ...asked };
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const shortest = defined([current.MaxPasswordAge, asked.MaxPasswordAge]);
  const longest = defined([current.PasswordReusePrevention, asked.PasswordReusePrevention]);
  return {
    MinimumPasswordLength: Math.max(current.MinimumPasswordLength, asked.MinimumPasswordLength),
    RequireSymbols: current.RequireSymbols || asked.RequireSymbols,
    RequireNumbers: current.RequireNumbers || asked.RequireNumbers,
    RequireUppercaseCharacters: current.RequireUppercaseCharacters || asked.RequireUppercaseCharacters,
    RequireLowercaseCharacters: current.RequireLowercaseCharacters || asked.RequireLowercaseCharacters,
    AllowUsersToChangePassword: current.AllowUsersToChangePassword || asked.AllowUsersToChangePassword,
    MaxPasswordAge: shortest.length > 0 ? Math.min(...shortest) : undefined,
    PasswordReusePrevention: longest.length > 0 ? Math.max(...longest) : undefined,
    HardExpiry: current.HardExpiry || asked.HardExpiry,
  };
}

export interface SettingChange {
  setting: Setting;
  from: string;
  to: string;
}

/** The settings that differ, worded for a report ("MaxPasswordAge never -> 90"); all of them when there is no policy yet. */
export function settingChanges(current: PasswordPolicySettings | undefined, target: PasswordPolicySettings): SettingChange[] {
  return SETTINGS.filter((setting) => !current || current[setting] !== target[setting]).map((setting) => ({
    setting,
    from: current ? show(setting, current[setting]) : 'no policy',
    to: show(setting, target[setting]),
  }));
}

function show(setting: Setting, value: number | boolean | undefined): string {
  if (value !== undefined) return String(value);
  return setting === 'MaxPasswordAge' ? 'never' : 'off';
}

/** UpdateAccountPasswordPolicy resets every omitted setting to its default, so the request always carries the whole policy. */
export function updateRequestFor(settings: PasswordPolicySettings): UpdateAccountPasswordPolicyRequest {
  const { MaxPasswordAge, PasswordReusePrevention, ...rest } = settings;
  return {
    ...rest,
    ...(MaxPasswordAge !== undefined ? { MaxPasswordAge } : {}),
    ...(PasswordReusePrevention !== undefined ? { PasswordReusePrevention } : {}),
  };
}
