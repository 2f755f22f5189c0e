import type { KeyObject } from 'node:crypto';
import { compactDecrypt, exportJWK, exportSPKI, jwtDecrypt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, testEcKeys, testRsaKeys } from '@kaa/test-support';
import { encryptSecureCustomData, importJwePublicKey } from '@kaa/core';
import { BOTS, USERS } from '../../sandbox/src/seed.js';

const NOW = 1_767_225_600;
// the guide's KvpConfig sample, resolved against a conversation
const PAYLOAD = { queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024', callStatus: 'connected' };
const OPTS = { now: NOW, issuer: BOTS.alpha.clientId, subject: USERS.agent.id };

let privateKey: KeyObject;
let publicJwk: Record<string, unknown>;
let privateJwk: Record<string, unknown>;
let spki: string;

beforeAll(async () => {
  const pair = testRsaKeys();
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'kore-jwe-1' };
  privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'kore-jwe-1' };
  spki = await exportSPKI(pair.publicKey);
});

describe('encryptSecureCustomData', () => {
  it('encrypts the default claims (docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport) with RSA-OAEP + A128CBC-HS256 and a JWT header carrying the JWK kid', async () => {
    const jwe = await encryptSecureCustomData(PAYLOAD, JSON.stringify(publicJwk), OPTS);
    expect(jwe.split('.')).toHaveLength(5);
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey);
    expect(protectedHeader).toEqual({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: 'kore-jwe-1', typ: 'JWT' });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({
      iss: BOTS.alpha.clientId,
      sub: USERS.agent.id,
      iat: NOW,
      exp: NOW + 900,
      secureCustomData: PAYLOAD,
    });
    const { payload } = await jwtDecrypt(jwe, privateKey, { currentDate: new Date(NOW * 1000) });
    expect(payload['secureCustomData']).toEqual(PAYLOAD);
  });

  it('accepts a JWK object, a doubly stringified JWK, a one-key JWKS and an SPKI PEM', async () => {
    for (const key of [
      publicJwk,
      JSON.stringify(JSON.stringify(publicJwk)),
      JSON.stringify({ keys: [publicJwk] }),
      spki,
      spki.replace(/\n/g, '\\n'),
    ]) {
      const jwe = await encryptSecureCustomData(PAYLOAD, key, OPTS);
      const { payload } = await jwtDecrypt(jwe, privateKey, { currentDate: new Date(NOW * 1000) });
      expect(payload['secureCustomData']).toEqual(PAYLOAD);
    }
  });

  it('accepts a PKCS#1 RSA PUBLIC KEY PEM', async () => {
    const pair = testRsaKeys();
    const pkcs1 = pair.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const jwe = await encryptSecureCustomData(PAYLOAD, pkcs1, OPTS);
    const { payload } = await jwtDecrypt(jwe, pair.privateKey, { currentDate: new Date(NOW * 1000) });
    expect(payload['secureCustomData']).toEqual(PAYLOAD);
  });

  it('honours alg RSA-OAEP-256, enc A128GCM/A256GCM, kid override, ttl and mirrored claim names (docs/assumptions.md#secure-custom-data-claim-name)', async () => {
    const pair = testRsaKeys();
    const jwk = await exportJWK(pair.publicKey);
    for (const enc of ['A128GCM', 'A256GCM']) {
      const jwe = await encryptSecureCustomData(PAYLOAD, jwk, {
        ...OPTS,
        alg: 'RSA-OAEP-256',
        enc,
        kid: 'k2',
        ttlSeconds: 60,
        claimNames: ['secureCustomData', 'privateClaims'],
      });
      const { payload, protectedHeader } = await jwtDecrypt(jwe, pair.privateKey, {
        currentDate: new Date(NOW * 1000),
      });
      expect(protectedHeader).toEqual({ alg: 'RSA-OAEP-256', enc, kid: 'k2', typ: 'JWT' });
      expect(payload).toMatchObject({ exp: NOW + 60, secureCustomData: PAYLOAD, privateClaims: PAYLOAD });
    }
  });

  it('omits kid when the key has none', async () => {
    const { kid: _kid, ...noKid } = publicJwk;
    const jwe = await encryptSecureCustomData(PAYLOAD, noKid, OPTS);
    expect((await compactDecrypt(jwe, privateKey)).protectedHeader).toEqual({
      alg: 'RSA-OAEP',
      enc: 'A128CBC-HS256',
      typ: 'JWT',
    });
  });

  it('refuses unsupported alg/enc (RSA1_5, dir, A192GCM) with E_ALGORITHM_UNSUPPORTED', async () => {
    const e = await rejectionOf(
      encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, alg: 'RSA1_5' }),
      'E_ALGORITHM_UNSUPPORTED',
    );
    expect(e.message).toContain('RSA-OAEP');
    await rejectionOf(encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, alg: 'dir' }), 'E_ALGORITHM_UNSUPPORTED');
    await rejectionOf(
      encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, enc: 'A192GCM' }),
      'E_ALGORITHM_UNSUPPORTED',
    );
  });

  it('a private JWK given as public → E_JWE_KEY_INVALID telling the admin to rotate, never echoing d', async () => {
    for (const key of [privateJwk, JSON.stringify(privateJwk)]) {
      const e = await rejectionOf(encryptSecureCustomData(PAYLOAD, key, OPTS), 'E_JWE_KEY_INVALID');
      expect(e.message).toContain('PRIVATE');
      expect(e.message).toContain('JWEPublicKey');
      const out = JSON.stringify(e.toJSON()) + e.message;
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'n'])
        expect(out).not.toContain(String(privateJwk[member]));
    }
    const pem = testRsaKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const e = await rejectionOf(encryptSecureCustomData(PAYLOAD, pem, OPTS), 'E_JWE_KEY_INVALID');
    expect(e.message).not.toContain(pem.split('\n')[1]!);
  });

  it('EC keys, bad JSON, empty, symmetric, signing-only, short RSA and missing members → E_JWE_KEY_INVALID', async () => {
    const ec = testEcKeys().publicKey.export({ format: 'jwk' });
    const ecPem = testEcKeys().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const small = testRsaKeys('small', 1024).publicKey.export({ format: 'jwk' });
    const cases: unknown[] = [
      ec,
      JSON.stringify(ec),
      ecPem,
      '{"kty":"RSA",',
      '',
      '   ',
      'hello',
      '[]',
      '42',
      { kty: 'oct', k: 'AAAA' },
      { ...publicJwk, use: 'sig' },
      { kty: 'RSA', e: 'AQAB' },
      small,
      { keys: [] },
      { keys: [publicJwk, publicJwk] },
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      '-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----',
    ];
    for (const key of cases) {
      const e = await rejectionOf(encryptSecureCustomData(PAYLOAD, key as string, OPTS), 'E_JWE_KEY_INVALID');
      expect(e.message).toContain('JWEPublicKey');
    }
  });

  it('rejects bad payloads, claim names, clocks and issuers with coded errors, never echoing the payload', async () => {
    await rejectionOf(
      encryptSecureCustomData([] as unknown as Record<string, unknown>, publicJwk, OPTS),
      'E_KVP_CONFIG_INVALID',
    );
    await rejectionOf(encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, claimNames: [] }), 'E_CONFIG_INVALID');
    await rejectionOf(
      encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, claimNames: ['exp'] }),
      'E_CONFIG_INVALID',
    );
    await rejectionOf(encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, issuer: '' }), 'E_JWE_ENCRYPT_FAILED');
    await rejectionOf(
      encryptSecureCustomData(PAYLOAD, publicJwk, { ...OPTS, now: NOW * 1000 }),
      'E_JWE_ENCRYPT_FAILED',
    );
    const cyclic: Record<string, unknown> = { secretAccount: 'ACCT-998877' };
    cyclic['self'] = cyclic;
    const e = await rejectionOf(encryptSecureCustomData(cyclic, publicJwk, OPTS), 'E_JWE_ENCRYPT_FAILED');
    expect(JSON.stringify(e.toJSON())).not.toContain('ACCT-998877');
  });

  it('importJwePublicKey returns the kid', async () => {
    await expect(importJwePublicKey(JSON.stringify(publicJwk), 'RSA-OAEP')).resolves.toMatchObject({
      kid: 'kore-jwe-1',
    });
  });
});
