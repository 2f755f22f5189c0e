import { describe, expect, it } from 'vitest';
import { KAA_ERROR_CODES, KAA_ERROR_STEP, KaaError, isKaaError, redact, toKaaError } from '@kaa/core';

describe('KaaError', () => {
  it('carries code, step, details and cause', () => {
    const cause = new Error('boom');
    const e = new KaaError('E_QUEUE_NOT_MAPPED', 'Queue "A_B" has no row.', { details: { queueName: 'A_B' }, cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(e.step).toBe('bot table');
    expect(e.details).toEqual({ queueName: 'A_B' });
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({
      name: 'KaaError',
      code: 'E_QUEUE_NOT_MAPPED',
      step: 'bot table',
      message: 'Queue "A_B" has no row.',
      details: { queueName: 'A_B' },
    });
    expect(isKaaError(e)).toBe(true);
    expect(isKaaError(e, 'E_QUEUE_AMBIGUOUS')).toBe(false);
    expect(isKaaError(new Error('x'))).toBe(false);
  });

  it('maps every code to a step', () => {
    for (const code of KAA_ERROR_CODES) expect(KAA_ERROR_STEP[code]).toBeTypeOf('string');
  });

  it('redacts planted secrets from message and details when built', () => {
    const secret = 'Sup3rS3cretValue!';
    const e = new KaaError('E_TOKEN_SIGN_FAILED', `could not sign with ${secret}`, {
      details: { nested: { value: `x ${encodeURIComponent(secret)} y` }, list: [secret] },
      secrets: [secret],
    });
    const text = JSON.stringify(e.toJSON()) + e.message + String(e.stack);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  });

  it('toKaaError keeps KaaErrors and wraps the rest', () => {
    const k = new KaaError('E_NETWORK', 'down');
    expect(toKaaError(k, 'E_INTERNAL', 'x')).toBe(k);
    const w = toKaaError(new TypeError('t'), 'E_RESPONSE_INVALID', 'bad body');
    expect(w.code).toBe('E_RESPONSE_INVALID');
    expect(w.cause).toBeInstanceOf(TypeError);
  });
});

describe('redact', () => {
  it('removes named secrets and credential-shaped text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const samples: [string, string][] = [
      ['client_secret=abc123&x=1', 'client_secret=[REDACTED]&x=1'],
      ['https://h/cb#access_token=tok.en-1&expires_in=3600', 'https://h/cb#access_token=[REDACTED]&expires_in=3600'],
      ['/cb?code=XYZ&state=abc', '/cb?code=[REDACTED]&state=[REDACTED]'],
      ['/cb#access_token=t0k&state=eyJ2IjoxfQ', '/cb#access_token=[REDACTED]&state=[REDACTED]'],
      ['Authorization: Bearer abc.def', 'Authorization: Bearer [REDACTED]'],
      [`token ${jwt} end`, 'token [REDACTED] end'],
      ['{"ClientSecret":"hidden","BotId":"st-1"}', '{"ClientSecret":"[REDACTED]","BotId":"st-1"}'],
      ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', '[REDACTED]'],
    ];
    for (const [input, expected] of samples) expect(redact(input)).toBe(expected);
    expect(redact('the secret is hunter22 ok', ['hunter22'])).toBe('the secret is [REDACTED] ok');
    expect(redact('a%2Fb%3Dc', ['a/b=c'])).toBe('[REDACTED]');
  });

  it('leaves ordinary text alone and ignores tiny or empty secrets', () => {
    expect(redact('Queue ALPHAINC_SALES has no row', ['', undefined, null, 'ab'])).toBe(
      'Queue ALPHAINC_SALES has no row',
    );
  });
});
