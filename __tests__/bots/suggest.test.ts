import { closestMatch, didYouMean, editDistance } from '../../bots/suggest';

describe('did you mean', () => {
  it('counts insertions, deletions and substitutions, ignoring case', () => {
    expect(editDistance('fix_buckett', 'fix_bucket')).toBe(1);
    expect(editDistance('s3_block_public_access', 's3_block_all_public_access')).toBe(4);
    expect(editDistance('optin', 'optIn')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest candidate within 2 edits or a third of the name', () => {
    const bots = ['fix_bucket', 'stop_box', 's3_block_all_public_access'];
    expect(closestMatch('fix_buckett', bots)).toBe('fix_bucket');
    expect(closestMatch('S3_BLOCK_PUBLIC_ACCESS', bots)).toBe('s3_block_all_public_access');
    expect(closestMatch('ec2_terminate', bots)).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });

  it('prefers the first of equally close candidates, so the hint is stable', () => {
    expect(closestMatch('ab', ['ac', 'ad'])).toBe('ac');
  });

  it('words the hint to append to a sentence, or nothing', () => {
    expect(didYouMean('regoins', ['regions', 'bots'])).toBe(' Did you mean "regions"?');
    expect(didYouMean('zzzzzzzz', ['regions', 'bots'])).toBe('');
  });
});
