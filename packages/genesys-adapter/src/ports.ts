/**
 * The outside world, injected. The port types and their pure helpers are core's (`@kaa/core`'s ports); this file
 * adds the defaults that bind them to the globals of the browser or Node: {@link defaultTimers},
 * {@link defaultRandom} and {@link defaultFetch}. Nothing else in this package reaches for a global.
 */
import type { FetchLike, RandomBytes, Timers } from '@kaa/core';

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
