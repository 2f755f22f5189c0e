// Over 300 lines on purpose: the page's numbered steps, in order, that run-page.ts calls; each step is a short function.
import { createBrokerClient } from '@kaa/broker/client';
import type { BrokerClient } from '@kaa/broker/client';
import {
  activeMessageSessionId,
  allowsHttpLoopback,
  brokerUrlOf,
  checkFramed,
  checkKoreHostAllowed,
  checkLinkAllowed,
  desktopOrigins,
  findCustomerParticipant,
  isLoopbackUrl,
  pageRedirectUris,
  parseWidgetContext,
  resolveEnvironment,
  toAuthStateContext,
} from '@kaa/core';
import type {
  BotLookup,
  BotRecord,
  BrokerLaunchResponse,
  GenesysEnvironment,
  GenesysParticipant,
  KaaSettings,
  Logger,
  MediaKind,
  QueueRef,
  WidgetContext,
  WidgetLaunch,
  WidgetLaunchRecord,
} from '@kaa/core';
import {
  clearRedirectLogin,
  createGenesysApi,
  createGenesysAuth,
  pendingLoginQuery,
  staleRedirectLogin,
} from '@kaa/genesys-adapter';
import type { ClientAppLifecycle, GenesysApi, GenesysAuth, LoginRequest } from '@kaa/genesys-adapter';
import type { AgentAssistView } from '@kaa/kore-client';
import type { LiveFeed } from './live-feed.js';
import { createPageRateBudget } from './page-rate-budget.js';
import type { PageEnv } from './page-env.js';
import { describeBotSourceRead, readBotSource } from './read-bot-source.js';
import type { BotSourceRead } from './read-bot-source.js';
import type { Screen } from './screen.js';
import type { PageSecrets } from './secrets.js';
import type { Timeline } from './timeline.js';

// The page's steps, one function each, in the order `runPage` (run-page.ts) calls them. Each decision is a call into
// core or an adapter; a step only wires them, records itself in the timeline and adds the secrets it sees.

/** The code of steps 5–7 (`conversation-and-widget.ts`), a chunk the page imports during step 4. */
export type ConversationAndWidget = typeof import('./conversation-and-widget.js');

/** What every step of one page run shares. */
export interface PageRun {
  readonly env: PageEnv;
  /** The page URL without query or hash. */
  readonly pageUrl: string;
  /** The landing URL's query and fragment, merged (an OAuth answer may come in either). */
  readonly landing: URLSearchParams;
  readonly secrets: PageSecrets;
  readonly screen: Screen;
  readonly timeline: Timeline;
  readonly logger: Logger;
  readonly lifecycle: ClientAppLifecycle;
  /** Moves the page to a phase (`document.body.dataset.kaaPhase`); nothing moves after `stopped`. */
  readonly phase: { (name: string): void; readonly current: string };
  /** Turns the debug timeline and debug logging on. */
  showDebug(): void;
}

/** Step 1: the widget context; after an OAuth redirect, the original query comes from the login record. */
export async function readContext(run: PageRun): Promise<{ ctx: WidgetContext; query: string }> {
  const { env, secrets } = run;
  run.phase('context');
  const query = pendingLoginQuery(env.location, env.sessionStorage) ?? env.location.search.replace(/^\?/, '');
  const ctx = await run.timeline.run(
    '1 context',
    () => parseWidgetContext(`${run.pageUrl}?${query}`),
    (c) => `conversation ${c.conversationId}; bot source ${c.botSource.kind}`,
  );
  if (ctx.botSource.kind === 'kore-data-table') secrets.add(ctx.botSource.datatable.token);
  secrets.add(ctx.passthruMetadata);
  if (ctx.debug) run.showDebug();
  return { ctx, query };
}

/** Step 2: the Genesys environment (with the settings' extra environments); its desktop origins may send lifecycle hooks. */
export async function findEnvironment(
  run: PageRun,
  ctx: WidgetContext,
  settings: KaaSettings,
): Promise<GenesysEnvironment> {
  run.phase('environment');
  const environment = await run.timeline.run(
    '2 environment',
    () => resolveEnvironment(ctx, settings.genesys.environments, { enable: settings.genesys.enableEnvironments }),
    (e) => `${e.name}: api ${e.apiBase}, login ${e.loginBase}`,
  );
  // lifecycle hooks: exactly the desktop origins Genesys uses (held until now, docs/genesys-protocol.md#client-app-sdk-lifecycle-protocol)
  for (const origin of desktopOrigins(
    environment.appsOrigin,
    run.env.ancestorOrigins?.[0],
    settings.genesys.environments,
  ))
    run.lifecycle.trust(origin);
  // what the link chose must be what this deployment pins (settings allow), before any sign-in: docs/deploy.md#pinning-what-a-link-may-choose
  checkFramed({ framed: isFramed(run.env.window), loopback: isLoopbackUrl(environment.apiBase) }, settings.allow);
  checkLinkAllowed(ctx, environment.name, settings.allow);
  return environment;
}

/** What step 3 gives the later steps once signed in. */
export interface SignedInPage {
  readonly auth: GenesysAuth;
  /** Signs in again (a 401 from Genesys): the same login path, after a click when it is a popup. */
  readonly relogin: () => Promise<void>;
}

/**
 * Step 3: finish a login answer in the URL, reuse a stored token, or start a login — in the frame (redirect) or, when
 * asked, when the browser blocks storage or when the last in-frame login never came back, in a popup after a click.
 * `'redirecting'`: the frame is navigating to the Genesys login page.
 */
export async function logIn(
  run: PageRun,
  ctx: WidgetContext,
  settings: KaaSettings,
  environment: GenesysEnvironment,
  query: string,
): Promise<SignedInPage | 'redirecting'> {
  const { env, screen, secrets, logger, lifecycle } = run;
  run.phase('login');
  const framingFailed = redirectNeverAnswered(settings.auth, ctx.usePopupAuth === true, run.landing, env);
  if (framingFailed)
    logger.warn('the last in-iframe Genesys login never came back; signing in through a popup', {
      ageMs: framingFailed.ageMs,
      grant: framingFailed.grant,
    });
  if (env.storageBlocked) {
    logger.warn(
      'the browser blocks site data for this frame (third-party storage): signing in through a popup, nothing is remembered between interactions',
    );
    screen.notice(storageBlockedNotice(env.location.origin));
  }
  // without storage an in-iframe redirect would lose its login record: the popup keeps the page (and its memory) alive
  const popup =
    env.storageBlocked === true ||
    settings.auth.mode === 'popup' ||
    (settings.auth.mode === 'auto' && (ctx.usePopupAuth === true || framingFailed !== null));
  const redirectUris = pageRedirectUris(run.pageUrl, settings.auth);
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
      if (w.stage === 'opened')
        screen.status(`Waiting for the Genesys Cloud sign-in in the popup window (${w.loginOrigin})…`);
      else
        screen.status(
          `Still waiting for the Genesys Cloud sign-in in the popup window. If it shows an error about the redirect URI, OAuth client "${w.clientId}" does not list ${w.redirectUri}: add exactly that URI to its Authorized redirect URIs in Genesys Cloud (kaa url lists it), then sign in again. Otherwise, finish signing in in the popup.`,
        );
    },
  });
  const loginRequest: LoginRequest = {
    ctx: { ...toAuthStateContext(ctx), ...(ctx.grant ? { grant: ctx.grant } : {}) },
    originalQuery: query,
  };
  const why = env.storageBlocked
    ? POPUP_WITHOUT_STORAGE
    : framingFailed
      ? POPUP_AFTER_FRAMING_FAILURE
      : POPUP_REQUESTED;
  const askToClick = (label: string) => {
    const clicked = screen.askToClick(label, why);
    screen.status('Waiting for you to sign in: the assistant starts after the sign-in below.'); // "Starting…" would read as a hang
    lifecycle.ready(); // the sign-in button is on screen
    return clicked;
  };
  const signedIn = await run.timeline.run(
    '3 login',
    () => signIn(auth, loginRequest, popup, askToClick, env.location),
    (r) =>
      r === 'redirecting'
        ? 'redirecting to the Genesys login page'
        : `token (${r.grant})${framingFailed ? ' via popup: the in-iframe login never came back' : ''}`,
  );
  if (signedIn === 'redirecting') {
    screen.status('Signing in to Genesys Cloud…');
    run.phase('redirecting');
    lifecycle.ready(); // the frame shows the Genesys login page next
    return 'redirecting';
  }
  secrets.add(signedIn.accessToken);
  const relogin = async () => {
    auth.clearToken();
    const again = await signIn(auth, loginRequest, popup, askToClick, { ...env.location, search: '', hash: '' }); // the answer of this load is spent
    if (again === 'redirecting')
      await new Promise<never>(() => undefined); // the page is navigating away
    else secrets.add(again.accessToken);
  };
  return { auth, relogin };
}

/**
 * The Genesys API client of the signed-in page, with one request budget for every instance of this user
 * (BroadcastChannel, docs/assumptions.md#genesys-per-user-rate-limit); only droppable reads are 'low'.
 */
export function connectApi(
  run: PageRun,
  ctx: WidgetContext,
  settings: KaaSettings,
  environment: GenesysEnvironment,
  login: SignedInPage,
): GenesysApi {
  const { env, logger } = run;
  const rateBudget = createPageRateBudget({
    genesysClientId: ctx.genesysClientId,
    perMinute: settings.genesys.rateLimitPerMinute,
    now: env.now,
    BroadcastChannel: env.BroadcastChannel,
    logger,
  });
  if (rateBudget) env.window.addEventListener('pagehide', () => rateBudget.close(), { once: true });
  return createGenesysApi({
    environment,
    auth: { getToken: () => login.auth.getToken()?.accessToken ?? null, relogin: login.relogin },
    fetch: env.fetch,
    logger,
    ...(rateBudget ? { rateBudget } : {}),
  });
}

/** What step 4 read, and the code of the later steps, imported while the requests were in flight. */
export interface PageReads {
  readonly me: { id: string; name?: string; email?: string };
  readonly conversation: unknown;
  /** Browser mode: the bot source read. */
  readonly botSource?: BotSourceRead;
  /** Broker mode: the launch the token broker minted (docs/architecture.md#broker-mode). */
  readonly brokerLaunch?: BrokerLaunchResponse;
  readonly steps: ConversationAndWidget;
  readonly secureModule: Promise<typeof import('./secure-custom-data.js')>;
  readonly liveModule: Promise<typeof import('./start-live.js')>;
}

/**
 * Step 4, one round trip: users/me ∥ conversation ∥ bot source read. The Genesys reads go out first (nothing else
 * may delay them). The first chunk holds only what runs before them; the code of steps 5–8 is in chunks that
 * index.html modulepreloads, imported here so they are evaluated while the requests are in flight.
 */
export async function readInParallel(
  run: PageRun,
  ctx: WidgetContext,
  settings: KaaSettings,
  api: GenesysApi,
  environment: GenesysEnvironment,
  broker?: BrokerClient,
): Promise<PageReads> {
  const { env, timeline } = run;
  run.phase('fetch');
  const reads = Promise.all([
    timeline.run(
      '4 users/me',
      () => api.getMe(),
      (u) => `user ${u.id}`,
    ),
    timeline.run(
      '4 conversation',
      () => api.getConversation(ctx.conversationId),
      (c) => `${c.participants?.length ?? 0} participants`,
    ),
    broker
      ? timeline
          .run(
            '4 broker launch',
            () =>
              broker.launch({
                conversationId: ctx.conversationId,
                lang: ctx.lang,
                passthruMetadata: ctx.passthruMetadata,
              }),
            (l) => `bot ${l.bot.botId} for queue "${l.queue.name ?? l.queue.id ?? '(none)'}"`,
          )
          .then((brokerLaunch) => ({ brokerLaunch }))
      : timeline
          .run(
            '4 bot source',
            () =>
              readBotSource({
                ctx,
                settings,
                api,
                fetch: env.fetch,
                now: env.now,
                logger: run.logger,
                allowHttpLoopback: allowsHttpLoopback(environment),
              }),
            describeBotSourceRead,
          )
          .then((botSource) => ({ botSource })),
  ]);
  const stepsModule = import('./conversation-and-widget.js');
  const secureModule = import('./secure-custom-data.js');
  const liveModule = import('./start-live.js');
  for (const pending of [reads, stepsModule, secureModule, liveModule]) pending.catch(() => undefined);
  run.screen.status(
    broker
      ? 'Reading the conversation and asking the token broker for the assistant…'
      : 'Reading the conversation and the bot table…',
  );
  const [me, conversation, source] = await reads;
  return { me, conversation, ...source, steps: await stepsModule, secureModule, liveModule };
}

/**
 * Broker mode (settings `tokens.*`, core's `brokerUrlOf`): the token broker's client with the signed-in agent's token,
 * or undefined when the page mints in the browser. With a broker the page reads no bot table and holds no bot secret.
 */
export function connectBroker(
  run: PageRun,
  settings: KaaSettings,
  environment: GenesysEnvironment,
  login: SignedInPage,
): BrokerClient | undefined {
  const serverUrl = brokerUrlOf(settings.tokens);
  if (serverUrl === undefined) return undefined;
  return createBrokerClient({
    serverUrl,
    environment: environment.name,
    fetch: run.env.fetch,
    getToken: () => login.auth.getToken()?.accessToken ?? null,
    tokenExpiresAt: () => login.auth.getToken()?.expiresAt ?? null,
    relogin: login.relogin,
  });
}

/** The bot the widget needs: a bot-table record, or the broker's public fields (no secret). */
export type PageBot = Pick<BotRecord, 'botId' | 'agentAssistWidgetUrl' | 'audiohookEnabled' | 'isAgentAISDK'> & {
  clientId?: string;
  clientSecret?: string;
  languageCode?: string | undefined;
};

/** What step 5 resolved: this agent's participant, the queue, the media and the bot record. */
export interface ResolvedBot {
  readonly participant: GenesysParticipant;
  readonly queue: QueueRef;
  readonly media: MediaKind | undefined;
  readonly record: PageBot;
  /** The conversation as parsed (the customer participant is read from it). */
  readonly parsed: ReturnType<ConversationAndWidget['parseConversation']>;
}

/**
 * Step 5: this agent, the queue, the bot record — the lookup of step 4 with the routing settings (caseSensitive,
 * fullNameFallback, defaultRow, noQueuePolicy) decides, including an interaction without a queue. `kaa doctor` runs
 * the same lookup (core's `botLookupOptions`); a test holds the two to the same answers.
 */
export async function resolveBot(
  run: Pick<PageRun, 'timeline' | 'secrets' | 'phase'>,
  steps: ConversationAndWidget,
  input: { conversation: unknown; userId: string; lookup: BotLookup },
): Promise<ResolvedBot & { record: WidgetLaunchRecord }> {
  run.phase('resolve');
  const parsed = steps.parseConversation(input.conversation);
  const participant = await run.timeline.run(
    '5 agent',
    () => steps.findAgentParticipant(parsed, input.userId),
    (p) => `participant ${p.id ?? '?'}`,
  );
  const queue = steps.queueOf(parsed, participant);
  const record: WidgetLaunchRecord = await run.timeline.run(
    '5 bot record',
    () => input.lookup.forQueue(queue),
    (r) => `queue "${queue.name ?? queue.id ?? '(none)'}" → bot ${r.botId}`,
  );
  run.secrets.add(record.clientSecret, record.rsPrivatePem);
  return { participant, queue, media: steps.mediaOf(participant, undefined), record, parsed };
}

/**
 * Steps 5–6 in broker mode: this agent's participant, queue and media from the conversation the page read (the live
 * feed needs them), the bot's public fields and the launch from the broker's answer (the broker resolved and minted
 * with core's same rules). The broker's answer chooses where the widget loads, as the table does in browser mode, so
 * the same pin applies (setting `allow.koreHosts`, core's `checkKoreHostAllowed`; docs/deploy.md#pinning-what-a-link-may-choose):
 * to the bot's AgentAssistWidgetURL (the SDK view's domain) and to the widget URL the iframe loads.
 */
export function resolveFromBroker(
  run: Pick<PageRun, 'timeline' | 'secrets' | 'phase'>,
  steps: ConversationAndWidget,
  input: { conversation: unknown; userId: string; launch: BrokerLaunchResponse; allow: KaaSettings['allow'] },
): { resolved: ResolvedBot; launch: WidgetLaunch } {
  run.phase('resolve');
  const parsed = steps.parseConversation(input.conversation);
  const participant = steps.findAgentParticipant(parsed, input.userId);
  const queue = steps.queueOf(parsed, participant);
  const { bot } = input.launch;
  const widget = brokerWidget(run, input.launch, input.allow);
  run.timeline.note(
    '6 token',
    `minted by the token broker; widget ${steps.describeWidgetUrl(widget.url, run.secrets.list())}${widget.secureCustomData ? '; secure custom data encrypted' : ''}`,
  );
  return {
    resolved: { participant, queue, media: steps.mediaOf(participant, undefined), record: { ...bot }, parsed },
    launch: widget,
  };
}

/** A launch from the broker: its credentials join the page's secrets, and where it loads the widget must be pinned. */
function brokerWidget(
  run: Pick<PageRun, 'secrets'>,
  launch: BrokerLaunchResponse,
  allow: KaaSettings['allow'],
): WidgetLaunch {
  const { bot, widget } = launch;
  run.secrets.add(widget.token, widget.secureCustomData);
  checkKoreHostAllowed(bot.agentAssistWidgetUrl, allow);
  checkKoreHostAllowed(widget.url, allow);
  return widget;
}

/**
 * Broker mode's next launch for the secure-custom-data refresh: `POST /v1/launch` again (the broker holds the bot
 * secret and mints; docs/assumptions.md#secure-custom-data-lifetime-and-refresh), held to the same pins as the first.
 */
export function brokerRelaunch(
  run: Pick<PageRun, 'secrets'>,
  broker: BrokerClient,
  input: { ctx: Pick<WidgetContext, 'conversationId' | 'lang' | 'passthruMetadata'>; allow: KaaSettings['allow'] },
): () => Promise<WidgetLaunch> {
  return async () =>
    brokerWidget(
      run,
      await broker.launch({
        conversationId: input.ctx.conversationId,
        lang: input.ctx.lang,
        passthruMetadata: input.ctx.passthruMetadata,
      }),
      input.allow,
    );
}

/** Step 6: tokens, custom data, secure custom data, widget URL — core's `mintWidgetLaunch` (the JWE code is its own chunk). */
export async function mintLaunch(
  run: Pick<PageRun, 'timeline' | 'secrets' | 'phase'>,
  steps: ConversationAndWidget,
  input: {
    resolved: ResolvedBot & { record: WidgetLaunchRecord };
    ctx: Pick<WidgetContext, 'conversationId' | 'lang' | 'passthruMetadata'>;
    settings: KaaSettings;
    userId: string;
    conversation: unknown;
    now: () => number;
    secureModule: PageReads['secureModule'];
  },
): Promise<WidgetLaunch> {
  const { secrets } = run;
  run.phase('token');
  const launch = await run.timeline.run(
    '6 token',
    () => mintOnce(steps, input),
    (c) =>
      `widget ${steps.describeWidgetUrl(c.url, secrets.list())}${c.secureCustomData ? '; secure custom data encrypted' : ''}${c.missingSecureKeys.length ? `; no value for ${c.missingSecureKeys.join(', ')}` : ''}`,
  );
  secrets.add(launch.token, launch.secureCustomData);
  return launch;
}

/** The mounted widget: the iframe host (which can reload with a fresh URL) or the SDK-mode view. */
export type MountedView = Awaited<ReturnType<ConversationAndWidget['mountView']>>;

/** Browser mode's next launch for the secure-custom-data refresh: `mintWidgetLaunch` again, with the current time. */
export function browserRelaunch(
  run: Pick<PageRun, 'secrets'>,
  steps: ConversationAndWidget,
  input: Parameters<typeof mintLaunch>[2],
): () => Promise<WidgetLaunch> {
  return async () => {
    const next = await mintOnce(steps, input);
    run.secrets.add(next.token, next.secureCustomData);
    return next;
  };
}

/** One `mintWidgetLaunch` for the resolved bot: step 6, and each secure-custom-data refresh after it. */
function mintOnce(steps: ConversationAndWidget, input: Parameters<typeof mintLaunch>[2]): Promise<WidgetLaunch> {
  const { record, media } = input.resolved;
  return steps.mintWidgetLaunch({
    record,
    context: input.ctx,
    settings: input.settings,
    userId: input.userId,
    conversation: input.conversation,
    media,
    now: new Date(input.now()),
    encrypt: async (...args) => (await input.secureModule).encryptSecureCustomData(...args),
  });
}

/**
 * After step 8: a fresh JWE before the current one expires (docs/assumptions.md#secure-custom-data-lifetime-and-refresh) — on the next
 * utterances, or in a reloaded widget URL. Web SDK mode has no published way to receive secure custom data: the agent
 * is told so instead.
 */
export function keepSecureDataFresh(
  run: PageRun,
  steps: ConversationAndWidget,
  input: { botId: string; mint: () => Promise<WidgetLaunch>; launch: WidgetLaunch; view: MountedView; feed: LiveFeed },
): void {
  const { env, screen, logger, lifecycle } = run;
  const { launch, view, feed } = input;
  if (!launch.secureCustomData) return;
  if (view.mode === 'sdk') {
    logger.warn('secure custom data is not delivered in Web SDK mode', { botId: input.botId });
    screen.notice(
      'This bot has a KvpConfig (secure custom data), but the Agent AI Web SDK mode has no published way to receive it, so Agent AI does not get it. Use iframe mode (isAgentAISDK=false) for bots that need secure custom data.',
    );
    return;
  }
  const refresher = steps.keepSecureCustomDataFresh({
    first: launch,
    mint: input.mint,
    apply: (next) => {
      if (next.secureTransport === 'urlParam' && view.mode === 'iframe') view.reload(next.url);
      else if (next.secureCustomData) feed.setSecureCustomData(next.secureCustomData);
    },
    now: env.now,
    timers: {
      setTimeout: (cb, ms) => env.window.setTimeout(cb, ms),
      clearTimeout: (h) => env.window.clearTimeout(h as number),
    },
    logger,
    notice: (text) => screen.notice(text),
  });
  void feed.finished.then(() => refresher.stop());
  lifecycle.on('stop', () => refresher.stop());
}

/**
 * Step 7: the widget (or the SDK-mode view) from the minted launch.
 */
export async function mountWidget(
  run: PageRun,
  steps: ConversationAndWidget,
  input: {
    ctx: WidgetContext;
    settings: KaaSettings;
    environment: GenesysEnvironment;
    resolved: ResolvedBot;
    launch: WidgetLaunch;
  },
): Promise<MountedView> {
  const { screen, logger } = run;
  const { ctx, settings, resolved } = input;
  run.phase('mount');
  screen.status('');
  return run.timeline.run(
    '7 widget',
    () =>
      steps.mountView({
        record: resolved.record,
        conversationId: ctx.conversationId,
        settings,
        launch: input.launch,
        screen,
        allowHttpLoopback: allowsHttpLoopback(input.environment),
        logger,
      }),
    (v) => `${v.mode} mode`,
  );
}

/** Wires the mounted widget: errors to the panel, agent and customer info, and (messaging) its send button. */
export function wireWidget(
  run: PageRun,
  view: AgentAssistView,
  input: { ctx: WidgetContext; api: GenesysApi; me: PageReads['me']; resolved: ResolvedBot },
): void {
  const { screen } = run;
  const { ctx, api, me, resolved } = input;
  view.on('error', (error) => screen.fail(error));
  view.setAgentInfo({ agentId: me.id, ...(me.name ? { agentName: me.name } : {}) });
  const customer = findCustomerParticipant(resolved.parsed);
  if (customer?.id)
    view.setUserInfo({
      userId: customer.id,
      ...(typeof customer.name === 'string' ? { userName: customer.name } : {}),
    });
  if (resolved.media === 'message') {
    view.on('send', (m) => {
      const communicationId = activeMessageSessionId(resolved.participant);
      if (communicationId)
        void api.sendMessage(ctx.conversationId, communicationId, m.text).catch((e: unknown) => screen.fail(e));
    });
  }
}

/** Step 8: the live feed (its code was fetched in parallel with step 4); resolves once it has started. */
export async function startFeed(
  run: PageRun,
  live: typeof import('./start-live.js'),
  input: {
    ctx: WidgetContext;
    settings: KaaSettings;
    api: GenesysApi;
    reads: PageReads;
    resolved: ResolvedBot;
    launch: WidgetLaunch;
    view: AgentAssistView;
    login: SignedInPage;
    broker?: BrokerClient | undefined;
    onFeed: (feed: LiveFeed) => void;
  },
): Promise<LiveFeed> {
  const { env, screen, logger } = run;
  const { ctx, settings, api, reads, resolved, launch, view, login } = input;
  const customerName = findCustomerParticipant(resolved.parsed)?.name;
  const { feed, topics } = live.startLive({
    env,
    ctx,
    settings,
    record: resolved.record,
    me: reads.me,
    queue: resolved.queue,
    media: resolved.media,
    credentials: launch,
    api,
    conversation: reads.conversation,
    customerName: typeof customerName === 'string' ? customerName : undefined,
    view,
    screen,
    logger,
    tokenExpiresAt: () => login.auth.getToken()?.expiresAt ?? null,
    relogin: login.relogin,
    ...(input.broker ? { koreTransport: input.broker.koreTransport() } : {}),
  });
  input.onFeed(feed);
  await run.timeline.run(
    '8 live feed',
    () => feed.started,
    () => topics.map((t) => t.replace(/^v2\.(users|conversations)\.[^.]+\./, '$1.')).join(', '),
  );
  return feed;
}

/** Inside a frame (the desktop's Interaction Widget); a cross-origin `top` still compares by identity. */
function isFramed(window: Window): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true;
  }
}

type SignedIn = 'redirecting' | { accessToken: string; grant: string };

const POPUP_REQUESTED = 'The Agent AI assistant needs you to sign in to Genesys Cloud in a popup window.';
const POPUP_WITHOUT_STORAGE =
  'The Agent AI assistant needs you to sign in to Genesys Cloud in a popup window (this browser does not let the panel keep a sign-in).';
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
function redirectNeverAnswered(
  auth: { mode: 'auto' | 'redirect' | 'popup'; staleRedirectMs: number },
  usePopupAuth: boolean,
  landing: URLSearchParams,
  env: PageEnv,
): { ageMs: number; grant: string } | null {
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
  location: PageEnv['location'],
): Promise<SignedIn> {
  const answer = await auth.handleRedirect({
    search: location.search,
    hash: location.hash,
    pathname: location.pathname,
  });
  if (answer?.kind === 'redirecting') return 'redirecting';
  if (answer?.kind === 'token') return answer.token;
  const stored = auth.getToken();
  if (stored) return stored;
  if (popup) await askToClick('Sign in to Genesys Cloud');
  const result = await auth.login(request);
  return result.kind === 'redirecting' ? 'redirecting' : result.token;
}
