/** Strict base64 helpers (standard and url alphabets) for pure code; no `atob`/`Buffer`. */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const STANDARD_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const URL_SHAPE = /^[A-Za-z0-9_-]*$/;

/** Which base64 alphabet a string uses. */
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
 * no whitespace. Returns `undefined` instead of throwing when the text is not base64.
 */
export function decodeBase64(text: string): { bytes: Uint8Array; alphabet: Base64Alphabet } | undefined {
  if (text.length === 0) return undefined;
  let alphabet: Base64Alphabet;
  if (URL_SHAPE.test(text)) alphabet = /[-_]/.test(text) ? 'url' : 'standard';
  else if (STANDARD_SHAPE.test(text)) alphabet = 'standard';
  else return undefined;
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  if (text.includes('=') && text.length % 4 !== 0) return undefined;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const value = LOOKUP[body.charCodeAt(i)] ?? -1;
    if (value < 0) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // non-canonical trailing bits mean the text was not produced by an encoder
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return { bytes: out, alphabet };
}

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
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

/** Decodes UTF-8 strictly; `undefined` when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes one base64url JOSE segment into a JSON object; `undefined` when it is not one. */
export function decodeJoseSegment(segment: string): Record<string, unknown> | undefined {
  if (segment.length === 0 || !URL_SHAPE.test(segment)) return undefined;
  const decoded = decodeBase64(segment);
  if (!decoded) return undefined;
  const text = decodeUtf8(decoded.bytes);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
