import type { CryptoKey } from 'jose';
import { importJwePublicKey, type JwePublicKey, type JwePublicKeyInput } from './jwe-public-key.js';
import type { JweKeyAlgorithm } from './algorithms.js';
import { importRsaPrivateKey } from './rsa-private-key.js';
import { hmacKeyBytes, type SecretEncoding } from './secret-key.js';

/**
 * Imported signing and encryption keys, reused across mints (a server that mints for many agents from one bot
 * table). The validation rules stay in {@link hmacKeyBytes}, `importRsaPrivateKey` and {@link importJwePublicKey}:
 * this only remembers their result per key text. Whoever holds one drops it with the bot rows it came from.
 *
 * @example
 * ```ts
 * const keys = createTokenKeys();
 * await mintWidgetLaunch({ ...input, keys });
 * ```
 */
export interface TokenKeys {
  /** The HS256 key of a client secret (`secretEncoding` as in {@link hmacKeyBytes}), imported once. */
  hmac(secret: unknown, encoding: SecretEncoding): Promise<CryptoKey>;
  /** The RS256/RS512 key of an `RSPrivatePem`, imported once. */
  rsaPrivate(pem: unknown, alg: 'RS256' | 'RS512'): Promise<CryptoKey>;
  /** The JWE public key of a `JWEPublicKey` cell, imported once per algorithm. */
  jwePublic(input: JwePublicKeyInput, alg: JweKeyAlgorithm): Promise<JwePublicKey>;
}

/**
 * A {@link TokenKeys} memo of at most `maxEntries` keys (then it starts again empty). A failed import is not kept,
 * so a fixed row is read again; its error is the importer's own coded `KaaError`.
 *
 * @example
 * ```ts
 * import { createTokenKeys } from '@kaa/core';
 *
 * const keys = createTokenKeys();
 * const a = await keys.hmac('alpha-bot-client-secret-0001', 'utf8');
 * const b = await keys.hmac('alpha-bot-client-secret-0001', 'utf8'); // the same CryptoKey, not imported again
 * ```
 */
export function createTokenKeys(options: { maxEntries?: number } = {}): TokenKeys {
  const max = options.maxEntries ?? 1_000;
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = memo.get(key);
    if (hit) return hit as Promise<T>;
    if (memo.size >= max) memo.clear();
    const pending = load();
    memo.set(key, pending);
    pending.catch(() => {
      if (memo.get(key) === pending) memo.delete(key);
    });
    return pending;
  };
  return {
    hmac: (secret, encoding) =>
      typeof secret === 'string'
        ? once(`hmac\u0000${encoding}\u0000${secret}`, async () => {
            const bytes = hmacKeyBytes(secret, encoding, 'ClientSecret');
            return globalThis.crypto.subtle.importKey(
              'raw',
              bytes as Uint8Array<ArrayBuffer>,
              { name: 'HMAC', hash: 'SHA-256' },
              false,
              ['sign'],
            );
          })
        : Promise.resolve().then(() => hmacKeyBytes(secret, encoding, 'ClientSecret') as never), // throws its coded error
    rsaPrivate: (pem, alg) =>
      typeof pem === 'string'
        ? once(`rsa\u0000${alg}\u0000${pem}`, () => importRsaPrivateKey(pem, alg))
        : importRsaPrivateKey(pem, alg),
    jwePublic: (input, alg) =>
      once(`jwe\u0000${alg}\u0000${typeof input === 'string' ? input : JSON.stringify(input)}`, () =>
        importJwePublicKey(input, alg),
      ),
  };
}
