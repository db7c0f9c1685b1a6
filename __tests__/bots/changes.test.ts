import { appliedChangesIn, appliedChangesOf, ChangeSet, createOrAdopt } from '../../bots/changes';
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

describe('appliedChangesIn', () => {
  it('collects the applied writes of every ChangeSet made with one context, and none of dry run', async () => {
    const ctx = { dryRun: false, log: silentLogger };
    await new ChangeSet(ctx).apply(change, async () => undefined);
    await new ChangeSet(ctx).apply({ ...change, action: 's3:PutBucketAcl' }, async () => undefined);
    expect(appliedChangesIn(ctx).map((c) => c.action)).toEqual(['s3:PutBucketVersioning', 's3:PutBucketAcl']);
    const dry = { dryRun: true, log: silentLogger };
    await new ChangeSet(dry).apply(change, async () => undefined);
    expect(appliedChangesIn(dry)).toEqual([]);
  });
});

describe('createOrAdopt', () => {
  const exists = (error: unknown) => (error as Error).name === 'AlreadyExists';

  it('reports a create it made', async () => {
    const changes = new ChangeSet({ dryRun: false, log: silentLogger });
    await expect(createOrAdopt(changes, change, async () => 'made', exists)).resolves.toEqual({ created: true, output: 'made' });
    expect(changes.applied).toEqual([{ ...change, applied: true }]);
  });

  it('reports nothing when the thing already exists, so the caller reads it back', async () => {
    const changes = new ChangeSet({ dryRun: false, log: silentLogger });
    const already = Object.assign(new Error('exists'), { name: 'AlreadyExists' });
    await expect(createOrAdopt(changes, change, () => Promise.reject(already), exists)).resolves.toEqual({ created: false });
    expect(changes.size).toBe(0);
  });

  it('lets any other error through, carrying the writes made before it', async () => {
    const changes = new ChangeSet({ dryRun: false, log: silentLogger });
    await changes.apply({ ...change, action: 'iam:CreateRole' }, async () => undefined);
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    const error = await createOrAdopt(changes, change, () => Promise.reject(denied), exists).catch((e: unknown) => e);
    expect(error).toBe(denied);
    expect(appliedChangesOf(error).map((c) => c.action)).toEqual(['iam:CreateRole']);
  });
});
