/**
 * zod issues → plain words, in one place: every boundary of kaa that rejects a value says where (a path) and why,
 * and never echoes the value (it may be a secret or customer data).
 * @packageDocumentation
 */

/** The part of a zod (or zod/mini) issue kaa reads. */
export interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: unknown;
  readonly values?: readonly unknown[];
  readonly origin?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly keys?: readonly string[];
}

/** How {@link issuePath} writes a path. */
export interface IssuePathOptions {
  /** Keys in front of the issue's own path (the part of the input that was parsed), e.g. `['eventBody']`. */
  readonly prefix?: readonly PropertyKey[];
  /** What an empty path is called. Default `(root)`. */
  readonly root?: string;
  /** `dots` (default): `a.0.b`; `brackets`: `a[0].b`. */
  readonly indexes?: 'dots' | 'brackets';
}

/**
 * The path of an issue as text: `genesys.environments.0.apiBase`, or with brackets `transcripts[0].channel`.
 *
 * @example
 * ```ts
 * import { issuePath } from '@kaa/core';
 *
 * issuePath(['environments', 0, 'apiBase'], { prefix: ['genesys'] }); // 'genesys.environments.0.apiBase'
 * issuePath([], { root: '(body)' }); // '(body)'
 * ```
 */
export function issuePath(path: readonly PropertyKey[], options: IssuePathOptions = {}): string {
  let out = '';
  for (const key of [...(options.prefix ?? []), ...path]) {
    out +=
      typeof key === 'number' && options.indexes === 'brackets' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? (options.root ?? '(root)') : out;
}

/**
 * `path: message` for the first `limit` issues (zod's own messages name the expected type, never the value).
 *
 * @example
 * ```ts
 * import { listIssues } from '@kaa/core';
 *
 * listIssues(result.error.issues, { limit: 3 }).join('; '); // 'entities.0.id: Invalid input: expected string, received number'
 * ```
 */
export function listIssues(
  issues: readonly Pick<IssueLike, 'path' | 'message'>[],
  options: IssuePathOptions & { readonly limit?: number } = {},
): string[] {
  return issues.slice(0, options.limit ?? 5).map((issue) => `${issuePath(issue.path, options)}: ${issue.message}`);
}

/**
 * What is wrong with one value, as the end of a sentence that starts with its key: `must be a string`, `must be one of
 * "error", "defaultRow"`, `must be at least 30`. Used for settings and config files.
 *
 * @example
 * ```ts
 * import { describeIssue } from '@kaa/core';
 *
 * `"routing.noQueuePolicy" ${describeIssue(issue)}`; // '"routing.noQueuePolicy" must be one of "error", "defaultRow"'
 * ```
 */
export function describeIssue(issue: IssueLike): string {
  const message = issue.message !== 'Invalid input' ? issue.message : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${typeWithArticle(String(issue.expected))}`;
    case 'invalid_value':
      return `must be one of ${issue.values?.map((v) => JSON.stringify(v)).join(', ') ?? 'the allowed values'}`;
    case 'too_small':
      return issue.origin === 'number'
        ? `must be at least ${String(issue.minimum)}`
        : (message ?? `must have at least ${String(issue.minimum)} item(s) or character(s)`);
    case 'too_big':
      return issue.origin === 'number'
        ? `must be at most ${String(issue.maximum)}`
        : `is too long (at most ${String(issue.maximum)})`;
    case 'unrecognized_keys':
      return `has unknown key(s) ${issue.keys?.map((k) => `"${k}"`).join(', ') ?? ''} (check the spelling)`;
    case 'invalid_format':
      return message ?? 'has the wrong format';
    default:
      return message ?? 'is invalid';
  }
}

/**
 * One short sentence per issue (at most `limit`), joined with "; ", naming the path (with brackets) and never the
 * value: for events and frames that arrive from outside.
 *
 * @example
 * ```ts
 * describeIssues(parsed.error.issues, 'eventBody'); // 'eventBody.transcripts[0].channel is missing or is not a string'
 * ```
 */
export function describeIssues(
  issues: readonly Pick<IssueLike, 'code' | 'path' | 'expected'>[],
  prefix = '',
  limit = 3,
): string {
  const parts = issues.slice(0, limit).map((issue) => {
    const where = bracketPath(issue.path, prefix);
    if (issue.code === 'invalid_type') return `${where} is missing or is not ${article(String(issue.expected))}`;
    if (issue.code === 'invalid_union' || issue.code === 'invalid_value')
      return `${where} has a value kaa does not recognise`;
    return `${where} is invalid (${issue.code})`;
  });
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : '';
  return parts.join('; ') + more;
}

/**
 * The paths of the first ten issues (with brackets), for `details` (no values).
 *
 * @example
 * ```ts
 * issuePaths(parsed.error.issues, 'eventBody'); // ['eventBody.transcripts[0].channel']
 * ```
 */
export function issuePaths(issues: readonly Pick<IssueLike, 'path'>[], prefix = ''): string[] {
  return issues.slice(0, 10).map((issue) => bracketPath(issue.path, prefix));
}

/**
 * `a string`, `an object`; zod's `int` is `a whole number`.
 *
 * @example
 * ```ts
 * import { typeWithArticle } from '@kaa/core';
 *
 * typeWithArticle('int'); // 'a whole number'
 * ```
 */
export function typeWithArticle(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return article(expected);
}

function bracketPath(path: readonly PropertyKey[], prefix: string): string {
  return issuePath(path, { ...(prefix ? { prefix: [prefix] } : {}), indexes: 'brackets' });
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
