import { mapConcurrently } from '../../handler/pool';

/** A task that finishes when the test says so, recording when it started. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('mapConcurrently', () => {
  it('returns results in input order, whatever order they finish in', async () => {
    const delays = [30, 0, 10, 20];
    const results = await mapConcurrently(delays, 4, async (ms) => {
      await new Promise((r) => setTimeout(r, ms));
      return ms * 2;
    });
    expect(results).toEqual([60, 0, 20, 40]);
  });

  it('runs at most `limit` at a time, and starts the next as soon as one finishes', async () => {
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const all = mapConcurrently([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await gates[i]!.promise;
      running--;
      return i;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await all).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('handles no items, and a limit below one as one', async () => {
    expect(await mapConcurrently([], 4, async (x) => x)).toEqual([]);
    expect(await mapConcurrently([1, 2], 0, async (x) => x + 1)).toEqual([2, 3]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapConcurrently([1, 2, 3], 2, async (x) => {
        if (x === 2) throw new Error('two');
        return x;
      }),
    ).rejects.toThrow('two');
  });
});
