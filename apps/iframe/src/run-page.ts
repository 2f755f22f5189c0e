import {
  KaaError,
  describeWidgetUrl,
  findAgentParticipant,
  mediaOf,
  parseConversation,
  parseWidgetContext,
  queueOf,
  resolveEnvironment,
  toAuthStateContext,
} from '@kaa/core';
import type { BotRecord, GenesysParticipant, KaaSettings, WidgetContext } from '@kaa/core';
import { createGenesysApi, createGenesysAuth, pendingLoginQuery } from '@kaa/genesys-adapter';
import type { GenesysAuth, LoginRequest } from '@kaa/genesys-adapter';
import { mountAgentAssist } from '@kaa/kore-client';
import type { AgentAssistView } from '@kaa/kore-client';
import { chooseBotSource } from './choose-bot-source.js';
import { createConsoleLogger } from './console-logger.js';
import type { LiveFeed } from './live-feed.js';
import { PAGE_CONFIG_FILE, loadPageConfig } from './page-config.js';
import type { PageEnv } from './page-env.js';
import { createScreen } from './screen.js';
import { createPageSecrets } from './secrets.js';
import { createTimeline } from './timeline.js';

/** How a page run ended up. */
export type PageOutcome =
  | { kind: 'widget'; view: AgentAssistView; feed: LiveFeed }
  | { kind: 'redirecting' }
  | { kind: 'failed'; error: KaaError };

/**
 * The `/koreaiaa-genesys/` page, top to bottom as in ARCHITECTURE.md: context → environment → login →
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
  const { location } = env;
  const landing = new URLSearchParams(location.search.replace(/^\?/, '') + '&' + location.hash.replace(/^#/, ''));
  const secrets = createPageSecrets(landing.get('state'), landing.get('code'), landing.get('access_token'));
  const screen = createScreen(env.document, secrets);
  const timeline = createTimeline(env.clock, secrets);
  let debug = /^(1|true)$/i.test(landing.get('debug') ?? '');
  if (debug) screen.showTimeline(timeline);
  const logger = createConsoleLogger(env.console, secrets, () => debug);
  const pageUrl = `${location.origin}${location.pathname}`;
  const phase = (name: string) => {
    env.document.body.dataset['kaaPhase'] = name;
    env.mark?.(`kaa:${name}`);
  };

  // the page configuration is read while the context is parsed and the stored token is checked
  const configPromise = loadPageConfig(new URL(PAGE_CONFIG_FILE, pageUrl).href, env.fetch);
  configPromise.catch(() => undefined);

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
    const settings = await timeline.run('config', () => configPromise, (s) => `${s.genesys.environments.length} extra environment(s)`);

    // 2. environment
    phase('environment');
    const environment = await timeline.run('2 environment', () => resolveEnvironment(ctx, settings.genesys.environments, { enable: settings.genesys.enableEnvironments }), (e) => e.name);
    const loopback = isLoopback(environment.apiBase);

    // 3. login
    phase('login');
    const popup = settings.auth.mode === 'popup' || (settings.auth.mode === 'auto' && ctx.usePopupAuth === true);
    const redirectUri = settings.auth.redirectUri ?? pageUrl;
    const auth = createGenesysAuth({
      clientId: ctx.genesysClientId,
      redirectUri,
      popupRedirectUri: settings.auth.popupRedirectUri ?? new URL('auth-callback.html', redirectUri).href,
      environment,
      mode: settings.auth.grant,
      popup,
      storage: env.sessionStorage,
      grantStorage: env.localStorage,
      fetch: env.fetch,
      now: env.now,
      logger,
      popupTimeoutMs: settings.auth.popupTimeoutMs,
    });
    const loginRequest: LoginRequest = { ctx: { ...toAuthStateContext(ctx), ...(ctx.grant ? { grant: ctx.grant } : {}) }, originalQuery: query };
    const signedIn = await timeline.run('3 login', () => signIn(auth, loginRequest, popup, screen.askToClick, location), (r) => (r === 'redirecting' ? 'redirecting to the Genesys login page' : `token (${r.grant})`));
    if (signedIn === 'redirecting') {
      screen.status('Signing in to Genesys Cloud…');
      phase('redirecting');
      return { kind: 'redirecting' };
    }
    secrets.add(signedIn.accessToken);

    const relogin = async () => {
      auth.clearToken();
      const again = await signIn(auth, loginRequest, popup, screen.askToClick, location);
      if (again === 'redirecting') await new Promise<never>(() => undefined); // the page is navigating away
      else secrets.add(again.accessToken);
    };
    const api = createGenesysApi({ environment, auth: { getToken: () => auth.getToken()?.accessToken ?? null, relogin }, fetch: env.fetch, logger });

    // 4. one round trip: users/me ∥ conversation ∥ bot source. The Genesys reads go out first (nothing else
    // may delay them); the code of steps 6 and 8 loads while they are in flight (index.html modulepreloads
    // the step-6 chunks, so only their evaluation is left).
    phase('fetch');
    const reads = Promise.all([
      timeline.run('4 users/me', () => api.getMe(), (u) => `user ${u.id}`),
      timeline.run('4 conversation', () => api.getConversation(ctx.conversationId), (c) => `${c.participants?.length ?? 0} participants`),
      timeline.run('4 bot source', async () => (await chooseBotSource({ ctx, settings, api, fetch: env.fetch, now: env.now, sharedStorage: env.localStorage, pageOrigin: location.origin, allowHttpLoopback: loopback })).load(), (l) => l.description),
    ]);
    const credentialsModule = import('./widget-credentials.js');
    const secureModule = import('./secure-custom-data.js');
    const liveModule = import('./start-live.js');
    for (const pending of [reads, credentialsModule, secureModule, liveModule]) pending.catch(() => undefined);
    screen.status('Reading the conversation and the bot table…');
    const [me, conversation, lookup] = await reads;

    // 5. resolve: this agent, the queue, the bot record
    phase('resolve');
    const parsed = parseConversation(conversation);
    const participant = await timeline.run('5 agent', () => findAgentParticipant(parsed, me.id), (p) => `participant ${p.id ?? '?'}`);
    const queue = queueOf(parsed, participant);
    const record = (await timeline.run('5 bot record', () => lookup.forQueue(queue), (r) => `queue "${queue.name ?? queue.id ?? '?'}" → bot ${r.botId}`)) as BotRecord & { languageCode?: string };
    secrets.add(record.clientSecret, record.rsPrivatePem);
    const media = mediaOf(participant, undefined);

    // 6. tokens, custom data, secure custom data, widget URL
    phase('token');
    const { mintWidgetCredentials } = await credentialsModule;
    const credentials = await timeline.run('6 token', () => mintWidgetCredentials({ record, ctx, settings, userId: me.id, conversation, media, now: env.now, encrypt: async (...args) => (await secureModule).encryptSecureCustomData(...args) }), (c) =>
      `widget ${describeWidgetUrl(c.url, secrets.list())}${c.secureCustomData ? '; secure custom data encrypted' : ''}${c.missingSecureKeys.length ? `; no value for ${c.missingSecureKeys.join(', ')}` : ''}`,
    );
    secrets.add(credentials.token, credentials.secureCustomData);

    // 7. mount
    phase('mount');
    screen.status('');
    const view = await timeline.run('7 widget', () => mountView(record, ctx, settings, credentials.url, credentials.token, credentials.isCall, screen, loopback, logger), (v) => `${v.mode} mode`);
    phase('widget');
    view.on('error', (error) => screen.fail(error));
    view.setAgentInfo({ agentId: me.id, ...(me.name ? { agentName: me.name } : {}) });
    const customer = customerOf(parsed.participants ?? []);
    if (customer?.id) view.setUserInfo({ userId: customer.id, ...(typeof customer.name === 'string' ? { userName: customer.name } : {}) });
    if (media === 'message') {
      view.on('send', (m) => {
        const communicationId = activeMessageSession(participant);
        if (communicationId) void api.sendMessage(ctx.conversationId, communicationId, m.text).catch((e: unknown) => screen.fail(e));
      });
    }

    // 8. live feed (its code was fetched in parallel with step 4)
    const { startLive } = await liveModule;
    const { feed, topics } = startLive({ env, ctx, settings, record, me, queue, media, credentials, api, conversation, view, screen, logger,
      tokenExpiresAt: () => auth.getToken()?.expiresAt ?? null, relogin });
    await timeline.run('8 live feed', () => feed.started, () => topics.map((t) => t.replace(/^v2\.(users|conversations)\.[^.]+\./, '$1.')).join(', '));
    phase('live');
    env.window.addEventListener('pagehide', () => void feed.close('pagehide'), { once: true });
    void feed.finished.then(() => phase('ended'));
    return { kind: 'widget', view, feed };
  } catch (e) {
    const error = screen.fail(e);
    phase('failed');
    logger.error(`${error.step} failed`, { code: error.code, message: error.message });
    return { kind: 'failed', error };
  }
}

type SignedIn = 'redirecting' | { accessToken: string; grant: string };

/** Step 3: finish a login answer in the URL, reuse a stored token, or start a login (popup: after a click). */
async function signIn(
  auth: GenesysAuth,
  request: LoginRequest,
  popup: boolean,
  askToClick: (label: string, why: string) => Promise<void>,
  location: PageEnv['location'],
): Promise<SignedIn> {
  const answer = await auth.handleRedirect({ search: location.search, hash: location.hash, pathname: location.pathname });
  if (answer?.kind === 'redirecting') return 'redirecting';
  if (answer?.kind === 'token') return answer.token;
  const stored = auth.getToken();
  if (stored) return stored;
  if (popup) await askToClick('Sign in to Genesys Cloud', 'The Agent AI assistant needs you to sign in to Genesys Cloud in a popup window.');
  const result = await auth.login(request);
  return result.kind === 'redirecting' ? 'redirecting' : result.token;
}

/** Step 7: the SDK-mode view when the row asks for it and the SDK loads, else the iframe (with a notice). */
async function mountView(
  record: BotRecord,
  ctx: WidgetContext,
  settings: KaaSettings,
  url: string,
  token: string,
  isCall: boolean,
  screen: ReturnType<typeof createScreen>,
  allowHttpLoopback: boolean,
  logger: ReturnType<typeof createConsoleLogger>,
): Promise<AgentAssistView> {
  if (record.isAgentAISDK) {
    try {
      const { loadAgentAiSdk, mountAgentAiSdkView } = await import('./sdk-mode.js');
      const AAWindow = await loadAgentAiSdk({ scriptUrl: settings.kore.webSdk.scriptUrl });
      return mountAgentAiSdkView(screen.widgetContainer, {
        AAWindow,
        connectionDetails: {
          domainUrl: settings.kore.agentAssistUrl ?? new URL(record.agentAssistWidgetUrl).origin,
          token,
          botId: record.botId,
          conversationId: ctx.conversationId,
          channel: isCall ? 'voice' : 'chat',
          isSecure: false,
          source: settings.kore.source,
        },
        logger,
      });
    } catch (e) {
      if (!(e instanceof KaaError) || e.code !== 'E_WIDGET_SDK_UNAVAILABLE') throw e;
      screen.notice('This bot is set to the Agent AI Web SDK (isAgentAISDK=true), but the SDK could not be loaded; the widget is shown in iframe mode instead. Set kore.webSdk.scriptUrl in kaa.config.json to use the SDK.');
    }
  }
  return mountAgentAssist(screen.widgetContainer, { url, allowHttpLoopback, logger });
}

function customerOf(participants: readonly GenesysParticipant[]): GenesysParticipant | undefined {
  return participants.find((p) => p.purpose === 'customer' || p.purpose === 'external');
}

/** The agent's active web-messaging session id (open question G12). */
function activeMessageSession(participant: GenesysParticipant): string | undefined {
  const sessions = (participant.messages ?? []) as readonly { id?: string; state?: string }[];
  return sessions.find((s) => s.state !== 'disconnected' && s.state !== 'terminated')?.id ?? sessions[0]?.id;
}

function isLoopback(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}
