import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A generated key pair (Node `KeyObject`s: jose signs, verifies, encrypts, decrypts and exports them as they are). */
export interface TestKeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

const pairs = new Map<string, TestKeyPair>();

function memo(key: string, make: () => TestKeyPair): TestKeyPair {
  let pair = pairs.get(key);
  if (pair === undefined) {
    pair = make();
    pairs.set(key, pair);
  }
  return pair;
}

/**
 * An RSA key pair made for tests, generated once per test module load and per `name` and size, then shared: a 2048-bit
 * RSA key takes 0.2–1 s to generate on a busy machine, and a test file that made a fresh one in every test (or every
 * `beforeAll`) paid that on every run — under mutation testing, on every mutant (docs/testing.md#mutation-testing-pnpm-mutate).
 * Use different names where a test needs keys that differ (e.g. a signature checked with the wrong key).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = testRsaKeys();
 * const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
 * const other = testRsaKeys('other'); // a second, different pair
 * const weak = testRsaKeys('weak', 1024);
 * ```
 */
export function testRsaKeys(name = 'default', modulusLength = 2048): TestKeyPair {
  return memo(`rsa:${modulusLength}:${name}`, () => generateKeyPairSync('rsa', { modulusLength }));
}

/**
 * A P-256 EC key pair made for tests, shared like {@link testRsaKeys} (for "not an RSA key" cases).
 *
 * @example
 * ```ts
 * const ecPem = testEcKeys().publicKey.export({ type: 'spki', format: 'pem' }).toString();
 * ```
 */
export function testEcKeys(name = 'default'): TestKeyPair {
  return memo(`ec:P-256:${name}`, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
}
