import type { Logger, StorageLike } from '@kaa/core';
import { redact } from '@kaa/core';
import { holdsLoginAnswer } from './login-answer.js';
import { markRedirectLogin } from './login-record.js';
import type { BrowserGrant, LoginRedirecting } from './types.js';

/** What {@link createRedirectFlow} needs; the defaults are the browser's own. */
export interface RedirectFlowOptions {
  storage: StorageLike;
  logger: Logger;
  navigate?: ((url: string) => void) | undefined;
  replaceUrl?: ((url: string) => void) | undefined;
  /** Where the address bar goes after the answer was read, when the location has no `pathname`. */
  landingPath: () => string;
}

/** The in-iframe redirect: leaving for the login page, and reading its answer when the frame comes back. */
export interface RedirectFlow {
  /** Navigates this frame to the login page (nothing more happens in this page load). */
  leave(url: string, nonce: string, grant: BrowserGrant): LoginRedirecting;
  /**
   * The login answer in this page's URL, read before the address bar is cleaned of it (`location` is live); null when
   * the URL holds none.
   */
  takeAnswer(location: { search: string; hash: string; pathname?: string }): { search: string; hash: string } | null;
}

/**
 * Creates the {@link RedirectFlow} (docs/genesys-protocol.md#oauth-inside-the-iframe). Leaving notes the attempt as
 * this tab's pending redirect, so that `staleRedirectLogin` can tell a redirect that never came back
 * (docs/assumptions.md#popup-or-redirect-login).
 *
 * @example
 * ```ts
 * const redirect = createRedirectFlow({ storage: sessionStorage, logger, landingPath: () => '/koreaiaa-genesys/' });
 * const answer = redirect.takeAnswer(location); // on every page load
 * ```
 */
export function createRedirectFlow(options: RedirectFlowOptions): RedirectFlow {
  const { storage, logger, landingPath } = options;
  const navigate = options.navigate ?? ((url: string) => globalThis.location.assign(url));
  const replaceUrl =
    options.replaceUrl ?? ((url: string) => globalThis.history.replaceState(globalThis.history.state, '', url));
  return {
    leave(url, nonce, grant) {
      markRedirectLogin(storage, nonce);
      navigate(url);
      return { kind: 'redirecting', grant };
    },
    takeAnswer(live) {
      const location = { search: live.search, hash: live.hash, pathname: live.pathname };
      if (!holdsLoginAnswer(location)) return null;
      try {
        replaceUrl(location.pathname ?? landingPath());
      } catch (cause) {
        logger.warn('could not clean the login answer from the address bar', { reason: redact(String(cause)) });
      }
      return location;
    },
  };
}
