import { importJWK, importSPKI, type CryptoKey, type JWK } from 'jose';
import { KaaError } from '../errors.js';
import { isPlainObject } from './jose-segment.js';
import type { JweKeyAlgorithm } from './algorithms.js';
import { normalisePem, pemBody, pemLabel, pkcs1PublicToSpki, toPem } from './pem.js';

/** The three forms the JWEPublicKey column may hold: a JWK object, stringified JWK JSON, or an SPKI PEM. */
export type JwePublicKeyInput = string | object;

/** An imported JWE public key and its key id (from the JWK), if any. */
export interface JwePublicKey {
  key: CryptoKey;
  kid?: string | undefined;
}

const FIX =
  'Set the JWEPublicKey column to the public key shown in Agent AI › Flows & Channels › Digital › Web/Mobile Client › JWT App Details: a stringified JSON object like {"kty":"RSA","n":"…","e":"AQAB","kid":"…"}.';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * Imports the RSA public key that encrypts secure custom data. Accepts a JWK object, stringified JWK JSON
 * (what the Genesys guide stores), a one-key JWKS, or an SPKI PEM (`BEGIN PUBLIC KEY`, also PKCS#1 `BEGIN RSA PUBLIC KEY`).
 * A JWK carrying private members, a non-RSA key, a signing-only key or unreadable text throws
 * `E_JWE_KEY_INVALID`; the message says what the column must contain and never echoes the key.
 *
 * @example
 * ```ts
 * import { importJwePublicKey } from '@kaa/core';
 *
 * const { key, kid } = await importJwePublicKey(row.JWEPublicKey, 'RSA-OAEP');
 * ```
 */
export async function importJwePublicKey(input: unknown, alg: JweKeyAlgorithm): Promise<JwePublicKey> {
  const secrets = typeof input === 'string' ? [input] : [];
  const fail = (why: string, cause?: unknown): KaaError =>
    new KaaError('E_JWE_KEY_INVALID', `JWEPublicKey ${why}. ${FIX}`, {
      details: { column: 'JWEPublicKey' },
      secrets,
      cause,
    });

  if (typeof input === 'string') {
    const text = input.trim();
    if (text === '') throw fail('is empty, but secure custom data is configured');
    if (text.startsWith('-----BEGIN') || text.startsWith('"-----BEGIN'))
      return importPem(normalisePem(text), alg, fail);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw fail('is not JSON', cause);
    }
    // a JWK stringified twice (a JSON string holding the JSON) is common in table cells
    if (typeof parsed === 'string') return importJwePublicKey(parsed, alg);
    return importJwk(parsed, alg, fail);
  }
  return importJwk(input, alg, fail);
}

async function importJwk(
  value: unknown,
  alg: JweKeyAlgorithm,
  fail: (why: string, cause?: unknown) => KaaError,
): Promise<JwePublicKey> {
  if (!isPlainObject(value)) throw fail('is not a JSON object');
  let jwk: Record<string, unknown> = value;
  if (Array.isArray(value['keys'])) {
    const keys = value['keys'] as unknown[];
    if (keys.length !== 1 || !isPlainObject(keys[0]))
      throw fail(`is a key set with ${keys.length} keys; kaa needs exactly one key`);
    jwk = keys[0];
  }
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) {
    throw fail(
      'contains PRIVATE key material (members such as "d", "p", "q"). Remove it from the table now and rotate the key, because anyone who read the table has it',
    );
  }
  if (jwk['kty'] !== 'RSA')
    throw fail(`has key type ${JSON.stringify(String(jwk['kty'] ?? 'missing'))}, but Kore encrypts with an RSA key`);
  if (typeof jwk['n'] !== 'string' || typeof jwk['e'] !== 'string' || jwk['n'] === '' || jwk['e'] === '')
    throw fail('lacks the RSA members "n" and "e"');
  if (jwk['use'] !== undefined && jwk['use'] !== 'enc')
    throw fail(`is marked for use "${String(jwk['use'])}", not for encryption ("enc")`);
  const kid = typeof jwk['kid'] === 'string' && jwk['kid'] !== '' ? jwk['kid'] : undefined;
  try {
    const key = await importJWK({ kty: 'RSA', n: jwk['n'], e: jwk['e'], ext: true } as JWK, alg);
    if (key instanceof Uint8Array) throw new TypeError('a symmetric key, not an RSA public key');
    return { key: strongEnough(key, fail), kid };
  } catch (cause) {
    if (cause instanceof KaaError) throw cause;
    throw fail('could not be read as an RSA public key', cause);
  }
}

/** Kore's keys are 2048-bit RSA; jose refuses shorter ones at encryption time, so say so up front. */
function strongEnough(key: CryptoKey, fail: (why: string) => KaaError): CryptoKey {
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  if (typeof bits === 'number' && bits < 2048)
    throw fail(`is a ${bits}-bit RSA key; encryption needs 2048 bits or more`);
  return key;
}

async function importPem(
  text: string,
  alg: JweKeyAlgorithm,
  fail: (why: string, cause?: unknown) => KaaError,
): Promise<JwePublicKey> {
  const label = pemLabel(text);
  let spki: string;
  if (label === 'PUBLIC KEY') spki = text;
  else if (label === 'RSA PUBLIC KEY') {
    const body = pemBody(text, label);
    if (!body) throw fail('is a PKCS#1 public key whose body is not readable');
    spki = toPem(pkcs1PublicToSpki(body), 'PUBLIC KEY');
  } else if (label !== undefined && label.includes('PRIVATE KEY')) {
    throw fail(
      'holds a PRIVATE key. Remove it from the table now and rotate the key, because anyone who read the table has it',
    );
  } else throw fail(label ? `holds a "${label}" block instead of a public key` : 'is not readable PEM text');
  try {
    return { key: strongEnough(await importSPKI(spki, alg, { extractable: true }), fail) };
  } catch (cause) {
    if (cause instanceof KaaError) throw cause;
    throw fail('could not be read as an RSA public key', cause);
  }
}
