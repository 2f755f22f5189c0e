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
