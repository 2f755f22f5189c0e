import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PLATFORM_JWT_TTL_SECONDS, signPlatformJwt } from '@kaa/core';
import { createPlatformTokenSource } from '../src/http/platform-token.js';

const APP = { appId: 'cs-5e1c1f0e-aaaa-4bbb-8ccc-000000000001', clientSecret: 'planted-client-secret-Zq9vX2' };

/** Checks the HS256 signature with the planted secret and returns the header and payload. */
function verifyHs256(token: string): { header: Record<string, unknown>; payload: Record<string, number | string> } {
  const [h = '', p = '', sig = ''] = token.split('.');
  expect(createHmac('sha256', APP.clientSecret).update(`${h}.${p}`).digest('base64url')).toBe(sig);
  const json = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, number | string>;
  return { header: json(h), payload: json(p) };
}

describe('createPlatformTokenSource', () => {
  it('hands out an x_metadata token as is, without loading the signer', async () => {
    const source = createPlatformTokenSource({ token: 'eyJ.x_metadata.token' }, () => 0);
    expect(source.kind).toBe('static');
    expect(await source.get()).toBe('eyJ.x_metadata.token');
    expect(source.secrets()).toEqual(['eyJ.x_metadata.token']);
  });

  it('mints an HS256 JWT from app credentials on first use, with core’s default lifetime', async () => {
    const t0 = Date.UTC(2026, 10, 26, 9, 0, 0);
    const source = createPlatformTokenSource(APP, () => t0, signPlatformJwt);
    expect(source.kind).toBe('app');
    const token = await source.get();
    const { header, payload } = verifyHs256(token);
    expect(header['alg']).toBe('HS256');
    expect(payload['appId']).toBe(APP.appId);
    expect(payload['iat']).toBe(t0 / 1000);
    expect(Number(payload['exp']) - Number(payload['iat'])).toBe(PLATFORM_JWT_TTL_SECONDS);
    expect(source.secrets()).toEqual([APP.clientSecret, token]);
  });

  it('mints once for concurrent callers, reuses the token, and renews it with 20 % of its lifetime left', async () => {
    let now = Date.UTC(2026, 10, 26, 9, 0, 0);
    const source = createPlatformTokenSource({ ...APP, ttlSeconds: 100 }, () => now, signPlatformJwt);
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect(a).toBe(b);
    now += 79_000;
    expect(await source.get()).toBe(a);
    now += 2_000; // 81 s of 100: renew
    const renewed = await source.get();
    expect(renewed).not.toBe(a);
    const { payload } = verifyHs256(renewed);
    expect(Number(payload['exp']) - Number(payload['iat'])).toBe(100);
    source.invalidate();
    now += 1_000;
    expect(await source.get()).not.toBe(renewed);
  });

  it('reports a bad app credential as a coded KaaError that does not carry the secret', async () => {
    const source = createPlatformTokenSource({ appId: '', clientSecret: APP.clientSecret }, () => 0, signPlatformJwt);
    const error = await source.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'KaaError' });
    expect(
      JSON.stringify({ message: (error as Error).message, json: (error as { toJSON?: () => unknown }).toJSON?.() }),
    ).not.toContain(APP.clientSecret);
  });

  it('never loads the signer itself: the host injects it (no value import of the signing code, no dynamic import)', () => {
    const text = readFileSync(new URL('../src/http/platform-token.ts', import.meta.url), 'utf8');
    const valueImports = [...text.matchAll(/^import (?!type )\{([^}]*)\} from '@kaa\/core';$/gm)].map((m) =>
      m[1]?.trim(),
    );
    expect(valueImports).toEqual(['KaaError, PLATFORM_JWT_TTL_SECONDS']);
    expect(text).not.toMatch(/\bimport\(/);
  });

  it('app credentials without a signer are E_CONFIG_INVALID naming the option; the secret is not in the error', () => {
    const error = (() => {
      try {
        createPlatformTokenSource(APP, () => 0);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: 'KaaError', code: 'E_CONFIG_INVALID' });
    expect((error as Error).message).toContain('signPlatformJwt');
    expect(JSON.stringify((error as { toJSON?: () => unknown }).toJSON?.())).not.toContain(APP.clientSecret);
  });
});
