/** `fn` over `items`, at most `limit` running at a time; results in input order, whatever order they finish in. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  // One finding per event is the usual case: no pool to set up for it.
  if (items.length === 1) return [await fn(items[0] as T)];
  const results: R[] = new Array(items.length);
  let next = 0;
  // Each worker takes the next index when it is free; JavaScript runs one at a time, so no index is taken twice.
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
