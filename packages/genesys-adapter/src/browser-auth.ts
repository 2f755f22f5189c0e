import * as z from 'zod/mini';
import { KaaError, decodeAuthState, encodeAuthState, redact } from '@kaa/core';
import type { AuthStateContext } from '@kaa/core';
import type { GenesysHosts } from './environment.js';
import { joinUrl } from './environment.js';
import { base64url } from './base64url.js';
import { codeChallengeOf, createCodeVerifier, defaultSha256 } from './pkce.js';
import type { Sha256 } from './pkce.js';
import type { FetchLike, Logger, RandomBytes, StorageLike, Timers } from './ports.js';
import { defaultFetch, defaultRandom, defaultTimers, silentLogger } from './ports.js';
import { readTokenResponse } from './token-response.js';

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
  handleRedirect(location: { search: string; hash: string; pathname?: string }): Promise<LoginSuccess | LoginRedirecting | null>;
  /** The stored token if it is still valid, else null. */
  getToken(): StoredToken | null;
  /** Forgets the stored token. */
  clearToken(): void;
  /** The grant this client is known to accept, remembered after a fallback or a success. */
  rememberedGrant(): BrowserGrant | null;
}

const LoginRecord = z.object({
  v: z.literal(1),
  originalQuery: z.string(),
  createdAt: z.number(),
  codeVerifier: z.optional(z.string()),
  grant: z.enum(['pkce', 'implicit']),
  explicit: z.boolean(),
  fallback: z.boolean(),
  popup: z.boolean(),
});
type LoginRecord = z.infer<typeof LoginRecord>;

const StoredTokenSchema = z.object({ accessToken: z.string(), expiresAt: z.number(), grant: z.enum(['pkce', 'implicit']) });

const GRANT_ERRORS = new Set(['unauthorized_client', 'unsupported_response_type', 'unsupported_grant_type']);
const other = (grant: BrowserGrant): BrowserGrant => (grant === 'pkce' ? 'implicit' : 'pkce');

/**
 * Storage key of the login record of one attempt.
 *
 * @example
 * ```ts
 * sessionStorage.getItem(loginRecordKey(nonce)); // 'kaa.oauth.<nonce>'
 * ```
 */
export const loginRecordKey = (nonce: string) => `kaa.oauth.${nonce}`;

/** Storage key naming the nonce of the last in-iframe redirect login started from this tab (internal). */
const REDIRECT_POINTER_KEY = 'kaa.oauth.redirect';

/**
 * Browser login to Genesys Cloud inside the Interaction Widget iframe (docs/genesys-protocol.md#oauth-inside-the-iframe): Authorization Code +
 * PKCE (default) or implicit grant, by in-iframe redirect or popup, with `state` checked against a one-time,
 * ten-minute record in `sessionStorage` (CSRF), one fallback to the other grant when the login server says the
 * client does not allow the chosen one, and the token kept in `sessionStorage` per client id and environment.
 *
 * Hand-written over `fetch` rather than the platform SDK's `loginPKCEGrant`/`loginImplicitGrant`: the SDK never
 * checks `state` and accepts popup answers by `redirectUri.startsWith(event.origin)` only.
 *
 * @example
 * ```ts
 * const auth = createGenesysAuth({ clientId: ctx.genesysClientId, redirectUri: `${location.origin}/koreaiaa-genesys/`,
 *   environment, popup: ctx.usePopupAuth === true, storage: sessionStorage });
 * const answer = await auth.handleRedirect(location);          // on every page load
 * const query = answer?.kind === 'token' ? answer.originalQuery : location.search;
 * if (!auth.getToken()) await auth.login({ ctx, originalQuery: location.search.slice(1) });
 * ```
 */
export function createGenesysAuth(options: GenesysAuthOptions): GenesysAuth {
  const storage = options.storage;
  const grantStorage = options.grantStorage ?? storage;
  const fetchImpl = options.fetch ?? defaultFetch;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? defaultRandom;
  const sha256 = options.sha256 ?? defaultSha256;
  const timers = options.timers ?? defaultTimers;
  const logger = options.logger ?? silentLogger;
  const navigate = options.navigate ?? ((url: string) => globalThis.location.assign(url));
  const openPopup =
    options.openPopup ?? ((url: string) => globalThis.open(url, '_blank', 'popup=true,width=800,height=700') as PopupWindowLike | null);
  const listen =
    options.listenForMessages ??
    ((handler: (event: MessageEventLike) => void) => {
      const h = (e: MessageEvent) => handler(e);
      globalThis.addEventListener('message', h);
      return () => globalThis.removeEventListener('message', h);
    });
  const replaceUrl = options.replaceUrl ?? ((url: string) => globalThis.history.replaceState(globalThis.history.state, '', url));
  const origin = () => options.origin ?? globalThis.location.origin;
  const popupTimeoutMs = options.popupTimeoutMs ?? 120_000;
  const popupHintMs = options.popupHintMs ?? 6_000;
  const stateMaxAgeMs = options.stateMaxAgeMs ?? 10 * 60_000;
  const skew = options.expirySkewMs ?? 60_000;
  const tokenKey = `kaa.genesys.token.${options.clientId}.${options.environment.name}`;
  const grantKey = `kaa.genesys.grant.${options.clientId}`;
  const loginBase = options.environment.loginBase;

  const rememberedGrant = (): BrowserGrant | null => {
    const g = safeGet(grantStorage, grantKey);
    return g === 'pkce' || g === 'implicit' ? g : null;
  };

  const authorizeUrl = (grant: BrowserGrant, state: string, redirectUri: string, challenge?: string) => {
    const params = new URLSearchParams({ client_id: options.clientId, response_type: grant === 'pkce' ? 'code' : 'token', redirect_uri: redirectUri, state });
    if (challenge) {
      params.set('code_challenge', challenge);
      params.set('code_challenge_method', 'S256');
    }
    return joinUrl(loginBase, `/oauth/authorize?${params.toString()}`);
  };

  // A PKCE pair computed ahead of the click: SHA-256 is async in WebCrypto, and an await between the user's click
  // and window.open can cost the gesture (popup blockers). login() opens the popup before any await when it is ready.
  type Pair = { verifier: string; challenge: string };
  const freshPair = async (): Promise<Pair> => {
    const verifier = createCodeVerifier(random);
    return { verifier, challenge: await codeChallengeOf(verifier, sha256) };
  };
  let ready: Pair | null = null;
  let preparing = false;
  const prepare = () => {
    if (ready || preparing) return;
    preparing = true;
    freshPair().then(
      (pair) => {
        ready = pair;
        preparing = false;
      },
      () => {
        preparing = false;
      },
    );
  };
  /** The prepared pair (used once), or a fresh one when none is ready. */
  const takePair = (): Pair | Promise<Pair> => {
    const pair = ready;
    ready = null;
    prepare();
    return pair ?? freshPair();
  };
  if ((options.mode ?? 'pkce') === 'pkce') prepare();

  /** One login attempt: record, then redirect or popup (no await before the popup opens when a PKCE pair is ready). */
  const start = async (ctx: AuthStateContext, originalQuery: string, grant: BrowserGrant, explicit: boolean, fallback: boolean): Promise<LoginSuccess | LoginRedirecting> => {
    const popup = options.popup ?? false;
    let pair: Pair | undefined;
    if (grant === 'pkce') {
      const taken = takePair();
      pair = taken instanceof Promise ? await taken : taken;
    }
    const nonce = base64url(random(new Uint8Array(16)));
    const state = encodeAuthState({ nonce, ctx });
    const record: LoginRecord = { v: 1, originalQuery, createdAt: now(), grant, explicit, fallback, popup, ...(pair ? { codeVerifier: pair.verifier } : {}) };
    const redirectUri = popup ? (options.popupRedirectUri ?? options.redirectUri) : options.redirectUri;
    const url = authorizeUrl(grant, state, redirectUri, pair?.challenge);
    try {
      storage.setItem(loginRecordKey(nonce), JSON.stringify(record));
    } catch (cause) {
      throw new KaaError('E_AUTH_STATE_INVALID', 'The page cannot write to sessionStorage, so it cannot check the login answer. Add "allow-same-origin" to the Interaction Widget sandbox and allow site storage.', {
        cause,
      });
    }
    logger.info('genesys login started', { grant, popup, fallback, explicit });
    if (!popup) {
      safeSet(storage, REDIRECT_POINTER_KEY, nonce);
      navigate(url);
      return { kind: 'redirecting', grant };
    }
    return popupLogin(url, nonce, record);
  };

  const popupLogin = async (url: string, nonce: string, record: LoginRecord): Promise<LoginSuccess | LoginRedirecting> => {
    const win = openPopup(url);
    if (!win) {
      storage.removeItem(loginRecordKey(nonce));
      throw new KaaError('E_AUTH_POPUP_BLOCKED', 'The browser blocked the Genesys login popup. Click the sign-in button again, allow popups for this site, and check that the Interaction Widget sandbox includes "allow-popups".');
    }
    const redirectUri = options.popupRedirectUri ?? options.redirectUri;
    const loginOrigin = originOf(loginBase);
    const opened = now();
    const register = `If the popup shows an error about the redirect URI (redirect_uri), OAuth client "${options.clientId}" does not list this page's sign-in callback: add exactly ${redirectUri} to its Authorized redirect URIs in Genesys Cloud (Admin › Integrations › OAuth; "kaa url" lists every URI to register), then sign in again.`;
    const waiting = (stage: PopupWaiting['stage']) => {
      try {
        options.onPopupWaiting?.({ stage, redirectUri, clientId: options.clientId, loginOrigin, elapsedMs: now() - opened });
      } catch (e) {
        logger.warn('the popup waiting callback failed', { reason: redact(String((e as Error)?.message ?? e)) });
      }
    };
    waiting('opened');
    const answer = await new Promise<{ search: string; hash: string }>((resolve, reject) => {
      let closedCheck: unknown;
      let stuck = false;
      const finish = () => {
        timers.clearTimeout(timeout);
        timers.clearTimeout(closedCheck);
        timers.clearTimeout(hint);
        unsubscribe();
      };
      const unsubscribe = listen((event) => {
        if (event.origin !== origin() || event.source !== win) return;
        const data = event.data as Partial<Record<string, unknown>> | null;
        if (!data || data.type !== 'kaa-auth' || typeof data.search !== 'string' || typeof data.hash !== 'string') return;
        finish();
        resolve({ search: data.search, hash: data.hash });
      });
      const hint = timers.setTimeout(() => {
        if (win.closed || !onOtherOrigin(win)) return;
        stuck = true;
        logger.warn('the genesys login popup is still on the login page', { elapsedMs: now() - opened, redirectUri });
        waiting('stuck');
      }, popupHintMs);
      const timeout = timers.setTimeout(() => {
        finish();
        storage.removeItem(loginRecordKey(nonce));
        const still = stuck || (!win.closed && onOtherOrigin(win));
        reject(new KaaError('E_AUTH_POPUP_TIMEOUT', `The Genesys login popup did not come back to ${redirectUri} within ${Math.round(popupTimeoutMs / 1000)} s${still ? `; it stayed on the login page (${loginOrigin})` : ''}. ${register} Otherwise finish signing in in the popup.`, { details: { timeoutMs: popupTimeoutMs, redirectUri, clientId: options.clientId, onLoginPage: still } }));
      }, popupTimeoutMs);
      const watchClosed = () => {
        closedCheck = timers.setTimeout(() => {
          if (win.closed) {
            finish();
            storage.removeItem(loginRecordKey(nonce));
            reject(new KaaError('E_AUTH_POPUP_TIMEOUT', `The Genesys login popup closed without coming back to ${redirectUri}. ${register} If it closes by itself, the login page may cut it off (COOP): then set usePopupAuth=false to sign in inside the widget.`, { details: { closed: true, redirectUri, clientId: options.clientId } }));
          } else watchClosed();
        }, 1000);
      };
      watchClosed();
    });
    return finishAnswer(answer, { expectedNonce: nonce, memoryRecord: record });
  };

  const finishAnswer = async (
    location: { search: string; hash: string },
    popup?: { expectedNonce: string; memoryRecord: LoginRecord },
  ): Promise<LoginSuccess | LoginRedirecting> => {
    const params = answerParams(location);
    const state = params.get('state');
    if (!state) throw stateError('the login answer has no state');
    const decoded = decodeAuthState(state);
    if (popup && decoded.nonce !== popup.expectedNonce) throw stateError('the popup answered for a different login attempt');
    const key = loginRecordKey(decoded.nonce);
    const raw = safeGet(storage, key);
    storage.removeItem(key);
    if (safeGet(storage, REDIRECT_POINTER_KEY) === decoded.nonce) storage.removeItem(REDIRECT_POINTER_KEY);
    let record: LoginRecord | undefined;
    if (raw !== null) {
      const parsed = LoginRecord.safeParse(safeJson(raw));
      if (!parsed.success) throw stateError('the saved login record is unreadable');
      record = parsed.data;
    } else if (popup) record = popup.memoryRecord;
    if (!record) throw stateError('no login was started from this page with that state, or its answer was already used');
    const age = now() - record.createdAt;
    if (age > stateMaxAgeMs || age < -60_000) throw stateError(`the login was started ${Math.round(age / 1000)} s ago; the limit is ${Math.round(stateMaxAgeMs / 1000)} s`);

    const error = params.get('error');
    const secrets = [params.get('code'), params.get('access_token'), record.codeVerifier];
    if (error) {
      const description = params.get('error_description') ?? undefined;
      if (GRANT_ERRORS.has(error)) return grantRefused(record, decoded.ctx, error, description);
      throw new KaaError(
        'E_AUTH_DENIED',
        `The Genesys login server refused the sign-in (${error}${description ? `: ${description}` : ''}). Check that the agent may use OAuth client "${options.clientId}" and that its redirect URI is exactly "${popup ? (options.popupRedirectUri ?? options.redirectUri) : options.redirectUri}".`,
        { details: { error, description, grant: record.grant }, secrets },
      );
    }

    let accessToken: string;
    let expiresIn: number | undefined;
    if (record.grant === 'pkce') {
      const code = params.get('code');
      if (!code || !record.codeVerifier) throw stateError('the login answer has no authorization code');
      const exchanged = await exchangeCode(code, record.codeVerifier, record.popup ? (options.popupRedirectUri ?? options.redirectUri) : options.redirectUri);
      if ('refused' in exchanged) return grantRefused(record, decoded.ctx, exchanged.refused, exchanged.description);
      accessToken = exchanged.accessToken;
      expiresIn = exchanged.expiresIn;
    } else {
      const token = params.get('access_token');
      if (!token) throw stateError('the login answer has no access token');
      accessToken = token;
      const e = Number(params.get('expires_in'));
      expiresIn = Number.isFinite(e) && e > 0 ? e : undefined;
    }
    const token: StoredToken = { accessToken, expiresAt: now() + (expiresIn ?? 3600) * 1000, grant: record.grant };
    storage.setItem(tokenKey, JSON.stringify(token));
    safeSet(grantStorage, grantKey, record.grant);
    logger.info('genesys login finished', { grant: record.grant, expiresAt: token.expiresAt });
    return { kind: 'token', token, originalQuery: record.originalQuery, ctx: decoded.ctx };
  };

  const grantRefused = async (record: LoginRecord, ctx: AuthStateContext, error: string, description?: string): Promise<LoginSuccess | LoginRedirecting> => {
    if (!record.explicit && !record.fallback) {
      const next = other(record.grant);
      logger.warn('genesys login server refused the grant; falling back once', { from: record.grant, to: next, error });
      safeSet(grantStorage, grantKey, next);
      return start(ctx, record.originalQuery, next, false, true);
    }
    throw new KaaError(
      'E_AUTH_GRANT_UNSUPPORTED',
      `OAuth client "${options.clientId}" does not allow the ${record.grant === 'pkce' ? 'Authorization Code + PKCE' : 'implicit'} grant (${error}${description ? `: ${description}` : ''})${record.fallback ? ', and the other grant was refused too' : ''}. In Genesys Cloud, set the client's grant type to "Code Authorization" with PKCE (or "Token Implicit Grant" for old clients)${record.explicit ? ', or remove the grant parameter from the widget URL' : ''}.`,
      { details: { grant: record.grant, error, description, explicit: record.explicit, fallback: record.fallback } },
    );
  };

  const exchangeCode = async (code: string, verifier: string, redirectUri: string): Promise<{ accessToken: string; expiresIn?: number } | { refused: string; description?: string }> => {
    const secrets = [code, verifier];
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: options.clientId, code_verifier: verifier });
    let response: Response;
    try {
      response = await fetchImpl(joinUrl(loginBase, '/oauth/token'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
      });
    } catch (cause) {
      throw new KaaError('E_NETWORK', `Could not reach the Genesys login server to finish signing in (POST ${joinUrl(loginBase, '/oauth/token')}). Check the network, and that the login host is not blocked by a proxy or CSP.`, {
        details: { reason: redact(String((cause as Error)?.message ?? cause), secrets) },
        secrets,
      });
    }
    const answer = await readTokenResponse(response, loginBase, secrets);
    if (answer.ok) return answer.expiresIn === undefined ? { accessToken: answer.accessToken } : { accessToken: answer.accessToken, expiresIn: answer.expiresIn };
    if (answer.error && GRANT_ERRORS.has(answer.error)) return answer.description ? { refused: answer.error, description: answer.description } : { refused: answer.error };
    throw new KaaError(
      'E_AUTH_DENIED',
      `The Genesys login server would not exchange the authorization code (HTTP ${answer.status}${answer.error ? `, ${answer.error}` : ''}, POST ${joinUrl(loginBase, '/oauth/token')}). Sign in again; if it repeats, check that redirect URI "${redirectUri}" is registered exactly on OAuth client "${options.clientId}".`,
      { details: { status: answer.status, error: answer.error, description: answer.description, correlationId: answer.correlationId }, secrets },
    );
  };

  return {
    async login(request) {
      const explicit = request.grant ?? request.ctx.grant;
      const grant = explicit ?? rememberedGrant() ?? options.mode ?? 'pkce';
      return start(request.ctx, request.originalQuery, grant, explicit !== undefined, false);
    },
    async handleRedirect(live) {
      // a snapshot: `location` is live, and replaceUrl below empties it
      const location = { search: live.search, hash: live.hash, pathname: live.pathname };
      const params = answerParams(location);
      if (!params.has('state') && !params.has('code') && !params.has('access_token') && !params.has('error')) return null;
      try {
        replaceUrl(location.pathname ?? (options.redirectUri.startsWith(origin()) ? new URL(options.redirectUri).pathname : '/'));
      } catch (cause) {
        logger.warn('could not clean the login answer from the address bar', { reason: redact(String(cause)) });
      }
      return finishAnswer(location);
    },
    getToken() {
      const raw = safeGet(storage, tokenKey);
      if (raw === null) return null;
      const parsed = StoredTokenSchema.safeParse(safeJson(raw));
      if (!parsed.success || parsed.data.expiresAt - skew <= now()) return null;
      return parsed.data;
    },
    clearToken() {
      storage.removeItem(tokenKey);
    },
    rememberedGrant,
  };
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

/** `?…` and `#…` parameters together (the code comes in the query, the implicit token in the hash). */
function answerParams(location: { search: string; hash: string }): URLSearchParams {
  const params = new URLSearchParams(location.search.replace(/^\?/, ''));
  for (const [k, v] of new URLSearchParams(location.hash.replace(/^#/, ''))) if (!params.has(k)) params.set(k, v);
  return params;
}

function stateError(problem: string): KaaError {
  return new KaaError('E_AUTH_STATE_INVALID', `The Genesys login answer was rejected: ${problem}. kaa does not retry on its own; close the widget and open it again from the interaction.`, {
    details: { problem },
  });
}

function safeGet(storage: StorageLike, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function safeSet(storage: StorageLike, key: string, value: string): void {
  try {
    storage.setItem(key, value);
  } catch {
    // remembering is an optimisation; a full or blocked storage only costs a fallback next time
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * On the landing page, before {@link createGenesysAuth} can be built: the original query string saved by the
 * login that this URL answers (read without consuming the one-time record), or null when the URL holds no login
 * answer, its `state` is malformed, or no record exists. The redirect loses the widget's query string (and with it
 * `genesysid`), so parse the widget context from this first; `handleRedirect` then performs the real check.
 *
 * @example
 * ```ts
 * const query = pendingLoginQuery(location, sessionStorage) ?? location.search.slice(1);
 * const ctx = parseWidgetContext(`${location.origin}${location.pathname}?${query}`);
 * const auth = createGenesysAuth({ clientId: ctx.genesysClientId, ... });
 * await auth.handleRedirect(location);
 * ```
 */
export function pendingLoginQuery(location: { search: string; hash: string }, storage: StorageLike): string | null {
  const state = answerParams(location).get('state');
  if (!state) return null;
  try {
    const raw = safeGet(storage, loginRecordKey(decodeAuthState(state).nonce));
    const parsed = raw === null ? undefined : LoginRecord.safeParse(safeJson(raw));
    return parsed?.success ? parsed.data.originalQuery : null;
  } catch {
    return null;
  }
}

/**
 * An in-iframe redirect login that was started from this tab and never answered (see {@link staleRedirectLogin}).
 *
 * @example
 * ```ts
 * const stale: StaleRedirectLogin | null = staleRedirectLogin(sessionStorage, Date.now);
 * if (stale) console.info(`the ${stale.grant} redirect of ${stale.ageMs} ms ago never came back`);
 * ```
 */
export interface StaleRedirectLogin {
  /** How long ago the redirect was started, in ms. */
  ageMs: number;
  grant: BrowserGrant;
}

/**
 * Open question docs/assumptions.md#popup-or-redirect-login (`auth.mode: auto`): tells the page that an in-iframe redirect login was started from this tab at
 * least `olderThanMs` ago and its answer never arrived. Call it on a page load whose URL holds no login answer. The
 * usual cause is a login page that refuses to be framed (`X-Frame-Options`, CSP `frame-ancestors`): the frame shows
 * the browser's refusal and the agent re-opens the interaction. Redirecting again would loop, so the page should
 * sign in through a popup (after a click) instead, and call {@link clearRedirectLogin}.
 *
 * Assumption: widget frames of one desktop tab share `sessionStorage`, so another instance may be in the middle of
 * its own redirect; a round trip to the login server takes well under `olderThanMs` (default 15 s), so only older
 * records count. Null when there is none, it is younger, it was answered, or storage is unreadable. Never throws.
 *
 * @example
 * ```ts
 * const stale = location.search.includes('state=') ? null : staleRedirectLogin(sessionStorage, Date.now);
 * if (stale) { clearRedirectLogin(sessionStorage); usePopup = true; }
 * ```
 */
export function staleRedirectLogin(storage: StorageLike, now: () => number, olderThanMs = 15_000): StaleRedirectLogin | null {
  const nonce = safeGet(storage, REDIRECT_POINTER_KEY);
  if (nonce === null) return null;
  const raw = safeGet(storage, loginRecordKey(nonce));
  const parsed = raw === null ? undefined : LoginRecord.safeParse(safeJson(raw));
  if (!parsed?.success || parsed.data.popup) return null;
  const ageMs = now() - parsed.data.createdAt;
  return Number.isFinite(ageMs) && ageMs >= olderThanMs ? { ageMs, grant: parsed.data.grant } : null;
}

/**
 * Forgets the pending in-iframe redirect login of this tab (its record and the pointer to it), so that an answer
 * arriving for it later is rejected and {@link staleRedirectLogin} no longer reports it. Never throws.
 *
 * @example
 * ```ts
 * if (staleRedirectLogin(sessionStorage, Date.now)) clearRedirectLogin(sessionStorage);
 * ```
 */
export function clearRedirectLogin(storage: StorageLike): void {
  const nonce = safeGet(storage, REDIRECT_POINTER_KEY);
  try {
    if (nonce !== null) storage.removeItem(loginRecordKey(nonce));
    storage.removeItem(REDIRECT_POINTER_KEY);
  } catch {
    // an unwritable storage holds nothing to clear
  }
}
