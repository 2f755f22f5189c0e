import { describe, expect, it } from 'vitest';
import { KaaError, REDACTED, isKaaError, redact, toKaaError } from '@kaa/core';

/** The redaction rules at their edges: what a secret looks like when it reaches a message, and how deep details are cleaned. */

describe('redact: named secrets', () => {
  it('searches for secrets of four characters or more, not shorter ones', () => {
    expect(redact('pin abcd end', ['abcd'])).toBe(`pin ${REDACTED} end`);
    expect(redact('pin abc end', ['abc'])).toBe('pin abc end');
  });

  it('removes a secret that contains another one whole, whatever the order they are given in', () => {
    expect(redact('key=xx s3cr3t-long-value yy', ['s3cr3t', 's3cr3t-long-value'])).toBe(`key=xx ${REDACTED} yy`);
    expect(redact('key=xx s3cr3t-long-value yy', ['s3cr3t-long-value', 's3cr3t'])).toBe(`key=xx ${REDACTED} yy`);
  });

  it('removes the URL-encoded, doubly URL-encoded and JSON-escaped forms too', () => {
    const secret = 'p"a/s=s\\w';
    expect(redact(`q=${encodeURIComponent(secret)}!`, [secret])).toBe(`q=${REDACTED}!`);
    expect(redact(`q=${encodeURIComponent(encodeURIComponent(secret))}!`, [secret])).toBe(`q=${REDACTED}!`);
    expect(redact(`{"v":${JSON.stringify(secret)}}`, [secret])).toBe(`{"v":"${REDACTED}"}`);
  });

  it('still removes the literal form of a secret that cannot be URL-encoded (a lone surrogate)', () => {
    const secret = 'abc\ud800def';
    expect(redact(`x ${secret} y`, [secret])).toBe(`x ${REDACTED} y`);
  });

  it('applies the credential patterns with no secrets given', () => {
    expect(redact('/cb?token=abc&x=1')).toBe(`/cb?token=${REDACTED}&x=1`);
  });
});

describe('KaaError: redaction of details and the shape of the error', () => {
  it('cleans strings in details nested nine objects deep', () => {
    const secret = 'deep-secret-value';
    let details: Record<string, unknown> = { value: `has ${secret}` };
    for (let i = 0; i < 8; i++) details = { next: details };
    const e = new KaaError('E_INTERNAL', 'x', { details, secrets: [secret] });
    expect(JSON.stringify(e.details)).not.toContain(secret);
    expect(JSON.stringify(e.details)).toContain(REDACTED);
  });

  it('never hands back details nested deeper than it cleans: an object or array past nine levels is omitted, not kept raw', () => {
    const secret = 'deep-secret-value';
    let details: Record<string, unknown> = { value: `has ${secret}`, list: [secret] };
    for (let i = 0; i < 12; i++) details = { next: details };
    const e = new KaaError('E_INTERNAL', 'x', { details });
    expect(JSON.stringify(e.details)).not.toContain(secret);
    expect(JSON.stringify(e.details)).toContain('[omitted: nested too deep to redact]');
    // arrays count as levels too
    let list: unknown = [`has ${secret}`];
    for (let i = 0; i < 12; i++) list = [list];
    const l = new KaaError('E_INTERNAL', 'x', { details: { list } });
    expect(JSON.stringify(l.details)).not.toContain(secret);
    expect(JSON.stringify(l.details)).toContain('[omitted: nested too deep to redact]');
  });

  it('a cyclic details object does not hang or throw', () => {
    const details: Record<string, unknown> = { column: 'ClientSecret' };
    details['self'] = details;
    const e = new KaaError('E_BOT_ROW_INVALID', 'x', { details, secrets: ['whatever-secret'] });
    expect(e.details['column']).toBe('ClientSecret');
  });

  it('keeps numbers, booleans and null in details as they are', () => {
    const e = new KaaError('E_HTTP_SERVER', 'x', {
      details: { status: 503, retry: false, id: null, list: [1, 'abcd-secret'] },
      secrets: ['abcd-secret'],
    });
    expect(e.details).toEqual({ status: 503, retry: false, id: null, list: [1, REDACTED] });
  });

  it('has the name KaaError, empty details by default, and a cause only when one was given', () => {
    const e = new KaaError('E_NETWORK', 'down');
    expect(e.name).toBe('KaaError');
    expect(e.details).toEqual({});
    expect('cause' in e).toBe(false);
    expect(new KaaError('E_NETWORK', 'down', { cause: null }).cause).toBeNull();
    expect(String(e)).toBe('KaaError: down');
  });

  it('isKaaError matches any of several codes', () => {
    const e = new KaaError('E_QUEUE_NOT_MAPPED', 'x');
    expect(isKaaError(e, 'E_NO_QUEUE', 'E_QUEUE_NOT_MAPPED')).toBe(true);
    expect(isKaaError(e, 'E_NO_QUEUE', 'E_QUEUE_AMBIGUOUS')).toBe(false);
    expect(isKaaError({ code: 'E_QUEUE_NOT_MAPPED' })).toBe(false);
  });

  it('toKaaError redacts the secrets it is given from the message and details of the wrapper', () => {
    const w = toKaaError(new Error('inner'), 'E_TOKEN_SIGN_FAILED', 'failed with key s3cret-key', {
      details: { key: 's3cret-key' },
      secrets: ['s3cret-key'],
    });
    expect(w.message).toBe(`failed with key ${REDACTED}`);
    expect(w.details).toEqual({ key: REDACTED });
  });
});

describe('redact: compact tokens and private keys found by mutation testing', () => {
  // the segments use the edges of the base64url alphabet: A Z a z 0 9 _ -
  const jws = 'eyJhbGciOiJIUzI1NiJ9.AZaz09_-.Zz-_9aA0';
  const jwe = 'eyJlbmMiOiJBMjU2R0NNIn0.A-Z_a.z09_-.CipherTextZz-_09.Tag-_Az';

  it('removes a JWS and a five-segment JWE whole, whatever base64url characters their segments use', () => {
    expect(redact(`a ${jws} b`)).toBe(`a ${REDACTED} b`);
    expect(redact(`a ${jwe} b`)).toBe(`a ${REDACTED} b`);
    expect(redact(`(${jwe})`)).toBe(`(${REDACTED})`);
  });

  it('keeps the text between two tokens as it is', () => {
    expect(redact(`${jws} ${jwe}`)).toBe(`${REDACTED} ${REDACTED}`);
    expect(redact(`x=${jws}&y=${jws}.`)).toBe(`x=${REDACTED}&y=${REDACTED}.`);
  });

  it('removes PKCS#1 and SEC1 private keys (RSA, EC) up to their own END line', () => {
    for (const kind of ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      const pem = `-----BEGIN ${kind}-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END ${kind}-----`;
      expect(redact(`key: ${pem} done`)).toBe(`key: ${REDACTED} done`);
    }
  });
});
