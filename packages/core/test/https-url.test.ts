import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowsHttpLoopback,
  isHttpsOrLoopback,
  isLoopbackHost,
  isLoopbackUrl,
  resolveEnvironment,
} from '../src/index.js';

describe('isHttpsOrLoopback (the one https-or-loopback rule)', () => {
  it.each([
    ['https://platform.kore.ai', true],
    ['https://bots.kore.ai/api', true],
    ['http://127.0.0.1:4003/', true],
    ['http://localhost:5173', true],
    ['http://[::1]:4000/x', true],
    ['http://kore.example.com', false],
    ['http://127.0.0.2/', false],
    ['ftp://127.0.0.1/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isHttpsOrLoopback(url)).toBe(expected);
    expect(isHttpsOrLoopback(url, { allowHttpLoopback: false })).toBe(expected && url.startsWith('https:'));
  });

  it('takes a parsed URL as well as a string, and every loopback host the settings accept is one the bot rows accept', () => {
    expect(isHttpsOrLoopback(new URL('http://[::1]/'))).toBe(true);
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(isLoopbackUrl(`https://${host}:1/`)).toBe(true);
    }
    expect(isLoopbackUrl('https://api.mypurecloud.ie')).toBe(false);
    expect(isLoopbackUrl('::1')).toBe(false);
  });

  it('property: never throws, and true only for https: or http: on a loopback host', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl()), (value) => {
        const ok = isHttpsOrLoopback(value);
        if (ok) {
          const url = new URL(value);
          expect(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))).toBe(true);
        }
      }),
    );
  });
});

describe('allowsHttpLoopback (http on loopback only in a loopback Genesys environment)', () => {
  it('decides from the environment API host alone', () => {
    expect(allowsHttpLoopback(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }))).toBe(false);
    expect(allowsHttpLoopback({ apiBase: 'http://127.0.0.1:4100' })).toBe(true);
    expect(allowsHttpLoopback({ apiBase: 'http://[::1]:4100' })).toBe(true);
    expect(allowsHttpLoopback({ apiBase: 'https://localhost:4100' })).toBe(true);
    expect(allowsHttpLoopback({ apiBase: 'https://api.example.test' })).toBe(false);
    expect(allowsHttpLoopback({ apiBase: 'not a url' })).toBe(false);
  });
});
