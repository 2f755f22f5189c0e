/**
 * The outside world as @kaa/kore-client sees it. Every function here is injected by the host (the page,
 * the CLI, a test); nothing in this package reaches for a global it was not given, except where an option
 * documents a default (`globalThis.setTimeout` for sleeping).
 */

/**
 * The subset of `fetch` the package calls: a URL string and a `RequestInit`.
 *
 * @example
 * ```ts
 * const fetchLike: FetchLike = (url, init) => globalThis.fetch(url, init);
 * ```
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A `localStorage`-shaped key/value store. `window.localStorage` and `window.sessionStorage` satisfy it;
 * {@link createMemoryStorage} is the in-memory default.
 *
 * @example
 * ```ts
 * const storage: StorageLike = window.localStorage;
 * ```
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Structured logging. Messages and data are redacted before they reach the logger; a logger never sees a
 * token or a client secret that this package holds.
 *
 * @example
 * ```ts
 * const logger: KoreLogger = { debug: (m, d) => console.debug(m, d), warn: (m, d) => console.warn(m, d) };
 * ```
 */
export interface KoreLogger {
  debug(message: string, data?: Readonly<Record<string, unknown>>): void;
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/**
 * Waits `ms` milliseconds. Injected so tests run backoff without real time; rejects when `signal` aborts.
 *
 * @example
 * ```ts
 * const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
 * ```
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * An in-memory {@link StorageLike}: the default store for caches and idempotency keys. Not shared between
 * page instances; pass `window.localStorage` when sharing is wanted.
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

/**
 * A logger that drops everything: the default when no logger is injected.
 *
 * @example
 * ```ts
 * createDataTableClient(connection, { fetch, now: Date.now, logger: silentLogger });
 * ```
 */
export const silentLogger: KoreLogger = { debug() {}, warn() {} };

/**
 * The default {@link Sleep}, on `globalThis.setTimeout`; rejects with the signal's reason when aborted.
 *
 * @example
 * ```ts
 * await timerSleep(250);
 * ```
 */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const id = globalThis.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      globalThis.clearTimeout(id);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
