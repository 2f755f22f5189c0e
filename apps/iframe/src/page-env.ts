import type { StorageLike, WebSocketFactory } from '@kaa/core';
import type { BroadcastChannelConstructor } from '@kaa/genesys-adapter';
import type { ConsoleLike } from './console-logger.js';

/**
 * Everything the page takes from the browser, injected (docs/architecture.md#layers-and-imports: "Everything outside the process is
 * injected"). `main.ts` passes the real objects.
 *
 * @example
 * ```ts
 * const env: PageEnv = { window, document, location, fetch: (u, i) => fetch(u, i), sessionStorage, localStorage,
 *   now: () => Date.now(), clock: () => performance.now(), WebSocket: (url) => new WebSocket(url), console };
 * ```
 */
export interface PageEnv {
  window: Window;
  document: Document;
  location: { href: string; origin: string; pathname: string; search: string; hash: string };
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Login records and the Genesys token (per tab, survives the in-iframe redirect). */
  sessionStorage: StorageLike;
  /** Shared by the page's instances: END_OF_CONVERSATION claim, hooks state, remembered grant (never bot rows). Swept on start. */
  localStorage: StorageLike;
  /**
   * The browser denied this frame its Web Storage (third-party site data blocked) and the two stores above are in
   * memory: a sign-in lasts one page load, so it goes through the popup, and nothing is shared between instances.
   */
  storageBlocked?: boolean;
  /** Epoch milliseconds. */
  now: () => number;
  /** Monotonic milliseconds for the timeline. */
  clock: () => number;
  WebSocket: WebSocketFactory;
  console: ConsoleLike;
  /** The browser's `BroadcastChannel`: the Genesys rate budget is shared with the other instances (docs/assumptions.md#genesys-per-user-rate-limit); absent → no budget. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined;
  /** `location.ancestorOrigins` where the browser has it (Chromium, Safari): the first is the desktop's origin. */
  ancestorOrigins?: readonly string[] | undefined;
  /** Marks a moment for performance measurements (`performance.mark`). */
  mark?: (name: string) => void;
}
