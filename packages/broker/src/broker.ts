// Over 300 lines on purpose: createBroker is the token broker's one HTTP handler: its routes share the limits, the caches and the credential checks.
import {
  BROKER_PATHS,
  BrokerEventsRequestSchema,
  createTokenKeys,
  BrokerLaunchRequestSchema,
  BrokerTranscriptionRequestSchema,
  KaaError,
  encryptSecureCustomData,
  findAgentParticipant,
  isParticipantLive,
  listIssues,
  mediaOf,
  mintWidgetLaunch,
  signPlatformJwt,
  silentLogger,
  queueOf,
} from '@kaa/core';
import type {
  BotLookup,
  BotSource,
  BrokerLaunchResponse,
  Clock,
  FetchLike,
  HooksEvent,
  JoseEngine,
  KaaSettings,
  Logger,
  TokenKeys,
  WidgetLaunchRecord,
} from '@kaa/core';
import { createSignedKoreTransport, resolveKoreApiHost } from '@kaa/kore-client';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { cacheBotSource } from './cached-bot-source.js';
import { errorResponse } from './http-errors.js';
import { createMemoryStore, type BrokerStore } from './store.js';
import { createAgentVerifier, type ServedEnvironment, type VerifiedAgent } from './verify-agent.js';

/**
 * Limits and lifetimes of {@link createBroker}; every one has a default.
 *
 * @example
 * ```ts
 * const limits: BrokerLimits = { widgetTokenTtlSeconds: 300, verifyCacheSeconds: 60, requestsPerMinute: 120 };
 * ```
 */
export interface BrokerLimits {
  /** Lifetime of the widget JWT and the secure-custom-data JWE the broker mints. Default 300 (5 min): the widget exchanges it when it loads. */
  widgetTokenTtlSeconds?: number;
  /** Longest reuse of a token verification (`users/me`), in seconds; never past the token's own expiry when the page tells it. Default 60. */
  verifyCacheSeconds?: number;
  /** Requests per agent per minute over every endpoint, shared by the instances of one store. Default 120. */
  requestsPerMinute?: number;
  /** Largest request body in bytes. Default 16 384. */
  maxBodyBytes?: number;
  /** `Retry-After` of a 503 when the upstream gave none, in seconds. Default 5. */
  retryAfterSeconds?: number;
  /** Genesys attempts per call (reads retried on 5xx and network failures). Default 2. */
  genesysAttempts?: number;
  /** How long an END_OF_CONVERSATION claim is kept, in seconds. Default 86 400. */
  endClaimSeconds?: number;
}

/**
 * Options of {@link createBroker}. Everything outside the process is injected.
 *
 * @example
 * ```ts
 * const options: BrokerOptions = { settings, served, allowedOrigins: ['https://kaa.example.com'], botSource, fetch: (u, i) => fetch(u, i), now: () => Date.now(), secrets };
 * ```
 */
export interface BrokerOptions {
  /** kaa's settings (core `parseSettings`): `kore.*`, `jwe.*`, `passthru.*`, `routing.cacheTtlSeconds`, `hold.*`. */
  settings: KaaSettings;
  /** The Genesys environments and organisation ids served (the allow-list). */
  served: readonly ServedEnvironment[];
  /** Page origins allowed by CORS, exactly (`https://kaa.example.com`); never `*`. */
  allowedOrigins: readonly string[];
  /** The bot source read with the broker's own credentials (kore-client / genesys-adapter sources). */
  botSource: BotSource;
  /** Shared caches and limits. Default: {@link createMemoryStore}. */
  store?: BrokerStore;
  /** For Genesys (with the agent's token) and Kore (with the broker's credentials). */
  fetch: FetchLike;
  /** Epoch milliseconds. */
  now: Clock;
  /**
   * One `info` line per request (`request`: request id, method, path, status, ms, agent and org ids, error code) and
   * per notable event; never a token, secret, widget JWT or JWE. Default: silent.
   */
  logger?: Logger;
  /** Every secret the broker holds (table token, app secrets, bot secrets): redacted from every answer and log record. */
  secrets?: () => readonly string[];
  limits?: BrokerLimits;
  /** Extra readiness checks (`/readyz`); the store and the bot table read are always checked. */
  ready?: () => Promise<void>;
  /** A request id per request. Default: `crypto.randomUUID()`. */
  requestId?: () => string;
  /**
   * The JWS/JWE primitives of the mint. Default: core's jose over WebCrypto (any runtime). On Node pass
   * `nodeJoseEngine` from `@kaa/broker/node`, as `kaa broker serve` does: synchronous node:crypto, a fraction of the
   * CPU per launch (packages/broker/README.md#performance).
   */
  engine?: JoseEngine;
}

/**
 * The running broker: a web-standard handler plus its parts.
 *
 * @example
 * ```ts
 * const broker = createBroker(options);
 * const response = await broker.fetch(new Request('http://broker/healthz'));
 * ```
 */
export interface Broker {
  /** `(Request) => Promise<Response>`: mount it in any server (Node, a serverless function, an edge runtime). */
  fetch(request: Request): Promise<Response>;
  readonly store: BrokerStore;
}

interface Vars {
  requestId: string;
  agent?: VerifiedAgent;
  cached?: boolean;
  code?: string;
}

const NO_STORE = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-type': 'application/json; charset=utf-8',
};

/**
 * Builds kaa's token broker (docs/architecture.md#broker-mode): `POST /v1/launch`, `POST /v1/conversations/{id}/transcription`,
 * `POST /v1/conversations/{id}/events`, `GET /healthz`, `GET /readyz`. Each `/v1` call verifies the agent's Genesys
 * token (`users/me`, organisation allow-list, cached by token hash), counts one request against the agent's limit, reads
 * the conversation with the agent's token and resolves the bot with the broker's own table credentials through core
 * (agent participant, queue, bot record, `mintWidgetLaunch`), then answers or signs the Kore call server-side. Answers
 * carry `Cache-Control: no-store`; CORS allows the configured page origins exactly; every body is size-limited and
 * checked with core's zod schemas; errors are coded `KaaError` JSON.
 *
 * @example
 * ```ts
 * import { createBroker } from '@kaa/broker';
 *
 * const broker = createBroker({ settings, served: [{ environment, orgIds: ['5a1b…'] }], allowedOrigins: ['https://kaa.example.com'], botSource, fetch: (u, i) => fetch(u, i), now: () => Date.now() });
 * export default { fetch: broker.fetch }; // a web-standard server entry
 * ```
 */
export function createBroker(options: BrokerOptions): Broker {
  const now = options.now;
  const fetchImpl = options.fetch;
  const limits = {
    widgetTokenTtlSeconds: options.limits?.widgetTokenTtlSeconds ?? 300,
    verifyCacheSeconds: options.limits?.verifyCacheSeconds ?? 60,
    requestsPerMinute: options.limits?.requestsPerMinute ?? 120,
    maxBodyBytes: options.limits?.maxBodyBytes ?? 16_384,
    retryAfterSeconds: options.limits?.retryAfterSeconds ?? 5,
    genesysAttempts: options.limits?.genesysAttempts ?? 2,
    endClaimSeconds: options.limits?.endClaimSeconds ?? 86_400,
  };
  const store = options.store ?? createMemoryStore({ now });
  const logger = options.logger ?? silentLogger;
  const secrets = options.secrets ?? (() => []);
  const allowed = new Set(options.allowedOrigins);
  if (allowed.has('*'))
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The token broker never allows every origin ("*"). List the page origins exactly under broker.allowedOrigins.',
      { details: { key: 'broker.allowedOrigins' } },
    );
  const settings: KaaSettings = {
    ...options.settings,
    kore: { ...options.settings.kore, jwt: { ...options.settings.kore.jwt, ttlSeconds: limits.widgetTokenTtlSeconds } },
    jwe: { ...options.settings.jwe, ttlSeconds: limits.widgetTokenTtlSeconds },
  };
  const bots = cacheBotSource(options.botSource, { ttlMs: settings.routing.cacheTtlSeconds * 1000, now });
  const verifier = createAgentVerifier({
    served: options.served,
    store,
    fetch: fetchImpl,
    now,
    cacheMaxMs: limits.verifyCacheSeconds * 1000,
    maxAttempts: limits.genesysAttempts,
  });
  const newId = options.requestId ?? (() => crypto.randomUUID());
  // the bots' imported signing and JWE keys, one set per bot-table read: dropped with the rows they came from
  const keysByLookup = new WeakMap<BotLookup, TokenKeys>();
  const keysFor = (lookup: BotLookup): TokenKeys => {
    let keys = keysByLookup.get(lookup);
    if (!keys) keysByLookup.set(lookup, (keys = createTokenKeys()));
    return keys;
  };

  const app = new Hono<{ Variables: Vars }>();

  const fail = (c: Context<{ Variables: Vars }>, e: unknown, extra: string[] = []) => {
    const bearer = bearerOf(c.req.header('authorization'));
    const answer = errorResponse(e, {
      secrets: [...secrets(), ...extra, ...(bearer ? [bearer] : [])],
      retryAfterSeconds: limits.retryAfterSeconds,
      headers: corsHeaders(c.req.header('origin')),
    });
    c.set('code', answer.error.code);
    if (answer.status >= 500)
      logger[answer.status === 503 ? 'warn' : 'error']('request failed', {
        requestId: c.get('requestId'),
        code: answer.error.code,
        message: answer.body.length < 2000 ? JSON.parse(answer.body).error.message : undefined,
      });
    return new Response(answer.body, { status: answer.status, headers: { ...NO_STORE, ...answer.headers } });
  };

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin !== undefined && allowed.has(origin)
      ? { 'access-control-allow-origin': origin, vary: 'Origin' }
      : { vary: 'Origin' };

  // one log record per request; an id to match the page's error with the log
  app.use('*', async (c, next) => {
    const started = now();
    c.set('requestId', newId());
    await next();
    c.res.headers.set('x-request-id', c.get('requestId'));
    const agent = c.get('agent');
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: now() - started,
      ...(agent
        ? { agent: agent.userId, org: agent.orgId, environment: agent.environment, verifyCached: c.get('cached') }
        : {}),
      ...(c.get('code') ? { code: c.get('code') } : {}),
    });
  });

  app.get(BROKER_PATHS.health, () => new Response('{"status":"ok"}', { status: 200, headers: NO_STORE }));
  app.get(BROKER_PATHS.ready, async (c) => {
    try {
      await store.ping();
      await asBrokerCall('bot table read', () => bots.load()); // cached for routing.cacheTtlSeconds: a probe costs one read per TTL
      await options.ready?.();
      return new Response('{"status":"ready"}', { status: 200, headers: NO_STORE });
    } catch (e) {
      return fail(
        c,
        e instanceof KaaError
          ? e
          : new KaaError(
              'E_BOT_SOURCE_UNAVAILABLE',
              'The token broker is not ready: its store or its bot table does not answer.',
              { cause: e },
            ),
      );
    }
  });

  // CORS: the configured page origins exactly; a browser request from any other origin is refused with a coded error
  app.use('/v1/*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowed.has(origin)) {
      return fail(
        c,
        new KaaError(
          'E_ORIGIN_NOT_ALLOWED',
          `The token broker does not serve pages from ${origin.slice(0, 200)}. Add the page's origin to broker.allowedOrigins in the broker's config if it is kaa's page.`,
          { details: { origin: origin.slice(0, 200), httpStatus: 403 } },
        ),
      );
    }
    if (c.req.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders(origin),
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
          'cache-control': 'no-store',
        },
      });
    }
    await next();
    for (const [k, v] of Object.entries(corsHeaders(origin))) c.res.headers.set(k, v);
  });

  /** Bearer token → verified agent → one request on the agent's budget. */
  const authenticate = async (
    c: Context<{ Variables: Vars }>,
    environment: string,
    tokenExpiresAt: number | undefined,
  ): Promise<{ agent: VerifiedAgent; token: string }> => {
    const token = bearerOf(c.req.header('authorization'));
    if (!token) {
      throw new KaaError(
        'E_HTTP_UNAUTHORIZED',
        "The request to the token broker carries no Genesys access token (Authorization: Bearer …). The page sends the signed-in agent's token; sign in to Genesys Cloud again.",
        { details: { reason: 'missing' } },
      );
    }
    const { agent, cached } = await verifier.verify(token, environment, tokenExpiresAt);
    c.set('agent', agent);
    c.set('cached', cached);
    const rate = await store.hit(`rate:${agent.userId}`, 60_000);
    if (rate.count > limits.requestsPerMinute) {
      throw new KaaError(
        'E_RATE_LIMITED',
        `Agent "${agent.userId}" sent more than ${limits.requestsPerMinute} requests to the token broker within a minute. Wait a moment; if many interactions are open at once, raise broker.requestsPerMinute.`,
        {
          details: {
            limit: 'broker',
            perMinute: limits.requestsPerMinute,
            retryAfterSeconds: Math.ceil(rate.resetInMs / 1000),
          },
        },
      );
    }
    return { agent, token };
  };

  /** The body as JSON, at most `maxBodyBytes`, validated by `schema`. */
  const body = async <T>(
    c: Context<{ Variables: Vars }>,
    schema: {
      safeParse(
        v: unknown,
      ):
        | { success: true; data: T }
        | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
    },
  ): Promise<T> => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) {
      throw new KaaError(
        'E_PARAM_INVALID',
        'The token broker takes JSON bodies only (Content-Type: application/json).',
        { details: { httpStatus: 415 } },
      );
    }
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
    const text = await readLimited(c.req.raw, limits.maxBodyBytes);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new KaaError('E_PARAM_INVALID', 'The request body is not JSON.', { details: { httpStatus: 400 } });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = listIssues(parsed.error.issues, { limit: 5, root: '(body)' });
      throw new KaaError('E_PARAM_INVALID', `The request body is invalid: ${issues.join('; ')}.`, {
        details: { issues, httpStatus: 400 },
      });
    }
    return parsed.data;
  };

  /** The conversation (read with the agent's token) and the bot lookup, in one round trip; then this agent's participant and bot. */
  const resolve = async (token: string, agent: VerifiedAgent, conversationId: string, requireLive: boolean) => {
    const api = verifier.apiFor(token, agent.environment);
    const [conversation, lookup] = await Promise.all([
      api.getConversation(conversationId).catch((e: unknown) => notVisible(e, agent.userId, conversationId)),
      asBrokerCall('bot table read', () => bots.load()),
    ]);
    // already checked against core's conversation schema by the adapter (GenesysConversationSchema)
    const participant = findAgentParticipant(conversation, agent.userId);
    if (requireLive && !isParticipantLive(participant)) {
      throw new KaaError(
        'E_AGENT_NOT_PARTICIPANT',
        `User "${agent.userId}" is no longer an active agent participant of conversation "${conversationId}" (the leg has ended), so the token broker mints nothing for it. Open the assistant from an interaction you are handling.`,
        {
          details: { userId: agent.userId, conversationId, left: true },
        },
      );
    }
    const queue = queueOf(conversation, participant);
    const record: WidgetLaunchRecord = await lookup.forQueue(queue);
    return { conversation, participant, queue, record, media: mediaOf(participant), keys: keysFor(lookup) };
  };

  const koreFor = (record: WidgetLaunchRecord) =>
    createSignedKoreTransport({
      baseUrl: resolveKoreApiHost({ apiHost: settings.kore.apiHost, agentAiUrl: record.agentAssistWidgetUrl }),
      botId: record.botId,
      clientId: record.clientId,
      clientSecret: record.clientSecret,
      signPlatformJwt,
      fetch: fetchImpl,
      now,
      settings: settings.kore.hooks,
      hold: { sink: settings.hold.sink, ...(settings.hold.customUrl ? { customUrl: settings.hold.customUrl } : {}) },
      retry: { maxRetries: 1, baseDelayMs: 200, maxDelayMs: 2_000 },
    });

  app.post(BROKER_PATHS.launch, async (c) => {
    let held: string[] = [];
    try {
      const input = await body(c, BrokerLaunchRequestSchema);
      const { agent, token } = await authenticate(c, input.environment, input.tokenExpiresAt);
      const { conversation, queue, record, media, keys } = await resolve(token, agent, input.conversationId, true);
      held = [record.clientSecret, record.rsPrivatePem ?? ''];
      const launch = await mintWidgetLaunch({
        record,
        context: { conversationId: input.conversationId, lang: input.lang, passthruMetadata: input.passthruMetadata },
        settings,
        userId: agent.userId,
        conversation,
        media,
        now: new Date(now()),
        encrypt: encryptSecureCustomData,
        keys,
        ...(options.engine ? { engine: options.engine } : {}),
      });
      const answer: BrokerLaunchResponse = {
        widget: {
          url: launch.url,
          token: launch.token,
          isCall: launch.isCall,
          audiohook: launch.audiohook,
          ...(launch.secureCustomData ? { secureCustomData: launch.secureCustomData } : {}),
          ...(launch.secureTransport ? { secureTransport: launch.secureTransport } : {}),
          ...(launch.secureRefreshAt !== undefined ? { secureRefreshAt: launch.secureRefreshAt } : {}),
          missingSecureKeys: [...launch.missingSecureKeys],
          customData: { ...launch.customData },
          expiresAt: Math.floor(now() / 1000) + limits.widgetTokenTtlSeconds,
        },
        bot: {
          botId: record.botId,
          agentAssistWidgetUrl: record.agentAssistWidgetUrl,
          audiohookEnabled: record.audiohookEnabled,
          isAgentAISDK: record.isAgentAISDK,
          ...(record.languageCode ? { languageCode: record.languageCode } : {}),
        },
        agent: {
          id: agent.userId,
          ...(agent.name ? { name: agent.name } : {}),
          ...(agent.email ? { email: agent.email } : {}),
        },
        queue: { ...(queue.id ? { id: queue.id } : {}), ...(queue.name ? { name: queue.name } : {}) },
        ...(media ? { media } : {}),
      };
      const text = JSON.stringify(answer);
      // the last guard: no bot secret and no broker secret leaves in an answer, whatever a bug upstream did
      for (const s of [...held, ...secrets()]) {
        if (s.length >= 4 && text.includes(s))
          throw new KaaError(
            'E_INTERNAL',
            'The token broker refused to send an answer that held a secret. This is a bug in kaa; the log has the request id.',
          );
      }
      logger.info('launch minted', {
        requestId: c.get('requestId'),
        agent: agent.userId,
        conversationId: input.conversationId,
        botId: record.botId,
        queue: queue.name,
        media,
      });
      return new Response(text, { status: 200, headers: NO_STORE });
    } catch (e) {
      return fail(c, e, held);
    }
  });

  app.post('/v1/conversations/:id/transcription', async (c) => {
    try {
      const conversationId = conversationIdOf(c.req.param('id'));
      const input = await body(c, BrokerTranscriptionRequestSchema);
      const { agent, token } = await authenticate(c, input.environment, input.tokenExpiresAt);
      // pause and resume come from an agent on the call; the end comes after the legs have ended
      const { record } = await resolve(token, agent, conversationId, input.action !== 'end');
      const action =
        input.action === 'pause'
          ? { action: 'pause' as const, handover: input.handover === true }
          : { action: input.action };
      await asBrokerCall('Kore Control Transcription call', () =>
        koreFor(record).hold(action, { conversationId, agentId: agent.userId }),
      );
      logger.info('transcription control sent', {
        requestId: c.get('requestId'),
        agent: agent.userId,
        conversationId,
        botId: record.botId,
        action: input.action,
        sink: settings.hold.sink,
      });
      return new Response(
        JSON.stringify({ sent: settings.hold.sink === 'none' ? [] : [input.action], sink: settings.hold.sink }),
        { status: 200, headers: NO_STORE },
      );
    } catch (e) {
      return fail(c, e);
    }
  });

  app.post('/v1/conversations/:id/events', async (c) => {
    let claim: string | undefined;
    try {
      const conversationId = conversationIdOf(c.req.param('id'));
      const input = await body(c, BrokerEventsRequestSchema);
      const { agent, token } = await authenticate(c, input.environment, input.tokenExpiresAt);
      for (const event of input.events) {
        if ('participant' in event && event.participant.identity !== agent.userId) {
          throw new KaaError(
            'E_AGENT_NOT_PARTICIPANT',
            `A hooks event names agent "${event.participant.identity}", but the signed-in agent is "${agent.userId}": an agent reports only their own events.`,
            { details: { userId: agent.userId, conversationId } },
          );
        }
      }
      const { record } = await resolve(token, agent, conversationId, false);
      let events: HooksEvent[] = input.events as HooksEvent[];
      const skipped: string[] = [];
      if (events.some((e) => e.name === 'END_OF_CONVERSATION')) {
        // exactly once per bot and conversation, over every agent and instance (docs/assumptions.md#who-sends-end-of-conversation)
        const key = `eoc:${record.botId}:${conversationId}`;
        if (await store.add(key, agent.userId, limits.endClaimSeconds * 1000)) claim = key;
        else {
          skipped.push(
            ...events
              .filter((e) => e.name === 'END_OF_CONVERSATION' || e.name === 'TRIGGER_SUMMARY_EVENT')
              .map((e) => e.name),
          );
          events = events.filter((e) => e.name !== 'END_OF_CONVERSATION' && e.name !== 'TRIGGER_SUMMARY_EVENT');
        }
      }
      if (events.length > 0)
        await asBrokerCall('Kore hooks call', () => koreFor(record).postHooks(conversationId, events));
      const sent = events.map((e) =>
        e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name,
      );
      logger.info('hooks sent', {
        requestId: c.get('requestId'),
        agent: agent.userId,
        conversationId,
        botId: record.botId,
        sent,
        skipped,
      });
      return new Response(JSON.stringify({ sent, skipped }), { status: 200, headers: NO_STORE });
    } catch (e) {
      if (claim) await store.delete(claim).catch(() => undefined);
      return fail(c, e);
    }
  });

  app.notFound((c) =>
    fail(
      c,
      new KaaError(
        'E_HTTP_NOT_FOUND',
        `The token broker has no route ${c.req.method} ${c.req.path.slice(0, 200)}. Its API is POST /v1/launch, POST /v1/conversations/{id}/transcription and POST /v1/conversations/{id}/events.`,
        { details: { httpStatus: 404 } },
      ),
    ),
  );
  app.onError((e, c) => fail(c, e));

  return {
    fetch: (request) => Promise.resolve(app.fetch(request)),
    store,
  };
}

/**
 * A conversation read with the agent's token that Genesys answers 404: the id does not exist, belongs to another
 * organisation, or the agent is not on it — Genesys does not say which, and neither does the broker. Answered 403
 * `E_AGENT_NOT_PARTICIPANT`, the same as a conversation the agent can read but is not an agent of
 * (docs/assumptions.md#broker-a-conversation-the-agent-cannot-read). Any other error passes unchanged (a Genesys 403
 * stays `E_HTTP_FORBIDDEN`, also 403).
 */
function notVisible(e: unknown, userId: string, conversationId: string): never {
  if (e instanceof KaaError && e.code === 'E_CONVERSATION_NOT_FOUND') {
    throw new KaaError(
      'E_AGENT_NOT_PARTICIPANT',
      `User "${userId}" is not an agent participant of conversation "${conversationId}" that Genesys Cloud shows them (it answered 404: no such conversation in the user's organization, or the user is not on it), so the token broker mints nothing for it. Open the assistant from an interaction you are handling.`,
      {
        cause: e,
        details: { userId, conversationId, reason: 'not-visible' },
      },
    );
  }
  throw e;
}

/** Codes that, from a call made with the broker's own credentials, would read as the agent's fault (401/403/400). */
const CREDENTIAL_CODES = new Set([
  'E_HTTP_UNAUTHORIZED',
  'E_AUTH_EXPIRED',
  'E_HTTP_FORBIDDEN',
  'E_HTTP_BAD_REQUEST',
  'E_HTTP_NOT_FOUND',
]);

/**
 * A call made with the broker's own credentials (the bot table, the bots' apps): a refusal there is the broker's
 * configuration, not the agent's token, so it is answered 502 (the page must not sign the agent in again), with the
 * upstream's coded message.
 */
async function asBrokerCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof KaaError && CREDENTIAL_CODES.has(e.code)) {
      throw new KaaError(
        e.code,
        `The token broker's ${what} was refused: ${e.message} This is the broker's configuration (its bot-table or bot-app credentials), not the agent's sign-in.`,
        { cause: e, details: { ...e.details, httpStatus: 502 } },
      );
    }
    throw e;
  }
}

function bearerOf(header: string | undefined): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})\s*$/i.exec(header ?? '');
  return m?.[1];
}

function conversationIdOf(raw: string): string {
  // the same id rule as the launch body's conversationId (core's contract)
  if (BrokerLaunchRequestSchema.shape.conversationId.safeParse(raw).success) return raw;
  throw new KaaError('E_PARAM_INVALID', 'The conversation id in the path is not a Genesys id.', {
    details: { httpStatus: 400 },
  });
}

function tooLarge(max: number): KaaError {
  return new KaaError('E_PARAM_INVALID', `The request body is larger than the token broker accepts (${max} bytes).`, {
    details: { maxBytes: max, httpStatus: 413 },
  });
}

async function readLimited(request: Request, max: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}
