import { KaaError, listIssues } from '@kaa/core';
import type * as z from 'zod/mini';

/**
 * @internal Validates a response body with a zod/mini schema; a mismatch is `E_RESPONSE_INVALID` naming the
 * paths that failed (never the values, which may hold secrets).
 */
export function parseBody<S extends z.ZodMiniType>(
  schema: S,
  body: unknown,
  what: string,
  details: Record<string, unknown>,
  secrets: readonly string[],
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = listIssues(result.error.issues, { limit: 5, root: '(body)' }).join('; ');
  throw new KaaError(
    'E_RESPONSE_INVALID',
    `${what} answered with a body kaa does not understand (${problems}). Check the Kore API host (config kore.apiHost) and the Kore API version.`,
    {
      details: { ...details, problems },
      secrets,
    },
  );
}
