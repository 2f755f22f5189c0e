/**
 * KvpConfig paths (docs/kore-protocol.md#secure-custom-data-and-kvpconfig): a small, safe path language into the Genesys conversation JSON.
 * Grammar (docs/kore-protocol.md#kvpconfig-path-language; the full form is in the package README):
 * ```
 * path    = [ "$" ] ( name | bracket ) { "." name | bracket }
 * name    = 1*( ALPHA | DIGIT | "_" | "-" | "$" | "@" )
 * bracket = "[" ws ( index | quoted | filter ) ws "]"
 * index   = [ "-" ] 1*DIGIT                       ; -1 is the last element
 * quoted  = "'" { char } "'" | '"' { char } '"'   ; \\ escapes the next character
 * filter  = ( name { "." name } | quoted ) ws "=" ws ( quoted | bare )
 * bare    = 1*( any character but "]" )           ; trimmed
 * ```
 */

import { KaaError } from '../errors.js';

/**
 * One step of a compiled path.
 *
 * @example
 * ```ts
 * compilePath('participants[-1].queueName').steps;
 * // → [{ kind: 'key', key: 'participants' }, { kind: 'index', index: -1 }, { kind: 'key', key: 'queueName' }]
 * ```
 */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'filter'; readonly keyPath: readonly string[]; readonly value: string };

/**
 * A path compiled once and evaluated many times.
 *
 * @example
 * ```ts
 * const path: CompiledPath = compilePath('participants[0].calls[0].state');
 * path.evaluate(conversation); // → 'connected' | undefined
 * ```
 */
export interface CompiledPath {
  /** The expression as written. */
  readonly source: string;
  readonly steps: readonly PathStep[];
  /**
   * The value the path points to, or `undefined` when any step does not resolve. Never throws.
   * Only own properties are read (`__proto__`, `constructor` never reach the prototype).
   */
  evaluate(value: unknown): unknown;
}

/**
 * Options for {@link compilePath}: where the path comes from, for the error message.
 *
 * @example
 * ```ts
 * compilePath('participants[0', { key: 'callStatus', column: 'KvpConfig' }); // throws E_KVP_PATH_INVALID naming callStatus
 * ```
 */
export interface CompilePathOptions {
  /** The output key the path belongs to (`"callStatus"` in `{"callStatus": "participants[0].calls[0].state"}`). */
  readonly key?: string;
  /** The column or config key holding the path. Default `"KvpConfig"`. */
  readonly column?: string;
}

/**
 * Longest path accepted; longer text is not a path an admin wrote by hand.
 *
 * @example
 * ```ts
 * text.length <= MAX_PATH_LENGTH;
 * ```
 */
export const MAX_PATH_LENGTH = 1000;

const NAME_CHAR = /[A-Za-z0-9_$@-]/;

class Path implements CompiledPath {
  constructor(
    readonly source: string,
    readonly steps: readonly PathStep[],
  ) {}

  evaluate(value: unknown): unknown {
    try {
      let current = value;
      for (const step of this.steps) {
        if (current === null || typeof current !== 'object') return undefined;
        if (step.kind === 'key') {
          current = Object.hasOwn(current, step.key) ? (current as Record<string, unknown>)[step.key] : undefined;
        } else if (!Array.isArray(current)) {
          return undefined;
        } else if (step.kind === 'index') {
          const i = step.index < 0 ? current.length + step.index : step.index;
          current = i >= 0 && i < current.length ? current[i] : undefined;
        } else {
          current = findMatch(current, step.keyPath, step.value);
        }
      }
      return current;
    } catch {
      return undefined;
    }
  }
}

function findMatch(list: readonly unknown[], keyPath: readonly string[], expected: string): unknown {
  for (const element of list) {
    let v: unknown = element;
    for (const k of keyPath) {
      v =
        v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, k)
          ? (v as Record<string, unknown>)[k]
          : undefined;
      if (v === undefined) break;
    }
    if (
      (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) &&
      String(v) === expected
    )
      return element;
  }
  return undefined;
}

/**
 * Compiles a KvpConfig path such as `participants[0].calls[0].state`,
 * `participants[-1].queueName` or `participants[purpose=customer].attributes.accountId`.
 *
 * @throws {KaaError} `E_KVP_PATH_INVALID` with the 0-based `offset` of the first bad character in `details`.
 * @example
 * ```ts
 * import { compilePath } from '@kaa/core';
 *
 * const state = compilePath('participants[0].calls[0].state');
 * state.evaluate({ participants: [{ calls: [{ state: 'connected' }] }] }); // → 'connected'
 * compilePath('participants[purpose="customer"].attributes["account id"]');
 * ```
 */
export function compilePath(expression: string, options: CompilePathOptions = {}): CompiledPath {
  if (typeof expression !== 'string')
    fail('', 0, `the path is not text (got ${expression === null ? 'null' : typeof expression})`, options);
  if (expression.length > MAX_PATH_LENGTH)
    fail(expression, MAX_PATH_LENGTH, `the path is longer than ${MAX_PATH_LENGTH} characters`, options);
  const src = expression;
  const steps: PathStep[] = [];
  let i = skipWs(src, 0);
  const end = trimEnd(src);
  if (i >= end) fail(src, i, 'the path is empty', options);
  if (src[i] === '$' && (i + 1 === end || src[i + 1] === '.' || src[i + 1] === '[')) {
    if (i + 1 === end) return new Path(src, steps);
    i += src[i + 1] === '.' ? 2 : 1;
  }
  let first = true;
  while (i < end) {
    const c = src[i];
    if (c === '[') {
      i = parseBracket(src, i, end, steps, options);
    } else {
      if (!first) {
        if (c !== '.') fail(src, i, `expected "." or "[" but found "${c}"`, options);
        i++;
      }
      const start = i;
      while (i < end && NAME_CHAR.test(src[i] as string)) i++;
      if (i === start)
        fail(src, i, i >= end ? 'expected a name after "."' : `expected a name but found "${src[i]}"`, options);
      steps.push({ kind: 'key', key: src.slice(start, i) });
    }
    first = false;
  }
  return new Path(src, steps);
}

function parseBracket(src: string, open: number, end: number, steps: PathStep[], options: CompilePathOptions): number {
  let i = skipWs(src, open + 1);
  const c = src[i];
  if (i >= end) fail(src, i, 'unclosed "["', options);
  if (c === '-' || isDigit(c)) {
    const start = i;
    if (c === '-') i++;
    const digits = i;
    while (i < end && isDigit(src[i])) i++;
    if (i === digits) fail(src, i, 'expected digits after "-"', options);
    const index = Number(src.slice(start, i));
    if (!Number.isSafeInteger(index)) fail(src, start, 'the index is too large', options);
    i = closeBracket(src, skipWs(src, i), end, options);
    steps.push({ kind: 'index', index });
    return i;
  }
  let keyPath: string[];
  if (c === '"' || c === "'") {
    const [text, after] = parseQuoted(src, i, end, options);
    i = skipWs(src, after);
    if (src[i] === ']') {
      steps.push({ kind: 'key', key: text });
      return i + 1;
    }
    keyPath = [text];
  } else {
    keyPath = [];
    for (;;) {
      const start = i;
      while (i < end && NAME_CHAR.test(src[i] as string)) i++;
      if (i === start)
        fail(
          src,
          i,
          i >= end ? 'unclosed "["' : `expected an index, a quoted key or key=value but found "${src[i]}"`,
          options,
        );
      keyPath.push(src.slice(start, i));
      if (src[i] !== '.') break;
      i++;
    }
    i = skipWs(src, i);
  }
  if (src[i] !== '=') fail(src, i, i >= end ? 'unclosed "["' : `expected "=" but found "${src[i]}"`, options);
  i = skipWs(src, i + 1);
  let value: string;
  if (src[i] === '"' || src[i] === "'") {
    const [text, after] = parseQuoted(src, i, end, options);
    value = text;
    i = skipWs(src, after);
  } else {
    const start = i;
    while (i < end && src[i] !== ']' && src[i] !== '[') i++;
    value = src.slice(start, i).trim();
    if (value === '') fail(src, start, 'expected a value after "="', options);
  }
  i = closeBracket(src, i, end, options);
  steps.push({ kind: 'filter', keyPath, value });
  return i;
}

function closeBracket(src: string, i: number, end: number, options: CompilePathOptions): number {
  if (i >= end) fail(src, i, 'unclosed "["', options);
  if (src[i] !== ']') fail(src, i, `expected "]" but found "${src[i]}"`, options);
  return i + 1;
}

function parseQuoted(src: string, open: number, end: number, options: CompilePathOptions): [string, number] {
  const quote = src[open];
  let out = '';
  let i = open + 1;
  while (i < end) {
    const c = src[i] as string;
    if (c === '\\') {
      if (i + 1 >= end) break;
      out += src[i + 1];
      i += 2;
    } else if (c === quote) {
      return [out, i + 1];
    } else {
      out += c;
      i++;
    }
  }
  return fail(src, open, `unclosed quote ${quote}`, options);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function skipWs(src: string, i: number): number {
  while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++;
  return i;
}

function trimEnd(src: string): number {
  let end = src.length;
  while (end > 0 && /\s/.test(src[end - 1] as string)) end--;
  return end;
}

function fail(src: string, offset: number, reason: string, options: CompilePathOptions): never {
  const column = options.column ?? 'KvpConfig';
  const shown = src.length > 120 ? `${src.slice(0, 117)}…` : src;
  const forKey = options.key === undefined ? '' : ` for key "${options.key}"`;
  throw new KaaError(
    'E_KVP_PATH_INVALID',
    `${column} path "${shown}"${forKey} is invalid at character ${offset + 1}: ${reason}. Write paths like participants[0].calls[0].state or participants[purpose=customer].attributes.accountId (see the KvpConfig path language in docs/kore-protocol.md#kvpconfig-path-language).`,
    { details: { path: shown, offset, column, ...(options.key !== undefined && { key: options.key }) } },
  );
}
