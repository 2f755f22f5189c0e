import { KaaError } from '../errors.js';
import { decodeBase64 } from '../base64.js';

/** How an HMAC secret string turns into key bytes (docs/assumptions.md#hs256-key-bytes): its UTF-8 bytes (default) or base64-decoded. */
export type SecretEncoding = 'utf8' | 'base64';

/**
 * HMAC key bytes for a client secret. Throws `E_KEY_INVALID` when the secret is empty or, with `base64`,
 * not base64; the message never contains the secret.
 *
 * @example
 * ```ts
 * hmacKeyBytes('alpha-bot-client-secret-0001', 'utf8', 'ClientSecret'); // → Uint8Array(28)
 * ```
 */
export function hmacKeyBytes(secret: unknown, encoding: SecretEncoding, column: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new KaaError(
      'E_KEY_INVALID',
      `The ${column} is empty, so the token cannot be signed. Fill the ${column} column with the client app's secret.`,
      {
        details: { column },
      },
    );
  }
  if (encoding === 'utf8') return new TextEncoder().encode(secret);
  if (encoding === 'base64') {
    const decoded = decodeBase64(secret.trim());
    if (decoded && decoded.bytes.length > 0) return decoded.bytes;
    throw new KaaError(
      'E_KEY_INVALID',
      `The ${column} is not base64 text, but "kore.jwt.secretEncoding" is "base64". Set "kore.jwt.secretEncoding" to "utf8" or store the secret base64-encoded.`,
      { details: { column, configKey: 'kore.jwt.secretEncoding' }, secrets: [secret] },
    );
  }
  throw new KaaError(
    'E_CONFIG_INVALID',
    `Secret encoding "${String(encoding)}" is not known. Set "kore.jwt.secretEncoding" to "utf8" or "base64".`,
    {
      details: { configKey: 'kore.jwt.secretEncoding' },
      secrets: [secret],
    },
  );
}
