import { createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import { decodeProtectedHeader, exportPKCS8, exportSPKI, importSPKI, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, testEcKeys, testRsaKeys } from '@kaa/test-support';
import {
  KORE_JWT_AUDIENCE,
  KaaError,
  decodeJwtUnverified,
  signPlatformJwt,
  PLATFORM_JWT_MAX_TTL_SECONDS,
  signWidgetJwt,
  widgetJwtAlgorithm,
} from '@kaa/core';
import { BOTS, KORE_DATA_TABLE, USERS } from '../../sandbox/src/seed.js';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const alpha = BOTS.alpha;

describe('signWidgetJwt HS256', () => {
  it('signs the widget JWT claim union (docs/assumptions.md#widget-jwt-claims) with the ClientSecret as UTF-8 bytes, times in seconds', async () => {
    const token = await signWidgetJwt({
      clientId: alpha.clientId,
      clientSecret: alpha.clientSecret,
      subject: USERS.agent.id,
      now: NOW,
    });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(alpha.clientSecret), {
      algorithms: ['HS256'],
      audience: KORE_JWT_AUDIENCE,
      issuer: alpha.clientId,
      currentDate: new Date(NOW * 1000 + 1000),
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      iss: alpha.clientId,
      sub: USERS.agent.id,
      appId: alpha.clientId,
      aud: 'https://idproxy.kore.com/authorize',
      iat: NOW,
      exp: NOW + 900,
      isAnonymous: false,
    });
  });

  it('accepts a Date clock, a custom ttl, audience and jti', async () => {
    const token = await signWidgetJwt({
      clientId: alpha.clientId,
      clientSecret: alpha.clientSecret,
      subject: 'u1',
      now: new Date(NOW * 1000 + 999),
      ttlSeconds: 600,
      audience: 'https://idproxy.kore.ai/authorize',
      includeJti: true,
      randomId: () => 'jti-1',
    });
    const claims = decodeJwtUnverified(token);
    expect(claims.kind).toBe('jws');
    if (claims.kind !== 'jws') return;
    expect(claims.claims).toMatchObject({
      iat: NOW,
      exp: NOW + 600,
      aud: 'https://idproxy.kore.ai/authorize',
      jti: 'jti-1',
    });
  });

  it('draws a random jti from WebCrypto by default', async () => {
    const sign = () =>
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: NOW,
        includeJti: true,
      });
    const [a, b] = await Promise.all([sign(), sign()]);
    const jti = (t: string) => (decodeJwtUnverified(t) as { claims: Record<string, unknown> }).claims['jti'];
    expect(typeof jti(a)).toBe('string');
    expect(jti(a)).not.toBe(jti(b));
  });

  it('treats empty / lower-case Algorithm as HS256 (docs/assumptions.md#bot-row-value-formats)', async () => {
    for (const algorithm of [undefined, '', '  ', 'hs256', 'HS256']) {
      const token = await signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: NOW,
        algorithm,
      });
      expect(decodeProtectedHeader(token).alg).toBe('HS256');
    }
  });

  it('base64 secret encoding (docs/assumptions.md#hs256-key-bytes) signs with the decoded bytes', async () => {
    const secretBytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 250, 251, 252]);
    const secret = Buffer.from(secretBytes).toString('base64');
    const token = await signWidgetJwt({
      clientId: alpha.clientId,
      clientSecret: secret,
      subject: 'u1',
      now: NOW,
      secretEncoding: 'base64',
    });
    await expect(jwtVerify(token, secretBytes, { currentDate: new Date(NOW * 1000) })).resolves.toBeTruthy();
    await expect(
      jwtVerify(token, new TextEncoder().encode(secret), { currentDate: new Date(NOW * 1000) }),
    ).rejects.toThrow();
    await rejectionOf(
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: 'not base64 !!',
        subject: 'u1',
        now: NOW,
        secretEncoding: 'base64',
      }),
      'E_KEY_INVALID',
    );
  });

  it('refuses none and any algorithm outside HS256|RS256|RS512', async () => {
    for (const algorithm of ['none', 'None', 'HS512', 'ES256', 'PS256', 'RS384', 'HS256 ', 'x'.repeat(100)]) {
      if (algorithm === 'HS256 ') continue; // trimmed → valid
      const e = await rejectionOf(
        signWidgetJwt({
          clientId: alpha.clientId,
          clientSecret: alpha.clientSecret,
          subject: 'u1',
          now: NOW,
          algorithm,
        }),
        'E_ALGORITHM_UNSUPPORTED',
      );
      expect(e.message).toContain('Set the Algorithm column to HS256');
    }
    expect(() => widgetJwtAlgorithm(42)).toThrow(KaaError);
  });

  it('rejects an empty secret, empty clientId, empty subject, bad ttl and a millisecond clock with coded errors', async () => {
    await rejectionOf(
      signWidgetJwt({ clientId: alpha.clientId, clientSecret: '', subject: 'u1', now: NOW }),
      'E_KEY_INVALID',
    );
    await rejectionOf(signWidgetJwt({ clientId: alpha.clientId, subject: 'u1', now: NOW }), 'E_KEY_INVALID');
    await rejectionOf(
      signWidgetJwt({ clientId: ' ', clientSecret: alpha.clientSecret, subject: 'u1', now: NOW }),
      'E_BOT_ROW_INVALID',
    );
    await rejectionOf(
      signWidgetJwt({ clientId: alpha.clientId, clientSecret: alpha.clientSecret, subject: '', now: NOW }),
      'E_TOKEN_SIGN_FAILED',
    );
    await rejectionOf(
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: NOW,
        ttlSeconds: 0,
      }),
      'E_CONFIG_INVALID',
    );
    await rejectionOf(
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: NOW,
        ttlSeconds: 1.5,
      }),
      'E_CONFIG_INVALID',
    );
    await rejectionOf(
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: NOW,
        ttlSeconds: 7200,
        includeJti: true,
      }),
      'E_CONFIG_INVALID',
    );
    await rejectionOf(
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: NOW,
        audience: '',
      }),
      'E_CONFIG_INVALID',
    );
    const ms = await rejectionOf(
      signWidgetJwt({ clientId: alpha.clientId, clientSecret: alpha.clientSecret, subject: 'u1', now: NOW * 1000 }),
      'E_TOKEN_SIGN_FAILED',
    );
    expect(ms.message).toContain('milliseconds');
    await rejectionOf(
      signWidgetJwt({
        clientId: alpha.clientId,
        clientSecret: alpha.clientSecret,
        subject: 'u1',
        now: new Date('nope'),
      }),
      'E_TOKEN_SIGN_FAILED',
    );
    await rejectionOf(
      signWidgetJwt({ clientId: alpha.clientId, clientSecret: alpha.clientSecret, subject: 'u1', now: Number.NaN }),
      'E_TOKEN_SIGN_FAILED',
    );
  });
});

describe('signWidgetJwt RS256 / RS512', () => {
  let pkcs8: string;
  let spki: string;
  let pkcs1: string;

  beforeAll(async () => {
    const pair = testRsaKeys();
    pkcs8 = await exportPKCS8(pair.privateKey);
    spki = await exportSPKI(pair.publicKey);
    pkcs1 = createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
  });

  it('signs RS256 with a PKCS#8 PEM, verifiable with the public key', async () => {
    const token = await signWidgetJwt({
      clientId: BOTS.rs.clientId,
      subject: 'u1',
      algorithm: 'RS256',
      privateKeyPem: pkcs8,
      now: NOW,
    });
    const { protectedHeader, payload } = await jwtVerify(token, await importSPKI(spki, 'RS256'), {
      algorithms: ['RS256'],
      currentDate: new Date(NOW * 1000),
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.iss).toBe(BOTS.rs.clientId);
  });

  it('signs RS512 with a PKCS#1 PEM (re-wrapped) and with literal \\n escapes from a table cell', async () => {
    const token = await signWidgetJwt({
      clientId: BOTS.rs.clientId,
      subject: 'u1',
      algorithm: 'RS512',
      privateKeyPem: pkcs1,
      now: NOW,
    });
    await expect(
      jwtVerify(token, await importSPKI(spki, 'RS512'), { algorithms: ['RS512'], currentDate: new Date(NOW * 1000) }),
    ).resolves.toBeTruthy();
    const escaped = pkcs8.replace(/\n/g, '\\n');
    const token2 = await signWidgetJwt({
      clientId: BOTS.rs.clientId,
      subject: 'u1',
      algorithm: 'RS256',
      privateKeyPem: escaped,
      now: NOW,
    });
    await expect(
      jwtVerify(token2, await importSPKI(spki, 'RS256'), { currentDate: new Date(NOW * 1000) }),
    ).resolves.toBeTruthy();
  });

  it('bad PEMs → E_KEY_INVALID telling the admin to convert with openssl, never echoing the key', async () => {
    const ec = testEcKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const encrypted = createPrivateKey(pkcs8)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    const broken = pkcs8.replace(/[A-Za-z]{20}/, '!!!!');
    for (const pem of [
      undefined,
      '',
      'garbage',
      spki,
      ec,
      encrypted,
      broken,
      '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----',
    ]) {
      const e = await rejectionOf(
        signWidgetJwt({ clientId: BOTS.rs.clientId, subject: 'u1', algorithm: 'RS256', privateKeyPem: pem, now: NOW }),
        'E_KEY_INVALID',
      );
      expect(e.message).toMatch(/openssl pkcs8|RSPrivatePem is empty/);
      const body = pem?.split('\n')[2];
      if (body && body.length > 20) expect(JSON.stringify(e.toJSON())).not.toContain(body);
    }
  });
});

describe('signPlatformJwt', () => {
  it('signs {sub, appId, iat, exp} HS256 with the app secret (docs/kore-protocol.md#platform-api-jwt)', async () => {
    const app = KORE_DATA_TABLE.readApp;
    const token = await signPlatformJwt({ appId: app.appId, clientSecret: app.clientSecret, now: NOW });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(app.clientSecret), {
      algorithms: ['HS256'],
      currentDate: new Date(NOW * 1000),
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toEqual({ sub: 'kaa', appId: app.appId, iat: NOW, exp: NOW + 300 });
    const custom = await signPlatformJwt({
      appId: app.appId,
      clientSecret: app.clientSecret,
      now: new Date(NOW * 1000),
      ttlSeconds: 60,
      subject: '1234',
    });
    expect((decodeJwtUnverified(custom) as { claims: unknown }).claims).toEqual({
      sub: '1234',
      appId: app.appId,
      iat: NOW,
      exp: NOW + 60,
    });
  });

  it('rejects missing appId/secret with coded errors', async () => {
    await rejectionOf(signPlatformJwt({ appId: '', clientSecret: 's3cret-xyz', now: NOW }), 'E_BOT_ROW_INVALID');
    await rejectionOf(signPlatformJwt({ appId: 'cs-1', clientSecret: '', now: NOW }), 'E_KEY_INVALID');
    await rejectionOf(
      signPlatformJwt({ appId: 'cs-1', clientSecret: 'abc', now: NOW, ttlSeconds: -1 }),
      'E_CONFIG_INVALID',
    );
    await rejectionOf(
      signPlatformJwt({ appId: 'cs-1', clientSecret: 'abc', now: NOW, ttlSeconds: PLATFORM_JWT_MAX_TTL_SECONDS + 1 }),
      'E_CONFIG_INVALID',
    );
  });

  it('mints the long-lived x_metadata table token (docs/assumptions.md#data-table-read-token-lifetime) up to the 10-year maximum', async () => {
    const app = KORE_DATA_TABLE.readApp;
    const token = await signPlatformJwt({
      appId: app.appId,
      clientSecret: app.clientSecret,
      now: NOW,
      ttlSeconds: PLATFORM_JWT_MAX_TTL_SECONDS,
    });
    expect((decodeJwtUnverified(token) as unknown as { claims: { exp: number } }).claims.exp).toBe(
      NOW + 10 * 365 * 86_400,
    );
  });
});

describe('decodeJwtUnverified', () => {
  it('returns header and claims of a JWS, never the signature', async () => {
    const token = await signWidgetJwt({
      clientId: alpha.clientId,
      clientSecret: alpha.clientSecret,
      subject: 'u1',
      now: NOW,
    });
    const decoded = decodeJwtUnverified(token);
    expect(decoded).toEqual({
      kind: 'jws',
      header: { alg: 'HS256', typ: 'JWT' },
      claims: expect.objectContaining({ iss: alpha.clientId }),
    });
    expect(JSON.stringify(decoded)).not.toContain(token.split('.')[2]);
  });

  it('returns the header only of a JWE', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256' })).toString('base64url');
    expect(decodeJwtUnverified(`${header}.a.b.c.d`)).toEqual({
      kind: 'jwe',
      header: { alg: 'RSA-OAEP', enc: 'A128CBC-HS256' },
    });
  });

  it('malformed tokens → E_TOKEN_MALFORMED', () => {
    const header = Buffer.from('{"alg":"HS256"}').toString('base64url');
    for (const t of ['', 'abc', 'a.b.c', `${header}.bm90IGpzb24.sig`, `${header}.x`, 'a.b.c.d.e', 42, null]) {
      expect(() => decodeJwtUnverified(t)).toThrow(expect.objectContaining({ code: 'E_TOKEN_MALFORMED' }));
    }
  });

  it('property: any string either decodes or throws a KaaError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.base64String(), { maxLength: 6 }).map((p) => p.join('.')),
          fc.anything(),
        ),
        (input) => {
          try {
            const out = decodeJwtUnverified(input);
            expect(['jws', 'jwe']).toContain(out.kind);
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
