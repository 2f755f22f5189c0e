import { KaaError } from '@kaa/core';
import type { Timers } from '../ports.js';
import type { MessageEventLike, PopupWindowLike } from './types.js';

/** How often a popup is checked for having closed without answering. */
const CLOSED_CHECK_MS = 1000;

/** What {@link createPopupFlow} needs; the defaults are the browser's own. */
export interface PopupFlowOptions {
  openPopup?: ((url: string) => PopupWindowLike | null) | undefined;
  listenForMessages?: ((handler: (event: MessageEventLike) => void) => () => void) | undefined;
  timers: Timers;
  /** The only origin an answer is accepted from (this page's). */
  origin: () => string;
  timeoutMs: number;
}

/**
 * Opens the login page in a popup and waits for the answer that `popupCallback` posts from the callback page
 * (docs/assumptions.md#popup-or-redirect-login). An answer counts only from this page's origin and from the window this
 * flow opened. The wait ends with `E_AUTH_POPUP_BLOCKED` when no window opens, and `E_AUTH_POPUP_TIMEOUT` after
 * `timeoutMs` or when the popup closes without answering (docs/assumptions.md#popup-opener-and-timeout); then
 * `abandon` runs first, and no timer or listener is left.
 *
 * The window is opened before anything is awaited, so a call inside a click keeps the user gesture.
 *
 * @example
 * ```ts
 * const popupAnswer = createPopupFlow({ timers, origin: () => location.origin, timeoutMs: 120_000 });
 * const { search, hash } = await popupAnswer(authorizeUrl, () => forgetLoginRecord(storage, nonce));
 * ```
 */
export function createPopupFlow(options: PopupFlowOptions): (url: string, abandon: () => void) => Promise<{ search: string; hash: string }> {
  const { timers, origin, timeoutMs } = options;
  const openPopup = options.openPopup ?? ((url: string) => globalThis.open(url, '_blank', 'popup=true,width=800,height=700') as PopupWindowLike | null);
  const listen =
    options.listenForMessages ??
    ((handler: (event: MessageEventLike) => void) => {
      const h = (e: MessageEvent) => handler(e);
      globalThis.addEventListener('message', h);
      return () => globalThis.removeEventListener('message', h);
    });

  return async (url, abandon) => {
    const win = openPopup(url);
    if (!win) {
      abandon();
      throw new KaaError('E_AUTH_POPUP_BLOCKED', 'The browser blocked the Genesys login popup. Click the sign-in button again, allow popups for this site, and check that the Interaction Widget sandbox includes "allow-popups".');
    }
    return new Promise<{ search: string; hash: string }>((resolve, reject) => {
      let closedCheck: unknown;
      const finish = () => {
        timers.clearTimeout(timeout);
        timers.clearTimeout(closedCheck);
        unsubscribe();
      };
      const giveUp = (error: KaaError) => {
        finish();
        abandon();
        reject(error);
      };
      const unsubscribe = listen((event) => {
        if (event.origin !== origin() || event.source !== win) return;
        const data = event.data as Partial<Record<string, unknown>> | null;
        if (!data || data.type !== 'kaa-auth' || typeof data.search !== 'string' || typeof data.hash !== 'string') return;
        finish();
        resolve({ search: data.search, hash: data.hash });
      });
      const timeout = timers.setTimeout(() => {
        giveUp(
          new KaaError('E_AUTH_POPUP_TIMEOUT', `The Genesys login popup did not answer within ${Math.round(timeoutMs / 1000)} s. Finish signing in in the popup, or set usePopupAuth=false to sign in inside the widget.`, {
            details: { timeoutMs },
          }),
        );
      }, timeoutMs);
      const watchClosed = () => {
        closedCheck = timers.setTimeout(() => {
          if (!win.closed) return watchClosed();
          giveUp(
            new KaaError('E_AUTH_POPUP_TIMEOUT', 'The Genesys login popup closed without an answer. Sign in again; if the popup closes by itself, the login page may cut it off (COOP): set usePopupAuth=false to sign in inside the widget.', {
              details: { closed: true },
            }),
          );
        }, CLOSED_CHECK_MS);
      };
      watchClosed();
    });
  };
}
