import { KaaError } from '@kaa/core';
import type { KaaErrorCode } from '@kaa/core';

/** What a failed Genesys call was, for the error message. */
export interface FailedCall {
  method: string;
  /** Path and query, never holding a token. */
  path: string;
  /** The API origin called (the environment's `apiBase`): the message names origin and path, never the query. */
  origin?: string;
  /** What the call was for, in plain words: `read conversation c0a…`. */
  purpose: string;
  /** The OAuth scope (and permission) the Kore guide requires for this call, named on a 403. */
  requires?: string;
  /** A 404 here means the conversation is not visible: raise E_CONVERSATION_NOT_FOUND. */
  conversationId?: string;
  attempts: number;
  /** Secrets to redact (the access token). */
  secrets: readonly string[];
}

/** The Genesys `ErrorBody` fields kaa keeps. */
interface GenesysErrorFacts {
  code?: string;
  message?: string;
  status?: number;
  contextId?: string;
}

function readErrorBody(text: string): GenesysErrorFacts {
  try {
    const body: unknown = JSON.parse(text);
    if (body === null || typeof body !== 'object') return {};
    const b = body as Record<string, unknown>;
    const pick = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    return {
      code: pick('code'),
      message: pick('message'),
      contextId: pick('contextId'),
      status: typeof b.status === 'number' ? b.status : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * Turns a non-2xx Genesys response into a coded {@link KaaError} that keeps Genesys' `code`, `message`,
 * `status` and correlation id in `details`, with every secret in `call.secrets` redacted.
 */
export function httpError(call: FailedCall, status: number, headers: Headers, bodyText: string): KaaError {
  const body = readErrorBody(bodyText);
  const correlationId = headers.get('inin-correlation-id') ?? body.contextId;
  const details = {
    method: call.method,
    path: call.path,
    ...(call.origin !== undefined && { url: `${call.origin}${call.path.split('?')[0] ?? ''}` }),
    status,
    attempts: call.attempts,
    genesysCode: body.code,
    genesysMessage: body.message,
    correlationId,
    retryAfter: headers.get('retry-after') ?? undefined,
  };
  const said = body.message ? ` Genesys said: "${body.message}"${body.code ? ` (${body.code})` : ''}.` : '';
  const at = `${call.method} ${call.origin ?? ''}${call.path.split('?')[0] ?? ''}`;
  const ref = correlationId ? ` Correlation id ${correlationId}.` : '';
  let code: KaaErrorCode;
  let message: string;
  if (status === 401) {
    code = 'E_HTTP_UNAUTHORIZED';
    message = `Genesys Cloud refused the login token when trying to ${call.purpose} (HTTP 401, ${at}), also after signing in again.${said} Check that the OAuth client is active and that its token duration is not shorter than the session.${ref}`;
  } else if (status === 403) {
    code = 'E_HTTP_FORBIDDEN';
    message = `Genesys Cloud did not allow the signed-in user to ${call.purpose} (HTTP 403, ${at}).${said} Give the OAuth client ${call.requires ?? 'the scopes listed in the Kore guide'}, and the agent's role the matching permission.${ref}`;
  } else if (status === 404 && call.conversationId !== undefined) {
    code = 'E_CONVERSATION_NOT_FOUND';
    message = `Genesys Cloud has no conversation "${call.conversationId}" visible to the signed-in user (HTTP 404, ${at}).${said} Check that the agent is a participant and that their role's division includes the conversation's queue.${ref}`;
  } else if (status === 404) {
    code = 'E_HTTP_NOT_FOUND';
    message = `Genesys Cloud found nothing when trying to ${call.purpose} (HTTP 404, ${at}).${said} Check the id in the configuration.${ref}`;
  } else if (status === 429) {
    code = 'E_RATE_LIMITED';
    message = `Genesys Cloud rate-limited the request to ${call.purpose} (HTTP 429, ${at}) after ${call.attempts} attempts.${said} Fewer widget instances or a higher org.app.user.rate.per.minute limit helps.${ref}`;
  } else if (status >= 500) {
    code = 'E_HTTP_SERVER';
    message = `Genesys Cloud failed to ${call.purpose} (HTTP ${status}, ${at}) after ${call.attempts} attempt${call.attempts === 1 ? '' : 's'}.${said} This is on the Genesys side; try again, and check status.mypurecloud.com if it persists.${ref}`;
  } else {
    code = 'E_HTTP_BAD_REQUEST';
    message = `Genesys Cloud rejected the request to ${call.purpose} (HTTP ${status}, ${at}).${said} Check the configured ids and values.${ref}`;
  }
  return new KaaError(code, message, { details, secrets: call.secrets });
}
