import type { CryptoKey } from 'jose';
import type { JweContentEncryption, JweKeyAlgorithm, WidgetJwtAlgorithm } from './algorithms.js';
import { joseEncryptJwe } from './jose-encrypt.js';
import { joseSignJwt } from './jose-sign.js';

/** The protected header of a JWT core signs: `{alg, typ: 'JWT'}`. */
export interface JwsProtectedHeader {
  readonly alg: WidgetJwtAlgorithm;
  readonly typ: 'JWT';
}

/** The protected header of a JWE core encrypts: `{alg, enc, kid?, typ: 'JWT'}`. */
export interface JweProtectedHeader {
  readonly alg: JweKeyAlgorithm;
  readonly enc: JweContentEncryption;
  readonly kid?: string;
  readonly typ: 'JWT';
}

/**
 * The cryptography under core's token functions: compact JWS signing and compact JWE encryption. Core decides
 * everything else (claims, headers, key validation and import, errors); the engine only serializes and applies the
 * primitive. The default, {@link webCryptoJoseEngine}, is jose over WebCrypto and runs in browsers and servers alike. A
 * server that mints for many agents may pass a faster one (`nodeJoseEngine` from `@kaa/broker/node`: synchronous
 * node:crypto, no WebCrypto job per operation); packages/broker/README.md#performance says why.
 *
 * Keys are what core's importers produce: a `CryptoKey` (HMAC, RSASSA-PKCS1-v1_5 private, RSA-OAEP public) or, for
 * HS256 without a key cache, the secret's bytes. An engine throws on a key it cannot use; core turns the throw into
 * its coded error without the key.
 *
 * @example
 * ```ts
 * import { signWidgetJwt, webCryptoJoseEngine } from '@kaa/core';
 *
 * await signWidgetJwt({ clientId, clientSecret, subject: userId, now: new Date(), engine: webCryptoJoseEngine });
 * ```
 */
export interface JoseEngine {
  /** A compact JWS of the JSON of `claims` under `header`. */
  signJwt(
    header: JwsProtectedHeader,
    claims: Readonly<Record<string, unknown>>,
    key: CryptoKey | Uint8Array,
  ): Promise<string>;
  /** A compact JWE of `plaintext` under `header`, its content key wrapped with the RSA public `key`. */
  encryptJwe(header: JweProtectedHeader, plaintext: Uint8Array, key: CryptoKey): Promise<string>;
}

/**
 * The default {@link JoseEngine}: jose's `SignJWT` and `CompactEncrypt` over WebCrypto.
 *
 * @example
 * ```ts
 * import { webCryptoJoseEngine } from '@kaa/core';
 *
 * const jwt = await webCryptoJoseEngine.signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1' }, new TextEncoder().encode('s'));
 * ```
 */
export const webCryptoJoseEngine: JoseEngine = { signJwt: joseSignJwt, encryptJwe: joseEncryptJwe };
