/** Internal: turns zod/mini issues into plain words that name a path but never echo an input value. */

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly expected?: unknown;
}

/** `transcripts[0].channel` style path, or `(root)`. */
export function pathOf(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(root)' : out;
}

/** One short sentence per issue (at most `limit`), joined with "; ". */
export function describeIssues(issues: readonly Issue[], prefix = '', limit = 3): string {
  const parts = issues.slice(0, limit).map((issue) => {
    const where = pathOf(issue.path, prefix);
    if (issue.code === 'invalid_type') return `${where} is missing or is not ${article(String(issue.expected))}`;
    if (issue.code === 'invalid_union' || issue.code === 'invalid_value') return `${where} has a value kaa does not recognise`;
    return `${where} is invalid (${issue.code})`;
  });
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : '';
  return parts.join('; ') + more;
}

/** The paths of the issues, for `details` (no values). */
export function issuePaths(issues: readonly Issue[], prefix = ''): string[] {
  return issues.slice(0, 10).map((issue) => pathOf(issue.path, prefix));
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
