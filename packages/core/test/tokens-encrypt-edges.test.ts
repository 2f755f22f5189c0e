import type { KeyObject } from 'node:crypto';
import { compactDecrypt, exportJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, testEcKeys, testRsaKeys } from '@kaa/test-support';
import { encryptSecureCustomData, importJwePublicKey, signWidgetJwt, type TokenKeys } from '@kaa/core';

/**
 * Secure custom data and its key at the edges that the tokens mutation run left open
 * (docs/testing.md#mutation-testing-pnpm-mutate): how a pasted JWEPublicKey cell is read, which `kid` reaches the JWE
 * header, and the coded errors (words, details, cause) of encryption and of signing with injected keys.
 */

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const PAYLOAD = { queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024', callStatus: 'connected' };
const OPTS = { now: NOW, issuer: 'cs-1', subject: 'u1' };

let privateKey: KeyObject;
let jwk: Record<string, unknown>;
let spki: string;

beforeAll(async () => {
  const pair = testRsaKeys();
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1' };
  spki = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
});

/** Decrypts a compact JWE with the shared test key: its header and its claims. */
async function opened(jwe: string): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey);
  return {
    header: protectedHeader as Record<string, unknown>,
    claims: JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, unknown>,
  };
}

/** A TokenKeys that hands back the given keys, the way a custom memo might hand back the wrong one. */
function keysGiving(key: KeyObject): TokenKeys {
  return {
    hmac: () => Promise.resolve(key as unknown as CryptoKey),
    rsaPrivate: () => Promise.resolve(key as unknown as CryptoKey),
    jwePublic: () => Promise.resolve({ key: key as unknown as CryptoKey, kid: 'k-wrong' }),
  };
}

describe('JWEPublicKey as pasted into a table cell', () => {
  it('a quoted PEM with real line breaks (LF or CRLF, as a spreadsheet exports a multi-line cell) encrypts to the key', async () => {
    for (const cell of [`"${spki.trim()}"`, `"${spki.trim().replace(/\n/g, '\r\n')}"\r\n`]) {
      const { header, claims } = await opened(await encryptSecureCustomData(PAYLOAD, cell, OPTS));
      expect(header).toEqual({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', typ: 'JWT' });
      expect(claims['secureCustomData']).toEqual(PAYLOAD);
    }
  });

  it('a kid that is not text is ignored: no kid in the JWE header', async () => {
    for (const kid of [7, true, { id: 'k1' }, null]) {
      expect((await importJwePublicKey({ ...jwk, kid }, 'RSA-OAEP')).kid, JSON.stringify(kid)).toBeUndefined();
      const { header, claims } = await opened(await encryptSecureCustomData(PAYLOAD, { ...jwk, kid }, OPTS));
      expect(header, JSON.stringify(kid)).toEqual({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', typ: 'JWT' });
      expect(claims['secureCustomData']).toEqual(PAYLOAD);
    }
  });
});

describe('encryptSecureCustomData: what each refusal names', () => {
  it('invalid claim names name the setting "jwe.claimNames" in the details', async () => {
    const e = await rejectionOf(
      encryptSecureCustomData(PAYLOAD, jwk, { ...OPTS, claimNames: ['exp'] }),
      'E_CONFIG_INVALID',
    );
    expect(e.details).toEqual({ configKey: 'jwe.claimNames' });
  });

  it('a blank subject names the field and says where it comes from', async () => {
    for (const subject of ['', '  ']) {
      const e = await rejectionOf(encryptSecureCustomData(PAYLOAD, jwk, { ...OPTS, subject }), 'E_JWE_ENCRYPT_FAILED');
      expect(e.message).toBe('The subject for the token is empty. kaa passes the Genesys user id; sign in again.');
      expect(e.details).toEqual({ field: 'subject' });
    }
  });

  it('a payload that is not JSON keeps the serialiser error as its cause, and never shows the payload', async () => {
    const cyclic: Record<string, unknown> = { account: 'ACCT-998877' };
    cyclic['self'] = cyclic;
    const e = await rejectionOf(encryptSecureCustomData(cyclic, jwk, OPTS), 'E_JWE_ENCRYPT_FAILED');
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(JSON.stringify(e.toJSON()) + e.message).not.toContain('ACCT-998877');
  });

  it('a key that jose cannot encrypt with (handed back by injected keys) is E_JWE_ENCRYPT_FAILED naming alg and enc, never the key', async () => {
    const keyText = JSON.stringify(jwk);
    const e = await rejectionOf(
      encryptSecureCustomData(PAYLOAD, keyText, { ...OPTS, enc: 'A256GCM', keys: keysGiving(testEcKeys().publicKey) }),
      'E_JWE_ENCRYPT_FAILED',
    );
    expect(e.message).toBe(
      "Secure custom data could not be encrypted with RSA-OAEP/A256GCM. Check that JWEPublicKey is the client app's RSA public key (2048 bits or more).",
    );
    expect(e.details).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM' });
    expect(e.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(e.toJSON()) + e.message).not.toContain(String(jwk['n']));
  });
});

describe('signWidgetJwt: refusals found by mutation testing', () => {
  const WIDGET = { clientId: 'cs-1', clientSecret: 'alpha-bot-client-secret-0001', subject: 'u1', now: NOW };

  it('an audience that is not text is refused with the setting to fix, not a TypeError', async () => {
    for (const audience of [5, { url: 'https://idproxy.kore.com/authorize' }]) {
      const e = await rejectionOf(
        signWidgetJwt({ ...WIDGET, audience: audience as unknown as string }),
        'E_CONFIG_INVALID',
      );
      expect(e.message).toBe(
        'The widget token audience is empty. Set "kore.jwt.aud" to https://idproxy.kore.com/authorize (the default) or remove it.',
      );
      expect(e.details).toEqual({ configKey: 'kore.jwt.aud' });
    }
  });

  it('a key that jose cannot sign with (handed back by injected keys) is E_TOKEN_SIGN_FAILED naming the columns to check, never the secret', async () => {
    const pem = testRsaKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases = [
      {
        algorithm: 'HS256',
        key: testEcKeys().privateKey,
        message: 'The widget token could not be signed with HS256. Check the ClientSecret of the bot row.',
      },
      {
        algorithm: 'RS256',
        key: testRsaKeys().publicKey,
        message:
          'The widget token could not be signed with RS256. Check the ClientSecret and RSPrivatePem of the bot row.',
      },
    ];
    for (const { algorithm, key, message } of cases) {
      const e = await rejectionOf(
        signWidgetJwt({ ...WIDGET, algorithm, privateKeyPem: pem, keys: keysGiving(key) }),
        'E_TOKEN_SIGN_FAILED',
      );
      expect(e.message).toBe(message);
      expect(e.details).toEqual({ algorithm });
      expect(e.cause).toBeInstanceOf(Error);
      const shown = JSON.stringify(e.toJSON()) + e.message;
      expect(shown).not.toContain(WIDGET.clientSecret);
      expect(shown).not.toContain(pem.split('\n')[1]!);
    }
  });
});
