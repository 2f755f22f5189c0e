import type { Logger, RandomBytes, Sleep, StorageLike, Timers } from './types.js';

/**
 * A logger that drops everything: the default wherever no logger is injected.
 *
 * @example
 * ```ts
 * createGenesysApi({ environment, auth, logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/**
 * A {@link Sleep} on injected {@link Timers}: resolves after `ms` (never less than 0), rejects with the signal's reason
 * when aborted, and clears its timer then.
 *
 * @example
 * ```ts
 * const sleep = sleepOn(timers);
 * await sleep(500, controller.signal);
 * ```
 */
export function sleepOn(timers: Timers): Sleep {
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        timers.clearTimeout(handle);
        reject(signal?.reason);
      };
      const handle = timers.setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * A float in [0, 1) from four bytes of {@link RandomBytes} (jitter for backoff).
 *
 * @example
 * ```ts
 * const jitter = randomUnit((bytes) => crypto.getRandomValues(bytes)) * 500;
 * ```
 */
export function randomUnit(random: RandomBytes): number {
  const bytes = random(new Uint8Array(4));
  const n = (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
  return n / 2 ** 32;
}

/**
 * An in-memory {@link StorageLike}: the default store for caches and idempotency keys. Not shared between page
 * instances; pass `window.localStorage` when sharing is wanted.
 *
 * @example
 * ```ts
 * const storage = createMemoryStorage();
 * storage.setItem('k', 'v');
 * storage.getItem('k'); // 'v'
 * ```
 */
export function createMemoryStorage(): StorageLike {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  };
}
