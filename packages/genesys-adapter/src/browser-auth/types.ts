// The public types of createGenesysAuth (browser-auth.ts), which re-exports them.
import type { AuthStateContext, FetchLike, Logger, RandomBytes, StorageLike, Timers } from '@kaa/core';
import type { GenesysHosts } from '../environment.js';
import type { Sha256 } from '../pkce.js';

/**
 * The browser OAuth grants kaa supports (docs/assumptions.md#implicit-grant-retirement: PKCE by default).
 *
 * @example
 * ```ts
 * const grant: BrowserGrant = ctx.grant ?? 'pkce';
 * ```
 */
export type BrowserGrant = 'pkce' | 'implicit';

/**
 * A message event as the opener sees it (the shape of `MessageEvent`).
 *
 * @example
 * ```ts
 * createGenesysAuth({ ...options, listenForMessages: (h) => { addEventListener('message', h); return () => removeEventListener('message', h); } });
 * ```
 */
export interface MessageEventLike {
  origin: string;
  source: unknown;
  data: unknown;
}

/**
 * A window kaa opened; only `closed` and `close()` are used.
 *
 * @example
 * ```ts
 * const openPopup = (url: string): PopupWindowLike | null => window.open(url, '_blank', 'popup=true');
 * ```
 */
export interface PopupWindowLike {
  readonly closed?: boolean;
  close?(): void;
  /** The popup's location: `href` is readable only while the popup shows this page's own origin (or about:blank). */
  readonly location?: { readonly href?: string } | null;
}

/**
 * What the popup login is waiting for, told to the page so it never waits silently:
 * `opened` — the popup is open on the Genesys login page; `stuck` — after `popupHintMs` the popup is still on
 * another origin (the login page), which is where it stays when the login server refused `redirectUri` (an
 * unregistered callback: real Genesys and the sandbox show an error page and do not redirect), or while the agent is
 * still typing a password.
 *
 * @example
 * ```ts
 * const onPopupWaiting = (w: PopupWaiting) => screen.status(w.stage === 'stuck' ? `Register ${w.redirectUri}` : 'Signing in…');
 * ```
 */
export interface PopupWaiting {
  readonly stage: 'opened' | 'stuck';
  /** The popup callback URI the login page was asked to return to: the one to register, exactly. */
  readonly redirectUri: string;
  readonly clientId: string;
  /** The login host the popup is on. */
  readonly loginOrigin: string;
  readonly elapsedMs: number;
}

/**
 * Options of {@link createGenesysAuth}. Every IO is injected; the defaults are the browser's own.
 *
 * @example
 * ```ts
 * const options: GenesysAuthOptions = { clientId, redirectUri: `${location.origin}/koreaiaa-genesys/`, environment, storage: sessionStorage };
 * ```
 */
export interface GenesysAuthOptions {
  /** The Genesys OAuth client id (`genesysid`). */
  clientId: string;
  /** The in-iframe landing page registered on the OAuth client, exactly (docs/assumptions.md#redirect-uri-matching: exact match, no query). */
  redirectUri: string;
  /** The popup callback page (`auth-callback.html`), registered exactly too. Default: `redirectUri`. */
  popupRedirectUri?: string;
  /** From core's `resolveEnvironment`; the login host comes from here only. */
  environment: GenesysHosts;
  /** Preferred grant when nothing else decides (docs/assumptions.md#implicit-grant-retirement). Default `pkce`. */
  mode?: BrowserGrant;
  /** Log in through a popup instead of an in-iframe redirect (docs/assumptions.md#popup-or-redirect-login: `usePopupAuth=true`). Default false. */
  popup?: boolean;
  /** Where the login record (`kaa.oauth.<nonce>`) and the token live: `sessionStorage` (docs/assumptions.md#storage-across-the-in-iframe-redirect). */
  storage: StorageLike;
  /** Where the working grant is remembered per client id. Default: `storage`. */
  grantStorage?: StorageLike;
  fetch?: FetchLike;
  now?: () => number;
  random?: RandomBytes;
  sha256?: Sha256;
  timers?: Timers;
  logger?: Logger;
  /** In-iframe redirect to the login page. Default `location.assign`. */
  navigate?: (url: string) => void;
  /** Opens the login popup; must run inside a user gesture. Default `window.open(url, '_blank', 'popup=true,width=800,height=700')`. */
  openPopup?: (url: string) => PopupWindowLike | null;
  /** Listens to `message` events of this window; returns the unsubscribe function. */
  listenForMessages?: (handler: (event: MessageEventLike) => void) => () => void;
  /** Rewrites the address bar after the login answer (`history.replaceState`). */
  replaceUrl?: (url: string) => void;
  /** This page's origin: the only origin a popup answer is accepted from. Default `location.origin`. */
  origin?: string;
  /** Popup wait limit (docs/assumptions.md#popup-opener-and-timeout). Default 120 000 ms. */
  popupTimeoutMs?: number;
  /**
   * After this long with the popup still on the login origin, `onPopupWaiting` is told `stuck` (an unregistered
   * redirect URI leaves the popup on the login server's error page). Default 6 000 ms.
   */
  popupHintMs?: number;
  /** Told what the popup login waits for (`opened`, then possibly `stuck`), so the page can show it. */
  onPopupWaiting?: (waiting: PopupWaiting) => void;
  /** How old a login record may be when the answer arrives. Default 10 minutes. */
  stateMaxAgeMs?: number;
  /** A stored token this close to expiry counts as expired. Default 60 000 ms. */
  expirySkewMs?: number;
}

/**
 * A Genesys access token held by the page.
 *
 * @example
 * ```ts
 * const token: StoredToken | null = auth.getToken();
 * if (token) headers.Authorization = `Bearer ${token.accessToken}`;
 * ```
 */
export interface StoredToken {
  accessToken: string;
  /** ms since the epoch. */
  expiresAt: number;
  grant: BrowserGrant;
}

/**
 * What {@link GenesysAuth.login} needs.
 *
 * @example
 * ```ts
 * await auth.login({ ctx, originalQuery: location.search.slice(1) } satisfies LoginRequest);
 * ```
 */
export interface LoginRequest {
  /** The widget context; only its non-secret fields go into `state`. */
  ctx: AuthStateContext & { grant?: BrowserGrant };
  /** The page's full original query string (may hold `x_metadata`): saved in storage, never in `state`. */
  originalQuery: string;
  /** Explicit grant (e.g. `ctx.grant` from the URL): no fallback to the other grant then. */
  grant?: BrowserGrant;
}

/**
 * The result of a finished login.
 *
 * @example
 * ```ts
 * const answer = await auth.handleRedirect(location);
 * if (answer?.kind === 'token') reparse(answer.originalQuery);
 * ```
 */
export interface LoginSuccess {
  kind: 'token';
  token: StoredToken;
  /** The query string saved before the login: re-parse the widget context from it. */
  originalQuery: string;
  ctx: AuthStateContext;
}

/**
 * The page is navigating to the login server; nothing more happens in this page load.
 *
 * @example
 * ```ts
 * const started = await auth.login({ ctx, originalQuery });
 * if (started.kind === 'redirecting') return; // the page is leaving
 * ```
 */
export interface LoginRedirecting {
  kind: 'redirecting';
  grant: BrowserGrant;
}

/**
 * The browser login of a widget instance.
 *
 * @example
 * ```ts
 * const auth: GenesysAuth = createGenesysAuth(options);
 * const token = auth.getToken() ?? (await auth.login({ ctx, originalQuery }));
 * ```
 */
export interface GenesysAuth {
  /** Starts the login: a redirect (resolves `redirecting`) or a popup (resolves with the token). */
  login(request: LoginRequest): Promise<LoginSuccess | LoginRedirecting>;
  /** On the landing page: finishes a login from `?code&state`, `#access_token&state` or `?error`. Null when the URL holds no login answer. */
  handleRedirect(location: {
    search: string;
    hash: string;
    pathname?: string;
  }): Promise<LoginSuccess | LoginRedirecting | null>;
  /** The stored token if it is still valid, else null. */
  getToken(): StoredToken | null;
  /** Forgets the stored token. */
  clearToken(): void;
  /** The grant this client is known to accept, remembered after a fallback or a success. */
  rememberedGrant(): BrowserGrant | null;
}
