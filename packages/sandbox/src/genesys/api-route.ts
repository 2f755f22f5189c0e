import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxTable } from './datatables.js';
import type { GenesysErrorCode } from './error-body.js';
import type { GenesysService } from './service.js';
import type { IssuedToken } from './tokens.js';

/** What a `/api/v2` route handler gets. */
export interface Ctx {
  g: GenesysService;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  token: IssuedToken;
  correlationId: string;
  headers: Record<string, string>;
  tables: SandboxTable[];
}

/** One `/api/v2` route: method, path pattern (groups are the path parameters), handler. */
export type Route = [method: string, pattern: RegExp, handler: (ctx: Ctx, params: string[]) => void | Promise<void>];

/** A Genesys error answer (`ErrorBody`) a handler throws. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: GenesysErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Genesys answers every 404 with the same generic message (fixtures/genesys/errors); `what` is for readers of this file. */
export const notFound = (_what: string): ApiError =>
  new ApiError(404, 'not.found', 'The requested operation failed with status 404');

/**
 * Refuses a token whose OAuth client has none of `scopes` (the first is the write scope, the others read-only ones that
 * also do): 403 `missing.any.scopes` naming them (docs/assumptions.md#admin-client-scopes).
 *
 * @example
 * ```ts
 * requireScope(ctx.token, ['oauth', 'oauth:readonly']); // a GET
 * requireScope(ctx.token, ['oauth']);                    // a write
 * ```
 */
export function requireScope(token: IssuedToken, scopes: readonly string[]): void {
  if (scopes.some((s) => token.scopes.includes(s))) return;
  throw new ApiError(
    403,
    'missing.any.scopes',
    `Unable to perform the requested action. You must have at least one of the following scopes: [${scopes.join(', ')}]`,
  );
}

/**
 * Refuses a user token whose user lacks `permission` in the division (403 `missing.any.permissions`); client
 * credentials pass (the sandbox gives its client-credentials clients no roles).
 *
 * @example
 * ```ts
 * requirePermission(ctx, 'routing:queue:view', queue.divisionId);
 * ```
 */
export function requirePermission(ctx: Pick<Ctx, 'g' | 'token'>, permission: string, divisionId?: string): void {
  if (ctx.token.userId === undefined) return;
  if (ctx.g.org.hasPermission(ctx.token.userId, permission, divisionId)) return;
  throw new ApiError(
    403,
    'missing.any.permissions',
    `Unable to perform the requested action. You must have at least one of the following permissions assigned: [${permission}]`,
  );
}
