import { KeyObject, constants, createCipheriv, createHmac, createSign, publicEncrypt, randomBytes } from 'node:crypto';
import type { JoseEngine, JweProtectedHeader, JwsProtectedHeader } from '@kaa/core';

/**
 * A {@link JoseEngine} on node:crypto: every operation runs synchronously on the calling thread, with none of the
 * per-operation WebCrypto job (key re-checks, a thread-pool round trip, promise hops) that dominates a small signature.
 * On one core that is most of a launch's cryptography cost (packages/broker/README.md#performance). Core still validates and
 * imports every key; this engine converts each imported `CryptoKey` to a `KeyObject` once and remembers it for as long
 * as the `CryptoKey` lives.
 *
 * It produces what jose produces for the same input (the compact forms of RFC 7515 and RFC 7516, RFC 7518's
 * algorithms), which the broker's tests check by verifying and decrypting its output with jose. It refuses what jose
 * refuses: an RSA key under 2048 bits, or a key of the wrong type for the header's algorithm.
 *
 * @example
 * ```ts
 * import { createBroker } from '@kaa/broker';
 * import { nodeJoseEngine } from '@kaa/broker/node';
 *
 * const broker = createBroker({ ...options, engine: nodeJoseEngine });
 * ```
 */
export const nodeJoseEngine: JoseEngine = {
  signJwt: async (header, claims, key) => signJwt(header, claims, key),
  encryptJwe: async (header, plaintext, key) => encryptJwe(header, plaintext, key),
};

const keyObjects = new WeakMap<object, KeyObject>();

/** The `KeyObject` of an imported key (secret bytes are used as they are). */
function keyObjectOf(key: CryptoKey | Uint8Array): KeyObject | Uint8Array {
  if (key instanceof Uint8Array) return key;
  let object = keyObjects.get(key);
  if (!object) {
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  return object;
}

function base64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function requireRsa(key: KeyObject | Uint8Array, type: 'private' | 'public', alg: string): KeyObject {
  if (key instanceof Uint8Array || key.type !== type || key.asymmetricKeyType !== 'rsa')
    throw new TypeError(`${alg} needs an RSA ${type} key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new TypeError(`${alg} needs an RSA key of 2048 bits or more`);
  return key;
}

function signJwt(
  header: JwsProtectedHeader,
  claims: Readonly<Record<string, unknown>>,
  key: CryptoKey | Uint8Array,
): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const material = keyObjectOf(key);
  let signature: Buffer;
  switch (header.alg) {
    case 'HS256':
      if (!(material instanceof Uint8Array) && material.type !== 'secret')
        throw new TypeError('HS256 needs a secret key');
      signature = createHmac('sha256', material).update(input).digest();
      break;
    case 'RS256':
    case 'RS512':
      signature = createSign(header.alg === 'RS256' ? 'sha256' : 'sha512')
        .update(input)
        .sign(requireRsa(material, 'private', header.alg));
      break;
    default:
      throw new TypeError(`unsupported JWS algorithm ${String((header as { alg: unknown }).alg)}`);
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** Content key and IV sizes (bytes) per `enc` (RFC 7518 §5.2.3, §5.3). */
const CONTENT = {
  'A128CBC-HS256': { keyBytes: 32, ivBytes: 16 },
  A128GCM: { keyBytes: 16, ivBytes: 12 },
  A256GCM: { keyBytes: 32, ivBytes: 12 },
} as const;

function encryptJwe(header: JweProtectedHeader, plaintext: Uint8Array, key: CryptoKey): string {
  const content = CONTENT[header.enc];
  if (!content) throw new TypeError(`unsupported JWE content encryption ${String(header.enc)}`);
  if (header.alg !== 'RSA-OAEP' && header.alg !== 'RSA-OAEP-256')
    throw new TypeError(`unsupported JWE key algorithm ${String(header.alg)}`);
  const publicKey = requireRsa(keyObjectOf(key), 'public', header.alg);
  const protectedHeader = base64url(JSON.stringify(header));
  const aad = Buffer.from(protectedHeader, 'ascii');
  const cek = randomBytes(content.keyBytes);
  const iv = randomBytes(content.ivBytes);
  const encryptedKey = publicEncrypt(
    {
      key: publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: header.alg === 'RSA-OAEP' ? 'sha1' : 'sha256',
    },
    cek,
  );
  let ciphertext: Buffer;
  let tag: Buffer;
  if (header.enc === 'A128CBC-HS256') {
    // RFC 7518 §5.2.2.1: MAC key = first half of the CEK, encryption key = second half; tag = HMAC-SHA-256 of
    // AAD || IV || ciphertext || AAD length in bits (64-bit big-endian), cut to 16 bytes
    const cipher = createCipheriv('aes-128-cbc', cek.subarray(16), iv);
    ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const aadBits = Buffer.alloc(8);
    aadBits.writeBigUInt64BE(BigInt(aad.length) * 8n);
    tag = createHmac('sha256', cek.subarray(0, 16))
      .update(aad)
      .update(iv)
      .update(ciphertext)
      .update(aadBits)
      .digest()
      .subarray(0, 16);
  } else {
    const cipher = createCipheriv(header.enc === 'A128GCM' ? 'aes-128-gcm' : 'aes-256-gcm', cek, iv, {
      authTagLength: 16,
    });
    cipher.setAAD(aad);
    ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    tag = cipher.getAuthTag();
  }
  return [protectedHeader, base64url(encryptedKey), base64url(iv), base64url(ciphertext), base64url(tag)].join('.');
}
