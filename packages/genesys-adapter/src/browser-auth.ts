import { encodeAuthState, silentLogger } from '@kaa/core';
import type { AuthStateContext } from '@kaa/core';
import { joinUrl } from './environment.js';
import { defaultSha256 } from './pkce.js';
import { defaultFetch, defaultRandom, defaultTimers } from './ports.js';
import { createCodeExchange } from './browser-auth/code-exchange.js';
import { createGrantMemory, fallbackGrant } from './browser-auth/grant-fallback.js';
import { checkLoginAnswer } from './browser-auth/login-answer.js';
import type { LoginAnswerOptions, PopupAttempt } from './browser-auth/login-answer.js';
import { createLoginNonce, forgetLoginRecord, saveLoginRecord } from './browser-auth/login-record.js';
import type { LoginRecord } from './browser-auth/login-record.js';
import { createPkceMaterial } from './browser-auth/pkce-material.js';
import type { PkcePair } from './browser-auth/pkce-material.js';
import { createPopupFlow } from './browser-auth/popup-flow.js';
import { createRedirectFlow } from './browser-auth/redirect-flow.js';
import { createTokenStore } from './browser-auth/token-store.js';
import type {
  BrowserGrant,
  GenesysAuth,
  GenesysAuthOptions,
  LoginRedirecting,
  LoginSuccess,
  StoredToken,
} from './browser-auth/types.js';

export type {
  BrowserGrant,
  GenesysAuth,
  GenesysAuthOptions,
  LoginRedirecting,
  LoginRequest,
  LoginSuccess,
  MessageEventLike,
  PopupWaiting,
  PopupWindowLike,
  StoredToken,
} from './browser-auth/types.js';
export { holdsLoginAnswer, pendingLoginQuery } from './browser-auth/login-answer.js';
export { clearRedirectLogin, loginRecordKey, staleRedirectLogin } from './browser-auth/login-record.js';
export type { StaleRedirectLogin } from './browser-auth/login-record.js';

/**
 * Browser login to Genesys Cloud inside the Interaction Widget iframe (docs/genesys-protocol.md#oauth-inside-the-iframe): Authorization Code +
 * PKCE (default) or implicit grant, by in-iframe redirect or popup, with `state` checked against a one-time,
 * ten-minute record in `sessionStorage` (CSRF), one fallback to the other grant when the login server says the
 * client does not allow the chosen one, and the token kept in `sessionStorage` per client id and environment.
 *
 * Hand-written over `fetch` rather than the platform SDK's `loginPKCEGrant`/`loginImplicitGrant`: the SDK never
 * checks `state` and accepts popup answers by `redirectUri.startsWith(event.origin)` only.
 *
 * Composed of named parts in `browser-auth/`: the PKCE material, the login record, the redirect flow, the popup flow,
 * the login answer check with the code exchange, the grant fallback and the token store.
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
  const { storage, clientId } = options;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? defaultRandom;
  const logger = options.logger ?? silentLogger;
  const origin = () => options.origin ?? globalThis.location.origin;
  const redirectUriFor = (popup: boolean) =>
    popup ? (options.popupRedirectUri ?? options.redirectUri) : options.redirectUri;

  const grants = createGrantMemory(options.grantStorage ?? storage, clientId);
  const tokens = createTokenStore({
    storage,
    clientId,
    environmentName: options.environment.name,
    now,
    expirySkewMs: options.expirySkewMs ?? 60_000,
  });
  const pkce = createPkceMaterial(random, options.sha256 ?? defaultSha256);
  if ((options.mode ?? 'pkce') === 'pkce') pkce.prepare();
  const redirect = createRedirectFlow({
    storage,
    logger,
    navigate: options.navigate,
    replaceUrl: options.replaceUrl,
    landingPath: () => (options.redirectUri.startsWith(origin()) ? new URL(options.redirectUri).pathname : '/'),
  });
  const popupAnswer = createPopupFlow({
    openPopup: options.openPopup,
    listenForMessages: options.listenForMessages,
    timers: options.timers ?? defaultTimers,
    now,
    logger,
    origin,
    clientId,
    redirectUri: redirectUriFor(true),
    loginBase: options.environment.loginBase,
    timeoutMs: options.popupTimeoutMs ?? 120_000,
    hintMs: options.popupHintMs ?? 6_000,
    onWaiting: options.onPopupWaiting,
  });
  const answerOptions: LoginAnswerOptions = {
    storage,
    now,
    stateMaxAgeMs: options.stateMaxAgeMs ?? 10 * 60_000,
    clientId,
    redirectUriFor,
    exchange: createCodeExchange({
      fetch: options.fetch ?? defaultFetch,
      loginBase: options.environment.loginBase,
      clientId,
    }),
  };

  const authorizeUrl = (grant: BrowserGrant, state: string, redirectUri: string, challenge?: string) => {
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: grant === 'pkce' ? 'code' : 'token',
      redirect_uri: redirectUri,
      state,
    });
    if (challenge) {
      params.set('code_challenge', challenge);
      params.set('code_challenge_method', 'S256');
    }
    return joinUrl(options.environment.loginBase, `/oauth/authorize?${params.toString()}`);
  };

  /** One login attempt: record, then redirect or popup (no await before the popup opens when a PKCE pair is ready). */
  const startLoginAttempt = async (
    ctx: AuthStateContext,
    originalQuery: string,
    grant: BrowserGrant,
    explicit: boolean,
    fallback: boolean,
  ): Promise<LoginSuccess | LoginRedirecting> => {
    const popup = options.popup ?? false;
    let pair: PkcePair | undefined;
    if (grant === 'pkce') {
      const taken = pkce.take();
      pair = taken instanceof Promise ? await taken : taken;
    }
    const nonce = createLoginNonce(random);
    const state = encodeAuthState({ nonce, ctx });
    const record: LoginRecord = {
      v: 1,
      originalQuery,
      createdAt: now(),
      grant,
      explicit,
      fallback,
      popup,
      ...(pair ? { codeVerifier: pair.verifier } : {}),
    };
    const url = authorizeUrl(grant, state, redirectUriFor(popup), pair?.challenge);
    saveLoginRecord(storage, nonce, record);
    logger.info('genesys login started', { grant, popup, fallback, explicit });
    if (!popup) return redirect.leave(url, nonce, grant);
    const answer = await popupAnswer(url, () => forgetLoginRecord(storage, nonce));
    return completeLogin(answer, { expectedNonce: nonce, memoryRecord: record });
  };

  /** Checks the answer; stores the token, or falls back once to the other grant when the server refused this one. */
  const completeLogin = async (
    location: { search: string; hash: string },
    popup?: PopupAttempt,
  ): Promise<LoginSuccess | LoginRedirecting> => {
    const answer = await checkLoginAnswer(location, answerOptions, popup);
    const { record } = answer;
    if (answer.kind === 'grant-refused') {
      const next = fallbackGrant(record, clientId, answer.error, answer.description);
      logger.warn('genesys login server refused the grant; falling back once', {
        from: record.grant,
        to: next,
        error: answer.error,
      });
      grants.remember(next);
      return startLoginAttempt(answer.ctx, record.originalQuery, next, false, true);
    }
    const token: StoredToken = {
      accessToken: answer.accessToken,
      expiresAt: now() + (answer.expiresIn ?? 3600) * 1000,
      grant: record.grant,
    };
    tokens.save(token);
    grants.remember(record.grant);
    logger.info('genesys login finished', { grant: record.grant, expiresAt: token.expiresAt });
    return { kind: 'token', token, originalQuery: record.originalQuery, ctx: answer.ctx };
  };

  // One attempt at a time: the API's 401 and the notification socket's close can both ask for a login when a token
  // expires. A second attempt would save a second record (holding the original query, x_metadata included) that no
  // answer ever consumes, and once the frame is leaving for the login page there is nothing more to start.
  let attempt: Promise<LoginSuccess | LoginRedirecting> | null = null;
  let leaving: LoginRedirecting | null = null;

  return {
    login(request) {
      if (leaving) return Promise.resolve(leaving);
      if (attempt) return attempt;
      const explicit = request.grant ?? request.ctx.grant;
      const grant = explicit ?? grants.remembered() ?? options.mode ?? 'pkce';
      const started = startLoginAttempt(request.ctx, request.originalQuery, grant, explicit !== undefined, false).then(
        (result) => {
          if (result.kind === 'redirecting') leaving = result;
          return result;
        },
      );
      attempt = started;
      const clear = () => {
        if (attempt === started) attempt = null;
      };
      started.then(clear, clear);
      return started;
    },
    async handleRedirect(location) {
      const answer = redirect.takeAnswer(location);
      if (!answer) return null;
      leaving = null; // the frame came back with an answer
      return completeLogin(answer);
    },
    getToken: () => tokens.get(),
    clearToken: () => tokens.clear(),
    rememberedGrant: () => grants.remembered(),
  };
}
