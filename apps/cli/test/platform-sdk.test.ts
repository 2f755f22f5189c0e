/**
 * The platform SDK kaa's admin commands use, in process with an injected fetch: requests go through it, a 429 is
 * waited out for its Retry-After (capped) and sent again, and Genesys's error body reaches the caller as the SDK's
 * error (status, code, message), which `adminError` turns into a KaaError naming the scope.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '@kaa/core';
import { adminError } from '../src/genesys-admin/admin-session.js';
import { createPlatformSdk, retryDelayMs } from '../src/genesys-admin/platform-sdk.js';

const environment = resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }, []);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('createPlatformSdk', () => {
  it('sends the SDK request through the injected fetch, with the token, at the environment API host', async () => {
    const seen: { url: string; method: string; auth: string | null }[] = [];
    const sdk = createPlatformSdk({
      environment,
      accessToken: 'admin-access-token-for-tests',
      fetch: async (url, init) => (
        seen.push({ url, method: init?.method ?? 'GET', auth: new Headers(init?.headers).get('authorization') }),
        json(200, { entities: [{ id: 'q1', name: 'ALPHAINC_SUPPORT', enableTranscription: true }], pageCount: 1 })
      ),
      sleep: async () => undefined,
    });
    const queues = await sdk.routing.getRoutingQueues({ pageSize: 100, pageNumber: 2 });
    expect(queues.entities?.[0]).toMatchObject({ id: 'q1', enableTranscription: true });
    expect(seen).toEqual([
      {
        url: 'https://api.mypurecloud.ie/api/v2/routing/queues?pageNumber=2&pageSize=100',
        method: 'GET',
        auth: 'Bearer admin-access-token-for-tests',
      },
    ]);
  });

  it('waits out a 429 for its Retry-After and sends the request again; gives up after maxRetries', async () => {
    const waits: number[] = [];
    let calls = 0;
    const sdk = createPlatformSdk({
      environment,
      accessToken: 't',
      fetch: async () =>
        ++calls <= 2
          ? json(
              429,
              { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' },
              { 'retry-after': '3' },
            )
          : json(200, { id: 'c1', name: 'Kore Agent AI' }),
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(sdk.oauth.getOauthClient('c1')).resolves.toMatchObject({ id: 'c1' });
    expect(waits).toEqual([3000, 3000]);
    expect(sdk.retried()).toBe(2);

    const always = createPlatformSdk({
      environment,
      accessToken: 't',
      maxRetries: 2,
      fetch: async () =>
        json(429, { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' }, { 'retry-after': '120' }),
      sleep: async (ms) => void waits.push(ms),
    });
    const refused = await always.oauth.getOauthClient('c1').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, code: 'too.many.requests' });
    expect(waits.slice(2)).toEqual([60_000, 60_000]); // capped at maxRetryAfterSeconds
    expect(
      adminError(refused, {
        what: 'read the OAuth client',
        area: 'oauth',
        write: false,
        clientId: 'admin',
        clientKey: 'adminClient',
        apiBase: environment.apiBase,
        secrets: [],
      }).code,
    ).toBe('E_RATE_LIMITED');
  });

  it("a 403 with Genesys's error body becomes E_HTTP_FORBIDDEN naming the client, its config key and the scope", async () => {
    const sdk = createPlatformSdk({
      environment,
      accessToken: 't',
      fetch: async () =>
        json(403, {
          status: 403,
          code: 'missing.any.scopes',
          message:
            'Unable to perform the requested action. You must have at least one of the following scopes: [integrations]',
          contextId: 'ctx-1',
        }),
      sleep: async () => undefined,
    });
    const e = await sdk.integrations
      .postIntegrations({ body: { name: 'x', integrationType: { id: 'embedded-client-app-interaction-widget' } } })
      .catch((x: unknown) => x);
    const k = adminError(e, {
      what: 'create the Interaction Widget',
      area: 'integrations',
      write: true,
      clientId: 'c-admin',
      clientKey: 'adminClient',
      apiBase: environment.apiBase,
      secrets: [],
    });
    expect(k.code).toBe('E_HTTP_FORBIDDEN');
    expect(k.message).toContain('Genesys refused to create the Interaction Widget (HTTP 403 missing.any.scopes');
    expect(k.message).toContain('Give OAuth client c-admin (genesys.adminClient) the scope "integrations"');
    expect(k.details).toMatchObject({
      status: 403,
      genesysCode: 'missing.any.scopes',
      correlationId: 'ctx-1',
      scope: 'integrations',
    });
  });
});

describe('retryDelayMs (parses Retry-After)', () => {
  it('seconds as given, capped; anything else an exponential backoff from one second, capped', () => {
    expect(retryDelayMs('3', 0, 60_000)).toBe(3000);
    expect(retryDelayMs('0', 2, 60_000)).toBe(0);
    expect(retryDelayMs('600', 0, 60_000)).toBe(60_000);
    expect(retryDelayMs(null, 0, 60_000)).toBe(1000);
    expect(retryDelayMs('Wed, 21 Oct 2026 07:28:00 GMT', 3, 60_000)).toBe(8000);
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), fc.nat(20), fc.nat(120_000), (header, attempt, max) => {
        const ms = retryDelayMs(header, attempt, max);
        return Number.isFinite(ms) && ms >= 0 && ms <= max;
      }),
    );
  });
});
