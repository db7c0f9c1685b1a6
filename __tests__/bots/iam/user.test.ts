import { isNoSuchEntity, USER_RESOURCES, userArnOf, userNameOf } from '../../../bots/iam/user';
import { renderResource } from '../../../bots/permissions';
import { testFinding } from '../../support/bot-context';

const contextFor = (id: string, arn?: string) => ({
  finding: testFinding({ type: 'AWS::IAM::User', id, ...(arn ? { arn } : {}) }),
  partition: 'aws',
  account: '222222222222',
});

/** IAM's own matching of a policy resource against an ARN: `*` spans any characters, `/` included. */
function matches(pattern: string, arn: string): boolean {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(arn);
}

describe('USER_RESOURCES', () => {
  const rendered = (resourceId: string) =>
    USER_RESOURCES.map((t) => renderResource(t, { partition: 'aws', account: '222222222222', resourceId }));
  const allows = (resourceId: string, arn: string) => rendered(resourceId).some((pattern) => matches(pattern, arn));

  it('scoped to a user name, match that user at the root path or under any path', () => {
    expect(allows('alice', 'arn:aws:iam::222222222222:user/alice')).toBe(true);
    expect(allows('alice', 'arn:aws:iam::222222222222:user/eng/alice')).toBe(true);
    expect(allows('alice', 'arn:aws:iam::222222222222:user/eng/team-a/alice')).toBe(true);
  });

  it('scoped to a user name, match no other user', () => {
    expect(allows('alice', 'arn:aws:iam::222222222222:user/malice')).toBe(false);
    expect(allows('alice', 'arn:aws:iam::222222222222:user/eng/malice')).toBe(false);
    expect(allows('alice', 'arn:aws:iam::222222222222:user/alice/bob')).toBe(false);
    expect(allows('alice', 'arn:aws:iam::333333333333:user/alice')).toBe(false);
  });

  it('scoped to a user ARN with a path, match that user', () => {
    expect(allows('arn:aws:iam::222222222222:user/eng/alice', 'arn:aws:iam::222222222222:user/eng/alice')).toBe(true);
    expect(allows('arn:aws:iam::222222222222:user/eng/alice', 'arn:aws:iam::222222222222:user/bob')).toBe(false);
  });
});

describe('userNameOf', () => {
  it('takes a user name as it is', () => {
    expect(userNameOf(contextFor('alice.smith+ops@example.com'))).toBe('alice.smith+ops@example.com');
  });

  it('takes the name out of a user ARN in the finding account, with or without a path', () => {
    expect(userNameOf(contextFor('arn:aws:iam::222222222222:user/alice'))).toBe('alice');
    expect(userNameOf(contextFor('arn:aws:iam::222222222222:user/eng/team/alice'))).toBe('alice');
  });

  it('refuses a user ARN of another account', () => {
    expect(() => userNameOf(contextFor('arn:aws:iam::333333333333:user/alice'))).toThrow(
      "the finding's user arn:aws:iam::333333333333:user/alice is not in the finding's account 222222222222",
    );
  });

  it.each(['', 'eng/alice', 'arn:aws:iam::222222222222:role/alice', 'AIDA alice', 'x'.repeat(65)])('refuses %j', (id) => {
    expect(() => userNameOf(contextFor(id))).toThrow(/expected an IAM user name or user ARN/);
  });
});

describe('userArnOf', () => {
  it('uses the ARN the finding gives for this user, which knows the path', () => {
    expect(userArnOf(contextFor('alice', 'arn:aws:iam::222222222222:user/eng/alice'), 'alice')).toBe(
      'arn:aws:iam::222222222222:user/eng/alice',
    );
    expect(userArnOf(contextFor('arn:aws:iam::222222222222:user/eng/alice'), 'alice')).toBe('arn:aws:iam::222222222222:user/eng/alice');
  });

  it('falls back to the root-path ARN when the finding gives none for this user', () => {
    expect(userArnOf(contextFor('alice'), 'alice')).toBe('arn:aws:iam::222222222222:user/alice');
    expect(userArnOf(contextFor('alice', 'arn:aws:iam::222222222222:user/malice'), 'alice')).toBe('arn:aws:iam::222222222222:user/alice');
  });
});

describe('isNoSuchEntity', () => {
  it('recognises the error by either of its names', () => {
    expect(isNoSuchEntity({ name: 'NoSuchEntityException' })).toBe(true);
    expect(isNoSuchEntity({ name: 'NoSuchEntity' })).toBe(true);
    expect(isNoSuchEntity({ name: 'AccessDenied' })).toBe(false);
    expect(isNoSuchEntity(undefined)).toBe(false);
  });
});
