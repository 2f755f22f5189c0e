/**
 * Internal: how a message names many things at once without growing with them. A message that lists every row of a
 * 10,000-row table is a 1 MB panel, and redacting it is quadratic; messages list at most {@link MAX_LISTED} and count
 * the rest.
 */

/** How many items a message writes out before "and N more". */
export const MAX_LISTED = 5;

/** `1998` → `"1,998"` (en-US grouping, independent of the runtime's locale data). */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits.charAt(i);
  }
  return n < 0 ? `-${out}` : out;
}

/**
 * The first {@link MAX_LISTED} of `shown` joined by `separator`, then `and N more` when `total` (the count of all the
 * items, of which `shown` are the first) is larger: `row 1 …; row 2 …; … and 1,998 more`.
 */
export function listCapped(shown: readonly string[], total: number, separator = '; '): string {
  const listed = shown.slice(0, MAX_LISTED);
  const rest = total - listed.length;
  return rest > 0 ? `${listed.join(separator)} and ${formatCount(rest)} more` : listed.join(separator);
}
