import type { FetchLike } from '@kaa/core';
import { isKaaError, KaaError } from '@kaa/core';
import { exchangeWidgetToken, type WidgetTokenGrant } from '@kaa/kore-client';

/**
 * Input of {@link checkWidgetToken}.
 *
 * @example
 * ```ts
 * const input: WidgetTokenCheckInput = { agentAssistUrl: 'https://agentassist.kore.ai', token: widgetJwt, botId: 'st-…', clientId: 'cs-…',
 *   credentials: 'the ClientSecret in row 0 of Kore Data Table "kaa_bots"', fetch, now: Date.now, timeoutMs: 5000, secrets };
 * ```
 */
export interface WidgetTokenCheckInput {
  /** The widget's `agentassisturl` (the origin of AgentAssistWidgetURL unless setting `kore.agentAssistUrl`, docs/assumptions.md#agentassisturl-host). */
  readonly agentAssistUrl: string;
  /** The signed widget JWT, exactly as the iframe would get it. Secret. */
  readonly token: string;
  readonly botId: string;
  readonly clientId: string;
  /** Where the signing key came from, for the fix, e.g. `the ClientSecret in row 0 of Kore Data Table "kaa_bots"`. */
  readonly credentials: string;
  readonly fetch: FetchLike;
  /** Epoch ms. */
  readonly now: () => number;
  /** How long jwtgrant may take to answer (`AbortSignal.timeout`). */
  readonly timeoutMs: number;
  /** Every secret known to the run: redacted from messages and details. */
  readonly secrets: readonly string[];
}

/**
 * What the check found: Kore accepted the token, or its Agent AI host could not be reached at all (the doctor's
 * `widget URL` step reports that, naming the column to fix).
 *
 * @example
 * ```ts
 * const check: WidgetTokenCheck = { checked: true, grant: { tokenType: 'bearer', accountId: '6a1c…' } };
 * ```
 */
export type WidgetTokenCheck =
  | { readonly checked: true; readonly grant: WidgetTokenGrant }
  | { readonly checked: false; readonly unreachable: KaaError };

/**
 * The doctor's `widget token` check: `@kaa/kore-client`'s {@link exchangeWidgetToken} (the jwtgrant call the widget
 * makes right after it loads), with each refusal re-worded for the admin — which row of which table holds the
 * credentials that do not match, and where to copy the right ones from. The code stays the one kore-client raised;
 * its message is kept at the end (it carries Kore's own words).
 *
 * Doctor choices: no retry after throttling (`E_RATE_LIMITED` at once: "run kaa doctor again"); `E_NETWORK`
 * before any answer (host down, DNS, timeout) is not a failure here but `{checked: false}`; an answer that
 * broke off while being read stays an `E_NETWORK` failure.
 *
 * @example
 * ```ts
 * const check = await checkWidgetToken({ agentAssistUrl, token: widgetJwt, botId, clientId, credentials: 'the ClientSecret in row 0', fetch, now: Date.now, timeoutMs: 5000, secrets });
 * if (check.checked) check.grant.tokenType; // 'bearer'
 * ```
 */
export async function checkWidgetToken(input: WidgetTokenCheckInput): Promise<WidgetTokenCheck> {
  try {
    const grant = await exchangeWidgetToken({
      agentAssistUrl: input.agentAssistUrl,
      token: input.token,
      botId: input.botId,
      fetch: input.fetch,
      now: input.now,
      retry: { maxRetries: 0 },
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    return { checked: true, grant };
  } catch (e) {
    if (!isKaaError(e)) throw e;
    if (e.code === 'E_NETWORK' && e.details['status'] === undefined) return { checked: false, unreachable: e };
    throw explain(e, input);
  }
}

function explain(e: KaaError, input: WidgetTokenCheckInput): KaaError {
  // no `cause`: kore-client's error was redacted of the token only, not of the config's secrets
  return new KaaError(e.code, `${adminFix(e, input)} (${e.message})`, {
    details: { ...e.details, botId: input.botId, clientId: input.clientId, agentAssistUrl: input.agentAssistUrl },
    secrets: [...input.secrets, input.token],
  });
}

/** What failed, in the doctor's words, and what to change. */
function adminFix(e: KaaError, input: WidgetTokenCheckInput): string {
  const bot = `bot ${input.botId} (ClientId ${input.clientId})`;
  const at = `Kore's jwtgrant at ${input.agentAssistUrl}`;
  const fixHost =
    'Fix the AgentAssistWidgetURL column (its origin is the agentassisturl), or set settings kore.agentAssistUrl to your Agent AI host (docs/assumptions.md#agentassisturl-host).';
  switch (e.code) {
    case 'E_HTTP_UNAUTHORIZED':
      return `${at} refused the widget token: ${input.credentials} does not match ${bot}. Copy the Client Secret (RS256/RS512: the private key of the registered public key) from Agent AI › Flows & Channels › Digital › Web/Mobile Client › JWT App Details of bot ${input.botId}, and check that the ClientId is that bot's.`;
    case 'E_HTTP_BAD_REQUEST':
      return `${at} rejected the token exchange for ${bot}. Check that BotId and ClientId come from the same bot's JWT App Details, and that the widget JWT settings (kore.jwt.*) match what Kore expects.`;
    case 'E_HTTP_FORBIDDEN':
      return `${at} forbade the token exchange for ${bot}. Check that the bot is published and its JWT app enabled in Agent AI.`;
    case 'E_HTTP_NOT_FOUND':
    case 'E_KORE_HOST_WRONG':
      return `There is no jwtgrant at ${input.agentAssistUrl}: it is not an Agent AI host. ${fixHost}`;
    case 'E_RATE_LIMITED':
      return `${at} is rate-limiting the token exchange for ${bot}. Run kaa doctor again in a minute.`;
    case 'E_HTTP_SERVER':
      return `${at} failed for ${bot}; the widget would show its "backend services" message. Retry later, or contact Kore support if it persists.`;
    case 'E_RESPONSE_INVALID':
      return `${at} did not answer with an access token for ${bot}, so the widget could not start: ${input.agentAssistUrl} may not be your Agent AI host. ${fixHost}`;
    case 'E_CONFIG_INVALID':
      if (e.details['key'] !== 'kore.agentAssistUrl')
        return `The widget token of ${bot} cannot be checked at jwtgrant.`;
      return `The widget token of ${bot} cannot be checked at jwtgrant: the agentassisturl "${input.agentAssistUrl}" is unusable. ${fixHost}`;
    case 'E_NETWORK':
      return `${at} answered, but the answer broke off within ${input.timeoutMs} ms. Run kaa doctor again, or raise --timeout.`;
    default:
      return `${at} failed for ${bot}.`;
  }
}
