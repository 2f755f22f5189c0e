import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATIONS, OAUTH_CLIENTS, QUEUES, USERS, startGenesys, type GenesysServers } from '@kaa/sandbox';

const PAGE = 'http://127.0.0.1:5998';

describe('sandbox Genesys API origin: errors, CORS and injection knobs', () => {
  let g: GenesysServers;
  let now = Date.parse('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    g = await startGenesys({ pageOrigin: PAGE, rateLimitPerMinute: 5, env: { now: () => now } });
  });
  afterEach(async () => {
    await g.driver.reset();
  });
  afterAll(async () => {
    await g.close();
  });

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${g.apiOrigin}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  it('401 in the Genesys ErrorBody shape for a missing or unknown token, with inin-correlation-id = contextId', async () => {
    const missing = await get('/api/v2/users/me');
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 401, code: 'authentication.required', details: [], errors: [] });
    expect(missing.headers.get('inin-correlation-id')).toBe(body.contextId);
    const unknown = await get('/api/v2/users/me', 'not-a-token');
    expect(await unknown.json()).toMatchObject({ status: 401, code: 'bad.credentials' });
  });

  it('404 not.found for unknown routes and ids', async () => {
    const token = g.driver.issueToken();
    for (const path of ['/api/v2/nothing/here', `/api/v2/routing/queues/nope`, '/api/v2/flows/datatables/nope']) {
      const res = await get(path, token);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({
        status: 404,
        code: 'not.found',
        message: expect.any(String),
        contextId: res.headers.get('inin-correlation-id'),
      });
    }
    expect(await (await get(`/api/v2/routing/queues/${QUEUES.alpha.id}`, token)).json()).toMatchObject({
      id: QUEUES.alpha.id,
      name: QUEUES.alpha.name,
    });
    expect((await get('/api/v2/conversations/%E0%A4%A', token)).status).toBe(404);
    expect(
      (
        await fetch(`${g.apiOrigin}/sandbox/v1/conversations/%E0%A4%A/actions`, {
          method: 'POST',
          body: '{"action":"hold"}',
        })
      ).status,
    ).toBe(404);
  });

  it('rate budget: request N+1 in a minute is 429 with Retry-After and too.many.requests.retry.after; the window resets', async () => {
    const token = g.driver.issueToken();
    for (let i = 1; i <= 5; i++) {
      const ok = await get('/api/v2/tokens/me', token);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('inin-ratelimit-count')).toBe(String(i));
      expect(ok.headers.get('inin-ratelimit-allowed')).toBe('5');
    }
    now += 20_000;
    const limited = await get('/api/v2/tokens/me', token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(await limited.json()).toMatchObject({ status: 429, code: 'too.many.requests.retry.after' });
    const otherToken = g.driver.issueToken();
    expect((await get('/api/v2/tokens/me', otherToken)).status).toBe(200);
    now += 40_000;
    expect((await get('/api/v2/tokens/me', token)).status).toBe(200);
  });

  it('rate budget can be changed at run time with the rateLimitPerMinute fault', async () => {
    const token = g.driver.issueToken();
    g.driver.faults({ rateLimitPerMinute: 1 });
    expect((await get('/api/v2/tokens/me', token)).status).toBe(200);
    expect((await get('/api/v2/tokens/me', token)).status).toBe(429);
  });

  it("per user per OAuth client, over all of the user's tokens (org.app.user.rate.per.minute): another user, another client and client credentials are apart", async () => {
    g.driver.faults({ userRateLimitPerMinute: 3 });
    const first = g.driver.issueToken();
    const second = g.driver.issueToken(); // the same agent in another widget instance
    expect((await get('/api/v2/tokens/me', first)).status).toBe(200);
    expect((await get('/api/v2/tokens/me', second)).status).toBe(200);
    expect((await get('/api/v2/tokens/me', first)).status).toBe(200);
    const limited = await get('/api/v2/tokens/me', second);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('inin-ratelimit-allowed')).toBe('3');
    expect(await limited.json()).toMatchObject({
      status: 429,
      code: 'too.many.requests.retry.after',
      message: expect.stringContaining('org.app.user.rate.per.minute'),
    });
    expect((await get('/api/v2/tokens/me', g.driver.issueToken({ userId: USERS.agent2.id }))).status).toBe(200);
    expect((await get('/api/v2/tokens/me', g.driver.issueToken({ clientId: OAUTH_CLIENTS.implicit.id }))).status).toBe(
      200,
    );
    expect(
      (await get('/api/v2/tokens/me', g.driver.issueToken({ clientId: OAUTH_CLIENTS.credentials.id }))).status,
    ).toBe(200);
  });

  it('latency: every route, or per path prefix', async () => {
    const token = g.driver.issueToken();
    const time = async (path: string): Promise<number> => {
      const t0 = performance.now();
      await (await get(path, token)).arrayBuffer();
      return performance.now() - t0;
    };
    const base = await time('/api/v2/users/me');
    g.driver.faults({ latencyMs: { '/api/v2/users': 400 } });
    expect(await time('/api/v2/users/me')).toBeGreaterThanOrEqual(395);
    expect(await time('/api/v2/tokens/me')).toBeLessThan(300);
    await fetch(`${g.apiOrigin}/sandbox/v1/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 400 }) });
    expect(await time('/api/v2/tokens/me')).toBeGreaterThanOrEqual(395);
    const t0 = performance.now();
    await fetch(`${g.loginOrigin}/oauth/token`, { method: 'POST', body: 'grant_type=client_credentials' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(395);
    expect(base).toBeLessThan(300);
  });

  it('failNext: the next N matching requests fail with the status and a Genesys error body, then recover', async () => {
    const token = g.driver.issueToken();
    const r = await fetch(`${g.apiOrigin}/sandbox/v1/faults`, {
      method: 'POST',
      body: JSON.stringify({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 2 } }),
    });
    expect(r.status).toBe(200);
    expect((await get('/api/v2/tokens/me', token)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await get('/api/v2/users/me', token);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 503, code: 'service.unavailable' });
    }
    expect((await get('/api/v2/users/me', token)).status).toBe(200);
    g.driver.faults({ failNext: { method: 'POST', pathPrefix: '/oauth/token', status: 500, times: 1 } });
    const basic = `Basic ${Buffer.from(`${OAUTH_CLIENTS.credentials.id}:${OAUTH_CLIENTS.credentials.secret}`).toString('base64')}`;
    const login = () =>
      fetch(`${g.loginOrigin}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    expect((await login()).status).toBe(500);
    expect((await login()).status).toBe(200);
  });

  it('failNext fires after authentication: a bad or expired token gets 401 and leaves the failure queued for the next authenticated call', async () => {
    const expired = g.driver.issueToken();
    g.driver.faults({ expireTokens: true });
    const live = g.driver.issueToken();
    g.driver.faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 401, times: 1 } });
    for (const bad of [expired, 'not-a-token']) {
      const res = await get('/api/v2/users/me', bad);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'bad.credentials' });
    }
    expect((await fetch(`${g.apiOrigin}/api/v2/users/me`)).status).toBe(401);
    expect(g.driver.state().faults.pendingFailures).toEqual([
      { method: 'GET', pathPrefix: '/api/v2/users/me', status: 401, remaining: 1 },
    ]);
    const injected = await get('/api/v2/users/me', live);
    expect(injected.status).toBe(401);
    expect(await injected.json()).toMatchObject({
      status: 401,
      message: 'The requested operation failed with status 401',
    });
    expect(g.driver.state().faults.pendingFailures).toEqual([]);
    expect((await get('/api/v2/users/me', live)).status).toBe(200);
  });

  it('failNext on the login origin fires once the client is identified: a wrong client secret is still 401 invalid_client', async () => {
    g.driver.faults({ failNext: { method: 'POST', pathPrefix: '/oauth/token', status: 503, times: 1 } });
    const login = (secret: string) =>
      fetch(`${g.loginOrigin}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${OAUTH_CLIENTS.credentials.id}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
    const wrong = await login('wrong-secret');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    expect((await login(OAUTH_CLIENTS.credentials.secret)).status).toBe(503);
    expect((await login(OAUTH_CLIENTS.credentials.secret)).status).toBe(200);
  });

  it('invalid faults are refused with a coded 400', async () => {
    const res = await fetch(`${g.apiOrigin}/sandbox/v1/faults`, {
      method: 'POST',
      body: JSON.stringify({ failNext: { pathPrefix: '/x', status: 200 } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'E_PARAM_INVALID' } });
    expect(() => g.driver.faults({ latencyMs: -1 })).toThrow(/latencyMs/);
  });

  it('CORS: the page origin may call the API and read Retry-After and inin-correlation-id; others may not', async () => {
    const pre = await fetch(`${g.apiOrigin}/api/v2/users/me`, {
      method: 'OPTIONS',
      headers: {
        origin: PAGE,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const res = await get('/api/v2/users/me', g.driver.issueToken(), { origin: PAGE });
    expect(res.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/inin-correlation-id/);
    const evil = await get('/api/v2/users/me', g.driver.issueToken(), { origin: 'http://evil.example' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const control = await fetch(`${g.apiOrigin}/sandbox/v1/state`, { headers: { origin: 'http://anything.example' } });
    expect(control.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('reset restores the start-up faults', async () => {
    g.driver.faults({ latencyMs: 500, rateLimitPerMinute: 1 });
    await g.driver.reset();
    expect(g.driver.state().faults).toMatchObject({ latencyMs: 0, rateLimitPerMinute: 5 });
  });

  it('property: any body on the API routes that read one answers a Genesys ErrorBody or success, never a 500', async () => {
    g.driver.faults({ rateLimitPerMinute: 100_000 });
    const token = g.driver.issueToken();
    const ch = (await (
      await fetch(`${g.apiOrigin}/api/v2/notifications/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { id: string };
    const c = g.driver.conversation(CONVERSATIONS.chatKore);
    const agentSession = c.participants.find((p) => p.purpose === 'agent')?.messages?.[0]?.id;
    const routes: [string, string][] = [
      ['POST', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
      ['PUT', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
      ['POST', `/api/v2/conversations/messages/${c.id}/messages/bulk`],
      ['POST', `/api/v2/conversations/messages/${c.id}/communications/${agentSession}/messages`],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 80 }),
        ),
        async ([method, path], body) => {
          const res = await fetch(`${g.apiOrigin}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          });
          expect(res.status).toBeLessThan(500);
          const json = (await res.json()) as Record<string, unknown>;
          if (res.status >= 400)
            expect(json).toMatchObject({
              status: res.status,
              code: expect.any(String),
              contextId: res.headers.get('inin-correlation-id'),
            });
        },
      ),
      { numRuns: 120 },
    );
  });
});
