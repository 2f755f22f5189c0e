import { KaaError } from '../errors.js';

/**
 * Signing algorithms kaa accepts for the widget JWT (the bot row's `Algorithm` column). The Kore guide
 * allows only HS256; RS256/RS512 (with `RSPrivatePem`) follow Kore's SDK security page. `none` and any
 * other value are refused.
 *
 * @example
 * ```ts
 * WIDGET_JWT_ALGORITHMS.includes('HS256'); // → true
 * ```
 */
export const WIDGET_JWT_ALGORITHMS = ['HS256', 'RS256', 'RS512'] as const;

/** One of {@link WIDGET_JWT_ALGORITHMS}. */
export type WidgetJwtAlgorithm = (typeof WIDGET_JWT_ALGORITHMS)[number];

/**
 * JWE key-management algorithms kaa can encrypt with. Kore lists `RSA-OAEP` (kaa's default) and `RSA1_5`;
 * `RSA-OAEP-256` is accepted only when asked for. `RSA1_5` is refused: neither jose 6 nor WebCrypto implements it.
 *
 * @example
 * ```ts
 * JWE_KEY_ALGORITHMS; // → ['RSA-OAEP', 'RSA-OAEP-256']
 * ```
 */
export const JWE_KEY_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256'] as const;

/** One of {@link JWE_KEY_ALGORITHMS}. */
export type JweKeyAlgorithm = (typeof JWE_KEY_ALGORITHMS)[number];

/**
 * JWE content-encryption algorithms Kore documents (docs/kore-protocol.md#secure-custom-data-and-kvpconfig). Default `A128CBC-HS256`.
 *
 * @example
 * ```ts
 * JWE_CONTENT_ENCRYPTIONS; // → ['A128CBC-HS256', 'A128GCM', 'A256GCM']
 * ```
 */
export const JWE_CONTENT_ENCRYPTIONS = ['A128CBC-HS256', 'A128GCM', 'A256GCM'] as const;

/** One of {@link JWE_CONTENT_ENCRYPTIONS}. */
export type JweContentEncryption = (typeof JWE_CONTENT_ENCRYPTIONS)[number];

/**
 * Reads the row's `Algorithm` value: empty or missing means HS256 (docs/assumptions.md#bot-row-value-formats); matching is case-insensitive;
 * anything outside {@link WIDGET_JWT_ALGORITHMS} throws `E_ALGORITHM_UNSUPPORTED`.
 *
 * @example
 * ```ts
 * widgetJwtAlgorithm(undefined); // → 'HS256'
 * widgetJwtAlgorithm('rs256');   // → 'RS256'
 * widgetJwtAlgorithm('none');    // throws KaaError E_ALGORITHM_UNSUPPORTED
 * ```
 */
export function widgetJwtAlgorithm(value: unknown): WidgetJwtAlgorithm {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return 'HS256';
  const wanted = typeof value === 'string' ? value.trim().toUpperCase() : '';
  const found = WIDGET_JWT_ALGORITHMS.find((alg) => alg === wanted);
  if (found) return found;
  throw new KaaError(
    'E_ALGORITHM_UNSUPPORTED',
    `The bot row's Algorithm "${shown(value)}" is not supported for the widget token. Set the Algorithm column to HS256 (or leave it empty); RS256 and RS512 also work when RSPrivatePem holds the private key.`,
    { details: { column: 'Algorithm', algorithm: shown(value), supported: [...WIDGET_JWT_ALGORITHMS] } },
  );
}

/** Reads a JWE `alg` option; throws `E_ALGORITHM_UNSUPPORTED` for anything else (RSA1_5 included). */
export function jweKeyAlgorithm(value: unknown): JweKeyAlgorithm {
  if (value === undefined) return 'RSA-OAEP';
  const found = JWE_KEY_ALGORITHMS.find((alg) => alg === value);
  if (found) return found;
  const hint = value === 'RSA1_5' ? ' RSA1_5 is legacy and WebCrypto cannot encrypt with it.' : '';
  throw new KaaError(
    'E_ALGORITHM_UNSUPPORTED',
    `JWE algorithm "${shown(value)}" is not supported.${hint} Set "jwe.alg" to RSA-OAEP (the default) or RSA-OAEP-256.`,
    {
      details: { configKey: 'jwe.alg', alg: shown(value), supported: [...JWE_KEY_ALGORITHMS] },
    },
  );
}

/** Reads a JWE `enc` option; throws `E_ALGORITHM_UNSUPPORTED` for anything else. */
export function jweContentEncryption(value: unknown): JweContentEncryption {
  if (value === undefined) return 'A128CBC-HS256';
  const found = JWE_CONTENT_ENCRYPTIONS.find((enc) => enc === value);
  if (found) return found;
  throw new KaaError(
    'E_ALGORITHM_UNSUPPORTED',
    `JWE content encryption "${shown(value)}" is not supported. Set "jwe.enc" to A128CBC-HS256 (the default), A128GCM or A256GCM.`,
    {
      details: { configKey: 'jwe.enc', enc: shown(value), supported: [...JWE_CONTENT_ENCRYPTIONS] },
    },
  );
}

/** A short, printable rendering of an untrusted algorithm value for a message. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}
