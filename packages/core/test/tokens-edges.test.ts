import { createPrivateKey } from 'node:crypto';
import { exportJWK, exportPKCS8, exportSPKI, importSPKI, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorOf, rejectionOf, testEcKeys, testRsaKeys } from '@kaa/test-support';
// internal to core (not exported): reached by path
import { isTokenText } from '../src/tokens/token-text.js';
import {
  classifyPassthru,
  decodeJwtUnverified,
  encryptSecureCustomData,
  importJwePublicKey,
  jweContentEncryption,
  jweKeyAlgorithm,
  signPlatformJwt,
  signWidgetJwt,
  widgetJwtAlgorithm,
  PLATFORM_JWT_MAX_TTL_SECONDS,
} from '@kaa/core';

/**
 * The token rules at their boundaries and the words of their errors (what the admin reads in the CLI doctor and the
 * debug panel). Each case is one that a changed rule (a comparison, an anchor, a message) would get wrong.
 */

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const APP = { appId: 'cs-app-1', clientSecret: 'app-secret-value-0001' };
const claimsOf = (token: string) => (decodeJwtUnverified(token) as { claims: Record<string, unknown> }).claims;

describe('the injected clock (epoch seconds)', () => {
  it('accepts 0 and every value below 1e11 seconds, rounded down; 1e11 and above are milliseconds', async () => {
    expect(claimsOf(await signPlatformJwt({ ...APP, now: 0 }))).toMatchObject({ iat: 0, exp: 300 });
    expect(claimsOf(await signPlatformJwt({ ...APP, now: 1e11 - 1 }))).toMatchObject({ iat: 1e11 - 1 });
    expect(claimsOf(await signPlatformJwt({ ...APP, now: NOW + 0.999 }))).toMatchObject({ iat: NOW, exp: NOW + 300 });
    const ms = await rejectionOf(signPlatformJwt({ ...APP, now: 1e11 }), 'E_TOKEN_SIGN_FAILED');
    expect(ms.message).toBe(
      'The clock passed to kaa reads in milliseconds. Pass `now` as epoch seconds (Date.now() / 1000) or a Date.',
    );
    expect(ms.details).toEqual({ now: 1e11 });
  });

  it("refuses a negative, infinite or non-number reading with the fix, under the caller's code", async () => {
    for (const now of [-1, -0.5, Number.POSITIVE_INFINITY, '1767225600', new Date(Number.NaN)]) {
      const e = await rejectionOf(signPlatformJwt({ ...APP, now: now as number }), 'E_TOKEN_SIGN_FAILED');
      expect(e.message, String(now)).toBe(
        'The clock passed to kaa is not a valid time. Pass `now` as epoch seconds or a Date.',
      );
    }
    await rejectionOf(
      encryptSecureCustomData({ a: 1 }, 'unused', { now: -1, issuer: 'cs-1', subject: 'u1' }),
      'E_JWE_ENCRYPT_FAILED',
    );
  });
});

describe('token lifetimes', () => {
  const widget = { clientId: 'cs-bot-1', clientSecret: 'bot-secret-value-0001', subject: 'u1', now: NOW };

  it('a widget token lives 1 to 86400 whole seconds; outside that the message names the key and the range', async () => {
    expect(claimsOf(await signWidgetJwt({ ...widget, ttlSeconds: 1 }))).toMatchObject({ iat: NOW, exp: NOW + 1 });
    expect(claimsOf(await signWidgetJwt({ ...widget, ttlSeconds: 86_400 }))).toMatchObject({ exp: NOW + 86_400 });
    for (const ttlSeconds of [0, -5, 86_401, 1.5]) {
      const e = await rejectionOf(signWidgetJwt({ ...widget, ttlSeconds }), 'E_CONFIG_INVALID');
      expect(e.message).toBe(
        `Token lifetime ${ttlSeconds} is not valid. Set "kore.jwt.ttlSeconds" to a whole number of seconds between 1 and 86400.`,
      );
      expect(e.details).toEqual({ configKey: 'kore.jwt.ttlSeconds', ttlSeconds });
    }
  });

  it('the platform token allows up to ten years, and says so', async () => {
    const e = await rejectionOf(
      signPlatformJwt({ ...APP, now: NOW, ttlSeconds: PLATFORM_JWT_MAX_TTL_SECONDS + 1 }),
      'E_CONFIG_INVALID',
    );
    expect(e.message).toBe(
      `Token lifetime ${PLATFORM_JWT_MAX_TTL_SECONDS + 1} is not valid. Set "kore.apiJwt.ttlSeconds" to a whole number of seconds between 1 and 315360000.`,
    );
    expect(claimsOf(await signPlatformJwt({ ...APP, now: NOW, ttlSeconds: 86_401 }))).toMatchObject({
      exp: NOW + 86_401,
    });
  });

  it('secure custom data lives 1 to 86400 seconds under "jwe.ttlSeconds"', async () => {
    const e = await rejectionOf(
      encryptSecureCustomData({ a: 1 }, 'unused', { now: NOW, issuer: 'cs-1', subject: 'u1', ttlSeconds: 86_401 }),
      'E_CONFIG_INVALID',
    );
    expect(e.message).toBe(
      'Token lifetime 86401 is not valid. Set "jwe.ttlSeconds" to a whole number of seconds between 1 and 86400.',
    );
  });

  it('with a jti the widget token may live one hour at most (Kore refuses longer); without one, longer is fine', async () => {
    const withJti = await signWidgetJwt({ ...widget, ttlSeconds: 3600, includeJti: true, randomId: () => 'j1' });
    expect(claimsOf(withJti)).toMatchObject({ exp: NOW + 3600, jti: 'j1' });
    const e = await rejectionOf(signWidgetJwt({ ...widget, ttlSeconds: 3601, includeJti: true }), 'E_CONFIG_INVALID');
    expect(e.message).toBe(
      'Kore rejects a token with "jti" that lives longer than one hour, but "kore.jwt.ttlSeconds" is 3601. Lower it to 3600 or less, or turn "kore.jwt.includeJti" off.',
    );
    expect(e.details).toEqual({ configKey: 'kore.jwt.ttlSeconds', ttlSeconds: 3601 });
    const noJti = claimsOf(await signWidgetJwt({ ...widget, ttlSeconds: 3601, includeJti: false }));
    expect(noJti['exp']).toBe(NOW + 3601);
    expect(noJti).not.toHaveProperty('jti');
  });
});

describe('widget token fields', () => {
  const widget = { clientId: 'cs-bot-1', clientSecret: 'bot-secret-value-0001', subject: 'u1', now: NOW };

  it('trims ClientId and subject; a blank one names the field and the fix', async () => {
    expect(claimsOf(await signWidgetJwt({ ...widget, clientId: ' cs-bot-1 ', subject: ' u1 ' }))).toMatchObject({
      iss: 'cs-bot-1',
      appId: 'cs-bot-1',
      sub: 'u1',
    });
    const id = await rejectionOf(signWidgetJwt({ ...widget, clientId: '  ' }), 'E_BOT_ROW_INVALID');
    expect(id.message).toBe(
      'The ClientId for the token is empty. Fill the ClientId column with the bot client app id (cs-…).',
    );
    expect(id.details).toEqual({ field: 'ClientId' });
    const sub = await rejectionOf(signWidgetJwt({ ...widget, subject: 7 as unknown as string }), 'E_TOKEN_SIGN_FAILED');
    expect(sub.message).toBe('The subject for the token is empty. kaa passes the Genesys user id; sign in again.');
  });

  it('a blank audience is refused with the default to use', async () => {
    for (const audience of ['', '   ']) {
      const e = await rejectionOf(signWidgetJwt({ ...widget, audience }), 'E_CONFIG_INVALID');
      expect(e.message).toBe(
        'The widget token audience is empty. Set "kore.jwt.aud" to https://idproxy.kore.com/authorize (the default) or remove it.',
      );
      expect(e.details).toEqual({ configKey: 'kore.jwt.aud' });
    }
  });

  it('an empty ClientSecret names the column; the app secret of the platform token names its own', async () => {
    const e = await rejectionOf(signWidgetJwt({ ...widget, clientSecret: '' }), 'E_KEY_INVALID');
    expect(e.message).toBe(
      "The ClientSecret is empty, so the token cannot be signed. Fill the ClientSecret column with the client app's secret.",
    );
    expect(e.details).toEqual({ column: 'ClientSecret' });
    const app = await rejectionOf(
      signPlatformJwt({ ...APP, clientSecret: undefined as unknown as string, now: NOW }),
      'E_KEY_INVALID',
    );
    expect(app.message).toBe(
      "The app Client Secret is empty, so the token cannot be signed. Fill the app Client Secret column with the client app's secret.",
    );
    const appId = await rejectionOf(signPlatformJwt({ ...APP, appId: ' ', now: NOW }), 'E_BOT_ROW_INVALID');
    expect(appId.message).toBe(
      'The app Client ID (appId) for the token is empty. Use the Client ID of the Kore app that was granted access.',
    );
    const subject = await rejectionOf(signPlatformJwt({ ...APP, subject: '', now: NOW }), 'E_TOKEN_SIGN_FAILED');
    expect(subject.message).toBe('The subject for the token is empty. Pass any non-empty identity or leave it out.');
  });
});

describe('HMAC key bytes (kore.jwt.secretEncoding)', () => {
  it('base64: surrounding spaces are ignored and the decoded bytes are the key', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    const token = await signPlatformJwt({
      ...APP,
      clientSecret: ` ${Buffer.from(bytes).toString('base64')}\n`,
      now: NOW,
      secretEncoding: 'base64',
    });
    await expect(jwtVerify(token, bytes, { currentDate: new Date(NOW * 1000) })).resolves.toBeTruthy();
  });

  it('base64 that is not base64, or decodes to nothing, is E_KEY_INVALID naming the setting, never the secret', async () => {
    for (const clientSecret of ['not base64 !!', '====', '  ']) {
      const e = await rejectionOf(
        signPlatformJwt({ ...APP, clientSecret, now: NOW, secretEncoding: 'base64' }),
        'E_KEY_INVALID',
      );
      expect(e.message).toBe(
        'The app Client Secret is not base64 text, but "kore.jwt.secretEncoding" is "base64". Set "kore.jwt.secretEncoding" to "utf8" or store the secret base64-encoded.',
      );
      expect(e.details).toEqual({ column: 'app Client Secret', configKey: 'kore.jwt.secretEncoding' });
    }
  });

  it('an unknown encoding is E_CONFIG_INVALID naming both choices', async () => {
    const e = await rejectionOf(
      signPlatformJwt({ ...APP, now: NOW, secretEncoding: 'hex' as 'utf8' }),
      'E_CONFIG_INVALID',
    );
    expect(e.message).toBe('Secret encoding "hex" is not known. Set "kore.jwt.secretEncoding" to "utf8" or "base64".');
    expect(e.details).toEqual({ configKey: 'kore.jwt.secretEncoding' });
    expect(JSON.stringify(e.toJSON())).not.toContain(APP.clientSecret);
  });
});

describe('algorithm names', () => {
  it('the row Algorithm: null and blank mean HS256, any case and spaces are accepted', () => {
    expect(widgetJwtAlgorithm(null)).toBe('HS256');
    expect(widgetJwtAlgorithm(' rs512 ')).toBe('RS512');
    expect(widgetJwtAlgorithm('Rs256')).toBe('RS256');
  });

  it('a refused Algorithm is shown as given, cut after 24 characters, with the supported list', () => {
    const e = errorOf(() => widgetJwtAlgorithm('HS384'));
    expect(e.code).toBe('E_ALGORITHM_UNSUPPORTED');
    expect(e.message).toBe(
      'The bot row\'s Algorithm "HS384" is not supported for the widget token. Set the Algorithm column to HS256 (or leave it empty); RS256 and RS512 also work when RSPrivatePem holds the private key.',
    );
    expect(e.details).toEqual({ column: 'Algorithm', algorithm: 'HS384', supported: ['HS256', 'RS256', 'RS512'] });
    expect(errorOf(() => widgetJwtAlgorithm('x'.repeat(24))).details).toMatchObject({ algorithm: 'x'.repeat(24) });
    expect(errorOf(() => widgetJwtAlgorithm('y'.repeat(25))).details).toMatchObject({
      algorithm: `${'y'.repeat(24)}…`,
    });
    expect(errorOf(() => widgetJwtAlgorithm({ alg: 'none' })).details).toMatchObject({ algorithm: '{"alg":"none"}' });
    expect(errorOf(() => widgetJwtAlgorithm(42)).message).toContain('Algorithm "42"');
  });

  it('JWE alg and enc: defaults, exact names only, RSA1_5 explained', () => {
    expect(jweKeyAlgorithm(undefined)).toBe('RSA-OAEP');
    expect(jweContentEncryption(undefined)).toBe('A128CBC-HS256');
    expect(() => jweKeyAlgorithm('rsa-oaep')).toThrow(expect.objectContaining({ code: 'E_ALGORITHM_UNSUPPORTED' }));
    const legacy = errorOf(() => jweKeyAlgorithm('RSA1_5'));
    expect(legacy.message).toBe(
      'JWE algorithm "RSA1_5" is not supported. RSA1_5 is legacy and WebCrypto cannot encrypt with it. Set "jwe.alg" to RSA-OAEP (the default) or RSA-OAEP-256.',
    );
    expect(legacy.details).toEqual({ configKey: 'jwe.alg', alg: 'RSA1_5', supported: ['RSA-OAEP', 'RSA-OAEP-256'] });
    expect(errorOf(() => jweKeyAlgorithm('dir')).message).toBe(
      'JWE algorithm "dir" is not supported. Set "jwe.alg" to RSA-OAEP (the default) or RSA-OAEP-256.',
    );
    const enc = errorOf(() => jweContentEncryption('A192GCM'));
    expect(enc.message).toBe(
      'JWE content encryption "A192GCM" is not supported. Set "jwe.enc" to A128CBC-HS256 (the default), A128GCM or A256GCM.',
    );
    expect(enc.details).toEqual({
      configKey: 'jwe.enc',
      enc: 'A192GCM',
      supported: ['A128CBC-HS256', 'A128GCM', 'A256GCM'],
    });
  });
});

describe('decodeJwtUnverified: what is wrong with a pasted token', () => {
  const seg = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const why = (token: unknown) => {
    const e = errorOf(() => decodeJwtUnverified(token));
    expect(e.code).toBe('E_TOKEN_MALFORMED');
    return e.message
      .replace(/^The token /, '')
      .replace(/\. Paste the whole compact token \(header\.payload\.signature\)\.$/, '');
  };

  it('names the reason, never the token', () => {
    expect(why('   ')).toBe('is empty');
    expect(why(undefined)).toBe('is empty');
    expect(why(`${seg({ alg: 'HS256' })}.${seg({})}`)).toBe('has 2 dot-separated parts instead of 3 (JWS) or 5 (JWE)');
    expect(why('a.b.c.d')).toBe('has 4 dot-separated parts instead of 3 (JWS) or 5 (JWE)');
    expect(why(`${seg({ alg: 'RSA-OAEP' })}.a.b.c.d`)).toBe('has five parts but its header is not a JWE header');
    expect(why('%%%.a.b.c.d')).toBe('has five parts but its header is not a JWE header');
    expect(why(`${seg({ alg: 1 })}.${seg({})}.sig`)).toBe('has no readable JSON header with "alg"');
    expect(why(`${seg({ alg: 'HS256' })}.${seg([1])}.sig`)).toBe('has no readable JSON claims');
    expect(why(`${seg({ alg: 'HS256' })}..sig`)).toBe('has no readable JSON claims');
  });

  it('surrounding whitespace of a pasted token is ignored', () => {
    const token = `${seg({ alg: 'HS256' })}.${seg({ sub: 'u1' })}.sig`;
    expect(decodeJwtUnverified(`  ${token}\n`)).toEqual({
      kind: 'jws',
      header: { alg: 'HS256' },
      claims: { sub: 'u1' },
    });
  });
});

describe('strict base64 (passthru classification)', () => {
  const text = (bytes: number[]) => Buffer.from(bytes).toString('base64');

  it('accepts correct padding only, and only at the end', () => {
    expect(classifyPassthru('QUI=')).toMatchObject({ kind: 'base64', alphabet: 'standard', text: 'AB' });
    expect(classifyPassthru('QQ==')).toMatchObject({ kind: 'base64', text: 'A' });
    expect(classifyPassthru('QUI')).toMatchObject({ kind: 'base64', text: 'AB' });
    for (const value of ['QUI==', 'QQ=', 'QQ===', 'QQ==QUJD', 'Q===', '=QUJD'])
      expect(classifyPassthru(value), value).toEqual({ kind: 'raw', raw: value });
  });

  it('refuses a length that no encoder produces and non-canonical trailing bits', () => {
    expect(classifyPassthru('QUJDR')).toEqual({ kind: 'raw', raw: 'QUJDR' });
    // 'QR' carries the same byte as 'QQ' plus a set bit an encoder never writes
    expect(classifyPassthru('QR==')).toEqual({ kind: 'raw', raw: 'QR==' });
    expect(classifyPassthru('QUJ')).toEqual({ kind: 'raw', raw: 'QUJ' });
    expect(classifyPassthru('QUI')).toMatchObject({ kind: 'base64' });
  });

  it('one alphabet per value: url when it uses - or _, standard otherwise; a mix is not base64', () => {
    expect(classifyPassthru('Pj4-')).toMatchObject({ kind: 'base64', alphabet: 'url', text: '>>>' });
    expect(classifyPassthru('Pj4+')).toMatchObject({ kind: 'base64', alphabet: 'standard', text: '>>>' });
    expect(classifyPassthru('Pz8_')).toMatchObject({ kind: 'base64', alphabet: 'url', text: '???' });
    expect(classifyPassthru('Pj4-Pz8/')).toEqual({ kind: 'raw', raw: 'Pj4-Pz8/' });
    expect(classifyPassthru('Pj4-Pz8=')).toEqual({ kind: 'raw', raw: 'Pj4-Pz8=' });
  });

  it('decoded text may hold tab, LF and CR but no other control character', () => {
    for (const ok of [
      [0x61, 0x09, 0x62],
      [0x61, 0x0a, 0x62],
      [0x61, 0x0d, 0x62],
      [0x7e, 0x20, 0x21],
    ]) {
      expect(classifyPassthru(text(ok)), String(ok)).toMatchObject({ kind: 'base64' });
    }
    for (const bad of [
      [0x61, 0x00],
      [0x61, 0x08],
      [0x61, 0x0b],
      [0x61, 0x0c],
      [0x61, 0x0e],
      [0x61, 0x1f],
      [0x61, 0x7f],
    ]) {
      const value = text(bad);
      expect(classifyPassthru(value), String(bad)).toEqual({ kind: 'raw', raw: value });
    }
  });

  it('base64 of JSON with surrounding spaces is still JSON', () => {
    expect(classifyPassthru(text([...Buffer.from(' {"a":1} ')]))).toMatchObject({
      kind: 'base64',
      json: true,
      value: { a: 1 },
      text: ' {"a":1} ',
    });
    expect(classifyPassthru(text([...Buffer.from('"str"')]))).toMatchObject({ kind: 'base64', json: false });
  });
});

describe('classifyPassthru: JOSE shapes', () => {
  const seg = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('a JWE needs every later segment in the base64url alphabet; a JWT needs a non-empty payload segment', () => {
    const header = seg({ alg: 'RSA-OAEP', enc: 'A128GCM' });
    expect(classifyPassthru(`${header}..iv.ct.tag`).kind).toBe('jwe');
    expect(classifyPassthru(`${header}.k+y.iv.ct.tag`).kind).not.toBe('jwe');
    expect(classifyPassthru(`${header}.ky.iv.ct.t/g`).kind).not.toBe('jwe');
    const jwtHeader = seg({ alg: 'HS256' });
    expect(classifyPassthru(`${jwtHeader}..sig`).kind).not.toBe('jwt');
    expect(classifyPassthru(`${jwtHeader}.e30.s+g`).kind).not.toBe('jwt');
    expect(classifyPassthru(`${jwtHeader}.e+0.sig`).kind).not.toBe('jwt');
    expect(classifyPassthru(`${seg({ enc: 1 })}.a.b.c.d`).kind).not.toBe('jwe');
  });

  it('surrounding spaces are ignored for the shape, and raw keeps them', () => {
    const jwt = `${seg({ alg: 'HS256' })}.e30.sig`;
    expect(classifyPassthru(` ${jwt} `)).toEqual({ kind: 'jwt', raw: ` ${jwt} `, header: { alg: 'HS256' } });
    expect(classifyPassthru(' {"a":1} ')).toMatchObject({ kind: 'json', raw: ' {"a":1} ', value: { a: 1 } });
  });

  it('JSON means an object or array: a JSON string, number or null stays raw', () => {
    for (const value of ['"text"', '42', 'null', 'true']) expect(classifyPassthru(value).kind, value).not.toBe('json');
    expect(classifyPassthru('%5B1%5D')).toMatchObject({ kind: 'json', decodeRounds: 1, value: [1] });
  });
});

describe('RSPrivatePem: what is wrong with the key', () => {
  const FIX =
    'Put an unencrypted RSA private key in PEM form in RSPrivatePem ("-----BEGIN PRIVATE KEY-----"; convert other forms with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem`).';
  const sign = (privateKeyPem: unknown, algorithm = 'RS256') =>
    signWidgetJwt({ clientId: 'cs-rs-1', subject: 'u1', algorithm, privateKeyPem: privateKeyPem as string, now: NOW });
  let pkcs8: string;
  let pkcs1: string;
  let spki: string;

  beforeAll(async () => {
    const pair = testRsaKeys();
    pkcs8 = await exportPKCS8(pair.privateKey);
    spki = await exportSPKI(pair.publicKey);
    pkcs1 = createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }).toString();
  });

  it('accepts a quoted cell, CRLF line ends and literal \\r\\n escapes', async () => {
    const key = await importSPKI(spki, 'RS256');
    for (const pem of [
      `"${pkcs8.trim()}"`,
      pkcs8.replace(/\n/g, '\r\n'),
      pkcs8.replace(/\n/g, '\\r\\n'),
      `  ${pkcs1.replace(/\n/g, '\\n')}  `,
    ]) {
      await expect(jwtVerify(await sign(pem), key, { currentDate: new Date(NOW * 1000) })).resolves.toBeTruthy();
    }
  });

  it('names the kind of block it found', async () => {
    const reason = async (pem: unknown) => {
      const e = await rejectionOf(sign(pem), 'E_KEY_INVALID');
      expect(e.message.endsWith(FIX) || e.message.endsWith(`${FIX} Or set Algorithm to HS256.`)).toBe(true);
      return e;
    };
    const empty = await reason('  ');
    expect(empty.message).toBe(
      `Algorithm RS256 needs a private key, but RSPrivatePem is empty. ${FIX} Or set Algorithm to HS256.`,
    );
    expect(empty.details).toEqual({ column: 'RSPrivatePem', algorithm: 'RS256' });
    expect((await reason(spki)).message).toBe(`RSPrivatePem holds a public key, not a private key. ${FIX}`);
    expect((await reason(spki)).details).toEqual({
      column: 'RSPrivatePem',
      algorithm: 'RS256',
      pemLabel: 'PUBLIC KEY',
    });
    expect((await reason('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).message).toBe(
      `RSPrivatePem holds a certificate, not a private key. ${FIX}`,
    );
    expect((await reason('-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----')).message).toBe(
      `RSPrivatePem holds a "EC PRIVATE KEY" block. ${FIX}`,
    );
    const garbage = await reason('garbage');
    expect(garbage.message).toBe(`RSPrivatePem is not PEM text. ${FIX}`);
    expect(garbage.details).toEqual({ column: 'RSPrivatePem', algorithm: 'RS256', pemLabel: null });
    expect(
      (await reason('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----')).message,
    ).toBe(`RSPrivatePem is encrypted with a passphrase. ${FIX}`);
    const ec = testEcKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const notRsa = await reason(ec);
    expect(notRsa.message).toBe(`RSPrivatePem could not be read as an RSA private key. ${FIX}`);
    expect(notRsa.cause).toBeDefined();
  });

  it('a PKCS#1 key with encryption headers or a broken body is not readable', async () => {
    const body = pkcs1.split('\n').slice(1, -2).join('\n');
    const encrypted = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${body}\n-----END RSA PRIVATE KEY-----\n`;
    for (const pem of [
      encrypted,
      '-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n',
    ]) {
      const e = await rejectionOf(sign(pem), 'E_KEY_INVALID');
      expect(e.message).toBe(
        `RSPrivatePem is a PKCS#1 key whose body is not readable (encrypted keys are not supported). ${FIX}`,
      );
      expect(e.details).toMatchObject({ pemLabel: 'RSA PRIVATE KEY' });
    }
  });
});

describe('JWEPublicKey: what is wrong with the key', () => {
  const FIX =
    'Set the JWEPublicKey column to the public key shown in Agent AI › Flows & Channels › Digital › Web/Mobile Client › JWT App Details: a stringified JSON object like {"kty":"RSA","n":"…","e":"AQAB","kid":"…"}.';
  let jwk: Record<string, unknown>;
  let spki: string;
  let pkcs1Public: string;

  beforeAll(async () => {
    const pair = testRsaKeys();
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1' };
    spki = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    pkcs1Public = pair.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  });

  const reason = async (key: unknown) => {
    const e = await rejectionOf(importJwePublicKey(key, 'RSA-OAEP'), 'E_JWE_KEY_INVALID');
    expect(e.details).toEqual({ column: 'JWEPublicKey' });
    expect(e.message.startsWith('JWEPublicKey ')).toBe(true);
    expect(e.message.endsWith(`. ${FIX}`)).toBe(true);
    return e.message.slice('JWEPublicKey '.length, -`. ${FIX}`.length);
  };

  it('accepts an SPKI PEM (also quoted), a PKCS#1 public PEM and a one-key JWKS; kid comes from the JWK only when non-empty', async () => {
    expect((await importJwePublicKey(spki, 'RSA-OAEP')).kid).toBeUndefined();
    await expect(importJwePublicKey(`"${spki.trim().replace(/\n/g, '\\n')}"`, 'RSA-OAEP')).resolves.toBeTruthy();
    await expect(importJwePublicKey(pkcs1Public, 'RSA-OAEP-256')).resolves.toBeTruthy();
    await expect(importJwePublicKey({ keys: [jwk] }, 'RSA-OAEP')).resolves.toMatchObject({ kid: 'k1' });
    expect((await importJwePublicKey({ ...jwk, kid: '' }, 'RSA-OAEP')).kid).toBeUndefined();
    await expect(importJwePublicKey({ ...jwk, use: 'enc' }, 'RSA-OAEP')).resolves.toMatchObject({ kid: 'k1' });
  });

  it('names the reason', async () => {
    expect(await reason('  ')).toBe('is empty, but secure custom data is configured');
    expect(await reason('{nope')).toBe('is not JSON');
    expect(await reason('[1]')).toBe('is not a JSON object');
    expect(await reason(JSON.stringify(JSON.stringify([1])))).toBe('is not a JSON object');
    expect(await reason({ keys: [] })).toBe('is a key set with 0 keys; kaa needs exactly one key');
    expect(await reason({ keys: [jwk, jwk] })).toBe('is a key set with 2 keys; kaa needs exactly one key');
    expect(await reason({ keys: ['x'] })).toBe('is a key set with 1 keys; kaa needs exactly one key');
    expect(await reason({ kty: 'EC', crv: 'P-256' })).toBe('has key type "EC", but Kore encrypts with an RSA key');
    expect(await reason({ n: 'AQAB', e: 'AQAB' })).toBe('has key type "missing", but Kore encrypts with an RSA key');
    for (const missing of [{ n: '' }, { e: '' }, { n: 1 }, { e: undefined }])
      expect(await reason({ ...jwk, ...missing })).toBe('lacks the RSA members "n" and "e"');
    expect(await reason({ ...jwk, use: 'sig' })).toBe('is marked for use "sig", not for encryption ("enc")');
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
      expect(await reason({ ...jwk, [member]: 'x' }), member).toBe(
        'contains PRIVATE key material (members such as "d", "p", "q"). Remove it from the table now and rotate the key, because anyone who read the table has it',
      );
    }
    expect(await reason({ ...jwk, n: 'AQAB' })).toMatch(
      /^(could not be read as an RSA public key|is a \d+-bit RSA key; encryption needs 2048 bits or more)$/,
    );
    const small = testRsaKeys('small', 1024).publicKey;
    expect(await reason(await exportJWK(small))).toBe('is a 1024-bit RSA key; encryption needs 2048 bits or more');
    expect(await reason(small.export({ type: 'spki', format: 'pem' }).toString())).toBe(
      'is a 1024-bit RSA key; encryption needs 2048 bits or more',
    );
  });

  it('names the kind of PEM block it found', async () => {
    const rsaPrivate = testRsaKeys().privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(await reason(rsaPrivate)).toBe(
      'holds a PRIVATE key. Remove it from the table now and rotate the key, because anyone who read the table has it',
    );
    expect(await reason('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toBe(
      'holds a "CERTIFICATE" block instead of a public key',
    );
    expect(await reason('-----BEGIN nothing')).toBe('is not readable PEM text');
    expect(await reason('-----BEGIN RSA PUBLIC KEY-----\n!!!!\n-----END RSA PUBLIC KEY-----')).toBe(
      'is a PKCS#1 public key whose body is not readable',
    );
    expect(await reason('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toBe(
      'could not be read as an RSA public key',
    );
    const ecSpki = testEcKeys().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await reason(ecSpki)).toBe('could not be read as an RSA public key');
  });
});

describe('encryptSecureCustomData: the words of its errors', () => {
  const OPTS = { now: NOW, issuer: 'cs-1', subject: 'u1' };

  it('claim names must be non-empty text and not a registered claim', async () => {
    for (const claimNames of [
      [],
      [''],
      ['secureCustomData', 'iss'],
      ['sub'],
      ['iat'],
      ['aud'],
      ['nbf'],
      ['jti'],
      [7 as unknown as string],
    ]) {
      const e = await rejectionOf(
        encryptSecureCustomData({ a: 1 }, 'unused', { ...OPTS, claimNames }),
        'E_CONFIG_INVALID',
      );
      expect(e.message, JSON.stringify(claimNames)).toBe(
        'The claim names for secure custom data are not valid. Set "jwe.claimNames" to a non-empty list such as ["secureCustomData"] (not iss, sub, iat, exp, aud, nbf or jti).',
      );
    }
  });

  it('a payload that is not an object names KvpConfig; a blank issuer names the ClientId column', async () => {
    const e = await rejectionOf(
      encryptSecureCustomData(null as unknown as Record<string, unknown>, 'unused', OPTS),
      'E_KVP_CONFIG_INVALID',
    );
    expect(e.message).toBe(
      'Secure custom data must be a JSON object of key/value pairs. Check KvpConfig / SecureCustomDataConfig: it must be a JSON object {"key": "path"}.',
    );
    expect(e.details).toEqual({ configKey: 'KvpConfig' });
    const issuer = await rejectionOf(
      encryptSecureCustomData({ a: 1 }, 'unused', { ...OPTS, issuer: ' ' }),
      'E_JWE_ENCRYPT_FAILED',
    );
    expect(issuer.message).toBe(
      'The issuer (ClientId) for the token is empty. Fill the ClientId column of the bot row.',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const json = await rejectionOf(encryptSecureCustomData(cyclic, 'unused', OPTS), 'E_JWE_ENCRYPT_FAILED');
    expect(json.message).toBe(
      'Secure custom data contains a value that is not JSON (a cycle or a BigInt). Check the KvpConfig paths.',
    );
  });
});

describe('token edges found by mutation testing (docs/testing.md#mutation-testing-pnpm-mutate)', () => {
  it('isTokenText: every character must be printable ASCII, the first one too', () => {
    expect(isTokenText('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(true);
    expect(isTokenText('éyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(false);
    expect(isTokenText(' eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(false);
  });

  it('a clock that is not a time (NaN, negative, infinite, an invalid Date) is refused before signing', async () => {
    for (const now of [Number.NaN, -1, Number.POSITIVE_INFINITY, new Date('not a date')]) {
      const e = await rejectionOf(
        signWidgetJwt({ clientId: 'cs-1', clientSecret: APP.clientSecret, subject: 'u1', now }),
        'E_TOKEN_SIGN_FAILED',
      );
      expect(e.message).toBe('The clock passed to kaa is not a valid time. Pass `now` as epoch seconds or a Date.');
    }
  });
});
