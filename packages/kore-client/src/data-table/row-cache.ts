import * as z from 'zod/mini';
import type { Logger, StorageLike } from '@kaa/core';

/**
 * @internal A TTL cache of row lists in a {@link StorageLike}. Entries are JSON `{v, storedAt, rows}`; an
 * entry that is unreadable, from the future or older than the TTL is a miss (and is removed). Storage
 * failures (quota, privacy mode) are logged and ignored: the cache never breaks a read.
 */
export interface RowCache {
  get(key: string): Record<string, unknown>[] | undefined;
  set(key: string, rows: readonly Record<string, unknown>[]): void;
  remove(key: string): void;
}

const Entry = z.object({ v: z.literal(1), storedAt: z.number(), rows: z.array(z.record(z.string(), z.unknown())) });

/** @internal */
export function createRowCache(options: { storage: StorageLike; now: () => number; ttlMs: number; logger: Logger }): RowCache {
  const { storage, now, ttlMs, logger } = options;
  const enabled = ttlMs > 0;
  const remove = (key: string) => {
    try {
      storage.removeItem(key);
    } catch {
      // a store that cannot remove cannot hold the entry either
    }
  };
  return {
    get(key) {
      if (!enabled) return undefined;
      let raw: string | null;
      try {
        raw = storage.getItem(key);
      } catch (cause) {
        logger.warn('kore data table cache: storage read failed; reading from Kore', { reason: String((cause as Error)?.name ?? cause) });
        return undefined;
      }
      if (raw == null) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      const entry = Entry.safeParse(parsed);
      if (!entry.success) {
        logger.warn('kore data table cache: unreadable entry dropped', { key });
        remove(key);
        return undefined;
      }
      const age = now() - entry.data.storedAt;
      if (age < 0 || age >= ttlMs) {
        remove(key);
        return undefined;
      }
      return entry.data.rows;
    },
    set(key, rows) {
      if (!enabled) return;
      try {
        storage.setItem(key, JSON.stringify({ v: 1, storedAt: now(), rows }));
      } catch (cause) {
        logger.warn('kore data table cache: storage write failed; rows not cached', { reason: String((cause as Error)?.name ?? cause) });
      }
    },
    remove,
  };
}
