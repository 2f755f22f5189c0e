/**
 * Internal helpers for reading the Interaction Widget query: case-insensitive names, tolerant
 * decoding, placeholders. Not exported from the package.
 */

/** Raw query values by lower-cased parameter name, in order of appearance. */
export type QueryValues = ReadonlyMap<string, readonly { readonly name: string; readonly value: string }[]>;

const PERCENT = /%[0-9A-Fa-f]{2}/;

/** `decodeURIComponent` that returns the input unchanged when it is malformed. */
export function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Decodes percent-escapes up to `times` more times while they remain (for values encoded twice). */
export function decodeRepeatedly(value: string, times = 2): string {
  let out = value;
  for (let i = 0; i < times && PERCENT.test(out); i++) {
    const next = decodeOnce(out);
    if (next === out) break;
    out = next;
  }
  return out;
}

/**
 * The query part of `input`: a full URL, a `?a=b` or `a=b` query string, a `URL` or `URLSearchParams`.
 * Percent-escapes are decoded once; `+` is kept literally (base64 values survive), the hash is ignored,
 * and an HTML-escaped `&amp;` separator is read as `&`.
 */
export function readQuery(input: unknown): QueryValues {
  const out = new Map<string, { name: string; value: string }[]>();
  const add = (name: string, value: string): void => {
    // `&amp;` copied from an HTML page leaves "amp;" in front of the next name
    name = name.trim().replace(/^amp;/i, '');
    const key = name.toLowerCase();
    if (key === '') return;
    const list = out.get(key) ?? [];
    list.push({ name, value });
    out.set(key, list);
  };
  if (typeof URLSearchParams !== 'undefined' && input instanceof URLSearchParams) {
    for (const [name, value] of input) add(name, value);
    return out;
  }
  let text: string;
  if (typeof URL !== 'undefined' && input instanceof URL) text = input.search;
  else if (typeof input === 'string') text = input;
  else return out;
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  const q = text.indexOf('?');
  if (q >= 0) text = text.slice(q + 1);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) text = '';
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeOnce(eq >= 0 ? part.slice(0, eq) : part);
    add(name, decodeOnce(eq >= 0 ? part.slice(eq + 1) : ''));
  }
  return out;
}

/**
 * `{{gcConversationId}}`-style template variable left unsubstituted by Genesys (`{{`, spaces, name characters
 * `[A-Za-z0-9_.]`, spaces, `}}`); returns the first one, or undefined. A linear scan: the regular expression it
 * replaces backtracked quadratically over a long run of spaces after `{{` (a crafted URL froze the page).
 */
export function templatePlaceholder(value: string): string | undefined {
  for (let at = value.indexOf('{{'); at >= 0; at = value.indexOf('{{', at + 1)) {
    const end = placeholderEnd(value, at);
    if (end >= 0) return value.slice(at, end);
  }
  return undefined;
}

/** True when the whole value is one `{{…}}` template variable (how Genesys leaves an unknown or unset one). */
export function isOnlyPlaceholder(value: string): boolean {
  const v = value.trim();
  return v.startsWith('{{') && placeholderEnd(v, 0) === v.length;
}

/**
 * Where the placeholder whose `{{` is at `at` ends (the index after its `}}`), or -1. Spaces and name characters are
 * disjoint classes, so one greedy pass decides: the scan stops at the first character in neither, which must start `}}`.
 */
function placeholderEnd(value: string, at: number): number {
  let i = at + 2;
  while (i < value.length && SPACE.test(value.charAt(i))) i++;
  while (i < value.length && NAME.test(value.charAt(i))) i++;
  while (i < value.length && SPACE.test(value.charAt(i))) i++;
  return value.startsWith('}}', i) ? i + 2 : -1;
}

const SPACE = /\s/;
const NAME = /[A-Za-z0-9_.]/;

/** The guide's own `<genesys-oauth-Id>`-style placeholder pasted literally; returns it, or undefined. */
export function guidePlaceholder(value: string): string | undefined {
  return /^<[^<>]*>$/.test(value) ? value : undefined;
}

/** Parses `true/True/TRUE/1` and `false/0`; undefined for anything else. */
export function parseBooleanText(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

/** True when `text` has no lone UTF-16 surrogate (so `encodeURIComponent` cannot throw). */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
