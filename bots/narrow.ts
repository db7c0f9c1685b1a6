/**
 * Writers for resources a bot found by reading, in sessions naming a few ids
 * each: AssumeRole takes at most 2,048 characters of session policy, so an
 * instance with many volumes or interfaces gets several narrow sessions rather
 * than one wide one. In dry run nothing is written: the bot's own client serves.
 */
import type { BotContext, ClientOverrides, DerivedIds } from './types';

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * `writerFor(id)` gives a client whose session names `id`'s batch of `ids`
 * under `key`, plus the `fixed` ids every session needs; `writerFor()` the
 * first batch's. Each batch is assumed once, when first needed.
 */
export function batchedWriters<C>(
  ctx: Pick<BotContext, 'dryRun' | 'narrowTo'>,
  ClientClass: new (config: any) => C,
  base: C,
  key: string,
  ids: readonly string[],
  perSession: number,
  fixed: DerivedIds = {},
  overrides?: ClientOverrides,
): (id?: string) => Promise<C> {
  const batches = chunks(ids, perSession);
  const sessions = new Map<number, Promise<C>>();
  return (id) => {
    if (ctx.dryRun) return Promise.resolve(base);
    const found = id === undefined ? 0 : batches.findIndex((batch) => batch.includes(id));
    const index = Math.max(found, 0);
    let session = sessions.get(index);
    if (!session) {
      session = ctx.narrowTo({ ...fixed, [key]: batches[index] ?? [] }).then((factory) => factory(ClientClass, overrides));
      sessions.set(index, session);
    }
    return session;
  };
}
