import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_CLIENTS, USERS, s256Challenge, startGenesys, type GenesysServers } from '@kaa/sandbox';

const PAGE = 'http://127.0.0.1:5999';
const LANDING = `${PAGE}/koreaiaa-genesys/`;
const CALLBACK = `${PAGE}/koreaiaa-genesys/auth-callback.html`;
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('sandbox Genesys login origin', () => {
  let g: GenesysServers;
  let now = Date.parse('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    g = await startGenesys({ pageOrigin: PAGE, tokenTtlSeconds: 900, codeTtlSeconds: 60, env: { now: () => now } });
  });
  afterAll(async () => {
    await g.close();
  });

  function authorizeUrl(params: Record<string, string>): string {
    return `${g.loginOrigin}/oauth/authorize?${new URLSearchParams(params)}`;
  }
  async function authorize(params: Record<string, string>): Promise<Response> {
    return fetch(authorizeUrl(params), { redirect: 'manual' });
  }
  async function codeFor(extra: Record<string, string> = {}): Promise<string> {
    const res = await authorize({
      client_id: OAUTH_CLIENTS.pkce.id,
      response_type: 'code',
      redirect_uri: LANDING,
      code_challenge: s256Challenge(VERIFIER),
      code_challenge_method: 'S256',
      state: 'st-1',
      ...extra,
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(LANDING);
    expect(location.searchParams.get('state')).toBe('st-1');
    return location.searchParams.get('code')!;
  }
  async function exchange(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${g.loginOrigin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  }
  async function me(token: string): Promise<{ id: string }> {
    const res = await fetch(`${g.apiOrigin}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as { id: string };
  }

  it('PKCE: the right verifier gets a bearer token for USERS.agent; the code works once', async () => {
    const code = await codeFor();
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: LANDING,
      client_id: OAUTH_CLIENTS.pkce.id,
      code_verifier: VERIFIER,
    };
    const ok = await exchange(form);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(900);
    expect((await me(body.access_token)).id).toBe(USERS.agent.id);
    const again = await exchange(form);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('PKCE: a wrong verifier is invalid_grant', async () => {
    const code = await codeFor();
    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: LANDING,
      client_id: OAUTH_CLIENTS.pkce.id,
      code_verifier: 'x'.repeat(43),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('PKCE: a different redirect_uri at exchange, or an expired code, is invalid_grant', async () => {
    const code = await codeFor();
    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: OAUTH_CLIENTS.pkce.id,
      code_verifier: VERIFIER,
    });
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    const late = await codeFor();
    now += 61_000;
    const expired = await exchange({
      grant_type: 'authorization_code',
      code: late,
      redirect_uri: LANDING,
      client_id: OAUTH_CLIENTS.pkce.id,
      code_verifier: VERIFIER,
    });
    expect(await expired.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('PKCE: a code request without an S256 challenge is refused on the redirect', async () => {
    const res = await authorize({
      client_id: OAUTH_CLIENTS.pkce.id,
      response_type: 'code',
      redirect_uri: LANDING,
      state: 's',
    });
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('state')).toBe('s');
  });

  it('implicit: the token comes back in the hash with expires_in, token_type and state', async () => {
    const res = await authorize({
      client_id: OAUTH_CLIENTS.implicit.id,
      response_type: 'token',
      redirect_uri: CALLBACK,
      state: 'abc',
    });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.search).toBe('');
    const hash = new URLSearchParams(loc.hash.slice(1));
    expect(hash.get('expires_in')).toBe('900');
    expect(hash.get('token_type')).toBe('bearer');
    expect(hash.get('state')).toBe('abc');
    expect((await me(hash.get('access_token')!)).id).toBe(USERS.agent.id);
  });

  it('grant mismatch: unauthorized_client on the redirect (hash for implicit, query for code)', async () => {
    const implicitOnPkce = await authorize({
      client_id: OAUTH_CLIENTS.pkce.id,
      response_type: 'token',
      redirect_uri: LANDING,
      state: 'q',
    });
    const h = new URLSearchParams(new URL(implicitOnPkce.headers.get('location')!).hash.slice(1));
    expect(h.get('error')).toBe('unauthorized_client');
    expect(h.get('error_description')).toBeTruthy();
    expect(h.get('access_token')).toBeNull();
    const codeOnImplicit = await authorize({
      client_id: OAUTH_CLIENTS.implicit.id,
      response_type: 'code',
      redirect_uri: LANDING,
      code_challenge: s256Challenge(VERIFIER),
      code_challenge_method: 'S256',
    });
    expect(new URL(codeOnImplicit.headers.get('location')!).searchParams.get('error')).toBe('unauthorized_client');
    const odd = await authorize({ client_id: OAUTH_CLIENTS.pkce.id, response_type: 'id_token', redirect_uri: LANDING });
    expect(new URL(odd.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('grant mismatch at the token endpoint: client credentials with a browser client is refused', async () => {
    const res = await exchange(
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${Buffer.from(`${OAUTH_CLIENTS.pkce.id}:x`).toString('base64')}` },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
    const code = await codeFor();
    const wrongClient = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: LANDING,
      client_id: OAUTH_CLIENTS.implicit.id,
      code_verifier: VERIFIER,
    });
    expect(await wrongClient.json()).toMatchObject({ error: 'unauthorized_client' });
    const unknown = await exchange({ grant_type: 'password', username: 'a', password: 'b' });
    expect(await unknown.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('an unregistered redirect URI is a 400 page, never a redirect', async () => {
    for (const redirect_uri of [
      `${PAGE}/koreaiaa-genesys`,
      `${LANDING}?x=1`,
      'http://evil.example/koreaiaa-genesys/',
    ]) {
      const res = await authorize({
        client_id: OAUTH_CLIENTS.pkce.id,
        response_type: 'code',
        redirect_uri,
        code_challenge: s256Challenge(VERIFIER),
        code_challenge_method: 'S256',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('redirect');
    }
    const unknownClient = await authorize({ client_id: 'nope', response_type: 'token', redirect_uri: LANDING });
    expect(unknownClient.status).toBe(400);
  });

  it('signs in USERS.agent2 via login_hint or the control switch; prompt=login shows who', async () => {
    const hinted = await authorize({
      client_id: OAUTH_CLIENTS.implicit.id,
      response_type: 'token',
      redirect_uri: CALLBACK,
      login_hint: USERS.agent2.email,
    });
    const t = new URLSearchParams(new URL(hinted.headers.get('location')!).hash.slice(1)).get('access_token')!;
    expect((await me(t)).id).toBe(USERS.agent2.id);
    const sw = await fetch(`${g.apiOrigin}/sandbox/v1/session`, {
      method: 'POST',
      body: JSON.stringify({ userId: USERS.agent2.id }),
    });
    expect(sw.status).toBe(200);
    const page = await authorize({
      client_id: OAUTH_CLIENTS.implicit.id,
      response_type: 'token',
      redirect_uri: CALLBACK,
      prompt: 'login',
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(USERS.agent2.name);
    const switched = await authorize({
      client_id: OAUTH_CLIENTS.implicit.id,
      response_type: 'token',
      redirect_uri: CALLBACK,
    });
    const t2 = new URLSearchParams(new URL(switched.headers.get('location')!).hash.slice(1)).get('access_token')!;
    expect((await me(t2)).id).toBe(USERS.agent2.id);
    g.driver.signIn(USERS.agent.id);
  });

  it('answers CORS preflight on /oauth/token for the page origin only', async () => {
    const ok = await fetch(`${g.loginOrigin}/oauth/token`, {
      method: 'OPTIONS',
      headers: {
        origin: PAGE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    const other = await fetch(`${g.loginOrigin}/oauth/token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('token TTL: a token stops working when the clock passes expires_in', async () => {
    const token = g.driver.issueToken();
    expect(
      (await fetch(`${g.apiOrigin}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    now += 901_000;
    const res = await fetch(`${g.apiOrigin}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, code: 'bad.credentials' });
  });

  it('property: no query or form makes the login origin fail with anything but a 302/200/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'client_id',
            'response_type',
            'redirect_uri',
            'state',
            'code_challenge',
            'code_challenge_method',
            'grant_type',
            'code',
            'code_verifier',
            'prompt',
            'login_hint',
          ),
          fc.string({ maxLength: 60 }),
        ),
        async (params) => {
          const a = await fetch(authorizeUrl(params), { redirect: 'manual' });
          expect([200, 302, 400]).toContain(a.status);
          const t = await exchange(params);
          expect([400, 401]).toContain(t.status);
          const body = (await t.json()) as { error: string };
          expect(typeof body.error).toBe('string');
        },
      ),
      { numRuns: 60 },
    );
  });
});
