/**
 * Where a Data Table client keeps the rows it read (docs/assumptions.md#bot-table-reads-and-cache). Memory only: bot rows hold
 * `ClientSecret` and `RSPrivatePem`, which must never be written to disk or to `localStorage`. A client uses its
 * own store unless one is passed; several clients (a server handling many requests) may share one, and each entry
 * is then bound to the credential that read it (its SHA-256, never the credential itself), so a wrong or revoked
 * token never receives rows another token read.
 *
 * @example
 * ```ts
 * import { createDataTableCache, createDataTableClient } from '@kaa/kore-client';
 *
 * const cache = createDataTableCache({ maxEntries: 50 });
 * const client = createDataTableClient({ baseUrl, token }, { fetch, now: Date.now, cache });
 * ```
 */
export interface DataTableCache {
  /** @internal */
  readonly entries: Map<string, { storedAt: number; rows: Record<string, unknown>[] }>;
  /** @internal */
  readonly maxEntries: number;
}

/**
 * A memory store for Data Table reads, shareable between clients (see {@link DataTableCache}). `maxEntries` bounds
 * it (default 100): the oldest entry goes first.
 *
 * @example
 * ```ts
 * const cache = createDataTableCache();
 * ```
 */
export function createDataTableCache(options: { maxEntries?: number } = {}): DataTableCache {
  return { entries: new Map(), maxEntries: Math.max(1, Math.floor(options.maxEntries ?? 100)) };
}

/**
 * @internal A TTL view of a {@link DataTableCache}. An entry older than the TTL or from the future is a miss, and
 * every `get`/`set` first sweeps such entries out, so nothing expired stays in memory.
 */
export interface RowCache {
  get(key: string): Record<string, unknown>[] | undefined;
  set(key: string, rows: readonly Record<string, unknown>[]): void;
  remove(key: string): void;
  /** Removes every entry whose key starts with `prefix`. */
  removeStartingWith(prefix: string): void;
}

/** @internal */
export function createRowCache(options: { cache: DataTableCache; now: () => number; ttlMs: number }): RowCache {
  const { cache, now, ttlMs } = options;
  const { entries } = cache;
  const enabled = ttlMs > 0;
  const fresh = (storedAt: number, at: number) => at - storedAt >= 0 && at - storedAt < ttlMs;
  const sweep = () => {
    const at = now();
    for (const [key, entry] of entries) if (!fresh(entry.storedAt, at)) entries.delete(key);
  };
  return {
    get(key) {
      if (!enabled) return undefined;
      sweep();
      // a copy: a caller that edits its rows does not edit the cache
      return entries.get(key)?.rows.map((row) => ({ ...row }));
    },
    set(key, rows) {
      if (!enabled) return;
      sweep();
      entries.delete(key);
      entries.set(key, { storedAt: now(), rows: rows.map((row) => ({ ...row })) });
      // Map keeps insertion order: the first keys are the oldest
      for (const oldest of entries.keys()) {
        if (entries.size <= cache.maxEntries) break;
        entries.delete(oldest);
      }
    },
    remove(key) {
      entries.delete(key);
    },
    removeStartingWith(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}

/**
 * @internal The SHA-256 (hex) of a credential, for cache keys: the key binds the credential without holding it.
 * Web Crypto's digest is in every browser and in Node ≥ 20.
 */
export async function credentialHash(parts: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(parts.join('\u0000'));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
