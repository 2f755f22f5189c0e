/**
 * kaa's one base64 module (standard and url alphabets), for core and everything above it: strict decoding where a
 * value must be exactly what an encoder wrote (JOSE segments, the OAuth state, PEM bodies, HMAC secrets), forgiving
 * decoding where people paste values (Third-Party Configuration records), and encoding. No `atob`, `btoa` or `Buffer`.
 *
 * Not jose's `base64url`: the page's sign-in runs this (the OAuth state, PKCE) before it has loaded jose, and jose's
 * decoder is only as strict as the runtime's `Uint8Array.fromBase64`/`atob`.
 */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const STANDARD_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const URL_SHAPE = /^[A-Za-z0-9_-]*$/;

/**
 * Which base64 alphabet a string uses.
 *
 * @example
 * ```ts
 * decodeBase64('a-b_')?.alphabet; // 'url'
 * ```
 */
export type Base64Alphabet = 'standard' | 'url';

const LOOKUP = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    table[STANDARD.charCodeAt(i)] = i;
    table[URL_SAFE.charCodeAt(i)] = i;
  }
  return table;
})();

/**
 * Decodes base64 text strictly: one alphabet, correct length, padding only at the end (standard alphabet),
 * no whitespace, no stray bits. Returns `undefined` instead of throwing when the text is not base64.
 *
 * @example
 * ```ts
 * decodeBase64('aGk=')?.bytes; // Uint8Array [104, 105]
 * decodeBase64('aGl=');        // undefined: non-canonical last character
 * ```
 */
export function decodeBase64(text: string): { bytes: Uint8Array; alphabet: Base64Alphabet } | undefined {
  if (text.length === 0) return undefined;
  let alphabet: Base64Alphabet;
  if (URL_SHAPE.test(text)) alphabet = /[-_]/.test(text) ? 'url' : 'standard';
  else if (STANDARD_SHAPE.test(text)) alphabet = 'standard';
  else return undefined;
  const body = text.replace(/=+$/, '');
  if (text.includes('=') && text.length % 4 !== 0) return undefined;
  const bytes = decodeBody(body, true);
  return bytes === undefined ? undefined : { bytes, alphabet };
}

/**
 * Decodes the characters of either alphabet (no padding) to bytes; `undefined` for a character outside them, a
 * length that no encoder writes, or, when `strict`, non-zero bits after the last byte.
 */
function decodeBody(body: string, strict: boolean): Uint8Array | undefined {
  if (body.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const value = LOOKUP[body.charCodeAt(i)] ?? -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // non-canonical trailing bits mean the text was not produced by an encoder
  if (strict && (buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/**
 * Decodes unpadded base64url (RFC 4648 §5) to UTF-8 text, strictly: url alphabet only, no padding, no stray bits,
 * valid UTF-8; otherwise `undefined`. The empty string decodes to itself; a leading byte order mark is dropped
 * unless `keepBom`.
 *
 * @example
 * ```ts
 * decodeBase64urlText(encodeBase64url('{"v":1}')); // '{"v":1}'
 * ```
 */
export function decodeBase64urlText(text: string, options: { readonly keepBom?: boolean } = {}): string | undefined {
  if (!URL_SHAPE.test(text)) return undefined;
  const bytes = decodeBody(text, true);
  return bytes === undefined ? undefined : textOf(bytes, options.keepBom === true);
}

/**
 * Decodes base64 as people paste it to UTF-8 text: either alphabet (even mixed), padding optional, surrounding
 * white space ignored, stray bits after the last byte ignored (like the browser's `atob`). `undefined` when it is
 * not base64 of valid UTF-8; blank text decodes to `''`.
 *
 * @example
 * ```ts
 * decodeBase64Text(' ZmFsc2U '); // 'false'
 * decodeBase64Text('not base64!'); // undefined
 * ```
 */
export function decodeBase64Text(text: string): string | undefined {
  const compact = text.trim();
  if (compact === '') return '';
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  const bytes = decodeBody(compact.replace(/=+$/, ''), false);
  return bytes === undefined ? undefined : textOf(bytes, false);
}

/** UTF-8 text of decoded bytes; a leading byte order mark is dropped unless `keepBom`. */
function textOf(bytes: Uint8Array, keepBom: boolean): string | undefined {
  const text = decodeUtf8(bytes);
  return text !== undefined && !keepBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Encodes bytes, or text as UTF-8, as unpadded base64url (RFC 4648 §5).
 *
 * @example
 * ```ts
 * encodeBase64url(new Uint8Array([251, 255])); // '-_8'
 * encodeBase64url('hi');                        // 'aGk'
 * ```
 */
export function encodeBase64url(input: Uint8Array | string): string {
  return encodeBase64(input).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * Encodes bytes, or text as UTF-8, as standard base64 with padding (HTTP Basic credentials, PEM bodies, Kore's
 * base64 record values).
 *
 * @example
 * ```ts
 * encodeBase64('false'); // 'ZmFsc2U='
 * ```
 */
export function encodeBase64(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += STANDARD[(n >> 18) & 63]! + STANDARD[(n >> 12) & 63]! + STANDARD[(n >> 6) & 63]! + STANDARD[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] ?? 0) << 16) | (rest === 2 ? (bytes[i + 1] ?? 0) << 8 : 0);
    out += STANDARD[(n >> 18) & 63]! + STANDARD[(n >> 12) & 63]! + (rest === 2 ? STANDARD[(n >> 6) & 63]! : '=') + '=';
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 strictly; `undefined` when the bytes are not valid UTF-8.
 *
 * @example
 * ```ts
 * decodeUtf8(new Uint8Array([104, 105])); // 'hi'
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
