import type { ServerResponse } from 'node:http';
import type { Models } from 'purecloud-platform-client-v2';
import { type ResponseHeaders, sendJson } from '../http/send.js';

/** Genesys error codes the sandbox answers with (docs/genesys-protocol.md#rate-limits-and-error-bodies). */
export type GenesysErrorCode =
  | 'bad.request'
  | 'bad.credentials'
  | 'authentication.required'
  | 'missing.permissions'
  | 'missing.any.scopes'
  | 'missing.any.permissions'
  | 'not.found'
  | 'conflict'
  | 'too.many.requests.retry.after'
  | 'internal.server.error'
  | 'service.unavailable'
  | 'gateway.timeout';

/**
 * The Genesys error code that goes with an HTTP status (for injected failures).
 *
 * @example
 * ```ts
 * codeForStatus(503); // 'service.unavailable'
 * ```
 */
export function codeForStatus(status: number): GenesysErrorCode {
  if (status === 401) return 'bad.credentials';
  if (status === 403) return 'missing.permissions';
  if (status === 404) return 'not.found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'too.many.requests.retry.after';
  if (status === 503) return 'service.unavailable';
  if (status === 504) return 'gateway.timeout';
  if (status >= 500) return 'internal.server.error';
  return 'bad.request';
}

/**
 * Answers with a Genesys `ErrorBody` (`message, code, status, contextId, details, errors`) and the
 * `inin-correlation-id` header equal to `contextId`, like `fixtures/genesys/errors/error_404_not_found_extended_response.json`.
 *
 * @example
 * ```ts
 * sendErrorBody(res, 404, 'not.found', 'The requested operation failed with status 404', env.uuid());
 * ```
 */
export function sendErrorBody(
  res: ServerResponse,
  status: number,
  code: GenesysErrorCode,
  message: string,
  correlationId: string,
  headers: ResponseHeaders = {},
  messageParams?: Record<string, string>,
): void {
  const body = {
    message,
    code,
    status,
    ...(messageParams ? { messageWithParams: message, messageParams } : {}),
    contextId: correlationId,
    details: [],
    errors: [],
  } satisfies Models.ErrorBody;
  sendJson(res, status, body, { ...headers, 'inin-correlation-id': correlationId });
}
