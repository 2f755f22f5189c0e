import { describe, expect, it } from 'vitest';
import { isKaaError } from '@kaa/core';
import { PROBE_ORIGIN, checkBrokerCors } from '../src/doctor/check-broker.js';

// The CORS check on its own, against brokers (or proxies in front of them) that answer in ways kaa's broker never
// does: every origin allowed, or the page's origin allowed without the headers the launch sends.

const PAGE = 'https://kaa.example.com';
const BROKER = 'https://broker.example.com';

function answering(headersFor: (origin: string) => Record<string, string>, status = 204) {
  const seen: { url: string; method: string; origin: string }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const origin = (init.headers as Record<string, string>)['origin'] ?? '';
    seen.push({ url, method: init.method ?? 'GET', origin });
    return new Response(null, { status, headers: headersFor(origin) });
  };
  return { fetch, seen };
}

const exact = (origin: string): Record<string, string> =>
  origin === PAGE
    ? {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'authorization, content-type',
      }
    : {};

describe('checkBrokerCors', () => {
  it("passes a broker that echoes the page's origin only, after preflights from the page and from a probe origin", async () => {
    const { fetch, seen } = answering(exact);
    await expect(
      checkBrokerCors({ broker: `${BROKER}/`, pageOrigin: PAGE, fetch, timeoutMs: 1000 }),
    ).resolves.toContain('refused');
    expect(seen).toEqual([
      { url: `${BROKER}/v1/launch`, method: 'OPTIONS', origin: PAGE },
      { url: `${BROKER}/v1/launch`, method: 'OPTIONS', origin: PROBE_ORIGIN },
    ]);
  });

  it('fails E_CONFIG_INVALID when any origin is allowed (a wildcard, or every origin echoed)', async () => {
    for (const any of [
      (): Record<string, string> => ({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'authorization, content-type',
      }),
      (o: string): Record<string, string> => ({ ...exact(PAGE), 'access-control-allow-origin': o }),
    ]) {
      const { fetch } = answering(any);
      const e = await checkBrokerCors({ broker: BROKER, pageOrigin: PAGE, fetch, timeoutMs: 1000 }).catch(
        (x: unknown) => x,
      );
      expect(isKaaError(e, 'E_CONFIG_INVALID')).toBe(true);
      expect((e as Error).message).toContain('broker.allowedOrigins');
    }
  });

  it("fails E_ORIGIN_NOT_ALLOWED when the page's origin is refused, or allowed without the launch's method and headers", async () => {
    const refused = await checkBrokerCors({
      broker: BROKER,
      pageOrigin: PAGE,
      fetch: answering(() => ({}), 403).fetch,
      timeoutMs: 1000,
    }).catch((x: unknown) => x);
    expect(isKaaError(refused, 'E_ORIGIN_NOT_ALLOWED')).toBe(true);
    expect((refused as Error).message).toMatch(
      /HTTP 403 with Access-Control-Allow-Origin absent.*Add https:\/\/kaa\.example\.com to broker\.allowedOrigins/,
    );
    // a 2xx preflight whose Access-Control-Allow-Origin names another origin (a proxy answering OPTIONS itself)
    const other = await checkBrokerCors({
      broker: BROKER,
      pageOrigin: PAGE,
      fetch: answering(() => ({
        'access-control-allow-origin': 'https://other.example.com',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'authorization, content-type',
      })).fetch,
      timeoutMs: 1000,
    }).catch((x: unknown) => x);
    expect(isKaaError(other, 'E_ORIGIN_NOT_ALLOWED')).toBe(true);
    expect((other as Error).message).toContain('HTTP 204 with Access-Control-Allow-Origin "https://other.example.com"');
    const partial = await checkBrokerCors({
      broker: BROKER,
      pageOrigin: PAGE,
      fetch: answering((o): Record<string, string> =>
        o === PAGE ? { 'access-control-allow-origin': PAGE, 'access-control-allow-methods': 'GET' } : {},
      ).fetch,
      timeoutMs: 1000,
    }).catch((x: unknown) => x);
    expect(isKaaError(partial, 'E_ORIGIN_NOT_ALLOWED')).toBe(true);
    expect((partial as Error).message).toContain('method POST, header authorization, header content-type');
  });
});
