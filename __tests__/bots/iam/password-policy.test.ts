import fc from 'fast-check';
import {
  settingChanges,
  settingsOf,
  stricterPolicy,
  updateRequestFor,
  type PasswordPolicySettings,
} from '../../../bots/iam/password-policy';

const cis: PasswordPolicySettings = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
  HardExpiry: false,
};

const weak: PasswordPolicySettings = {
  MinimumPasswordLength: 8,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: false,
  MaxPasswordAge: undefined,
  PasswordReusePrevention: undefined,
  HardExpiry: false,
};

const settings = fc.record({
  MinimumPasswordLength: fc.integer({ min: 6, max: 128 }),
  RequireSymbols: fc.boolean(),
  RequireNumbers: fc.boolean(),
  RequireUppercaseCharacters: fc.boolean(),
  RequireLowercaseCharacters: fc.boolean(),
  AllowUsersToChangePassword: fc.boolean(),
  MaxPasswordAge: fc.option(fc.integer({ min: 1, max: 1095 }), { nil: undefined }),
  PasswordReusePrevention: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
  HardExpiry: fc.boolean(),
});

/** Test oracle, written independently of the merge: is `a` at least as strict as `b` in every setting? */
function atLeastAsStrict(a: PasswordPolicySettings, b: PasswordPolicySettings): boolean {
  const flags = [
    'RequireSymbols',
    'RequireNumbers',
    'RequireUppercaseCharacters',
    'RequireLowercaseCharacters',
    'AllowUsersToChangePassword',
    'HardExpiry',
  ] as const;
  return (
    a.MinimumPasswordLength >= b.MinimumPasswordLength &&
    flags.every((f) => a[f] || !b[f]) &&
    (b.MaxPasswordAge === undefined || (a.MaxPasswordAge !== undefined && a.MaxPasswordAge <= b.MaxPasswordAge)) &&
    (b.PasswordReusePrevention === undefined || (a.PasswordReusePrevention ?? 0) >= b.PasswordReusePrevention)
  );
}

describe('settingsOf', () => {
  it('reads a policy without expiry or reuse prevention as having neither', () => {
    expect(
      settingsOf({
        MinimumPasswordLength: 8,
        RequireSymbols: true,
        ExpirePasswords: false,
        MaxPasswordAge: 0,
        AllowUsersToChangePassword: true,
      }),
    ).toEqual({ ...weak, RequireSymbols: true, AllowUsersToChangePassword: true });
  });

  it('reads expiry and reuse prevention when set', () => {
    expect(settingsOf({ ExpirePasswords: true, MaxPasswordAge: 60, PasswordReusePrevention: 5, HardExpiry: true })).toMatchObject({
      MaxPasswordAge: 60,
      PasswordReusePrevention: 5,
      HardExpiry: true,
    });
  });

  it('is undefined when the account has no policy', () => {
    expect(settingsOf(undefined)).toBeUndefined();
  });
});

describe('stricterPolicy', () => {
  it('is the asked policy when there is none', () => {
    expect(stricterPolicy(undefined, cis)).toEqual(cis);
  });

  it('keeps every setting an administrator made stricter than asked', () => {
    const stricter = { ...cis, MinimumPasswordLength: 20, MaxPasswordAge: 30, HardExpiry: true };
    expect(stricterPolicy(stricter, cis)).toEqual(stricter);
  });

  it('tightens only the weaker settings', () => {
    const mixed = { ...weak, MinimumPasswordLength: 16, MaxPasswordAge: 365 };
    expect(stricterPolicy(mixed, cis)).toEqual({ ...cis, MinimumPasswordLength: 16 });
  });

  it('never removes an existing expiry or reuse prevention when asked for none', () => {
    const current = { ...cis, MaxPasswordAge: 45, PasswordReusePrevention: 3 };
    expect(stricterPolicy(current, { ...cis, MaxPasswordAge: undefined, PasswordReusePrevention: undefined })).toEqual(current);
  });

  it('is at least as strict as both inputs, and merging again changes nothing', () => {
    fc.assert(
      fc.property(settings, settings, (current, asked) => {
        const merged = stricterPolicy(current, asked);
        expect(atLeastAsStrict(merged, current)).toBe(true);
        expect(atLeastAsStrict(merged, asked)).toBe(true);
        expect(settingChanges(merged, stricterPolicy(merged, asked))).toEqual([]);
      }),
    );
  });

  it('returns the current policy unchanged exactly when it is already at least as strict', () => {
    fc.assert(
      fc.property(settings, settings, (current, asked) => {
        const unchanged = settingChanges(current, stricterPolicy(current, asked)).length === 0;
        expect(unchanged).toBe(atLeastAsStrict(current, asked));
      }),
    );
  });
});

describe('settingChanges', () => {
  it('words each differing setting for the report', () => {
    expect(settingChanges({ ...cis, MinimumPasswordLength: 8, MaxPasswordAge: undefined }, cis)).toEqual([
      { setting: 'MinimumPasswordLength', from: '8', to: '14' },
      { setting: 'MaxPasswordAge', from: 'never', to: '90' },
    ]);
  });

  it('lists every setting when there is no policy yet', () => {
    const changes = settingChanges(undefined, cis);
    expect(changes).toHaveLength(9);
    expect(changes[0]).toEqual({ setting: 'MinimumPasswordLength', from: 'no policy', to: '14' });
  });
});

describe('updateRequestFor', () => {
  it('carries every setting, leaving out expiry and reuse prevention when there are none', () => {
    expect(updateRequestFor(cis)).toEqual(cis);
    const request = updateRequestFor(weak);
    expect(request).not.toHaveProperty('MaxPasswordAge');
    expect(request).not.toHaveProperty('PasswordReusePrevention');
    expect(request).toMatchObject({ MinimumPasswordLength: 8, HardExpiry: false, AllowUsersToChangePassword: false });
  });
});
