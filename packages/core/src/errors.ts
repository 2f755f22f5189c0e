/**
 * The one error type of kaa. Every failure that an admin, an integrator or a test can see is a
 * {@link KaaError} whose `code` comes from the closed union {@link KaaErrorCode}.
 *
 * Rules (see docs/architecture.md#secrets):
 * - `message` says what failed and what the admin should change, in plain words.
 * - `details` holds structured, non-secret facts (column names, queue names, HTTP status, correlation ids).
 * - No secret (ClientSecret, tokens, private keys, JWE payloads, decrypted custom data) ever appears in
 *   `message` or `details`: pass the secrets you hold in `secrets` and they are redacted when the error is built.
 */

import { redact } from './redact.js';

/**
 * Every error code kaa raises, grouped by the step of the integration that fails.
 * The union is closed: add a code here (and to {@link KAA_ERROR_STEP}) before raising it.
 *
 * @example
 * ```ts
 * import { KAA_ERROR_CODES } from '@kaa/core';
 * KAA_ERROR_CODES.includes('E_QUEUE_NOT_MAPPED'); // true
 * ```
 */
export const KAA_ERROR_CODES = [
  // parameters: the Interaction Widget URL
  'E_PARAM_MISSING',
  'E_PARAM_INVALID',
  'E_XMETADATA_INVALID',
  'E_PARAM_NOT_ALLOWED',
  'E_PAGE_UNFRAMED',
  // environment: which Genesys region
  'E_ENVIRONMENT_UNKNOWN',
  'E_ENVIRONMENT_MISMATCH',
  // login: OAuth inside the iframe
  'E_AUTH_STATE_INVALID',
  'E_AUTH_DENIED',
  'E_AUTH_GRANT_UNSUPPORTED',
  'E_AUTH_POPUP_BLOCKED',
  'E_AUTH_POPUP_TIMEOUT',
  'E_AUTH_EXPIRED',
  'E_ORG_NOT_ALLOWED',
  // conversation: reading it and finding this agent
  'E_CONVERSATION_NOT_FOUND',
  'E_AGENT_NOT_PARTICIPANT',
  // queue
  'E_NO_QUEUE',
  // bot table: resolving the bot record for the queue
  'E_QUEUE_NOT_MAPPED',
  'E_QUEUE_AMBIGUOUS',
  'E_BOT_ROW_INVALID',
  'E_BOT_SOURCE_UNAVAILABLE',
  'E_LEGACY_TABLE_NOT_FOUND',
  'E_KVP_PATH_INVALID',
  'E_KVP_CONFIG_INVALID',
  'E_KORE_HOST_NOT_ALLOWED',
  // token: widget JWT, platform JWT, JWE
  'E_ALGORITHM_UNSUPPORTED',
  'E_KEY_INVALID',
  'E_JWE_KEY_INVALID',
  'E_TOKEN_SIGN_FAILED',
  'E_JWE_ENCRYPT_FAILED',
  'E_TOKEN_MALFORMED',
  // widget: mounting and talking to the Agent AI widget
  'E_WIDGET_URL_INVALID',
  'E_WIDGET_LOAD_TIMEOUT',
  'E_WIDGET_MESSAGE_INVALID',
  'E_WIDGET_SDK_UNAVAILABLE',
  // live events
  'E_EVENT_INVALID',
  'E_EVENT_ORDER',
  'E_NOTIFICATIONS_CHANNEL',
  'E_NOTIFICATIONS_SOCKET',
  'E_NOTIFICATIONS_TOKEN_REVOKED',
  'E_NOTIFICATIONS_UNSUBSCRIBED',
  'E_PERMISSION_MISSING',
  'E_TRANSCRIPTION_OFF',
  // HTTP, any vendor
  'E_HTTP_UNAUTHORIZED',
  'E_HTTP_FORBIDDEN',
  'E_HTTP_NOT_FOUND',
  'E_HTTP_BAD_REQUEST',
  'E_HTTP_SERVER',
  'E_RATE_LIMITED',
  'E_NETWORK',
  'E_RESPONSE_INVALID',
  // configuration files (CLI, servers)
  'E_CONFIG_INVALID',
  'E_KORE_HOST_WRONG',
  'E_CLI_USAGE',
  'E_ORIGIN_NOT_ALLOWED',
  // a bug in kaa itself
  'E_INTERNAL',
] as const;

/** Closed union of kaa error codes. */
export type KaaErrorCode = (typeof KAA_ERROR_CODES)[number];

/** The step of the integration (docs/architecture.md#one-interaction-top-to-bottom) that an error belongs to; the error panel names it. */
export type KaaStep =
  | 'parameters'
  | 'environment'
  | 'login'
  | 'conversation'
  | 'queue'
  | 'bot table'
  | 'token'
  | 'widget'
  | 'live events'
  | 'network'
  | 'configuration'
  | 'internal';

/**
 * Which step each code belongs to; {@link KaaError.step} is read from it.
 *
 * @example
 * ```ts
 * import { KAA_ERROR_STEP } from '@kaa/core';
 * KAA_ERROR_STEP.E_ENVIRONMENT_UNKNOWN; // 'environment'
 * ```
 */
export const KAA_ERROR_STEP: Readonly<Record<KaaErrorCode, KaaStep>> = {
  E_PARAM_MISSING: 'parameters',
  E_PARAM_INVALID: 'parameters',
  E_XMETADATA_INVALID: 'parameters',
  E_PARAM_NOT_ALLOWED: 'parameters',
  E_PAGE_UNFRAMED: 'parameters',
  E_ENVIRONMENT_UNKNOWN: 'environment',
  E_ENVIRONMENT_MISMATCH: 'environment',
  E_AUTH_STATE_INVALID: 'login',
  E_AUTH_DENIED: 'login',
  E_AUTH_GRANT_UNSUPPORTED: 'login',
  E_AUTH_POPUP_BLOCKED: 'login',
  E_AUTH_POPUP_TIMEOUT: 'login',
  E_AUTH_EXPIRED: 'login',
  E_ORG_NOT_ALLOWED: 'login',
  E_CONVERSATION_NOT_FOUND: 'conversation',
  E_AGENT_NOT_PARTICIPANT: 'conversation',
  E_NO_QUEUE: 'queue',
  E_QUEUE_NOT_MAPPED: 'bot table',
  E_QUEUE_AMBIGUOUS: 'bot table',
  E_BOT_ROW_INVALID: 'bot table',
  E_BOT_SOURCE_UNAVAILABLE: 'bot table',
  E_LEGACY_TABLE_NOT_FOUND: 'bot table',
  E_KVP_PATH_INVALID: 'bot table',
  E_KVP_CONFIG_INVALID: 'bot table',
  E_KORE_HOST_NOT_ALLOWED: 'bot table',
  E_ALGORITHM_UNSUPPORTED: 'token',
  E_KEY_INVALID: 'token',
  E_JWE_KEY_INVALID: 'token',
  E_TOKEN_SIGN_FAILED: 'token',
  E_JWE_ENCRYPT_FAILED: 'token',
  E_TOKEN_MALFORMED: 'token',
  E_WIDGET_URL_INVALID: 'widget',
  E_WIDGET_LOAD_TIMEOUT: 'widget',
  E_WIDGET_MESSAGE_INVALID: 'widget',
  E_WIDGET_SDK_UNAVAILABLE: 'widget',
  E_EVENT_INVALID: 'live events',
  E_EVENT_ORDER: 'live events',
  E_NOTIFICATIONS_CHANNEL: 'live events',
  E_NOTIFICATIONS_SOCKET: 'live events',
  E_NOTIFICATIONS_TOKEN_REVOKED: 'live events',
  E_NOTIFICATIONS_UNSUBSCRIBED: 'live events',
  E_PERMISSION_MISSING: 'live events',
  E_TRANSCRIPTION_OFF: 'live events',
  E_HTTP_UNAUTHORIZED: 'network',
  E_HTTP_FORBIDDEN: 'network',
  E_HTTP_NOT_FOUND: 'network',
  E_HTTP_BAD_REQUEST: 'network',
  E_HTTP_SERVER: 'network',
  E_RATE_LIMITED: 'network',
  E_NETWORK: 'network',
  E_RESPONSE_INVALID: 'network',
  E_CONFIG_INVALID: 'configuration',
  E_KORE_HOST_WRONG: 'configuration',
  E_CLI_USAGE: 'configuration',
  E_ORIGIN_NOT_ALLOWED: 'configuration',
  E_INTERNAL: 'internal',
};

/** Structured, non-secret facts attached to an error. Values are redacted like the message. */
export type KaaErrorDetails = Readonly<Record<string, unknown>>;

/** Options for {@link KaaError}. */
export interface KaaErrorOptions {
  /** The underlying error, kept for debugging. Its message is redacted too when it is rendered by kaa. */
  cause?: unknown;
  /** Structured, non-secret facts (column, queue, HTTP status, Genesys `code`, correlation id, …). */
  details?: KaaErrorDetails;
  /** Secret values known at the throw site; they are replaced by `[REDACTED]` in `message` and `details`. */
  secrets?: readonly (string | undefined | null)[];
}

/**
 * The error kaa throws. `code` is from a closed union; `message` tells an admin what to change.
 *
 * @example
 * ```ts
 * import { KaaError } from '@kaa/core';
 *
 * throw new KaaError('E_QUEUE_NOT_MAPPED',
 *   'Queue "ALPHAINC_SALES" has no row in data table "kaa_bots" (QueueIdentifier "ALPHAINC", delimiter "_"). Add a row whose QueueIdentifier lists "ALPHAINC".',
 *   { details: { queueName: 'ALPHAINC_SALES', queueIdentifier: 'ALPHAINC', table: 'kaa_bots' } });
 * ```
 */
export class KaaError extends Error {
  override readonly name = 'KaaError';
  /** The closed-union code; switch on it, never on the message. */
  readonly code: KaaErrorCode;
  /** Structured, redacted, non-secret facts. */
  readonly details: KaaErrorDetails;
  /** The integration step this code belongs to. */
  readonly step: KaaStep;

  constructor(code: KaaErrorCode, message: string, options: KaaErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    super(redact(message, secrets), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.step = KAA_ERROR_STEP[code];
    this.details = options.details ? (redactValue(options.details, secrets) as KaaErrorDetails) : {};
  }

  /** A JSON-safe view for logs and `--json` output: code, step, message, details (never the cause's secrets). */
  toJSON(): { name: 'KaaError'; code: KaaErrorCode; step: KaaStep; message: string; details: KaaErrorDetails } {
    return { name: 'KaaError', code: this.code, step: this.step, message: this.message, details: this.details };
  }
}

/**
 * True when `value` is a {@link KaaError}, optionally with one of the given codes.
 *
 * @example
 * ```ts
 * if (isKaaError(e, 'E_QUEUE_NOT_MAPPED')) showNoAssistant();
 * ```
 */
export function isKaaError(value: unknown, ...codes: KaaErrorCode[]): value is KaaError {
  return value instanceof KaaError && (codes.length === 0 || codes.includes(value.code));
}

/**
 * Wraps any thrown value as a {@link KaaError}: a KaaError passes through unchanged, anything else becomes
 * `code` with `message` and the original as `cause`.
 *
 * @example
 * ```ts
 * try { JSON.parse(text) } catch (e) { throw toKaaError(e, 'E_RESPONSE_INVALID', 'The bot table answered with text that is not JSON.') }
 * ```
 */
export function toKaaError(
  value: unknown,
  code: KaaErrorCode,
  message: string,
  options: Omit<KaaErrorOptions, 'cause'> = {},
): KaaError {
  if (value instanceof KaaError) return value;
  return new KaaError(code, message, { ...options, cause: value });
}

/** What stands for details nested deeper than {@link redactValue} walks: never the unredacted value itself. */
const TOO_DEEP = '[omitted: nested too deep to redact]';

function redactValue(value: unknown, secrets: readonly (string | undefined | null)[], depth = 0): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets, depth + 1);
  return out;
}
