/**
 * The message the login callback page posts to the window that opened it.
 *
 * @example
 * ```ts
 * window.opener.postMessage({ type: 'kaa-auth', search: location.search, hash: location.hash } satisfies KaaAuthMessage, location.origin);
 * ```
 */
export interface KaaAuthMessage {
  type: 'kaa-auth';
  search: string;
  hash: string;
}

/**
 * What {@link popupCallback} needs from the callback page's window (defaults: the real `window`).
 *
 * @example
 * ```ts
 * popupCallback({ opener: window.opener, location, close: () => window.close() });
 * ```
 */
export interface PopupCallbackEnv {
  opener: { postMessage(message: unknown, targetOrigin: string): void } | null;
  location: { origin: string; search: string; hash: string };
  close(): void;
}

/**
 * Runs on the popup callback page (`auth-callback.html`): posts `{type:'kaa-auth', search, hash}` to
 * `window.opener` with `targetOrigin` = this page's own origin (so only kaa's own page can read it), then closes.
 * Returns false when there is no opener (the page was opened directly, or a COOP header severed it).
 *
 * @example
 * ```ts
 * // auth-callback.html
 * import { popupCallback } from '@kaa/genesys-adapter';
 * popupCallback();
 * ```
 */
export function popupCallback(env: PopupCallbackEnv = globalThis.window as unknown as PopupCallbackEnv): boolean {
  const message: KaaAuthMessage = { type: 'kaa-auth', search: env.location.search, hash: env.location.hash };
  const opener = env.opener;
  if (!opener) return false;
  opener.postMessage(message, env.location.origin);
  env.close();
  return true;
}
