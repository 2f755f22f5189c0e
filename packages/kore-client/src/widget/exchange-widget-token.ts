import { isHttpsOrLoopback } from '@kaa/core';
import { KaaError, describeUrlOrigin } from '@kaa/core';
import * as z from 'zod/mini';
import { koreRequest, type KoreHttpContext, type RetryPolicy } from '../http/kore-request.js';
import { parseBody } from '../http/parse-body.js';
import { redactingLogger } from '../http/redacting-logger.js';
import { silentLogger } from '@kaa/core';
import type { FetchLike, Logger, Sleep } from '@kaa/core';
import { timerSleep } from '../ports.js';

/**
 * Input of {@link exchangeWidgetToken}.
 *
 * @example
 * ```ts
 * const input: WidgetTokenExchangeInput = { agentAssistUrl: 'https://platform.kore.ai', token: widgetJwt, botId: 'st-…', fetch: (u, i) => fetch(u, i) };
 * ```
 */
export interface WidgetTokenExchangeInput {
  /** The widget's `agentassisturl`: the origin of `AgentAssistWidgetURL` unless config `kore.agentAssistUrl` says otherwise (docs/assumptions.md#agentassisturl-host). */
  agentAssistUrl: string;
  /** The widget JWT exactly as the iframe gets it (`token` URL parameter). Secret: never logged or returned. */
  token: string;
  /** The bot id `st-…` of the same record as the ClientId that signed `token` (`botInfo.taskBotId`). */
  botId: string;
  fetch: FetchLike;
  /**
   * `botInfo.chatBot`. The widget sends the bot's name; Kore's use of it is unpublished (inferred: not checked).
   * Default: `botId`.
   */
  chatBot?: string;
  /** Return the access token too (e.g. to call the widget settings API). Default false: it is dropped. */
  includeAccessToken?: boolean;
  signal?: AbortSignal;
  /** Epoch ms; reads `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
  sleep?: Sleep;
  logger?: Logger;
  /** Retries after throttling. Default `{ maxRetries: 1, baseDelayMs: 1000, maxDelayMs: 10_000 }`. */
  retry?: RetryPolicy;
}

/**
 * What jwtgrant answered, without the access token unless `includeAccessToken` was set.
 *
 * @example
 * ```ts
 * const grant: WidgetTokenGrant = { tokenType: 'bearer', accountId: '6a1c…' };
 * ```
 */
export interface WidgetTokenGrant {
  /** `authorization.token_type`, e.g. `bearer` (the widget's `Authorization` scheme). */
  tokenType: string;
  /** `userInfo.accountId`: the Kore account (the widget sends it as the `accountId` header). */
  accountId?: string;
  /** `userInfo.userId`. */
  userId?: string;
  /** `authorization.expiresDate` as epoch ms, when Kore gives it. */
  expiresAt?: number;
  /** Only with `includeAccessToken: true`. Secret. */
  accessToken?: string;
}

const GrantAnswer = z.looseObject({
  authorization: z.looseObject({
    accessToken: z.string().check(z.minLength(1)),
    token_type: z.optional(z.string()),
    expiresDate: z.optional(z.string()),
  }),
  userInfo: z.optional(z.looseObject({ accountId: z.optional(z.string()), userId: z.optional(z.string()) })),
});

/**
 * Exchanges a widget JWT for a Kore access token, as the Agent AI widget does right after it loads
 * (step 2 of docs/kore-protocol.md#widget-boot-sequence): `POST {agentassisturl}/api/1.1/oAuth/token/jwtgrant` with
 * `{assertion, botInfo: {chatBot, taskBotId}, token: {}}`. Use it to check a bot record's credentials before a
 * call (the CLI's doctor, a server-side minter) — the widget itself only shows "check the configuration settings".
 *
 * The access token is never returned (unless `includeAccessToken`) nor logged; the widget token and the access
 * token are redacted from every message, detail and log line.
 *
 * Errors: a refused token (HTTP 401, or `errors[].code` 401) is `E_HTTP_UNAUTHORIZED` ("the widget token was
 * rejected: check ClientId/ClientSecret (or RSPrivatePem) of bot …"); 400 (e.g. a `taskBotId` of another bot)
 * `E_HTTP_BAD_REQUEST`; 403 `E_HTTP_FORBIDDEN`; 404 `E_HTTP_NOT_FOUND` (wrong `agentassisturl`); throttling
 * `E_RATE_LIMITED` after `retry`; 5xx `E_HTTP_SERVER`; no answer `E_NETWORK`; a 2xx without an access token
 * `E_RESPONSE_INVALID`; an unusable `agentAssistUrl`, `token` or `botId` `E_CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * import { signWidgetJwt } from '@kaa/core';
 * import { exchangeWidgetToken } from '@kaa/kore-client';
 *
 * const token = await signWidgetJwt(record, { sub: me.id, now: Date.now() });
 * const grant = await exchangeWidgetToken({ agentAssistUrl: new URL(record.agentAssistWidgetUrl).origin, token, botId: record.botId, fetch: (u, i) => fetch(u, i) });
 * grant.tokenType; // 'bearer'
 * grant.accountId; // the Kore account id
 * ```
 */
export async function exchangeWidgetToken(input: WidgetTokenExchangeInput): Promise<WidgetTokenGrant> {
  const base = checkAgentAssistUrl(input.agentAssistUrl);
  const token = typeof input.token === 'string' ? input.token.trim() : '';
  const botId = typeof input.botId === 'string' ? input.botId.trim() : '';
  if (token === '' || botId === '') {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Kore jwtgrant needs a widget token and a bot id; ${token === '' ? 'the token' : 'the bot id'} is empty. Sign the widget JWT with the bot record's ClientId/ClientSecret and pass its BotId.`,
      {
        details: { botId: botId || undefined },
        secrets: [token],
      },
    );
  }
  const secrets: string[] = [token];
  const now = input.now ?? (() => Date.now());
  const ctx: KoreHttpContext = {
    fetch: input.fetch,
    now,
    sleep: input.sleep ?? timerSleep,
    logger: redactingLogger(input.logger ?? silentLogger, () => secrets),
    retry: {
      maxRetries: input.retry?.maxRetries ?? 1,
      baseDelayMs: input.retry?.baseDelayMs ?? 1000,
      maxDelayMs: input.retry?.maxDelayMs ?? 10_000,
    },
    secrets: () => secrets,
  };
  const what = `Kore jwtgrant for bot "${botId}" at ${base.origin}`;
  const { body } = await koreRequest(ctx, {
    method: 'POST',
    url: `${base.href}/api/1.1/oAuth/token/jwtgrant`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: { assertion: token, botInfo: { chatBot: input.chatBot ?? botId, taskBotId: botId }, token: {} },
    what,
    unauthorized: (vendor) =>
      `Kore jwtgrant at ${base.origin}: the widget token was rejected: check ClientId/ClientSecret (or RSPrivatePem) of bot "${botId}" (Kore said: ${vendor}). The token must be signed with that bot's ClientSecret (HS256) or RSPrivatePem (RS256/RS512), its "iss" must be the bot's ClientId, and its times must be in seconds.`,
    wrongHost: `The agentassisturl is the origin of the bot's AgentAssistWidgetURL (or setting kore.agentAssistUrl): set it to your Agent AI host.`,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const grant = parseBody(
    GrantAnswer,
    body,
    what,
    { url: `${base.href}/api/1.1/oAuth/token/jwtgrant`, botId },
    secrets,
  );
  secrets.push(grant.authorization.accessToken);
  const expiresAt = grant.authorization.expiresDate ? Date.parse(grant.authorization.expiresDate) : Number.NaN;
  ctx.logger.debug(`kore jwtgrant for bot "${botId}" accepted`, { botId, accountId: grant.userInfo?.accountId });
  return {
    tokenType: grant.authorization.token_type ?? 'bearer',
    ...(grant.userInfo?.accountId ? { accountId: grant.userInfo.accountId } : {}),
    ...(grant.userInfo?.userId ? { userId: grant.userInfo.userId } : {}),
    ...(Number.isFinite(expiresAt) ? { expiresAt } : {}),
    ...(input.includeAccessToken ? { accessToken: grant.authorization.accessToken } : {}),
  };
}

/** `https:` (or `http:` on loopback), no credentials, query or fragment; returns origin and path without a trailing slash. */
function checkAgentAssistUrl(raw: unknown): { origin: string; href: string } {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The agentassisturl "${String(raw).slice(0, 200)}" is not a URL. Use the origin of the bot's AgentAssistWidgetURL (e.g. https://platform.kore.ai) or set config kore.agentAssistUrl.`,
      {
        details: { key: 'kore.agentAssistUrl' },
      },
    );
  }
  if (!isHttpsOrLoopback(url) || url.username || url.password || url.search || url.hash) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The agentassisturl (${describeUrlOrigin(url)}) must be a plain https: origin such as https://platform.kore.ai (no credentials, query or fragment). Fix the bot's AgentAssistWidgetURL or config kore.agentAssistUrl.`,
      {
        details: { key: 'kore.agentAssistUrl', origin: describeUrlOrigin(url) },
      },
    );
  }
  return { origin: url.origin, href: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
