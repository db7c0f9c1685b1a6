import { assessKey, keyLabel } from '../../../bots/iam/access-key-age';

const now = new Date('2026-11-23T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);

describe('assessKey', () => {
  it('counts a key last used more than the allowed days ago as unused', () => {
    expect(assessKey({ createDate: daysAgo(400), lastUsedDate: daysAgo(91), lastUsedService: 's3' }, now, 90)).toEqual({
      unused: true,
      summary: 'last used 2026-08-24 (91 days ago, s3)',
    });
  });

  it('keeps a key last used exactly the allowed days ago (more than, not at least)', () => {
    expect(assessKey({ createDate: daysAgo(400), lastUsedDate: daysAgo(90) }, now, 90).unused).toBe(false);
  });

  it('judges a used key by its last use, not by its age', () => {
    expect(assessKey({ createDate: daysAgo(1000), lastUsedDate: daysAgo(1) }, now, 90)).toEqual({
      unused: false,
      summary: 'last used 2026-11-22 (1 day ago)',
    });
  });

  it('judges a never-used key by its creation date', () => {
    expect(assessKey({ createDate: daysAgo(120), lastUsedDate: undefined, lastUsedService: 'N/A' }, now, 90)).toEqual({
      unused: true,
      summary: 'never used, created 2026-07-26 (120 days ago)',
    });
    expect(assessKey({ createDate: daysAgo(10), lastUsedDate: undefined }, now, 90).unused).toBe(false);
  });

  it('leaves a never-used key of unknown age alone', () => {
    expect(assessKey({ createDate: undefined, lastUsedDate: undefined }, now, 1)).toEqual({
      unused: false,
      summary: 'never used, creation date unknown',
    });
  });
});

describe('keyLabel', () => {
  it('shows only the last four characters of the key id', () => {
    expect(keyLabel('AKIAIOSFODNN7EXAMPLE')).toBe('...MPLE');
  });
});
