import { describe, expect, it } from 'vitest';
import { classifyPassthru, decodeJwtUnverified, signPlatformJwt } from '@kaa/core';

/**
 * Token shapes that the tokens mutation run left open (docs/testing.md#mutation-testing-pnpm-mutate): only five
 * segments make a JWE, whatever the header says, and the platform token's header is exactly `{alg, typ}`.
 */

const seg = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('classifyPassthru: a header with "enc" makes a JWE only with five segments', () => {
  it.each([
    {
      name: 'one base64url segment of JSON that has an "enc" key is base64 JSON',
      value: seg({ enc: 'utf-8', crmId: '42' }),
      expected: { kind: 'base64', json: true, value: { enc: 'utf-8', crmId: '42' } },
    },
    {
      name: 'three segments whose header has both "alg" and "enc" are a JWT',
      value: `${seg({ alg: 'HS256', enc: 'A128GCM' })}.e30.c2ln`,
      expected: { kind: 'jwt', header: { alg: 'HS256', enc: 'A128GCM' } },
    },
    {
      name: 'four segments with an "enc" header are not a JOSE value',
      value: `${seg({ alg: 'RSA-OAEP', enc: 'A128GCM' })}.a.b.c`,
      expected: { kind: 'raw' },
    },
  ])('$name', ({ value, expected }) => {
    expect(classifyPassthru(value)).toMatchObject({ ...expected, raw: value });
  });
});

describe('signPlatformJwt: the header', () => {
  it('is exactly {"alg":"HS256","typ":"JWT"}', async () => {
    const token = await signPlatformJwt({
      appId: 'cs-app-1',
      clientSecret: 'app-secret-value-0001',
      now: 1_767_225_600,
    });
    expect(decodeJwtUnverified(token).header).toEqual({ alg: 'HS256', typ: 'JWT' });
  });
});

describe('classifyPassthru: URL-encoded text is trimmed after each decoding, as raw and base64 text are', () => {
  it.each([
    ['%20%7B%22crmId%22%3A%2242%22%7D', { crmId: '42' }, 1],
    ['%0A%5B1%2C2%5D%20', [1, 2], 1],
    ['%2520%257B%2522a%2522%253A1%257D', { a: 1 }, 2],
  ])('%s is JSON', (value, json, rounds) => {
    expect(classifyPassthru(value)).toEqual({ kind: 'json', raw: value, value: json, decodeRounds: rounds });
  });

  it('still leaves text that decodes to non-JSON as raw', () => {
    expect(classifyPassthru('%20hello%20')).toEqual({ kind: 'raw', raw: '%20hello%20' });
  });
});
