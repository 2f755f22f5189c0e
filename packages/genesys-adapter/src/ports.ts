/**
 * The outside world, injected. Browsers and Node pass the real objects; tests pass fakes.
 * Nothing in this package reaches for a global except through the defaults in {@link defaultTimers},
 * {@link defaultRandom} and {@link defaultFetch}.
 */

/**
 * The subset of `fetch` kaa uses.
 *
 * @example
 * ```ts
 * const fetchLike: FetchLike = (url, init) => fetch(url, init);
 * ```
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The subset of `Storage` (`sessionStorage`, `localStorage`) kaa uses.
 *
 * @example
 * ```ts
 * const storage: StorageLike = window.sessionStorage;
 * ```
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A structured logger. Every line kaa writes is already redacted; `data` holds no secret.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug: () => {}, info: console.info, warn: console.warn, error: console.error };
 * ```
 */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/**
 * `setTimeout`/`clearTimeout`, injectable so tests can run on fake time.
 *
 * @example
 * ```ts
 * const timers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) };
 * ```
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Fills `bytes` with cryptographically strong random values (the shape of `crypto.getRandomValues`).
 *
 * @example
 * ```ts
 * const random: RandomBytes = (bytes) => crypto.getRandomValues(bytes);
 * ```
 */
export type RandomBytes = (bytes: Uint8Array) => Uint8Array;

/**
 * A logger that drops everything.
 *
 * @example
 * ```ts
 * createGenesysApi({ environment, auth, logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The global timers, looked up at call time (so fake timers installed later still apply).
 *
 * @example
 * ```ts
 * defaultTimers.setTimeout(() => console.log('later'), 10);
 * ```
 */
export const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * WebCrypto `getRandomValues`.
 *
 * @example
 * ```ts
 * const nonce = defaultRandom(new Uint8Array(16));
 * ```
 */
export const defaultRandom: RandomBytes = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * The global `fetch`, looked up at call time (so test interceptors installed later still apply).
 *
 * @example
 * ```ts
 * await defaultFetch('https://api.mypurecloud.ie/api/v2/users/me');
 * ```
 */
export const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/** Waits `ms` on `timers`; rejects with the signal's reason when aborted. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A float in [0, 1) from {@link RandomBytes}. */
export function randomUnit(random: RandomBytes): number {
  const bytes = random(new Uint8Array(4));
  const n = (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
  return n / 2 ** 32;
}
