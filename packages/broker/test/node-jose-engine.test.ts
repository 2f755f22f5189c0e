import fc from 'fast-check';
import { compactDecrypt, decodeProtectedHeader, exportJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTokenKeys,
  encryptSecureCustomData,
  JWE_CONTENT_ENCRYPTIONS,
  JWE_KEY_ALGORITHMS,
  signWidgetJwt,
  webCryptoJoseEngine,
} from '@kaa/core';
import type { JoseEngine } from '@kaa/core';
import { testEcKeys, testRsaKeys } from '@kaa/test-support';
import { nodeJoseEngine } from '../src/node.js';

const NOW = 1_790_000_000;
const CLIENT_ID = 'cs-a1fa0000-0000-4000-8000-000000000001';
const SECRET = 'alpha-bot-client-secret-0001';
const USER = 'a9e00000-0000-4000-8000-000000000001';

const rsa = testRsaKeys();
const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicJwk = async () => ({ ...(await exportJWK(rsa.publicKey)), kid: 'k1' });

describe('nodeJoseEngine: the same tokens as jose, from node:crypto', () => {
  it('signs HS256, RS256 and RS512 widget JWTs byte for byte as jose does (the three are deterministic), with and without a key cache', async () => {
    for (const keys of [undefined, createTokenKeys()]) {
      for (const algorithm of ['HS256', 'RS256', 'RS512'] as const) {
        const input = {
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          privateKeyPem: pkcs8,
          algorithm,
          subject: USER,
          now: NOW,
          keys,
        };
        const fromNode = await signWidgetJwt({ ...input, engine: nodeJoseEngine });
        const fromJose = await signWidgetJwt({ ...input, engine: webCryptoJoseEngine });
        expect(fromNode, algorithm).toBe(fromJose);
        const key = algorithm === 'HS256' ? new TextEncoder().encode(SECRET) : rsa.publicKey;
        const { payload, protectedHeader } = await jwtVerify(fromNode, key, { currentDate: new Date(NOW * 1000) });
        expect(protectedHeader).toEqual({ alg: algorithm, typ: 'JWT' });
        expect(payload).toMatchObject({ iss: CLIENT_ID, sub: USER, appId: CLIENT_ID, iat: NOW, exp: NOW + 900 });
      }
    }
  });

  it('encrypts a JWE that jose decrypts, for every key algorithm and content encryption kaa offers', async () => {
    const jwk = await publicJwk();
    const payload = {
      queueName: 'ALPHAINC_CUSTOMERSERVICE',
      callStatus: 'connected',
      n: 3,
      nested: { é: ['x', null] },
    };
    for (const alg of JWE_KEY_ALGORITHMS) {
      for (const enc of JWE_CONTENT_ENCRYPTIONS) {
        const jwe = await encryptSecureCustomData(payload, jwk, {
          alg,
          enc,
          now: NOW,
          issuer: CLIENT_ID,
          subject: USER,
          engine: nodeJoseEngine,
          keys: createTokenKeys(),
        });
        expect(jwe.split('.'), `${alg}/${enc}`).toHaveLength(5);
        expect(decodeProtectedHeader(jwe)).toEqual({ alg, enc, kid: 'k1', typ: 'JWT' });
        const { plaintext, protectedHeader } = await compactDecrypt(jwe, rsa.privateKey);
        expect(protectedHeader).toEqual({ alg, enc, kid: 'k1', typ: 'JWT' });
        expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({
          iss: CLIENT_ID,
          sub: USER,
          iat: NOW,
          exp: NOW + 900,
          secureCustomData: payload,
        });
      }
    }
  });

  it('gives each JWE a fresh content key and IV, and a tampered ciphertext or tag no longer decrypts', async () => {
    const jwk = await publicJwk();
    const options = { now: NOW, issuer: CLIENT_ID, subject: USER, engine: nodeJoseEngine };
    const a = (await encryptSecureCustomData({ k: 'v' }, jwk, options)).split('.');
    const b = (await encryptSecureCustomData({ k: 'v' }, jwk, options)).split('.');
    expect(a[1]).not.toBe(b[1]);
    expect(a[2]).not.toBe(b[2]);
    expect(Buffer.from(a[2] as string, 'base64url')).toHaveLength(16); // A128CBC-HS256's IV
    expect(Buffer.from(a[4] as string, 'base64url')).toHaveLength(16); // its tag: half the HMAC-SHA-256
    for (const part of [3, 4]) {
      const bad = [...a];
      const bytes = Buffer.from(bad[part] as string, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      bad[part] = bytes.toString('base64url');
      await expect(compactDecrypt(bad.join('.'), rsa.privateKey), `part ${part}`).rejects.toThrow();
    }
  });

  it('round-trips any JSON payload (property)', async () => {
    const jwk = await publicJwk();
    const keys = createTokenKeys();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
        fc.constantFrom(...JWE_CONTENT_ENCRYPTIONS),
        async (payload, enc) => {
          const jwe = await encryptSecureCustomData(payload, jwk, {
            enc,
            now: NOW,
            issuer: CLIENT_ID,
            subject: USER,
            engine: nodeJoseEngine,
            keys,
          });
          const { plaintext } = await compactDecrypt(jwe, rsa.privateKey);
          const claims = JSON.parse(new TextDecoder().decode(plaintext)) as { secureCustomData: unknown };
          expect(claims.secureCustomData).toEqual(JSON.parse(JSON.stringify(payload)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses what jose refuses: a key of the wrong kind, an RSA key under 2048 bits', async () => {
    const hmac = await createTokenKeys().hmac(SECRET, 'utf8');
    const weak = testRsaKeys('weak', 1024);
    const weakKey = await crypto.subtle.importKey(
      'jwk',
      await exportJWK(weak.publicKey),
      { name: 'RSA-OAEP', hash: 'SHA-1' },
      false,
      ['encrypt'],
    );
    const cases: [string, (engine: JoseEngine) => Promise<string>][] = [
      ['RS256 with an HMAC key', (e) => e.signJwt({ alg: 'RS256', typ: 'JWT' }, { sub: 'u' }, hmac)],
      [
        'HS256 with an RSA private key',
        async (e) => e.signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'u' }, await rsaSigningKey()),
      ],
      [
        'RSA-OAEP with a 1024-bit key',
        (e) => e.encryptJwe({ alg: 'RSA-OAEP', enc: 'A128GCM', typ: 'JWT' }, new Uint8Array(1), weakKey),
      ],
      [
        'RSA-OAEP with an HMAC key',
        (e) => e.encryptJwe({ alg: 'RSA-OAEP', enc: 'A128GCM', typ: 'JWT' }, new Uint8Array(1), hmac),
      ],
      [
        'RS256 with an EC key',
        async (e) => e.signJwt({ alg: 'RS256', typ: 'JWT' }, { sub: 'u' }, await ecSigningKey()),
      ],
    ];
    for (const [name, call] of cases) {
      await expect(call(webCryptoJoseEngine), `jose: ${name}`).rejects.toThrow();
      await expect(call(nodeJoseEngine), `node: ${name}`).rejects.toThrow();
    }
  });

  it('through core, a weak key is refused when imported, before either engine runs: the same coded error without the key', async () => {
    const weakJwk = await exportJWK(testRsaKeys('weak', 1024).publicKey);
    for (const engine of [webCryptoJoseEngine, nodeJoseEngine]) {
      const error = await encryptSecureCustomData({ k: 'v' }, weakJwk, {
        now: NOW,
        issuer: CLIENT_ID,
        subject: USER,
        engine,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'E_JWE_KEY_INVALID' });
      expect(JSON.stringify(error)).not.toContain(weakJwk.n);
    }
  });
});

async function rsaSigningKey(): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'pkcs8',
    rsa.privateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

async function ecSigningKey(): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'pkcs8',
    testEcKeys().privateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
}
