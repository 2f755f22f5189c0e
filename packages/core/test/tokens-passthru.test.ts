import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { KaaError, buildCustomData, classifyPassthru } from '@kaa/core';

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const JWS = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"crm-42"}')}.c2lnbmF0dXJl`;
const JWE = `${b64url('{"alg":"RSA-OAEP","enc":"A128CBC-HS256"}')}.ZW5jcnlwdGVka2V5.aXY.Y2lwaGVydGV4dA.dGFn`;

describe('classifyPassthru (the order of docs/kore-protocol.md#passthru-metadata)', () => {
  it('JWE: five segments whose header has enc', () => {
    expect(classifyPassthru(JWE)).toEqual({ kind: 'jwe', raw: JWE, header: { alg: 'RSA-OAEP', enc: 'A128CBC-HS256' } });
  });

  it('JWT: three segments whose header has alg', () => {
    expect(classifyPassthru(JWS)).toEqual({ kind: 'jwt', raw: JWS, header: { alg: 'HS256', typ: 'JWT' } });
    const unsigned = `${b64url('{"alg":"none"}')}.${b64url('{}')}.`;
    expect(classifyPassthru(unsigned).kind).toBe('jwt');
  });

  it('a five-part value without enc is not a JWE; a three-part value without alg is not a JWT', () => {
    expect(classifyPassthru(`${b64url('{"alg":"HS256"}')}.a.b.c.d`).kind).toBe('raw');
    expect(classifyPassthru(`${b64url('{"typ":"JWT"}')}.e30.c2ln`).kind).toBe('raw');
  });

  it('URL-encoded JSON, decoded until stable (at most twice)', () => {
    const json = '{"crmId":"42","tier":"gold"}';
    expect(classifyPassthru(json)).toMatchObject({
      kind: 'json',
      decodeRounds: 0,
      value: { crmId: '42', tier: 'gold' },
    });
    expect(classifyPassthru(encodeURIComponent(json))).toMatchObject({
      kind: 'json',
      decodeRounds: 1,
      value: { crmId: '42' },
    });
    expect(classifyPassthru(encodeURIComponent(encodeURIComponent(json)))).toMatchObject({
      kind: 'json',
      decodeRounds: 2,
    });
    expect(classifyPassthru(encodeURIComponent(encodeURIComponent(encodeURIComponent(json)))).kind).toBe('raw');
    expect(classifyPassthru('[1,2]')).toMatchObject({ kind: 'json', value: [1, 2] });
  });

  it('base64 (std or url alphabet) decoding to UTF-8; base64-JSON marked', () => {
    expect(classifyPassthru(b64('{"crmId":"42"}'))).toMatchObject({
      kind: 'base64',
      alphabet: 'standard',
      json: true,
      value: { crmId: '42' },
      text: '{"crmId":"42"}',
    });
    expect(classifyPassthru(b64url('sso-ticket ü ~~~ >>> ???'))).toMatchObject({
      kind: 'base64',
      alphabet: 'url',
      json: false,
      text: 'sso-ticket ü ~~~ >>> ???',
    });
    expect(classifyPassthru(b64('hello world'))).toMatchObject({ kind: 'base64', json: false, text: 'hello world' });
  });

  it('raw: plain text, invalid UTF-8 base64, control bytes, empty', () => {
    for (const value of [
      'opaque-sso-ticket',
      'abcd',
      Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
      b64('\u0001\u0002'),
      '',
      '{not json',
      '%E0%A4%A',
    ]) {
      expect(classifyPassthru(value)).toEqual({ kind: 'raw', raw: value });
    }
  });

  it('property: any string classifies without throwing, and raw is the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.base64String(),
          fc.json().map((j) => encodeURIComponent(j)),
          fc.array(fc.base64String(), { maxLength: 6 }).map((p) => p.join('.')),
          fc.json().map((j) => `${b64url('{"alg":"x","enc":"y"}')}.${b64url(j)}.a.b.c`),
        ),
        (input) => {
          const c = classifyPassthru(input);
          expect(c.raw).toBe(input);
          expect(['jwe', 'jwt', 'json', 'base64', 'raw']).toContain(c.kind);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('buildCustomData', () => {
  it('forwards the original string as internalMetaData with extra keys', () => {
    expect(buildCustomData({ passthru: JWS, extra: { fName: 'Ada', lName: 'Lovelace' } })).toEqual({
      internalMetaData: JWS,
      fName: 'Ada',
      lName: 'Lovelace',
    });
    expect(Object.keys(buildCustomData({ passthru: 'x', extra: { a: 1 } }))[0]).toBe('internalMetaData');
    expect(buildCustomData({ passthru: '%7B%22a%22%3A1%7D' })).toEqual({ internalMetaData: '%7B%22a%22%3A1%7D' });
  });

  it('returns {} or only extra when there is no passthru', () => {
    expect(buildCustomData()).toEqual({});
    expect(buildCustomData({ passthru: '' })).toEqual({});
    expect(buildCustomData({ extra: { a: 1 } })).toEqual({ a: 1 });
  });

  it('parsedJson forwarding (docs/assumptions.md#passthru-metadata-handling) parses JSON and base64-JSON, keeps anything else raw', () => {
    expect(buildCustomData({ passthru: '{"crmId":"42"}', forward: 'parsedJson' })).toEqual({
      internalMetaData: { crmId: '42' },
    });
    expect(buildCustomData({ passthru: b64('{"crmId":"42"}'), forward: 'parsedJson' })).toEqual({
      internalMetaData: { crmId: '42' },
    });
    expect(buildCustomData({ passthru: JWS, forward: 'parsedJson' })).toEqual({ internalMetaData: JWS });
  });

  it('refuses an internalMetaData collision, a non-object extra and an unknown forward mode', () => {
    expect(() => buildCustomData({ passthru: 'x', extra: { internalMetaData: 'y' } })).toThrow(
      expect.objectContaining({ code: 'E_KVP_CONFIG_INVALID' }),
    );
    expect(() => buildCustomData({ extra: [] as unknown as Record<string, unknown> })).toThrow(
      expect.objectContaining({ code: 'E_KVP_CONFIG_INVALID' }),
    );
    expect(() => buildCustomData({ passthru: 'x', forward: 'json' as 'raw' })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
    expect(() => buildCustomData({ passthru: 5 as unknown as string })).toThrow(KaaError);
  });

  it('property: the forwarded value equals the input', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.dictionary(
          fc.string().filter((k) => k !== 'internalMetaData' && k !== '__proto__'),
          fc.jsonValue(),
        ),
        (passthru, extra) => {
          const out = buildCustomData({ passthru, extra });
          expect(out['internalMetaData']).toBe(passthru);
          for (const key of Object.keys(extra)) expect(out[key]).toEqual(extra[key]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('buildCustomData: the words of its errors, and what parsedJson leaves alone (found by mutation testing)', () => {
  it('each refusal says what to fix and names its key', () => {
    const notObject = errorOf(() => buildCustomData({ extra: [1] as never }));
    expect([notObject.code, notObject.message, notObject.details]).toEqual([
      'E_KVP_CONFIG_INVALID',
      'Custom data must be a JSON object of key/value pairs. Check CustomDataConfig: it must be a JSON object {"key": "path"}.',
      { configKey: 'CustomDataConfig' },
    ]);
    const forward = errorOf(() => buildCustomData({ passthru: 'x', forward: 'yaml' as never }));
    expect([forward.code, forward.message, forward.details]).toEqual([
      'E_CONFIG_INVALID',
      '"passthru.forward" is "yaml". Set it to "raw" (the default) or "parsedJson".',
      { configKey: 'passthru.forward' },
    ]);
    const notText = errorOf(() => buildCustomData({ passthru: 42 as never }));
    expect([notText.code, notText.message, notText.details]).toEqual([
      'E_PARAM_INVALID',
      'The x_passthru_metadata value is not text. Pass it as a single query parameter in the Interaction Widget URL.',
      { param: 'x_passthru_metadata' },
    ]);
    const collision = errorOf(() => buildCustomData({ passthru: 'x', extra: { internalMetaData: 1 } }));
    expect([collision.code, collision.message, collision.details]).toEqual([
      'E_KVP_CONFIG_INVALID',
      'Custom data already has a key "internalMetaData", which x_passthru_metadata fills. Rename that key in CustomDataConfig.',
      { key: 'internalMetaData' },
    ]);
  });

  it('parsedJson forwards base64 that is not JSON as the raw text, not the decoded one', () => {
    const text = b64('account 42, not JSON');
    expect(buildCustomData({ passthru: text, forward: 'parsedJson' })).toEqual({ internalMetaData: text });
  });
});
