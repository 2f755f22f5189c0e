/**
 * The IO vocabulary of kaa: the shapes of everything that touches the outside world. Core only names them (it never
 * calls a global); the adapters take them as options, and the page, the CLI and tests pass the real objects or fakes.
 */

/**
 * The subset of `fetch` kaa calls: a URL string and a `RequestInit`. kaa always passes the `init` (the method and
 * headers are said, never defaulted), so any implementation fits: the global `fetch`, `(url, init?) => …` or
 * `(url, init) => …`.
 *
 * @example
 * ```ts
 * const fetchLike: FetchLike = (url, init) => globalThis.fetch(url, init);
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A `localStorage`-shaped key/value store. `window.localStorage` and `window.sessionStorage` satisfy it;
 * {@link createMemoryStorage} is the in-memory one.
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
 * A structured logger with four levels. Every line kaa writes is redacted first: `data` never holds a secret.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug: () => {}, info: console.info, warn: console.warn, error: console.error };
 * ```
 */
export interface Logger {
  debug(message: string, data?: Readonly<Record<string, unknown>>): void;
  info(message: string, data?: Readonly<Record<string, unknown>>): void;
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
  error(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/**
 * `setTimeout`/`clearTimeout`, injected so tests run on fake time. Code that only waits takes a {@link Sleep}
 * instead; {@link sleepOn} makes one from `Timers`.
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
 * Waits `ms` milliseconds; rejects with the signal's reason when `signal` aborts. The narrow port of code that only
 * backs off (no timer to cancel); {@link sleepOn} derives it from {@link Timers}.
 *
 * @example
 * ```ts
 * const sleep: Sleep = sleepOn(timers);
 * await sleep(250);
 * ```
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Wall-clock time in epoch milliseconds (`Date.now`'s shape), injected so tests control time.
 *
 * @example
 * ```ts
 * const now: Clock = () => Date.now();
 * ```
 */
export type Clock = () => number;

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
 * The subset of a WebSocket (browser `WebSocket` or Node `ws`) kaa uses.
 *
 * @example
 * ```ts
 * const socket: WebSocketLike = new WebSocket(channel.connectUri);
 * ```
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/**
 * Opens a socket to a URL. Browsers: `(url) => new WebSocket(url)`; Node: `(url) => new WebSocket(url)` from `ws`.
 *
 * @example
 * ```ts
 * const factory: WebSocketFactory = (url) => new WebSocket(url);
 * ```
 */
export type WebSocketFactory = (url: string) => WebSocketLike;
