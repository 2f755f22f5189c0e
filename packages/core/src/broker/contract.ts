import * as z from 'zod/mini';
import { KAA_ERROR_CODES, KaaError } from '../errors.js';
import type { KaaErrorCode } from '../errors.js';

/**
 * The wire contract of kaa's token broker (docs/architecture.md#broker-mode), version 1: request bodies, answers and
 * the error body, as zod/mini schemas. The broker (`@kaa/broker`) validates every body with them and the page parses
 * every answer with them, so the two sides cannot drift apart. Nothing here holds a secret: the widget JWT and the
 * JWE are the only credentials an answer carries, and they are the agent's own.
 */

const id = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'must be a Genesys id' }));
const environment = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a Genesys environment name such as prod-euw1' }),
  );

/**
 * The token broker the page must use, or `undefined` when the page mints in the browser: setting `tokens.minter`
 * `server` (requires `tokens.serverUrl`), or `auto` with `tokens.serverUrl` set (docs/architecture.md#broker-mode).
 * With a broker the page reads no bot table and holds no bot secret.
 *
 * @example
 * ```ts
 * brokerUrlOf({ minter: 'auto', serverUrl: 'https://broker.example.com' }); // 'https://broker.example.com'
 * brokerUrlOf({ minter: 'browser', serverUrl: 'https://broker.example.com' }); // undefined
 * ```
 */
export function brokerUrlOf(tokens: {
  readonly minter: 'auto' | 'server' | 'browser';
  readonly serverUrl?: string | undefined;
}): string | undefined {
  if (tokens.minter === 'browser') return undefined;
  return tokens.serverUrl;
}

/** The broker's paths (version 1). */
export const BROKER_PATHS = {
  launch: '/v1/launch',
  transcription: (conversationId: string): string =>
    `/v1/conversations/${encodeURIComponent(conversationId)}/transcription`,
  events: (conversationId: string): string => `/v1/conversations/${encodeURIComponent(conversationId)}/events`,
  health: '/healthz',
  ready: '/readyz',
} as const;

/**
 * `POST /v1/launch` body. The agent's Genesys access token goes in `Authorization: Bearer …`, never in the body.
 *
 * @example
 * ```ts
 * BrokerLaunchRequestSchema.parse({ conversationId: 'c0a…', environment: 'prod-euw1', lang: 'en-us' });
 * ```
 */
export const BrokerLaunchRequestSchema = z.strictObject({
  conversationId: id,
  /** The Genesys environment the page resolved (core's `resolveEnvironment(…).name`). */
  environment,
  /** `gcLangTag` of the widget URL. */
  lang: z.optional(z.string().check(z.maxLength(35))),
  /** `x_passthru_metadata` of the widget URL, forwarded as `customData.internalMetaData`. */
  passthruMetadata: z.optional(z.string().check(z.maxLength(16_384))),
  /**
   * When the agent's token expires (epoch ms, from the OAuth answer): the broker never caches the token's
   * verification past it. Optional; it can only shorten the cache.
   */
  tokenExpiresAt: z.optional(z.number().check(z.int(), z.gte(0))),
});

/** Input of `POST /v1/launch`. */
export type BrokerLaunchRequest = z.output<typeof BrokerLaunchRequestSchema>;

/**
 * `POST /v1/conversations/{id}/transcription` body: the hold sink action (core's `holdSinkActionFor`). `handover`
 * is required with `pause` (true for a transfer, false for a hold) and refused otherwise.
 *
 * @example
 * ```ts
 * BrokerTranscriptionRequestSchema.parse({ environment: 'prod-euw1', action: 'pause', handover: false });
 * ```
 */
export const BrokerTranscriptionRequestSchema = z
  .strictObject({
    environment,
    action: z.enum(['pause', 'resume', 'end']),
    handover: z.optional(z.boolean()),
    tokenExpiresAt: z.optional(z.number().check(z.int(), z.gte(0))),
  })
  .check(
    z.refine((b) => (b.action === 'pause') === (b.handover !== undefined), {
      message: 'handover is required with pause and only with pause',
      path: ['handover'],
    }),
  );

/** Input of `POST /v1/conversations/{id}/transcription`. */
export type BrokerTranscriptionRequest = z.output<typeof BrokerTranscriptionRequestSchema>;

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const experience = z.enum(['voice', 'chat', 'email']);
const participant = z.strictObject({
  identity: text(128),
  name: text(256),
  type: z.literal('agent'),
  customFields: z.optional(
    z.strictObject({
      agentEmail: z.optional(text(320)),
      queueId: z.optional(text(128)),
      queueName: z.optional(text(256)),
    }),
  ),
});

/**
 * One hooks event as core's `createHooksLifecycle` produces it (canonical form; the broker applies the wire format
 * of its own `kore.hooks` settings).
 *
 * @example
 * ```ts
 * HooksEventSchema.parse({ name: 'END_OF_CONVERSATION', reason: 'agent_initiated', experience: 'voice', participant: { identity: 'u1', name: 'Ava', type: 'agent' } });
 * ```
 */
export const HooksEventSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('INTERNAL_TRANSFER_EVENT'),
    transfertype: z.enum(['NA', 'cold', 'warm', 'redial']),
    transition: z.enum(['entry', 'exit']),
    isExtAD: z.literal(true),
    language: z.optional(text(35)),
    experience,
    participant,
  }),
  z.strictObject({
    name: z.literal('TRIGGER_SUMMARY_EVENT'),
    data: z.strictObject({ language: text(35), locale: text(35), type: z.literal('post') }),
  }),
  z.strictObject({
    name: z.literal('END_OF_CONVERSATION'),
    reason: z.literal('agent_initiated'),
    language: z.optional(text(35)),
    experience,
    participant,
  }),
]);

/**
 * `POST /v1/conversations/{id}/events` body: one batch of hooks events, in order. Every event that names a
 * participant must name the signed-in agent.
 *
 * @example
 * ```ts
 * BrokerEventsRequestSchema.parse({ environment: 'prod-euw1', events: [endOfConversation] });
 * ```
 */
export const BrokerEventsRequestSchema = z.strictObject({
  environment,
  events: z.array(HooksEventSchema).check(z.minLength(1), z.maxLength(10)),
  tokenExpiresAt: z.optional(z.number().check(z.int(), z.gte(0))),
});

/** Input of `POST /v1/conversations/{id}/events`. */
export type BrokerEventsRequest = z.output<typeof BrokerEventsRequestSchema>;

/**
 * The `POST /v1/launch` answer: what the page needs to mount and feed the widget, and no bot secret (no
 * ClientSecret, RSPrivatePem or table token). `widget.url` and `widget.token` hold the agent's widget JWT.
 *
 * @example
 * ```ts
 * const launch = BrokerLaunchResponseSchema.parse(await response.json());
 * iframe.src = launch.widget.url;
 * ```
 */
export const BrokerLaunchResponseSchema = z.object({
  widget: z.object({
    url: z.string(),
    token: z.string(),
    isCall: z.boolean(),
    /** A voice call of an AudiohookEnabled bot: the page subscribes to no transcription and relays no utterance. */
    audiohook: z.boolean(),
    secureCustomData: z.optional(z.string()),
    /** How the secure custom data travels: on every relayed line (`message`) or in `url` (`urlParam`). */
    secureTransport: z.optional(z.enum(['message', 'urlParam'])),
    /**
     * With secure custom data: when (epoch milliseconds) the page asks for a fresh launch (`POST /v1/launch` again) so
     * the widget never holds an expired JWE (docs/assumptions.md#secure-custom-data-lifetime-and-refresh).
     */
    secureRefreshAt: z.optional(z.number()),
    missingSecureKeys: z.array(z.string()),
    customData: z.record(z.string(), z.unknown()),
    /** When the widget JWT expires (epoch seconds). */
    expiresAt: z.number(),
  }),
  /** The resolved bot, public fields only. */
  bot: z.object({
    botId: z.string(),
    agentAssistWidgetUrl: z.string(),
    audiohookEnabled: z.boolean(),
    isAgentAISDK: z.boolean(),
    languageCode: z.optional(z.string()),
  }),
  agent: z.object({ id: z.string(), name: z.optional(z.string()), email: z.optional(z.string()) }),
  queue: z.object({ id: z.optional(z.string()), name: z.optional(z.string()) }),
  media: z.optional(z.enum(['call', 'callback', 'message', 'chat', 'email'])),
});

/** The `POST /v1/launch` answer. */
export type BrokerLaunchResponse = z.output<typeof BrokerLaunchResponseSchema>;

/**
 * Every broker error answer: the `KaaError` JSON (`code`, `step`, `message`, `details`), the same codes the page's
 * error panel shows.
 *
 * @example
 * ```ts
 * const body = BrokerErrorBodySchema.parse(await response.json()); // { error: { code: 'E_QUEUE_NOT_MAPPED', … } }
 * ```
 */
export const BrokerErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(KAA_ERROR_CODES),
    message: z.string(),
    step: z.optional(z.string()),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
});

/**
 * The `KaaError` a broker answer stands for: the coded error of its body, or, for a body that is not the broker's
 * (a proxy's page, an empty 502), one that names the HTTP status.
 *
 * @example
 * ```ts
 * if (!response.ok) throw brokerError(response.status, await response.text(), 'https://broker.example.com/v1/launch');
 * ```
 */
export function brokerError(status: number, bodyText: string, url: string): KaaError {
  let parsed: z.output<typeof BrokerErrorBodySchema> | undefined;
  try {
    const result = BrokerErrorBodySchema.safeParse(JSON.parse(bodyText));
    if (result.success) parsed = result.data;
  } catch {
    parsed = undefined;
  }
  if (parsed) {
    return new KaaError(parsed.error.code, parsed.error.message, {
      details: { ...(parsed.error.details ?? {}), status, broker: url },
    });
  }
  const code: KaaErrorCode =
    status === 401
      ? 'E_HTTP_UNAUTHORIZED'
      : status === 403
        ? 'E_HTTP_FORBIDDEN'
        : status === 404
          ? 'E_HTTP_NOT_FOUND'
          : status === 429
            ? 'E_RATE_LIMITED'
            : status >= 500
              ? 'E_HTTP_SERVER'
              : 'E_HTTP_BAD_REQUEST';
  return new KaaError(
    code,
    `The token broker at ${url} answered HTTP ${status} without a kaa error body. Check that tokens.serverUrl points at the broker (not a proxy or login page) and that the broker is running.`,
    {
      details: { status, broker: url },
    },
  );
}
