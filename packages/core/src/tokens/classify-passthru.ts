import { decodeBase64, decodeUtf8, type Base64Alphabet } from '../base64.js';
import { decodeJoseSegment } from './jose-segment.js';

/**
 * What an `x_passthru_metadata` value looks like (docs/kore-protocol.md#passthru-metadata). `raw` is always the original string,
 * the value forwarded as `customData.internalMetaData`; the rest only drives validation and logging.
 */
export type PassthruClassification =
  | { kind: 'jwe'; raw: string; header: Record<string, unknown> }
  | { kind: 'jwt'; raw: string; header: Record<string, unknown> }
  | { kind: 'json'; raw: string; value: unknown; decodeRounds: 0 | 1 | 2 }
  | { kind: 'base64'; raw: string; alphabet: Base64Alphabet; text: string; json: boolean; value?: unknown }
  | { kind: 'raw'; raw: string };

/** One of `jwe`, `jwt`, `json`, `base64`, `raw`. */
export type PassthruKind = PassthruClassification['kind'];

const MAX_URL_DECODE_ROUNDS = 2;
/** Decoded base64 must look like text: no C0 controls except tab, LF and CR, no DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Classifies an `x_passthru_metadata` value, after the query parser's own URL decoding, in exactly this order
 * (docs/kore-protocol.md#passthru-metadata, docs/assumptions.md#passthru-metadata-handling):
 * 1. `jwe`: five base64url segments whose first is a JSON header with `enc` (never decrypted);
 * 2. `jwt`: three segments whose header JSON has `alg` (never verified);
 * 3. `json`: the text itself, or after `decodeURIComponent` repeated until stable (at most 2 rounds), parses as a JSON object or array;
 * 4. `base64`: standard or url alphabet decoding to valid UTF-8 text; `json: true` when that text is a JSON object or array;
 * 5. `raw`: anything else.
 *
 * Never throws for any string; a non-string input is classified as `raw` of its `String()` form.
 *
 * @example
 * ```ts
 * import { classifyPassthru } from '@kaa/core';
 *
 * classifyPassthru('%7B%22crmId%22%3A%2242%22%7D'); // → { kind: 'json', raw: '%7B…', value: { crmId: '42' }, decodeRounds: 1 }
 * classifyPassthru('eyJjcm1JZCI6IjQyIn0');          // → { kind: 'base64', alphabet: 'standard', text: '{"crmId":"42"}', json: true, … }
 * classifyPassthru('opaque-sso-ticket');            // → { kind: 'raw', raw: 'opaque-sso-ticket' }
 * ```
 */
export function classifyPassthru(input: string): PassthruClassification {
  const raw = typeof input === 'string' ? input : String(input);
  const trimmed = raw.trim();

  const segments = trimmed.split('.');
  if (segments.length === 5) {
    const header = decodeJoseSegment(segments[0] ?? '');
    if (header && typeof header['enc'] === 'string' && segments.slice(1).every((s) => /^[A-Za-z0-9_-]*$/.test(s)))
      return { kind: 'jwe', raw, header };
  }
  if (segments.length === 3) {
    const header = decodeJoseSegment(segments[0] ?? '');
    if (
      header &&
      typeof header['alg'] === 'string' &&
      /^[A-Za-z0-9_-]+$/.test(segments[1] ?? '') &&
      /^[A-Za-z0-9_-]*$/.test(segments[2] ?? '')
    ) {
      return { kind: 'jwt', raw, header };
    }
  }

  let text = trimmed;
  for (let round = 0; round <= MAX_URL_DECODE_ROUNDS; round++) {
    const value = parseJsonStructure(text);
    if (value !== undefined) return { kind: 'json', raw, value, decodeRounds: round as 0 | 1 | 2 };
    if (round === MAX_URL_DECODE_ROUNDS) break;
    // trimmed like the raw text and the base64-decoded text: `%20%7B…%7D` is JSON with a leading space
    const decoded = safeDecodeURIComponent(text)?.trim();
    if (decoded === undefined || decoded === text) break;
    text = decoded;
  }

  const base64 = decodeBase64(trimmed);
  if (base64) {
    const decodedText = decodeUtf8(base64.bytes);
    if (decodedText !== undefined && decodedText.length > 0 && !CONTROL.test(decodedText)) {
      const value = parseJsonStructure(decodedText.trim());
      return value === undefined
        ? { kind: 'base64', raw, alphabet: base64.alphabet, text: decodedText, json: false }
        : { kind: 'base64', raw, alphabet: base64.alphabet, text: decodedText, json: true, value };
    }
  }
  return { kind: 'raw', raw };
}

function parseJsonStructure(text: string): unknown {
  const first = text[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function safeDecodeURIComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
