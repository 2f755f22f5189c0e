import { describe, expect, it } from 'vitest';
import { expectNoSecrets, mockHttp } from '@kaa/test-support';
import { http, HttpResponse } from 'msw';
import fc from 'fast-check';
import { KaaError } from '@kaa/core';
import { createClientCredentialsAuth, createGenesysApi } from '../src/index.js';
import { ENV, capturingLogger, rejectionOf } from './helpers.js';

const SECRET = 'planted-client-secret-XYZ-123';
const { server, seen } = mockHttp();

describe('createClientCredentialsAuth', () => {
  it('posts grant_type=client_credentials with Basic auth and caches the token until 60 s before expiry', async () => {
    let issued = 0;
    let basic = '';
    let form = '';
    server.use(
      http.post(`${ENV.loginBase}/oauth/token`, async ({ request }) => {
        basic = request.headers.get('authorization') ?? '';
        form = await request.text();
        issued += 1;
        return HttpResponse.json({ access_token: `cc-token-${issued}`, token_type: 'bearer', expires_in: 3600 });
      }),
    );
    let t = 1_000_000;
    const auth = createClientCredentialsAuth({
      clientId: 'client-1',
      clientSecret: SECRET,
      environment: ENV,
      now: () => t,
    });
    const [a, b] = await Promise.all([auth.getToken(), auth.getToken()]);
    expect([a, b]).toEqual(['cc-token-1', 'cc-token-1']);
    expect(issued).toBe(1);
    expect(basic).toBe(`Basic ${Buffer.from(`client-1:${SECRET}`).toString('base64')}`);
    expect(form).toBe('grant_type=client_credentials');
    expect(auth.expiresAt()).toBe(1_000_000 + 3_600_000);
    t += 3_600_000 - 60_001;
    expect(await auth.getToken()).toBe('cc-token-1');
    t += 2;
    expect(await auth.getToken()).toBe('cc-token-2');
    await auth.relogin();
    expect(await auth.getToken()).toBe('cc-token-3');
  });

  it('a refused secret → E_AUTH_DENIED; the secret is in no message, detail, log line or URL', async () => {
    server.use(
      http.post(`${ENV.loginBase}/oauth/token`, () =>
        HttpResponse.json({ error: 'invalid_client', error_description: `bad secret ${SECRET}` }, { status: 401 }),
      ),
    );
    const logger = capturingLogger();
    const auth = createClientCredentialsAuth({ clientId: 'client-1', clientSecret: SECRET, environment: ENV, logger });
    const e = await rejectionOf(auth.getToken());
    expect(e.code).toBe('E_AUTH_DENIED');
    expect(e.message).toContain('client-1');
    const out = [e.message, JSON.stringify(e), ...logger.lines, ...seen].join('\n');
    expectNoSecrets(out, [SECRET, Buffer.from(`client-1:${SECRET}`).toString('base64')]);
  });

  it('a token endpoint answer without access_token → E_RESPONSE_INVALID; unreachable → E_NETWORK', async () => {
    server.use(http.post(`${ENV.loginBase}/oauth/token`, () => HttpResponse.json({ hello: 'world' })));
    const auth = createClientCredentialsAuth({ clientId: 'c', clientSecret: SECRET, environment: ENV });
    expect(await rejectionOf(auth.getToken())).toMatchObject({ code: 'E_RESPONSE_INVALID' });
    server.use(http.post(`${ENV.loginBase}/oauth/token`, () => HttpResponse.error()));
    expect(await rejectionOf(auth.getToken())).toMatchObject({ code: 'E_NETWORK' });
  });

  it('plugs into createGenesysApi: a 401 drops the cached token and fetches a new one once', async () => {
    let issued = 0;
    server.use(
      http.post(`${ENV.loginBase}/oauth/token`, () =>
        HttpResponse.json({ access_token: `cc-${++issued}`, expires_in: 86400 }),
      ),
      http.get(`${ENV.apiBase}/api/v2/conversations/:id`, ({ request, params }) =>
        request.headers.get('authorization') === 'Bearer cc-2'
          ? HttpResponse.json({ id: params.id, participants: [] })
          : HttpResponse.json({ status: 401 }, { status: 401 }),
      ),
    );
    const auth = createClientCredentialsAuth({ clientId: 'c', clientSecret: SECRET, environment: ENV });
    const api = createGenesysApi({ environment: ENV, auth });
    expect((await api.getConversation('c0a00000-0000-4000-8000-000000000001')).participants).toEqual([]);
    expect(issued).toBe(2);
  });

  it('property: any token endpoint answer gives a token or a KaaError without the secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(200, 400, 401, 403, 429, 500),
        fc.oneof(fc.string(), fc.json(), fc.constant('{"access_token":"x","expires_in":"soon"}')),
        async (status, body) => {
          const auth = createClientCredentialsAuth({
            clientId: 'c',
            clientSecret: SECRET,
            environment: ENV,
            fetch: async () => new Response(body, { status }),
          });
          try {
            expect(typeof (await auth.getToken())).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
            expect(JSON.stringify(e) + (e as Error).message).not.toContain(SECRET);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
