import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KaaError } from '@kaa/core';
import { loadPageConfig, readPageConfig } from '../src/page-config.js';

const answer = (status: number, body: string) => async () => new Response(status === 204 ? null : body, { status });

describe('loadPageConfig (kaa.config.json)', () => {
  it('parses settings and extra environments with defaults filled in', async () => {
    const file = {
      genesys: {
        environments: [
          {
            name: 'sandbox',
            apiBase: 'http://127.0.0.1:4101',
            loginBase: 'http://127.0.0.1:4100',
            streamingHost: '127.0.0.1:4101',
            appsOrigin: 'http://127.0.0.1:4102',
          },
        ],
      },
      routing: { cacheTtlSeconds: 60 },
    };
    const settings = await loadPageConfig('http://127.0.0.1/kaa.config.json', answer(200, JSON.stringify(file)));
    expect(settings.routing.cacheTtlSeconds).toBe(60);
    expect(settings.genesys.environments[0]?.name).toBe('sandbox');
    expect(settings.auth.grant).toBe('pkce');
  });

  it('a missing file (404) means all defaults', async () => {
    const settings = await loadPageConfig('x', answer(404, 'not found'));
    expect(settings.routing.cacheTtlSeconds).toBe(300);
  });

  it('names the file and the key of a bad setting, without echoing the value', async () => {
    const error = await loadPageConfig(
      'x',
      answer(200, JSON.stringify({ kore: { jwt: { ttlSeconds: 'secret-value-123' } } })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaaError);
    expect((error as KaaError).code).toBe('E_CONFIG_INVALID');
    expect((error as KaaError).message).toContain('kaa.config.json');
    expect((error as KaaError).message).toContain('kore.jwt.ttlSeconds');
    expect(JSON.stringify((error as KaaError).toJSON())).not.toContain('secret-value-123');
  });

  it('reports invalid JSON, server errors and network failures as E_CONFIG_INVALID', async () => {
    for (const fetchImpl of [
      answer(200, '{nope'),
      answer(500, ''),
      async () => Promise.reject(new TypeError('Failed to fetch')),
    ]) {
      const error = await loadPageConfig('x', fetchImpl).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KaaError);
      expect((error as KaaError).code).toBe('E_CONFIG_INVALID');
    }
  });

  it('property: any body and status gives settings or a KaaError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom(200, 201, 404, 500, 403),
        async (body, status) => {
          try {
            const s = await loadPageConfig('x', answer(status, body));
            expect(typeof s.routing.cacheTtlSeconds).toBe('number');
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readPageConfig (embedded block first, else the file)', () => {
  let removed = 0;
  const doc = (text: string | null) => ({
    getElementById: (id: string) =>
      text !== null && id === 'kaa-config'
        ? ({ textContent: text, remove: () => void (removed += 1) } as unknown as HTMLElement)
        : null,
  });
  const noFetch = async (): Promise<Response> => {
    throw new Error('fetched although the settings are embedded');
  };

  it('uses the embedded block without any request, and takes it out of the document (it may hold thirdParty.http.token)', async () => {
    removed = 0;
    const settings = await readPageConfig(doc('{"routing":{"cacheTtlSeconds":42}}'), 'x', noFetch);
    expect(settings.routing.cacheTtlSeconds).toBe(42);
    expect(removed).toBe(1);
  });

  it('falls back to kaa.config.json when there is no block', async () => {
    const settings = await readPageConfig(doc(null), 'x', answer(200, '{"routing":{"cacheTtlSeconds":7}}'));
    expect(settings.routing.cacheTtlSeconds).toBe(7);
  });

  it('a broken or invalid block is E_CONFIG_INVALID naming index.html (and the key), not a request', async () => {
    const broken = await readPageConfig(doc('{nope'), 'x', noFetch).catch((e: unknown) => e);
    expect(broken).toMatchObject({ code: 'E_CONFIG_INVALID' });
    expect((broken as KaaError).message).toContain('index.html');
    const invalid = await readPageConfig(doc('{"routing":{"cacheTtlSeconds":"x"}}'), 'x', noFetch).catch(
      (e: unknown) => e,
    );
    expect((invalid as KaaError).message).toMatch(/index\.html.*routing\.cacheTtlSeconds/);
  });
});
