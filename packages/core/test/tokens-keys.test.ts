import { exportJWK, generateKeyPair, jwtDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '@kaa/test-support';
import { createTokenKeys, encryptSecureCustomData, signWidgetJwt, type KaaError } from '@kaa/core';

const SECRET = 'alpha-bot-client-secret-0001';
const NOW = new Date('2026-01-01T00:00:00Z');

describe('createTokenKeys: imported keys reused across mints', () => {
  it('HS256: one import per secret and encoding; the token is the one signed without the memo', async () => {
    const keys = createTokenKeys();
    const [a, b] = await Promise.all([keys.hmac(SECRET, 'utf8'), keys.hmac(SECRET, 'utf8')]);
    expect(a).toBe(b);
    expect(await keys.hmac(SECRET, 'base64')).not.toBe(a);
    const input = { clientId: 'cs-1', clientSecret: SECRET, subject: 'u1', now: NOW };
    expect(await signWidgetJwt({ ...input, keys })).toBe(await signWidgetJwt(input));
  });

  it('JWE: one import per key text and algorithm, and the JWE still decrypts with the private key', async () => {
    const pair = await generateKeyPair('RSA-OAEP', { extractable: true, modulusLength: 2048 });
    const jwk = JSON.stringify({ ...(await exportJWK(pair.publicKey)), kid: 'k1' });
    const keys = createTokenKeys();
    const first = await keys.jwePublic(jwk, 'RSA-OAEP');
    expect(await keys.jwePublic(jwk, 'RSA-OAEP')).toBe(first);
    expect(await keys.jwePublic(jwk, 'RSA-OAEP-256')).not.toBe(first);
    const jwe = await encryptSecureCustomData({ account: '42' }, jwk, {
      now: NOW,
      issuer: 'cs-1',
      subject: 'u1',
      keys,
    });
    const { payload, protectedHeader } = await jwtDecrypt(jwe, pair.privateKey, { currentDate: NOW });
    expect(payload['secureCustomData']).toEqual({ account: '42' });
    expect(protectedHeader.kid).toBe('k1');
  });

  it("keeps no failure: a bad key is refused with the importer's coded error each time, never echoing the key", async () => {
    const keys = createTokenKeys();
    const bad = '{"kty":"RSA","n":"planted-not-a-key-0001"}';
    for (let i = 0; i < 2; i++) {
      const e = (await rejectionOf(keys.jwePublic(bad, 'RSA-OAEP'))) as KaaError;
      expect(e.code).toBe('E_JWE_KEY_INVALID');
      expect(e.message).not.toContain('planted-not-a-key-0001');
    }
    expect(((await rejectionOf(keys.hmac('', 'utf8'))) as KaaError).code).toBe('E_KEY_INVALID');
  });

  it('starts again empty past maxEntries (bounded)', async () => {
    const keys = createTokenKeys({ maxEntries: 2 });
    const a = await keys.hmac('secret-a-0001', 'utf8');
    await keys.hmac('secret-b-0001', 'utf8');
    await keys.hmac('secret-c-0001', 'utf8'); // the memo was full: cleared, then c added
    expect(await keys.hmac('secret-a-0001', 'utf8')).not.toBe(a);
  });
});
