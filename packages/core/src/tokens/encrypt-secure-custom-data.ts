import { KaaError, toKaaError } from '../errors.js';
import { jweContentEncryption, jweKeyAlgorithm } from './algorithms.js';
import { isPlainObject } from './jose-segment.js';
import { epochSeconds, lifetimeSeconds, type ClockReading } from './epoch-seconds.js';
import { joseEncryptJwe } from './jose-encrypt.js';
import type { JoseEngine } from './jose-engine.js';
import { importJwePublicKey, type JwePublicKeyInput } from './jwe-public-key.js';
import { requiredText } from './required-text.js';
import type { TokenKeys } from './token-keys.js';

/** Default claim under which the secure data sits (docs/assumptions.md#secure-custom-data-claim-name, `jwe.claimNames`). */
export const SECURE_CUSTOM_DATA_CLAIMS: readonly string[] = ['secureCustomData'];

/** Default JWE lifetime, seconds. */
export const SECURE_CUSTOM_DATA_TTL_SECONDS = 900;

const REGISTERED = new Set(['iss', 'sub', 'iat', 'exp', 'aud', 'nbf', 'jti']);

/** Options of {@link encryptSecureCustomData}. */
export interface EncryptSecureCustomDataOptions {
  /** Key management: `RSA-OAEP` (default, `jwe.alg`) or `RSA-OAEP-256`. `RSA1_5` → `E_ALGORITHM_UNSUPPORTED`. */
  alg?: string | undefined;
  /** Content encryption: `A128CBC-HS256` (default, `jwe.enc`), `A128GCM` or `A256GCM`. */
  enc?: string | undefined;
  /** Injected clock: epoch seconds or a Date. */
  now: ClockReading;
  /** `iss`: kaa passes the bot's ClientId. */
  issuer: string;
  /** `sub`: kaa passes the Genesys user id. */
  subject: string;
  /** Lifetime in seconds, default {@link SECURE_CUSTOM_DATA_TTL_SECONDS}. */
  ttlSeconds?: number | undefined;
  /** Claims that each carry the payload (docs/assumptions.md#secure-custom-data-claim-name), default `['secureCustomData']`; e.g. add `privateClaims`. */
  claimNames?: readonly string[] | undefined;
  /** `kid` header; default the JWK's `kid`. */
  kid?: string | undefined;
  /** Imported keys reused across calls ({@link createTokenKeys}); default: the key is imported for this call only. */
  keys?: TokenKeys | undefined;
  /** The encryption primitive ({@link JoseEngine}); default jose over WebCrypto. */
  engine?: JoseEngine | undefined;
}

/**
 * Encrypts secure custom data as a compact JWE (docs/kore-protocol.md#secure-custom-data-and-kvpconfig, docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport, docs/assumptions.md#secure-custom-data-claim-name): directly encrypted claims
 * `{iss, sub, iat, exp, secureCustomData: payload}` (the payload mirrored under every name in `claimNames`),
 * header `{alg, enc, kid, typ: 'JWT'}`. The key is the JWEPublicKey column: a JWK object, stringified JWK JSON
 * or an SPKI PEM. kaa sends the result as `secureCustomData` on each utterance message (`jwe.transport`).
 * Errors never contain the payload or the key.
 *
 * @example
 * ```ts
 * import { encryptSecureCustomData } from '@kaa/core';
 *
 * const jwe = await encryptSecureCustomData(
 *   { queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024', callStatus: 'connected' },
 *   row.JWEPublicKey, // '{"kty":"RSA","n":"…","e":"AQAB","kid":"k1"}'
 *   { now: new Date(), issuer: row.ClientId, subject: genesysUserId },
 * );
 * // → 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkExMjhDQkMtSFMyNTYiLCJraWQiOiJrMSIsInR5cCI6IkpXVCJ9.….….….…'
 * ```
 */
export async function encryptSecureCustomData(
  payload: Readonly<Record<string, unknown>>,
  jwePublicKey: JwePublicKeyInput,
  options: EncryptSecureCustomDataOptions,
): Promise<string> {
  const alg = jweKeyAlgorithm(options.alg);
  const enc = jweContentEncryption(options.enc);
  if (!isPlainObject(payload)) {
    throw new KaaError(
      'E_KVP_CONFIG_INVALID',
      'Secure custom data must be a JSON object of key/value pairs. Check KvpConfig / SecureCustomDataConfig: it must be a JSON object {"key": "path"}.',
      {
        details: { configKey: 'KvpConfig' },
      },
    );
  }
  const claimNames = options.claimNames ?? SECURE_CUSTOM_DATA_CLAIMS;
  if (
    claimNames.length === 0 ||
    claimNames.some((name) => typeof name !== 'string' || name === '' || REGISTERED.has(name))
  ) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The claim names for secure custom data are not valid. Set "jwe.claimNames" to a non-empty list such as ["secureCustomData"] (not iss, sub, iat, exp, aud, nbf or jti).',
      {
        details: { configKey: 'jwe.claimNames' },
      },
    );
  }
  const issuer = requiredText(
    options.issuer,
    'issuer (ClientId)',
    'E_JWE_ENCRYPT_FAILED',
    'Fill the ClientId column of the bot row.',
  );
  const subject = requiredText(
    options.subject,
    'subject',
    'E_JWE_ENCRYPT_FAILED',
    'kaa passes the Genesys user id; sign in again.',
  );
  const ttl = lifetimeSeconds(options.ttlSeconds ?? SECURE_CUSTOM_DATA_TTL_SECONDS, 'jwe.ttlSeconds');
  const iat = epochSeconds(options.now, 'E_JWE_ENCRYPT_FAILED');

  const claims: Record<string, unknown> = { iss: issuer, sub: subject, iat, exp: iat + ttl };
  for (const name of claimNames) claims[name] = payload;
  let plaintext: Uint8Array;
  try {
    plaintext = new TextEncoder().encode(JSON.stringify(claims));
  } catch (cause) {
    throw new KaaError(
      'E_JWE_ENCRYPT_FAILED',
      'Secure custom data contains a value that is not JSON (a cycle or a BigInt). Check the KvpConfig paths.',
      { cause },
    );
  }
  const { key, kid: jwkKid } = options.keys
    ? await options.keys.jwePublic(jwePublicKey, alg)
    : await importJwePublicKey(jwePublicKey, alg);
  const kid = options.kid ?? jwkKid;
  try {
    const header = kid === undefined ? ({ alg, enc, typ: 'JWT' } as const) : ({ alg, enc, kid, typ: 'JWT' } as const);
    return await (options.engine
      ? options.engine.encryptJwe(header, plaintext, key)
      : joseEncryptJwe(header, plaintext, key));
  } catch (cause) {
    throw toKaaError(
      cause,
      'E_JWE_ENCRYPT_FAILED',
      `Secure custom data could not be encrypted with ${alg}/${enc}. Check that JWEPublicKey is the client app's RSA public key (2048 bits or more).`,
      {
        details: { alg, enc },
        secrets: typeof jwePublicKey === 'string' ? [jwePublicKey] : [],
      },
    );
  }
}
