/**
 * A value made on first use and kept for the container's life (an SDK module or
 * client: a cold start that never needs it never pays for it, and a warm one
 * never pays twice). A failed attempt is forgotten, so the next call tries again
 * instead of failing forever.
 */
export function lazy<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= create().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
