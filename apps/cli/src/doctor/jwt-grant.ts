import { KaaError, redact, type KaaErrorCode } from '@kaa/core';
import { z } from 'zod';

/**
 * Input of {@link checkJwtGrant}.
 *
 * @example
 * ```ts
 * const input: JwtGrantInput = { agentAssistUrl: 'https://agentassist.kore.ai', assertion: jwt, botId: 'st-…', clientId: 'cs-…',
 *   credentials: 'the ClientSecret in row 0 of Kore Data Table "kaa_bots"', fetch, timeoutMs: 5000, secrets };
 * ```
 */
export interface JwtGrantInput {
  /** The widget's `agentassisturl` (the origin of AgentAssistWidgetURL unless `kore.agentAssistUrl`, K13). */
  readonly agentAssistUrl: string;
  /** The widget JWT, exactly as the iframe would send it. Secret. */
  readonly assertion: string;
  readonly botId: string;
  readonly clientId: string;
  /** `botInfo.chatBot`; default the bot id (the widget's value is unpublished; the sandbox ignores it). */
  readonly chatBot?: string;
  /** Where the signing key came from, for the fix, e.g. `the ClientSecret in row 0 of Kore Data Table "kaa_bots"`. */
  readonly credentials: string;
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly timeoutMs: number;
  /** Every secret known to the run: redacted from messages and details. */
  readonly secrets: readonly string[];
}

/**
 * What jwtgrant answered (the access token itself is dropped: it is a secret and nothing needs it).
 *
 * @example
 * ```ts
 * const result: JwtGrantResult = { status: 200, tokenType: 'bearer', accountId: '6a1c…' };
 * ```
 */
export interface JwtGrantResult {
  readonly status: number;
  readonly tokenType: string;
  readonly accountId?: string;
}

const GrantAnswer = z.object({
  authorization: z.object({ accessToken: z.string().min(1), token_type: z.string().optional() }),
  userInfo: z.object({ accountId: z.string().optional() }).optional(),
});
const KoreErrorBody = z.object({ errors: z.array(z.object({ msg: z.string().optional(), code: z.unknown().optional() })).min(1) });

/**
 * Exchanges a widget JWT at Kore's jwtgrant, as the widget does right after it loads (kore.md §4 step 2:
 * `POST {agentassisturl}/api/1.1/oAuth/token/jwtgrant` with `{assertion, botInfo: {chatBot, taskBotId}, token: {}}`),
 * so a ClientSecret (or RSPrivatePem) that does not belong to the bot is caught before a call is placed.
 * The answer is checked with zod; the access token is discarded. Refusals are coded `KaaError`s naming the
 * credentials to fix: 401 `E_HTTP_UNAUTHORIZED`, 400 `E_HTTP_BAD_REQUEST`, 403 `E_HTTP_FORBIDDEN`, 404
 * `E_HTTP_NOT_FOUND` (wrong agentassisturl), 429 `E_RATE_LIMITED`, 5xx `E_HTTP_SERVER`, no answer `E_NETWORK`
 * (`details.unreachable: true`), a 2xx without an access token `E_RESPONSE_INVALID`.
 *
 * Belongs in `@kaa/kore-client` long-term (the CLI holds it until then).
 *
 * @example
 * ```ts
 * const grant = await checkJwtGrant({ agentAssistUrl, assertion: widgetJwt, botId, clientId, credentials: 'the ClientSecret in row 0', fetch, timeoutMs: 5000, secrets });
 * grant.tokenType; // 'bearer'
 * ```
 */
export async function checkJwtGrant(input: JwtGrantInput): Promise<JwtGrantResult> {
  const url = `${input.agentAssistUrl.replace(/\/+$/, '')}/api/1.1/oAuth/token/jwtgrant`;
  const secrets = [...input.secrets, input.assertion];
  const fail = (code: KaaErrorCode, message: string, details: Record<string, unknown>) => new KaaError(code, message, { details: { url, botId: input.botId, ...details }, secrets });
  let response: Response;
  try {
    response = await input.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ assertion: input.assertion, botInfo: { chatBot: input.chatBot ?? input.botId, taskBotId: input.botId }, token: {} }),
      signal: AbortSignal.timeout(input.timeoutMs),
    });
  } catch (cause) {
    const timeout = (cause as Error)?.name === 'TimeoutError';
    throw fail('E_NETWORK', `Kore's jwtgrant at ${url} cannot be reached within ${input.timeoutMs} ms (${timeout ? 'timeout' : 'connection failed'}). Check AgentAssistWidgetURL (its origin is the agentassisturl) or the network to Kore.`, { unreachable: true });
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    const parsed = GrantAnswer.safeParse(body);
    if (!parsed.success) throw fail('E_RESPONSE_INVALID', `Kore's jwtgrant at ${url} answered HTTP ${status} without authorization.accessToken, so the widget could not start. Check that agentassisturl (${input.agentAssistUrl}) is your Agent AI host; set settings kore.agentAssistUrl if it is not the origin of AgentAssistWidgetURL.`, { status });
    return { status, tokenType: parsed.data.authorization.token_type ?? 'bearer', ...(parsed.data.userInfo?.accountId !== undefined && { accountId: parsed.data.userInfo.accountId }) };
  }
  const errors = KoreErrorBody.safeParse(body);
  const kore = errors.success ? errors.data.errors.map((e) => e.msg ?? '').filter((m) => m !== '').join('; ') : '';
  const said = kore === '' ? `HTTP ${status}` : `HTTP ${status}: "${redact(kore, secrets).slice(0, 200)}"`;
  const details = { status, ...(kore !== '' && { koreMessage: redact(kore, secrets).slice(0, 200) }) };
  const bot = `bot ${input.botId} (ClientId ${input.clientId})`;
  if (status === 401) {
    throw fail('E_HTTP_UNAUTHORIZED', `Kore's jwtgrant refused the widget token (${said}): ${input.credentials} does not match ${bot}. Copy the Client Secret (RS256/RS512: the private key of the registered public key) from Agent AI › Flows & Channels › Digital › Web/Mobile Client › JWT App Details of bot ${input.botId}, and check that the ClientId is that bot's.`, details);
  }
  if (status === 400) {
    throw fail('E_HTTP_BAD_REQUEST', `Kore's jwtgrant rejected the token exchange for ${bot} (${said}). Check that BotId and ClientId come from the same bot's JWT App Details, and that the widget JWT settings (kore.jwt.*) match what Kore expects.`, details);
  }
  if (status === 403) throw fail('E_HTTP_FORBIDDEN', `Kore's jwtgrant forbade the token exchange for ${bot} (${said}). Check that the bot is published and its JWT app enabled in Agent AI.`, details);
  if (status === 404) throw fail('E_HTTP_NOT_FOUND', `There is no jwtgrant at ${url} (${said}): agentassisturl ${input.agentAssistUrl} is not an Agent AI host. Fix AgentAssistWidgetURL, or set settings kore.agentAssistUrl to your Agent AI URL (K13).`, details);
  if (status === 429) throw fail('E_RATE_LIMITED', `Kore's jwtgrant is rate-limiting (${said}). Run kaa doctor again in a minute.`, details);
  throw fail('E_HTTP_SERVER', `Kore's jwtgrant at ${url} failed (${said}); the widget would show its "backend services" message. Retry later, or contact Kore support if it persists.`, details);
}
