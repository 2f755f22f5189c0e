import { silentLogger } from '@kaa/core';
import type { Logger } from '@kaa/core';
import {
  KaaError,
  allowsHttpLoopback,
  botLookupOptions,
  issuePath,
  decodeJwtUnverified,
  describeWidgetUrl,
  encryptSecureCustomData,
  experienceOf,
  findAgentParticipant,
  mediaOf,
  parseConversation,
  parseSettings,
  queueOf,
  resolveEnvironment,
  mintWidgetLaunch,
} from '@kaa/core';
import type {
  BotRecord,
  GenesysEnvironment,
  KaaSettingsInput,
  KoreExperience,
  MediaKind,
  QueueRef,
  XMetadataDatatable,
} from '@kaa/core';
import { createClientCredentialsAuth, createGenesysApi } from '@kaa/genesys-adapter';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { z } from 'zod';

/**
 * Options of {@link resolveBotForConversation}. Everything that touches the outside world is injected.
 *
 * @example
 * ```ts
 * const options: ResolveBotForConversationOptions = {
 *   conversationId: 'c0a00000-0000-4000-8000-000000000001',
 *   agentUserId: 'a9e00000-0000-4000-8000-000000000001',
 *   hostOrigin: 'https://apps.mypurecloud.ie',
 *   genesysClientId: 'c1a00000-0000-4000-8000-00000000000c',
 *   genesysClientSecret: process.env.GENESYS_CLIENT_SECRET!,
 *   datatable: { name: 'kaa_bots', token: process.env.KAA_TABLE_TOKEN!, qDelimiter: '_' },
 *   settings: { kore: { apiHost: 'https://bots.kore.ai' } },
 *   fetch: (url, init) => fetch(url, init),
 *   now: Date.now,
 * };
 * ```
 */
export interface ResolveBotForConversationOptions {
  /** The Genesys conversation id (`{{gcConversationId}}`). */
  conversationId: string;
  /**
   * The agent's Genesys user id. Client credentials have no user (`users/me` answers 400), so the caller names the
   * agent whose participant, queue and widget token are wanted (the widget JWT's `sub`).
   */
  agentUserId: string;
  /** The desktop origin (`{{gcHostOrigin}}`, e.g. `https://apps.mypurecloud.ie`) or a bare domain (`mypurecloud.ie`). */
  hostOrigin: string;
  /** `{{gcTargetEnv}}` (e.g. `prod-euw1`); when given it must name the same environment. */
  targetEnv?: string | undefined;
  /** A Genesys OAuth client with the Client Credentials grant. */
  genesysClientId: string;
  /** Its secret: never printed, never in an error. */
  genesysClientSecret: string;
  /** The `x_metadata` datatable (`{name, token, qDelimiter}`), e.g. from core's `parseXMetadata`. The token is a secret. */
  datatable: XMetadataDatatable;
  /** Genesys `gcLangTag` (`en-us`): the widget's `interactiveLanguage` unless `kore.language` is set. */
  lang?: string | undefined;
  /** `x_passthru_metadata`: forwarded as `customData.internalMetaData` (setting `passthru.forward`). */
  passthruMetadata?: string | undefined;
  /**
   * kaa settings, the same shape the page and the CLI read (core's `KaaSettingsSchema`). Used here: `kore.apiHost`
   * (required: a server has no page origin to derive the Data Table host from, docs/assumptions.md#kore-data-table-api-host), `kore.jwt.*`,
   * `kore.source`, `kore.agentAssistUrl`, `kore.language`, `jwe.*`, `passthru.forward`, `routing.*` and
   * `genesys.environments` / `genesys.enableEnvironments` (how the sandbox's 127.0.0.1 region resolves).
   */
  settings?: KaaSettingsInput | undefined;
  /** `fetch`, injected. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Clock, epoch milliseconds. */
  now: () => number;
  /** Receives redacted lines only. Default: silent. */
  logger?: Logger | undefined;
}

/**
 * What {@link resolveBotForConversation} prints: every fact an operator needs to check the routing, and no secret
 * (no ClientSecret, no token, no JWE, no secure-data values; the widget URL goes through core's `describeWidgetUrl`).
 *
 * @example
 * ```ts
 * console.log(JSON.stringify((await resolveBotForConversation(options)).summary, null, 2));
 * ```
 */
export interface ResolvedBotSummary {
  conversationId: string;
  environment: string;
  agent: { userId: string; participantId: string | undefined };
  queue: QueueRef;
  media: MediaKind | undefined;
  experience: KoreExperience | undefined;
  bot: {
    botId: string;
    clientId: string;
    queueIdentifiers: readonly string[];
    algorithm: string;
    audiohookEnabled: boolean;
    isAgentAISDK: boolean;
    table: string | undefined;
    rowIndex: number | undefined;
    sysId: string | undefined;
  };
  /** Header and claims of the widget JWT (never the token itself). */
  widgetJwt: { alg: unknown; iss: unknown; sub: unknown; aud: unknown; iat: unknown; exp: unknown };
  /** Keys of `customData` (its values may be customer data). */
  customDataKeys: string[];
  /** The KvpConfig → JWE step: key names and JWE header only. `null` when the bot row has no KvpConfig. */
  secureCustomData: {
    keys: string[];
    missing: string[];
    alg: unknown;
    enc: unknown;
    kid: unknown;
    transport: string;
  } | null;
  /** The widget iframe `src` with token and custom data redacted. */
  widgetUrl: string;
  /** Milliseconds per step, from the injected clock. */
  timings: Record<string, number>;
}

/**
 * The result of {@link resolveBotForConversation}. Only `summary` is safe to print or log: `token`, `widgetUrl`,
 * `secureCustomData` and `record` hold secrets.
 *
 * @example
 * ```ts
 * const { summary, widgetUrl } = await resolveBotForConversation(options);
 * console.log(summary.bot.botId); // hand widgetUrl to the agent's browser over a private channel only
 * ```
 */
export interface ResolvedBot {
  summary: ResolvedBotSummary;
  /** The resolved bot record (holds ClientSecret and maybe RSPrivatePem). */
  record: BotRecord;
  environment: GenesysEnvironment;
  /** The widget JWT (iframe `token`). */
  token: string;
  /** The widget iframe `src`, token included. */
  widgetUrl: string;
  customData: Readonly<Record<string, unknown>>;
  /** The compact JWE to send with every utterance (`jwe.transport` `message`), when the row has a KvpConfig. */
  secureCustomData: string | undefined;
  isCall: boolean;
}

const text = z.string().trim().min(1).max(2048);
const optionsSchema = z.object({
  conversationId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a Genesys conversation id'),
  agentUserId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a Genesys user id'),
  hostOrigin: text,
  targetEnv: z.optional(text),
  genesysClientId: text,
  genesysClientSecret: text,
  datatable: z.object({ name: text, token: text, qDelimiter: z.optional(z.string().max(1)) }),
  lang: z.optional(text),
  passthruMetadata: z.optional(z.string().max(16_384)),
  fetch: z.custom<ResolveBotForConversationOptions['fetch']>((v) => typeof v === 'function', 'must be a function'),
  now: z.custom<() => number>((v) => typeof v === 'function', 'must be a function'),
});

/**
 * The page's steps 2–6, server-side with client credentials: resolve the Genesys environment, get a
 * client-credentials token, read the conversation (in parallel with the Kore Data Table rows), find the agent's
 * participant and queue, resolve the bot record, mint the widget JWT, compute `customData` and the KvpConfig
 * secure custom data (JWE), and build the widget URL.
 *
 * Errors are `KaaError`s from each step, e.g. `E_ENVIRONMENT_UNKNOWN`, `E_AUTH_DENIED`, `E_CONVERSATION_NOT_FOUND`,
 * `E_AGENT_NOT_PARTICIPANT`, `E_NO_QUEUE`, `E_QUEUE_NOT_MAPPED`, `E_QUEUE_AMBIGUOUS`, `E_BOT_ROW_INVALID`,
 * `E_JWE_KEY_INVALID`; bad options are `E_CONFIG_INVALID` naming the option (never its value).
 *
 * Assumptions: the Data Table host is `settings.kore.apiHost` (docs/assumptions.md#kore-data-table-api-host; `https://bots.kore.ai` for agentassist.kore.ai);
 * http widget URLs are accepted only when the Genesys environment itself is on a loopback host (the sandbox).
 *
 * @example
 * ```ts
 * import { resolveBotForConversation } from './resolve-bot-for-conversation.js';
 *
 * const resolved = await resolveBotForConversation({
 *   conversationId, agentUserId, hostOrigin: 'https://apps.mypurecloud.ie',
 *   genesysClientId, genesysClientSecret, datatable: parseXMetadata(process.env.KAA_X_METADATA!),
 *   settings: { kore: { apiHost: 'https://bots.kore.ai' } },
 *   fetch: (url, init) => fetch(url, init), now: Date.now,
 * });
 * console.log(resolved.summary.bot.botId, resolved.summary.widgetUrl); // token=[REDACTED]
 * ```
 */
export async function resolveBotForConversation(options: ResolveBotForConversationOptions): Promise<ResolvedBot> {
  const secrets = [options?.genesysClientSecret, options?.datatable?.token].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => ({
      key: issuePath(i.path, { root: '(options)' }),
      problem: i.message,
    }));
    throw new KaaError(
      'E_CONFIG_INVALID',
      `resolveBotForConversation was called with invalid options: ${issues.map((i) => `"${i.key}" ${i.problem}`).join('; ')}. Pass every required option.`,
      {
        details: { issues },
        secrets,
      },
    );
  }
  const input = checked.data;
  const settings = parseSettings(options.settings ?? {});
  const logger = options.logger ?? silentLogger;
  const now = options.now;
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, run: () => Promise<T> | T): Promise<T> => {
    const start = now();
    try {
      return await run();
    } finally {
      timings[step] = now() - start;
      logger.debug(`step ${step}`, { ms: timings[step] });
    }
  };

  const environment = await timed('environment', () =>
    resolveEnvironment({ hostOrigin: input.hostOrigin, targetEnv: input.targetEnv }, settings.genesys.environments, {
      enable: settings.genesys.enableEnvironments,
    }),
  );
  const allowHttpLoopback = allowsHttpLoopback(environment);
  const koreApiHost = settings.kore.apiHost;
  if (koreApiHost === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'No Kore Data Table host is configured. Set "kore.apiHost" to the Kore API origin of your Agent AI account (https://bots.kore.ai when Agent AI is https://agentassist.kore.ai).',
      { details: { key: 'kore.apiHost' } },
    );
  }

  const auth = createClientCredentialsAuth({
    clientId: input.genesysClientId,
    clientSecret: input.genesysClientSecret,
    environment,
    fetch: options.fetch,
    now,
    logger,
  });
  const api = createGenesysApi({ environment, auth, fetch: options.fetch, logger });
  const client = createDataTableClient(
    { baseUrl: koreApiHost, token: input.datatable.token },
    { fetch: options.fetch, now, logger, cacheTtlMs: settings.routing.cacheTtlSeconds * 1000 },
  );
  const source = createKoreTableBotSource({
    client,
    table: input.datatable.name,
    ...(input.datatable.qDelimiter !== undefined ? { qDelimiter: input.datatable.qDelimiter } : {}),
    lookup: botLookupOptions(settings, { allowHttpLoopback }),
  });

  // One round trip on the critical path: the bot table does not need the queue, so both reads start at once.
  const [lookup, rawConversation] = await timed('fetch', () =>
    Promise.all([source.load(), api.getConversation(input.conversationId)]),
  );

  const { conversation, participant, queue, media, record } = await timed('resolve', async () => {
    const conversation = parseConversation(rawConversation);
    const participant = findAgentParticipant(conversation, input.agentUserId);
    const queue = queueOf(conversation, participant);
    const media = mediaOf(participant);
    const record = await lookup.forQueue(queue);
    return { conversation, participant, queue, media, record };
  });
  const experience = media === undefined ? undefined : experienceOf(media);

  // Step 6, the same function the page calls: widget JWT, customData, KvpConfig → JWE, widget URL.
  const launch = await timed('tokens', () =>
    mintWidgetLaunch({
      record,
      context: { conversationId: input.conversationId, lang: input.lang, passthruMetadata: input.passthruMetadata },
      settings,
      userId: input.agentUserId,
      conversation,
      media,
      now: new Date(now()),
      encrypt: encryptSecureCustomData,
    }),
  );
  const widgetUrl = launch.url;
  const secure = launch.secureCustomData
    ? {
        jwe: launch.secureCustomData,
        keys: (record.kvpConfig?.entries ?? []).map((e) => e.key).filter((k) => !launch.missingSecureKeys.includes(k)),
        missing: [...launch.missingSecureKeys],
      }
    : undefined;
  const minted = { token: launch.token, customData: launch.customData, secure };

  const allSecrets = [
    ...secrets,
    record.clientSecret,
    minted.token,
    ...(record.rsPrivatePem ? [record.rsPrivatePem] : []),
    ...(minted.secure ? [minted.secure.jwe] : []),
  ];
  const jwt = decodeJwtUnverified(minted.token);
  const claims = jwt.kind === 'jws' ? jwt.claims : {};
  const jweHeader = minted.secure ? decodeJwtUnverified(minted.secure.jwe).header : undefined;
  const summary: ResolvedBotSummary = {
    conversationId: input.conversationId,
    environment: environment.name,
    agent: {
      userId: input.agentUserId,
      participantId: typeof participant.id === 'string' ? participant.id : undefined,
    },
    queue: {
      ...(queue.id !== undefined ? { id: queue.id } : {}),
      ...(queue.name !== undefined ? { name: queue.name } : {}),
    },
    media,
    experience,
    bot: {
      botId: record.botId,
      clientId: record.clientId,
      queueIdentifiers: record.queueIdentifiers,
      algorithm: record.algorithm,
      audiohookEnabled: record.audiohookEnabled,
      isAgentAISDK: record.isAgentAISDK,
      table: record.origin.table,
      rowIndex: record.origin.rowIndex,
      sysId: record.origin.sysId,
    },
    widgetJwt: {
      alg: jwt.header.alg,
      iss: claims.iss,
      sub: claims.sub,
      aud: claims.aud,
      iat: claims.iat,
      exp: claims.exp,
    },
    customDataKeys: Object.keys(minted.customData),
    secureCustomData: minted.secure
      ? {
          keys: minted.secure.keys,
          missing: minted.secure.missing,
          alg: jweHeader?.alg,
          enc: jweHeader?.enc,
          kid: jweHeader?.kid,
          transport: settings.jwe.transport,
        }
      : null,
    widgetUrl: describeWidgetUrl(widgetUrl, allSecrets),
    timings,
  };
  logger.info('bot resolved', { conversationId: input.conversationId, botId: record.botId, queue: queue.name });
  return {
    summary,
    record,
    environment,
    token: minted.token,
    widgetUrl,
    customData: minted.customData,
    secureCustomData: minted.secure?.jwe,
    isCall: launch.isCall,
  };
}
