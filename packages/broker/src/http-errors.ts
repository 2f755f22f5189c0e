import { KaaError, isKaaError, redact } from '@kaa/core';
import type { KaaErrorCode } from '@kaa/core';

/** Codes answered 401: the agent's Genesys token is missing, forged, expired or revoked. */
const UNAUTHORIZED = new Set<KaaErrorCode>(['E_HTTP_UNAUTHORIZED', 'E_AUTH_EXPIRED']);
/** Codes answered 403: a wrong organisation or environment, an agent not (or no longer) on the conversation, a page origin not served. */
const FORBIDDEN = new Set<KaaErrorCode>([
  'E_ORG_NOT_ALLOWED',
  'E_AGENT_NOT_PARTICIPANT',
  'E_HTTP_FORBIDDEN',
  'E_ORIGIN_NOT_ALLOWED',
]);
const NOT_FOUND = new Set<KaaErrorCode>(['E_CONVERSATION_NOT_FOUND', 'E_HTTP_NOT_FOUND']);
/** The bot-table step: the same codes the page's error panel shows (unmapped, ambiguous, invalid rows and keys). */
const UNPROCESSABLE = new Set<KaaErrorCode>([
  'E_NO_QUEUE',
  'E_QUEUE_NOT_MAPPED',
  'E_QUEUE_AMBIGUOUS',
  'E_BOT_ROW_INVALID',
  'E_LEGACY_TABLE_NOT_FOUND',
  'E_KVP_PATH_INVALID',
  'E_KVP_CONFIG_INVALID',
  'E_ALGORITHM_UNSUPPORTED',
  'E_KEY_INVALID',
  'E_JWE_KEY_INVALID',
  'E_WIDGET_URL_INVALID',
  'E_EVENT_INVALID',
]);
const BAD_REQUEST = new Set<KaaErrorCode>(['E_PARAM_INVALID', 'E_PARAM_MISSING']);
/** An upstream (Genesys or Kore) is down, throttling or answering garbage: 503 with Retry-After. */
const UNAVAILABLE = new Set<KaaErrorCode>([
  'E_HTTP_SERVER',
  'E_NETWORK',
  'E_RESPONSE_INVALID',
  'E_BOT_SOURCE_UNAVAILABLE',
  'E_KORE_HOST_WRONG',
]);

/**
 * The HTTP status of a broker answer for a coded error (docs/architecture.md#broker-mode): 401 token, 403 organisation /
 * participant (a conversation the agent cannot read included) / origin, 404 an unknown route, 422 routing and bot table, 400/413/415 body, 429 the broker's own per-agent
 * limit (`details.limit` set), 502 an upstream that refused the broker's own request or credentials, 503 an upstream
 * that is down or throttling, 500 configuration and bugs.
 *
 * @example
 * ```ts
 * statusOf(new KaaError('E_QUEUE_NOT_MAPPED', '…')); // 422
 * ```
 */
export function statusOf(error: KaaError): number {
  const code = error.code;
  if (typeof error.details['httpStatus'] === 'number') return error.details['httpStatus'];
  if (UNAUTHORIZED.has(code)) return 401;
  if (FORBIDDEN.has(code)) return 403;
  if (NOT_FOUND.has(code)) return 404;
  if (UNPROCESSABLE.has(code)) return 422;
  if (BAD_REQUEST.has(code)) return 400;
  if (code === 'E_RATE_LIMITED') return error.details['limit'] === 'broker' ? 429 : 503;
  if (UNAVAILABLE.has(code)) return 503;
  if (code === 'E_HTTP_BAD_REQUEST') return 502; // an upstream refused a request the broker built
  return 500;
}

/**
 * The JSON error answer: `{error: KaaError JSON}` with the status of {@link statusOf}, `Retry-After` on 429/503 and
 * `WWW-Authenticate` on 401. Message and details pass through core's `redact` with every secret the broker knows.
 *
 * @example
 * ```ts
 * return errorResponse(new KaaError('E_ORG_NOT_ALLOWED', '…'), { secrets, retryAfterSeconds: 5 });
 * ```
 */
export function errorResponse(
  value: unknown,
  options: { secrets: readonly string[]; retryAfterSeconds: number; headers?: Record<string, string> },
): { status: number; body: string; headers: Record<string, string>; error: KaaError } {
  const error = isKaaError(value)
    ? value
    : new KaaError(
        'E_INTERNAL',
        'The token broker failed unexpectedly. Its log has the request id; report it with that line.',
        { cause: value },
      );
  const status = statusOf(error);
  const headers: Record<string, string> = { ...options.headers };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="kaa-broker"';
  if (status === 429 || status === 503) {
    const after =
      typeof error.details['retryAfterSeconds'] === 'number'
        ? error.details['retryAfterSeconds']
        : options.retryAfterSeconds;
    headers['retry-after'] = String(Math.max(1, Math.ceil(after)));
  }
  const { httpStatus: _status, ...details } = error.details;
  const json = JSON.stringify({ error: { code: error.code, step: error.step, message: error.message, details } });
  return { status, body: redact(json, options.secrets), headers, error };
}
