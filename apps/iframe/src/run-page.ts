import { activeMessageSessionId, checkFramed, checkKoreHostAllowed, checkLinkAllowed, desktopOrigins, findCustomerParticipant, isGenesysDesktopOrigin, isLoopbackUrl, pageRedirectUris, parseWidgetContext, resolveEnvironment, toAuthStateContext } from '@kaa/core';
import type { KaaError, WidgetLaunchRecord } from '@kaa/core';
import { clearRedirectLogin, createClientAppLifecycle, createGenesysApi, createGenesysAuth, holdsLoginAnswer, pendingLoginQuery, staleRedirectLogin } from '@kaa/genesys-adapter';
import type { ClientAppLifecycle, GenesysAuth, LoginRequest } from '@kaa/genesys-adapter';
import { sweepKoreStorage } from '@kaa/kore-client';
import type { AgentAssistView } from '@kaa/kore-client';
import { createConsoleLogger } from './console-logger.js';
import type { LiveFeed } from './live-feed.js';
import { PAGE_CONFIG_FILE, readPageConfig } from './page-config.js';
import { createPageRateBudget } from './page-rate-budget.js';
import type { PageEnv } from './page-env.js';
import { describeBotSourceRead, readBotSource } from './read-bot-source.js';
import { createScreen } from './screen.js';
import { createPageSecrets } from './secrets.js';
import { createTimeline } from './timeline.js';

/** How a page run ended up. */
export type PageOutcome =
  | { kind: 'widget'; view: AgentAssistView; feed: LiveFeed }
  | { kind: 'redirecting' }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: KaaError };

/**
 * The `/koreaiaa-genesys/` page, top to bottom as in docs/architecture.md#one-interaction-top-to-bottom: context → environment → login →
 * (users/me ∥ conversation ∥ bot source) → agent, queue, bot record → token, custom data, secure custom data →
 * widget → live feed → end. Any failure lands in the error panel (step + what to change); `?debug=1` shows the
 * redacted timeline. Nothing here holds a rule of its own: every decision is a call into core or an adapter.
 *
 * @example
 * ```ts
 * // main.ts
 * void runPage({ window, document, location, fetch: (u, i) => fetch(u, i), sessionStorage, localStorage,
 *   now: () => Date.now(), clock: () => performance.now(), WebSocket: (u) => new WebSocket(u), console });
 * ```
 */
export async function runPage(env: PageEnv): Promise<PageOutcome> {
  // A login answer (`?code=&state=`, `#access_token=`) leaves the address bar first, before anything can fail: the
  // page works on this snapshot of the address from here on.
  const location = { origin: env.location.origin, pathname: env.location.pathname, search: env.location.search, hash: env.location.hash };
  if (holdsLoginAnswer(location)) stripAddress(env.window, location.pathname);
  const landing = new URLSearchParams(location.search.replace(/^\?/, '') + '&' + location.hash.replace(/^#/, ''));
  const secrets = createPageSecrets(landing.get('state'), landing.get('code'), landing.get('access_token'));
  const screen = createScreen(env.document, secrets);
  const timeline = createTimeline(env.clock, secrets);
  let debug = /^(1|true)$/i.test(landing.get('debug') ?? '');
  if (debug) screen.showTimeline(timeline);
  const logger = createConsoleLogger(env.console, secrets, () => debug);
  // what earlier interactions left in the shared store: old hooks state and END claims, bot rows of earlier versions
  sweepKoreStorage(env.localStorage, { now: env.now, logger });
  const pageUrl = `${location.origin}${location.pathname}`;
  const phase = Object.assign(
    (name: string) => {
      if (phase.current === 'stopped') return; // nothing moves after the lifecycle stop hook
      phase.current = name;
      env.document.body.dataset['kaaPhase'] = name;
      env.mark?.(`kaa:${name}`);
    },
    { current: '' },
  );

  // Genesys client-app lifecycle (advanced.lifecycle hooks): listening from the first task, so no hook is missed
  const lifecycle = startLifecycle(env, logger, timeline);
  let feedForStop: LiveFeed | undefined;
  lifecycle.on('stop', () => {
    phase('stopped');
    screen.status('Closed by Genesys Cloud.');
    void (feedForStop?.close('lifecycle stop') ?? Promise.resolve()).finally(() => {
      lifecycle.stopped();
      lifecycle.close();
    });
  });

  // the page configuration (embedded in index.html, else kaa.config.json, fetched while the context is parsed)
  const configPromise = readPageConfig(env.document, new URL(PAGE_CONFIG_FILE, pageUrl).href, env.fetch);
  configPromise.catch(() => undefined);
  // the parent, when it is a Genesys desktop origin, is trusted as soon as the settings name the environments: even a
  // link that fails to parse answers the desktop's bootstrap hook with its error panel
  const parentOrigin = env.ancestorOrigins?.[0];
  if (parentOrigin !== undefined) {
    void configPromise.then(
      (s) => isGenesysDesktopOrigin(parentOrigin, s.genesys.environments) && lifecycle.trust(parentOrigin),
      () => isGenesysDesktopOrigin(parentOrigin) && lifecycle.trust(parentOrigin),
    );
  }

  try {
    screen.status('Starting the Agent AI assistant…');
    phase('context');
    // 1. context: after an OAuth redirect, the original query comes from the login record
    const query = pendingLoginQuery(location, env.sessionStorage) ?? location.search.replace(/^\?/, '');
    const ctx = await timeline.run('1 context', () => parseWidgetContext(`${pageUrl}?${query}`), (c) => `conversation ${c.conversationId}; bot source ${c.botSource.kind}`);
    if (ctx.botSource.kind === 'kore-data-table') secrets.add(ctx.botSource.datatable.token);
    secrets.add(ctx.passthruMetadata);
    if (ctx.debug && !debug) {
      debug = true;
      screen.showTimeline(timeline);
    }
    const settings = await timeline.run('config', () => configPromise, (s) => `${s.genesys.environments.length} extra environment(s); Kore API host ${s.kore.apiHost ?? '(none: run kaa page --dist)'}`);
    secrets.add(settings.thirdParty.http.token);

    // 2. environment
    phase('environment');
    const environment = await timeline.run('2 environment', () => resolveEnvironment(ctx, settings.genesys.environments, { enable: settings.genesys.enableEnvironments }), (e) => `${e.name}: api ${e.apiBase}, login ${e.loginBase}`);
    // lifecycle hooks: exactly the desktop origins Genesys uses (held until now, docs/genesys-protocol.md#client-app-sdk-lifecycle-protocol)
    for (const origin of desktopOrigins(environment.appsOrigin, env.ancestorOrigins?.[0], settings.genesys.environments)) lifecycle.trust(origin);
    const loopback = isLoopbackUrl(environment.apiBase);
    // what the link chose must be what this deployment pins (settings allow), before any sign-in: docs/deploy.md#pinning-what-a-link-may-choose
    checkFramed({ framed: isFramed(env.window), loopback }, settings.allow);
    checkLinkAllowed(ctx, environment.name, settings.allow);

    // 3. login
    phase('login');
    const framingFailed = redirectNeverAnswered(settings.auth, ctx.usePopupAuth === true, landing, env);
    if (framingFailed) logger.warn('the last in-iframe Genesys login never came back; signing in through a popup', { ageMs: framingFailed.ageMs, grant: framingFailed.grant });
    if (env.storageBlocked) {
      logger.warn('the browser blocks site data for this frame (third-party storage): signing in through a popup, nothing is remembered between interactions');
      screen.notice(storageBlockedNotice(location.origin));
    }
    // without storage an in-iframe redirect would lose its login record: the popup keeps the page (and its memory) alive
    const popup = env.storageBlocked === true || settings.auth.mode === 'popup' || (settings.auth.mode === 'auto' && (ctx.usePopupAuth === true || framingFailed !== null));
    const redirectUris = pageRedirectUris(pageUrl, settings.auth);
    const auth = createGenesysAuth({
      clientId: ctx.genesysClientId,
      redirectUri: redirectUris.redirect,
      popupRedirectUri: redirectUris.popup,
      environment,
      mode: settings.auth.grant,
      popup,
      storage: env.sessionStorage,
      grantStorage: env.localStorage,
      fetch: env.fetch,
      now: env.now,
      logger,
      popupTimeoutMs: settings.auth.popupTimeoutMs,
      // never a silent wait: say what the popup waits for, and after a few seconds on the login page which URI to register
      onPopupWaiting: (w) => {
        if (w.stage === 'opened') screen.status(`Waiting for the Genesys Cloud sign-in in the popup window (${w.loginOrigin})…`);
        else screen.status(`Still waiting for the Genesys Cloud sign-in in the popup window. If it shows an error about the redirect URI, OAuth client "${w.clientId}" does not list ${w.redirectUri}: add exactly that URI to its Authorized redirect URIs in Genesys Cloud (kaa url lists it), then sign in again. Otherwise, finish signing in in the popup.`);
      },
    });
    const loginRequest: LoginRequest = { ctx: { ...toAuthStateContext(ctx), ...(ctx.grant ? { grant: ctx.grant } : {}) }, originalQuery: query };
    const why = env.storageBlocked ? POPUP_WITHOUT_STORAGE : framingFailed ? POPUP_AFTER_FRAMING_FAILURE : POPUP_REQUESTED;
    const askToClick = (label: string) => {
      const clicked = screen.askToClick(label, why);
      lifecycle.ready(); // the sign-in button is on screen
      return clicked;
    };
    const signedIn = await timeline.run('3 login', () => signIn(auth, loginRequest, popup, askToClick, location), (r) => (r === 'redirecting' ? 'redirecting to the Genesys login page' : `token (${r.grant})${framingFailed ? ' via popup: the in-iframe login never came back' : ''}`));
    if (signedIn === 'redirecting') {
      screen.status('Signing in to Genesys Cloud…');
      phase('redirecting');
      lifecycle.ready(); // the frame shows the Genesys login page next
      return { kind: 'redirecting' };
    }
    secrets.add(signedIn.accessToken);

    const relogin = async () => {
      auth.clearToken();
      const again = await signIn(auth, loginRequest, popup, askToClick, { ...location, search: '', hash: '' }); // the answer of this load is spent
      if (again === 'redirecting') await new Promise<never>(() => undefined); // the page is navigating away
      else secrets.add(again.accessToken);
    };
    // docs/assumptions.md#genesys-per-user-rate-limit: one request budget for every instance of this user (BroadcastChannel); only droppable reads are 'low'
    const rateBudget = createPageRateBudget({ genesysClientId: ctx.genesysClientId, perMinute: settings.genesys.rateLimitPerMinute, now: env.now, BroadcastChannel: env.BroadcastChannel, logger });
    if (rateBudget) env.window.addEventListener('pagehide', () => rateBudget.close(), { once: true });
    const api = createGenesysApi({ environment, auth: { getToken: () => auth.getToken()?.accessToken ?? null, relogin }, fetch: env.fetch, logger, ...(rateBudget ? { rateBudget } : {}) });

    // 4. one round trip: users/me ∥ conversation ∥ bot source read. The Genesys reads go out first (nothing else
    // may delay them). This chunk holds only what runs before them; the code of steps 5–8 is in chunks that
    // index.html modulepreloads, imported here so they are evaluated while the requests are in flight.
    phase('fetch');
    const reads = Promise.all([
      timeline.run('4 users/me', () => api.getMe(), (u) => `user ${u.id}`),
      timeline.run('4 conversation', () => api.getConversation(ctx.conversationId), (c) => `${c.participants?.length ?? 0} participants`),
      timeline.run('4 bot source', () => readBotSource({ ctx, settings, api, fetch: env.fetch, now: env.now, logger, allowHttpLoopback: loopback }), describeBotSourceRead),
    ]);
    const stepsModule = import('./after-reads.js');
    const secureModule = import('./secure-custom-data.js');
    const liveModule = import('./start-live.js');
    for (const pending of [reads, stepsModule, secureModule, liveModule]) pending.catch(() => undefined);
    screen.status('Reading the conversation and the bot table…');
    const [me, conversation, botSource] = await reads;
    const steps = await stepsModule;

    // 5. resolve: this agent, the queue, the bot record (routing settings: caseSensitive, fullNameFallback, defaultRow, noQueuePolicy)
    phase('resolve');
    const parsed = steps.parseConversation(conversation);
    const participant = await timeline.run('5 agent', () => steps.findAgentParticipant(parsed, me.id), (p) => `participant ${p.id ?? '?'}`);
    const queue = steps.queueOf(parsed, participant);
    const lookup = steps.botLookupOf(botSource, settings, loopback);
    const record: WidgetLaunchRecord = await timeline.run('5 bot record', () => lookup.forQueue(queue), (r) => `queue "${queue.name ?? queue.id ?? '(none)'}" → bot ${r.botId}`);
    secrets.add(record.clientSecret, record.rsPrivatePem);
    checkKoreHostAllowed(record.agentAssistWidgetUrl, settings.allow);
    const media = steps.mediaOf(participant, undefined);

    // 6. tokens, custom data, secure custom data, widget URL (core's mintWidgetLaunch; the JWE code is its own chunk)
    phase('token');
    const credentials = await timeline.run(
      '6 token',
      () => steps.mintWidgetLaunch({ record, context: ctx, settings, userId: me.id, conversation, media, now: new Date(env.now()), encrypt: async (...args) => (await secureModule).encryptSecureCustomData(...args) }),
      (c) => `widget ${steps.describeWidgetUrl(c.url, secrets.list())}${c.secureCustomData ? '; secure custom data encrypted' : ''}${c.missingSecureKeys.length ? `; no value for ${c.missingSecureKeys.join(', ')}` : ''}`,
    );
    secrets.add(credentials.token, credentials.secureCustomData);

    // 7. mount
    if (phase.current === 'stopped') return { kind: 'stopped' };
    phase('mount');
    screen.status('');
    const view = await timeline.run('7 widget', () => steps.mountView({ record, conversationId: ctx.conversationId, settings, launch: credentials, screen, allowHttpLoopback: loopback, logger }), (v) => `${v.mode} mode`);
    // a stop hook during the mount: the widget goes again, nothing is fed to it
    const stoppedAfterMount = (): boolean => {
      if (phase.current !== 'stopped') return false;
      view.destroy();
      return true;
    };
    if (stoppedAfterMount()) return { kind: 'stopped' };
    phase('widget');
    lifecycle.ready();
    view.on('error', (error) => screen.fail(error));
    view.setAgentInfo({ agentId: me.id, ...(me.name ? { agentName: me.name } : {}) });
    const customer = findCustomerParticipant(parsed);
    if (customer?.id) view.setUserInfo({ userId: customer.id, ...(typeof customer.name === 'string' ? { userName: customer.name } : {}) });
    if (media === 'message') {
      view.on('send', (m) => {
        const communicationId = activeMessageSessionId(participant);
        if (communicationId) void api.sendMessage(ctx.conversationId, communicationId, m.text).catch((e: unknown) => screen.fail(e));
      });
    }

    // 8. live feed (its code was fetched in parallel with step 4)
    const { startLive } = await liveModule;
    if (stoppedAfterMount()) return { kind: 'stopped' };
    const { feed, topics } = startLive({ env, ctx, settings, record, me, queue, media, credentials, api, conversation, view, screen, logger,
      tokenExpiresAt: () => auth.getToken()?.expiresAt ?? null, relogin });
    feedForStop = feed;
    await timeline.run('8 live feed', () => feed.started, () => topics.map((t) => t.replace(/^v2\.(users|conversations)\.[^.]+\./, '$1.')).join(', '));
    if (phase.current === 'stopped') return { kind: 'stopped' };
    phase('live');
    env.window.addEventListener('pagehide', () => void feed.close('pagehide'), { once: true });
    void feed.finished.then(() => phase('ended'));
    return { kind: 'widget', view, feed };
  } catch (e) {
    if (phase.current === 'stopped') return { kind: 'stopped' };
    const error = screen.fail(e);
    phase('failed');
    lifecycle.ready(); // the error panel is on screen
    logger.error(`${error.step} failed`, { code: error.code, message: error.message });
    return { kind: 'failed', error };
  }
}

type SignedIn = 'redirecting' | { accessToken: string; grant: string };

const POPUP_REQUESTED = 'The Agent AI assistant needs you to sign in to Genesys Cloud in a popup window.';
const POPUP_WITHOUT_STORAGE = 'The Agent AI assistant needs you to sign in to Genesys Cloud in a popup window (this browser does not let the panel keep a sign-in).';
const storageBlockedNotice = (pageOrigin: string) =>
  `This browser blocks cookies and site data for the Agent AI panel (third-party site data), so it cannot keep your Genesys sign-in between interactions: you will sign in for each interaction. To fix it, allow third-party cookies and site data for ${pageOrigin} (Chrome and Edge: Settings › Privacy › Third-party cookies › Allowed to use third-party cookies; administrators: the CookiesAllowedForUrls policy).`;
const POPUP_AFTER_FRAMING_FAILURE =
  'The Genesys Cloud sign-in page did not open inside this panel (the login page may refuse to be shown in a frame). Sign in in a popup window instead.';

/**
 * Open question docs/assumptions.md#popup-or-redirect-login, `auth.mode: 'auto'` without `usePopupAuth=true`: the page tries the in-iframe redirect first.
 * When a page load whose URL holds no login answer finds that redirect still unanswered after 15 s
 * (`staleRedirectLogin`), the assumption is that the login page refused to be framed (`X-Frame-Options` /
 * CSP `frame-ancestors`, docs/genesys-protocol.md#redirect-or-popup-inside-the-iframe): the frame showed the browser's refusal and the agent re-opened the
 * interaction. Redirecting again would loop, so the record is cleared and this load signs in through a popup after a
 * click. The `auth.staleRedirectMs` margin (default 15 s) keeps another widget instance of the same tab (same `sessionStorage`) that is in the
 * middle of its own redirect from counting as a failure. Null: no fallback.
 */
function redirectNeverAnswered(auth: { mode: 'auto' | 'redirect' | 'popup'; staleRedirectMs: number }, usePopupAuth: boolean, landing: URLSearchParams, env: PageEnv): { ageMs: number; grant: string } | null {
  if (auth.mode !== 'auto' || usePopupAuth) return null;
  if (['state', 'code', 'access_token', 'error'].some((k) => landing.has(k))) return null;
  const stale = staleRedirectLogin(env.sessionStorage, env.now, auth.staleRedirectMs);
  if (stale) clearRedirectLogin(env.sessionStorage);
  return stale;
}

/** Step 3: finish a login answer in the URL, reuse a stored token, or start a login (popup: after a click). */
async function signIn(
  auth: GenesysAuth,
  request: LoginRequest,
  popup: boolean,
  askToClick: (label: string) => Promise<void>,
  location: { search: string; hash: string; pathname: string },
): Promise<SignedIn> {
  const answer = await auth.handleRedirect({ search: location.search, hash: location.hash, pathname: location.pathname });
  if (answer?.kind === 'redirecting') return 'redirecting';
  if (answer?.kind === 'token') return answer.token;
  const stored = auth.getToken();
  if (stored) return stored;
  if (popup) await askToClick('Sign in to Genesys Cloud');
  const result = await auth.login(request);
  return result.kind === 'redirecting' ? 'redirecting' : result.token;
}

/** Replaces the address with `pathname` alone (no query, no fragment); a refusal only leaves the address as it was. */
function stripAddress(window: Window, pathname: string): void {
  try {
    window.history.replaceState(window.history.state, '', pathname);
  } catch {
    // the answer is still read from the snapshot; the login flow tries to clean the address again
  }
}

/** Inside a frame (the desktop's Interaction Widget); a cross-origin `top` still compares by identity. */
function isFramed(window: Window): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true;
  }
}

/**
 * The Genesys client-app lifecycle for this page (`advanced.lifecycle` hooks, docs/genesys-protocol.md#integration-configuration). Hooks are taken from
 * the parent window only, and only from the desktop origins Genesys uses, known once the environment is resolved
 * (core's `desktopOrigins`: the apps origin, and `location.ancestorOrigins[0]` when it is a known apps origin). focus/blur are
 * noted in the debug timeline; stop is handled by the caller.
 */
function startLifecycle(env: PageEnv, logger: ReturnType<typeof createConsoleLogger>, timeline: ReturnType<typeof createTimeline>): ClientAppLifecycle {
  const lifecycle = createClientAppLifecycle({
    host: env.window.parent,
    listen: (handler) => {
      const listener = (event: MessageEvent) => handler(event);
      env.window.addEventListener('message', listener);
      return () => env.window.removeEventListener('message', listener);
    },
    // nothing trusted before the environment is known: hooks are held until then (see desktopOrigins)
    trustedOrigins: [],
    logger,
  });
  for (const hook of ['bootstrap', 'focus', 'blur', 'stop'] as const) lifecycle.on(hook, () => timeline.note(`lifecycle ${hook}`, 'from the Genesys desktop'));
  env.window.addEventListener('pagehide', () => lifecycle.close(), { once: true });
  return lifecycle;
}
