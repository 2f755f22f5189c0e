import type { Logger, StorageLike } from '@kaa/core';

/**
 * A {@link StorageLike} whose keys can be listed (`window.localStorage` is one). A store without `length` and
 * `key` (kore-client's memory store) holds nothing between page loads, so there is nothing to sweep.
 *
 * @example
 * ```ts
 * const store: SweepableStorage = window.localStorage;
 * ```
 */
export type SweepableStorage = StorageLike & { readonly length?: number; key?(index: number): string | null };

/**
 * Options of {@link sweepKoreStorage}.
 *
 * @example
 * ```ts
 * const options: SweepKoreStorageOptions = { now: Date.now, logger: console };
 * ```
 */
export interface SweepKoreStorageOptions {
  /** Epoch milliseconds. */
  now: () => number;
  logger?: Logger;
  /** Hooks state and END claims older than this go. Default 24 h. */
  retentionMs?: number;
  /** Hooks state of a conversation whose `END_OF_CONVERSATION` was sent goes after this. Default 1 h. */
  endedRetentionMs?: number;
  /** At most this many keys are looked at, and removed, per sweep (the sweep runs on every start). Default 500. */
  maxKeys?: number;
}

/** What {@link sweepKoreStorage} did. */
export interface SweepKoreStorageResult {
  /** Keys looked at (only `kaa:kore:` ones count). */
  examined: number;
  removed: number;
}

/** The keys kore-client writes to a shared store (and the bot-table cache of versions that persisted rows). */
export const KORE_STORAGE_PREFIX = {
  hooksState: 'kaa:kore:hooks-state:',
  endClaim: 'kaa:kore:eoc:',
  /** Earlier versions persisted whole bot rows here (with `ClientSecret`); every such key is removed. */
  legacyTableCache: 'kaa:kore:datatable:',
} as const;

const HOUR = 3_600_000;

/**
 * Removes what kore-client left in a shared store that nobody needs any more (docs/assumptions.md#shared-storage-sweep):
 * bot-table cache entries of earlier versions (they held bot secrets), hooks state of ended conversations after
 * `endedRetentionMs` and any after `retentionMs`, `END_OF_CONVERSATION` claims after `retentionMs`, and any such
 * entry that cannot be read. Bounded: at most `maxKeys` keys per call. Failures of the store are logged, never thrown.
 *
 * @example
 * ```ts
 * import { sweepKoreStorage } from '@kaa/kore-client';
 *
 * sweepKoreStorage(window.localStorage, { now: Date.now, logger: console }); // on every page start
 * ```
 */
export function sweepKoreStorage(storage: SweepableStorage, options: SweepKoreStorageOptions): SweepKoreStorageResult {
  const result: SweepKoreStorageResult = { examined: 0, removed: 0 };
  if (typeof storage.key !== 'function' || typeof storage.length !== 'number') return result;
  const now = options.now();
  const retention = options.retentionMs ?? 24 * HOUR;
  const endedRetention = options.endedRetentionMs ?? HOUR;
  const maxKeys = Math.max(1, Math.floor(options.maxKeys ?? 500));
  const old = (at: unknown, keep: number) =>
    typeof at !== 'number' || !Number.isFinite(at) || at > now || now - at >= keep;
  const doomed: string[] = [];
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null && key.startsWith('kaa:kore:')) keys.push(key);
    }
    for (const key of keys.slice(0, maxKeys)) {
      result.examined += 1;
      if (key.startsWith(KORE_STORAGE_PREFIX.legacyTableCache)) {
        doomed.push(key);
        continue;
      }
      const value = readJson(storage.getItem(key));
      if (key.startsWith(KORE_STORAGE_PREFIX.hooksState)) {
        if (value === undefined || old(value['savedAt'], value['endSent'] === true ? endedRetention : retention))
          doomed.push(key);
      } else if (key.startsWith(KORE_STORAGE_PREFIX.endClaim)) {
        if (value === undefined || old(value['at'], retention)) doomed.push(key);
      }
    }
    for (const key of doomed) {
      storage.removeItem(key);
      result.removed += 1;
    }
  } catch (cause) {
    options.logger?.warn(
      'kore storage sweep: the store refused a read or a removal; old entries stay until the next start',
      { reason: String((cause as Error)?.name ?? cause) },
    );
  }
  if (result.removed > 0)
    options.logger?.debug(`kore storage sweep: removed ${result.removed} of ${result.examined} kaa:kore: entries`);
  return result;
}

function readJson(raw: string | null): Record<string, unknown> | undefined {
  if (raw == null) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
