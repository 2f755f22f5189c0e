import { KaaError } from '../errors.js';
import type { KoreExperience } from '../routing/media-of.js';
import type { HooksEvent } from './hooks-event.js';
import type { KorePostRequest } from './kore-post-request.js';

/** Wire-format options for the hooks API; every one is an open question with the documented default. */
export interface HooksRequestOptions {
  /** Config `kore.hooks.pathPrefix` (docs/assumptions.md#hooks-path-prefix). Default `/agentassist/api/v1/hooks` (docs also show `/agentai/api/v1/hooks`, `/api/v1/hooks`). */
  readonly pathPrefix?: string;
  /** Config `kore.hooks.authHeader` (docs/assumptions.md#hooks-auth-header): the header that carries the platform JWT. Default `auth` (curl samples use `token`). */
  readonly authHeader?: string;
  /** Config `kore.hooks.transferTypeCase` (docs/assumptions.md#hooks-field-formats): `lower` (default) sends `cold`/`warm`/`redial`; `upper` sends `COLD`/`WARM`/`REDIAL`. `NA` is always upper case. */
  readonly transferTypeCase?: 'lower' | 'upper';
  /** Config `kore.hooks.isExtADAsString` (docs/assumptions.md#hooks-field-formats): send `isExtAD` as the string `"true"` (as in the examples). Default `false` (boolean, as in the schema). */
  readonly isExtADAsString?: boolean;
}

/** Optional message-propagation fields of the hooks body (docs/kore-protocol.md#hooks-body). */
export interface HooksMessageFields {
  readonly query: string;
  readonly agentId: string;
  readonly experience: KoreExperience;
  readonly author: { readonly type: 'USER' | 'AGENT' };
  readonly source: string;
  readonly sendUserMessage: boolean;
  readonly sendAgentMessage: boolean;
  readonly language: string;
}

/** Input of {@link buildHooksRequest}. */
export interface HooksRequestInput {
  readonly botId: string;
  readonly conversationId: string;
  readonly events: readonly HooksEvent[];
  readonly message?: HooksMessageFields;
}

/** A hooks call without its token: the port adds header `authHeader.name` with the platform JWT and POSTs `body` as JSON. */
export interface HooksRequest extends KorePostRequest<Readonly<Record<string, unknown>>> {
  /** Path on the Kore API host, e.g. `/agentassist/api/v1/hooks/st-123`. */
  readonly path: string;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Builds the `POST {pathPrefix}/{botId}` hooks request (docs/kore-protocol.md#hooks-body) for lifecycle events, applying the
 * configurable wire formats (docs/assumptions.md#hooks-path-prefix, docs/assumptions.md#hooks-auth-header, docs/assumptions.md#hooks-field-formats). Empty ids, a prefix that is not an absolute path, or an invalid header name
 * throw a `KaaError` naming the config key.
 *
 * @example
 * ```ts
 * import { buildHooksRequest } from '@kaa/core';
 *
 * const req = buildHooksRequest({ botId: 'st-123', conversationId: 'c1', events }, { transferTypeCase: 'lower' });
 * // req.path → '/agentassist/api/v1/hooks/st-123'; req.authHeader → { name: 'auth' }
 * await fetch(koreHost + req.path, { method: 'POST', headers: { ...req.headers, [req.authHeader.name]: jwt }, body: JSON.stringify(req.body) });
 * ```
 */
export function buildHooksRequest(input: HooksRequestInput, options: HooksRequestOptions = {}): HooksRequest {
  const pathPrefix = (options.pathPrefix ?? '/agentassist/api/v1/hooks').replace(/\/+$/, '');
  if (!/^\/[^?#\s]*$/.test(pathPrefix)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The hooks path prefix "${pathPrefix}" is not an absolute path. Set kore.hooks.pathPrefix to a path such as "/agentassist/api/v1/hooks".`,
      { details: { key: 'kore.hooks.pathPrefix' } },
    );
  }
  const authHeader = options.authHeader ?? 'auth';
  if (!HEADER_NAME.test(authHeader)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `"${authHeader}" is not a valid HTTP header name. Set kore.hooks.authHeader to "auth" or "token".`,
      {
        details: { key: 'kore.hooks.authHeader' },
      },
    );
  }
  requireId(input.botId, 'botId', 'the bot id (st-…) from the bot record');
  requireId(input.conversationId, 'conversationId', 'the Genesys conversation id');
  const upper = options.transferTypeCase === 'upper';
  const isExtAD = options.isExtADAsString ? 'true' : true;
  const events = input.events.map((e) => {
    if (e.name !== 'INTERNAL_TRANSFER_EVENT') return e;
    const transfertype =
      e.transfertype === 'NA' ? 'NA' : upper ? e.transfertype.toUpperCase() : e.transfertype.toLowerCase();
    return { ...e, transfertype, isExtAD };
  });
  return {
    method: 'POST',
    path: `${pathPrefix}/${encodeURIComponent(input.botId)}`,
    headers: { 'content-type': 'application/json' },
    authHeader: { name: authHeader },
    body: { conversationId: input.conversationId, botId: input.botId, ...(input.message ?? {}), events },
  };
}

function requireId(value: unknown, field: string, what: string): void {
  if (typeof value === 'string' && value.trim() !== '') return;
  throw new KaaError(
    'E_EVENT_INVALID',
    `A hooks request needs "${field}" (${what}), and it is empty. Check the bot record and the widget URL.`,
    {
      details: { field },
    },
  );
}
