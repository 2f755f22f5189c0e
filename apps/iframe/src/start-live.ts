import type { Logger } from '@kaa/core';
import { experienceOf, languageOf, signPlatformJwt, summaryLanguageOf } from '@kaa/core';
import type { BotRecord, KaaSettings, MediaKind, QueueRef, WidgetContext, WidgetLaunch } from '@kaa/core';
import { createNotifications } from '@kaa/genesys-adapter';
import type { GenesysApi } from '@kaa/genesys-adapter';
import { createKoreEventsClient, createWidgetEndClaim, resolveKoreApiHost } from '@kaa/kore-client';
import type { AgentAssistView, KoreEventsTransport } from '@kaa/kore-client';
import { startLiveFeed } from './live-feed.js';
import type { LiveFeed } from './live-feed.js';
import type { PageEnv } from './page-env.js';
import type { Screen } from './screen.js';

/** What {@link startLive} needs from the page's earlier steps. */
export interface StartLiveInput {
  env: PageEnv;
  ctx: WidgetContext;
  settings: KaaSettings;
  /** The bot: a bot-table record (its app signs the hooks calls), or the token broker's public `bot` with {@link StartLiveInput.koreTransport}. */
  record: Pick<BotRecord, 'botId' | 'agentAssistWidgetUrl' | 'audiohookEnabled'> & {
    clientId?: string;
    clientSecret?: string;
    languageCode?: string | undefined;
  };
  /** Where the hooks and hold calls go instead of being signed here: the token broker (docs/architecture.md#broker-mode). */
  koreTransport?: KoreEventsTransport;
  me: { id: string; name?: string; email?: string };
  queue: QueueRef;
  media: MediaKind | undefined;
  credentials: WidgetLaunch;
  api: GenesysApi;
  conversation: unknown;
  /** The customer's display name (the chat history of a `postMessage` end). */
  customerName?: string | undefined;
  view: AgentAssistView;
  screen: Screen;
  logger: Logger;
  tokenExpiresAt: () => number | null;
  relogin: () => Promise<unknown>;
}

/**
 * Step 8 wiring, loaded as its own chunk while step 4's requests are in flight: the Kore hooks / hold-sink
 * client (config `lifecycleChannel` = `hooks`) or the widget's own end of conversation (`postMessage`), the Genesys notification channel (the user's conversations
 * topic, plus the transcription topic for a call when `AudiohookEnabled` is false), and the live feed.
 *
 * @example
 * ```ts
 * const { startLive } = await import('./start-live.js');
 * const { feed } = startLive({ env, ctx, settings, record, me, queue, media, credentials, api, conversation, view, screen, logger, tokenExpiresAt, relogin });
 * ```
 */
export function startLive(input: StartLiveInput): { feed: LiveFeed; topics: string[] } {
  const { env, ctx, settings, record, me, queue, credentials, logger } = input;
  const experience = experienceOf(input.media ?? 'call');
  const language = languageOf(ctx.lang, settings.kore.language ?? record.languageCode);
  const koreEvents =
    settings.lifecycleChannel === 'hooks'
      ? createKoreEventsClient({
          // setting kore.apiHost (embedded by kaa page --dist), else the bot's Agent AI host (docs/assumptions.md#kore-data-table-api-host)
          baseUrl: resolveKoreApiHost({ apiHost: settings.kore.apiHost, agentAiUrl: record.agentAssistWidgetUrl }),
          botId: record.botId,
          ...(input.koreTransport
            ? { transport: input.koreTransport }
            : { clientId: record.clientId, clientSecret: record.clientSecret, signPlatformJwt }),
          fetch: env.fetch,
          now: env.now,
          settings: {
            pathPrefix: settings.kore.hooks.pathPrefix,
            authHeader: settings.kore.hooks.authHeader,
            transferTypeCase: settings.kore.hooks.transferTypeCase,
            isExtADAsString: settings.kore.hooks.isExtADAsString,
          },
          conversationId: ctx.conversationId,
          agent: {
            id: me.id,
            name: me.name ?? me.id,
            customFields: {
              ...(me.email ? { agentEmail: me.email } : {}),
              ...(queue.id ? { queueId: queue.id } : {}),
              ...(queue.name ? { queueName: queue.name } : {}),
            },
          },
          experience,
          language,
          redialLeadingExit: settings.kore.hooks.redialLeadingExit,
          // kore.hooks.triggerSummary: TRIGGER_SUMMARY_EVENT after the last NA/exit, before END_OF_CONVERSATION
          summary: settings.kore.hooks.triggerSummary ? summaryLanguageOf(language) : false,
          storage: env.localStorage,
          sendEventsToVG: ctx.sendEventsToVG ?? false,
          hold: {
            sink: settings.hold.sink,
            ...(settings.hold.customUrl ? { customUrl: settings.hold.customUrl } : {}),
          },
          logger,
        })
      : null;
  // an AudioHook call: Genesys streams the audio to Kore, which feeds the widget; the page relays no utterance
  const transcribe = credentials.isCall && !credentials.audiohook;
  const topics = [
    `v2.users.${me.id}.conversations`,
    ...(transcribe ? [`v2.conversations.${ctx.conversationId}.transcription`] : []),
  ];
  const notifications = createNotifications({
    api: input.api,
    WebSocket: env.WebSocket,
    topics,
    storage: env.sessionStorage,
    storageKey: `kaa.genesys.channel.${ctx.conversationId}`,
    now: env.now,
    logger,
    tokenExpiresAt: input.tokenExpiresAt,
    reauth: input.relogin,
  });
  const feed = startLiveFeed({
    conversationId: ctx.conversationId,
    userId: me.id,
    api: input.api,
    notifications,
    view: input.view,
    koreEvents,
    firstSnapshot: input.conversation,
    partials: settings.transcripts.partials,
    holdWindowMs: settings.transcripts.holdWindowMs,
    ...(transcribe ? { silenceHintMs: settings.transcripts.silenceHintSeconds * 1000 } : {}),
    ...(transcribe && input.queue.id !== undefined
      ? {
          readQueue: async () => ({
            ...(await input.api.getQueue(input.queue.id as string, { priority: 'low' })),
            ...(input.queue.name !== undefined && { name: input.queue.name }),
          }),
        }
      : {}),
    ...(credentials.secureCustomData && credentials.secureTransport === 'message'
      ? { secureCustomData: credentials.secureCustomData }
      : {}),
    ...(settings.lifecycleChannel === 'postMessage'
      ? {
          widgetEnd: {
            botId: record.botId,
            names: { customer: input.customerName ?? 'Customer', agent: me.name ?? me.id },
            now: env.now,
            ...createWidgetEndClaim({
              storage: env.localStorage,
              botId: record.botId,
              conversationId: ctx.conversationId,
              now: env.now,
            }),
          },
        }
      : {}),
    showWidget: ctx.showWidget ?? true,
    notice: (text) => input.screen.notice(text),
    fail: (error) => input.screen.fail(error),
    logger,
  });
  return { feed, topics };
}
