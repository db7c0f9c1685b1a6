import { appliedChangesOf, ChangeSet } from '../../bots/changes';
import { silentLogger } from '../support/bot-context';

const change = { action: 's3:PutBucketVersioning', target: 'arn:aws:s3:::b', description: 'versioning off -> Enabled' };

describe('ChangeSet', () => {
  it('makes the write and records it as applied', async () => {
    const changes = new ChangeSet({ dryRun: false, log: silentLogger });
    const write = jest.fn().mockResolvedValue('output');
    await expect(changes.apply(change, write)).resolves.toBe('output');
    expect(write).toHaveBeenCalledTimes(1);
    expect(changes.result('enabled versioning on b')).toEqual({
      status: 'remediated',
      message: 'enabled versioning on b',
      changes: [{ ...change, applied: true }],
    });
  });

  it('in dry run skips the write, records it as not applied, and says nothing changed', async () => {
    const changes = new ChangeSet({ dryRun: true, log: silentLogger });
    const write = jest.fn();
    await expect(changes.apply(change, write)).resolves.toBeUndefined();
    expect(write).not.toHaveBeenCalled();
    expect(changes.result('enabled versioning on b')).toEqual({
      status: 'dry-run',
      message: 'dry run, nothing changed: would have enabled versioning on b',
      changes: [{ ...change, applied: false }],
    });
  });

  it('is already-compliant when nothing was (or would be) written', () => {
    const changes = new ChangeSet({ dryRun: true, log: silentLogger });
    expect(changes.result('enabled', 'versioning already on')).toEqual({
      status: 'already-compliant',
      message: 'versioning already on',
      changes: [],
    });
  });

  it("lets a failed write's error through, carrying the changes already made so they are still reported", async () => {
    const changes = new ChangeSet({ dryRun: false, log: silentLogger });
    await changes.apply(change, async () => undefined);
    const failure = new Error('AccessDenied');
    await expect(changes.apply({ ...change, action: 's3:PutBucketPolicy' }, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(changes.size).toBe(1);
    expect(appliedChangesOf(failure)).toEqual([{ ...change, applied: true }]);
    expect(appliedChangesOf(new Error('other'))).toEqual([]);
    expect(appliedChangesOf('not an object')).toEqual([]);
  });
});
