import type { Logger, Timers } from '@kaa/core';
import { KaaError, redact } from '@kaa/core';
import type { MessageEventLike, PopupWaiting, PopupWindowLike } from './types.js';

/** How often a popup is checked for having closed without answering. */
const CLOSED_CHECK_MS = 1000;

/** What {@link createPopupFlow} needs; the defaults are the browser's own. */
export interface PopupFlowOptions {
  openPopup?: ((url: string) => PopupWindowLike | null) | undefined;
  listenForMessages?: ((handler: (event: MessageEventLike) => void) => () => void) | undefined;
  timers: Timers;
  now: () => number;
  logger: Logger;
  /** The only origin an answer is accepted from (this page's). */
  origin: () => string;
  clientId: string;
  /** The popup callback URI the login page is asked to return to. */
  redirectUri: string;
  /** The login host (`environment.loginBase`). */
  loginBase: string;
  timeoutMs: number;
  /** After this long on the login origin the wait is reported `stuck`. */
  hintMs: number;
  onWaiting?: ((waiting: PopupWaiting) => void) | undefined;
}

/** True while the popup shows another origin than this page (its location cannot be read): the login page. */
function onOtherOrigin(win: PopupWindowLike): boolean {
  try {
    void win.location?.href;
    return false;
  } catch {
    return true;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * Opens the login page in a popup and waits for the answer that `popupCallback` posts from the callback page
 * (docs/assumptions.md#popup-or-redirect-login). An answer counts only from this page's origin and from the window this
 * flow opened. The wait is never silent: `onWaiting` hears `opened`, then `stuck` when the popup is still on the
 * login origin after `hintMs` (where an unregistered redirect URI leaves it). It ends with `E_AUTH_POPUP_BLOCKED` when
 * no window opens, and `E_AUTH_POPUP_TIMEOUT` after `timeoutMs` or when the popup closes without answering
 * (docs/assumptions.md#popup-opener-and-timeout), both naming the redirect URI to register; then `abandon` runs
 * first, and no timer or listener is left.
 *
 * The window is opened before anything is awaited, so a call inside a click keeps the user gesture.
 *
 * @example
 * ```ts
 * const popupAnswer = createPopupFlow({ timers, now, logger, origin: () => location.origin, clientId, redirectUri, loginBase, timeoutMs: 120_000, hintMs: 6_000 });
 * const { search, hash } = await popupAnswer(authorizeUrl, () => forgetLoginRecord(storage, nonce));
 * ```
 */
export function createPopupFlow(
  options: PopupFlowOptions,
): (url: string, abandon: () => void) => Promise<{ search: string; hash: string }> {
  const { timers, now, logger, origin, clientId, redirectUri, timeoutMs, hintMs } = options;
  const openPopup =
    options.openPopup ??
    ((url: string) => globalThis.open(url, '_blank', 'popup=true,width=800,height=700') as PopupWindowLike | null);
  const listen =
    options.listenForMessages ??
    ((handler: (event: MessageEventLike) => void) => {
      const h = (e: MessageEvent) => handler(e);
      globalThis.addEventListener('message', h);
      return () => globalThis.removeEventListener('message', h);
    });
  const loginOrigin = originOf(options.loginBase);
  const register = `If the popup shows an error about the redirect URI (redirect_uri), OAuth client "${clientId}" does not list this page's sign-in callback: add exactly ${redirectUri} to its Authorized redirect URIs in Genesys Cloud (Admin › Integrations › OAuth; "kaa url" lists every URI to register), then sign in again.`;

  return async (url, abandon) => {
    const win = openPopup(url);
    if (!win) {
      abandon();
      throw new KaaError(
        'E_AUTH_POPUP_BLOCKED',
        'The browser blocked the Genesys login popup. Click the sign-in button again, allow popups for this site, and check that the Interaction Widget sandbox includes "allow-popups".',
      );
    }
    const opened = now();
    const waiting = (stage: PopupWaiting['stage']) => {
      try {
        options.onWaiting?.({ stage, redirectUri, clientId, loginOrigin, elapsedMs: now() - opened });
      } catch (e) {
        logger.warn('the popup waiting callback failed', { reason: redact(String((e as Error)?.message ?? e)) });
      }
    };
    waiting('opened');
    return new Promise<{ search: string; hash: string }>((resolve, reject) => {
      let closedCheck: unknown;
      let stuck = false;
      const finish = () => {
        timers.clearTimeout(timeout);
        timers.clearTimeout(closedCheck);
        timers.clearTimeout(hint);
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
        if (!data || data.type !== 'kaa-auth' || typeof data.search !== 'string' || typeof data.hash !== 'string')
          return;
        finish();
        resolve({ search: data.search, hash: data.hash });
      });
      const hint = timers.setTimeout(() => {
        if (win.closed || !onOtherOrigin(win)) return;
        stuck = true;
        logger.warn('the genesys login popup is still on the login page', { elapsedMs: now() - opened, redirectUri });
        waiting('stuck');
      }, hintMs);
      const timeout = timers.setTimeout(() => {
        const still = stuck || (!win.closed && onOtherOrigin(win));
        giveUp(
          new KaaError(
            'E_AUTH_POPUP_TIMEOUT',
            `The Genesys login popup did not come back to ${redirectUri} within ${Math.round(timeoutMs / 1000)} s${still ? `; it stayed on the login page (${loginOrigin})` : ''}. ${register} Otherwise finish signing in in the popup.`,
            { details: { timeoutMs, redirectUri, clientId, onLoginPage: still } },
          ),
        );
      }, timeoutMs);
      const watchClosed = () => {
        closedCheck = timers.setTimeout(() => {
          if (!win.closed) return watchClosed();
          giveUp(
            new KaaError(
              'E_AUTH_POPUP_TIMEOUT',
              `The Genesys login popup closed without coming back to ${redirectUri}. ${register} If it closes by itself, the login page may cut it off (COOP): then set usePopupAuth=false to sign in inside the widget.`,
              { details: { closed: true, redirectUri, clientId } },
            ),
          );
        }, CLOSED_CHECK_MS);
      };
      watchClosed();
    });
  };
}
