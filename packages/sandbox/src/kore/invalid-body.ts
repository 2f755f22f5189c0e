import { issuePath, KaaError, type IssueLike } from '@kaa/core';

/**
 * The sandbox Kore APIs' answer to a body their schema refuses: `E_HTTP_BAD_REQUEST` (status 400) naming the first
 * issue's path (core's `issuePath`, after `prefix`) and zod's message, then `hint`.
 *
 * @example
 * ```ts
 * if (!parsed.success) throw invalidBody('The hooks body', parsed.error.issues, 'Send the body documented for the Agent AI hooks API.');
 * ```
 */
export function invalidBody(
  subject: string,
  issues: readonly Pick<IssueLike, 'path' | 'message'>[],
  hint = '',
  prefix: readonly PropertyKey[] = [],
): KaaError {
  const issue = issues[0];
  const where = issue && issue.path.length > 0 ? ` at "${issuePath(issue.path, { prefix })}"` : '';
  return new KaaError(
    'E_HTTP_BAD_REQUEST',
    `${subject} is invalid${where}: ${issue?.message ?? 'unknown problem'}.${hint ? ` ${hint}` : ''}`,
    {
      details: { status: 400, path: issue?.path.map(String) ?? [] },
    },
  );
}
