import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectOnlyKaaError, mockHttp } from '@kaa/test-support';
import { http, HttpResponse } from 'msw';
import fc from 'fast-check';
import { decodeAuthState, encodeAuthState } from '@kaa/core';
import { codeChallengeOf, createGenesysAuth, pendingLoginQuery, popupCallback } from '../src/index.js';
import type { GenesysAuthOptions, MessageEventLike } from '../src/index.js';
import { ENV, capturingLogger, memoryStorage, rejectionOf } from './helpers.js';

const ORIGIN = 'https://kaa.example';
const REDIRECT = `${ORIGIN}/koreaiaa-genesys/`;
const CALLBACK = `${ORIGIN}/koreaiaa-genesys/auth-callback.html`;
const CTX = {
  conversationId: 'c0a00000-0000-4000-8000-000000000001',
  hostOrigin: 'https://apps.mypurecloud.ie',
  lang: 'en-us',
};
const QUERY =
  'conversationid=c0a00000-0000-4000-8000-000000000001&environment=https%3A%2F%2Fapps.mypurecloud.ie&genesysid=cid&multibot=true&x_metadata=eyJhbGciOiJIUzI1NiJ9.eyJzZWNyZXQiOiJ4In0.sig';
const ACCESS = 'genesys-access-token-PLANTED-0001';
const CODE = 'auth-code-PLANTED-0002';

const { server } = mockHttp();
afterEach(() => vi.useRealTimers());

function tokenEndpoint(check?: (form: URLSearchParams) => Response | void) {
  const forms: URLSearchParams[] = [];
  server.use(
    http.post(`${ENV.loginBase}/oauth/token`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      forms.push(form);
      return check?.(form) ?? HttpResponse.json({ access_token: ACCESS, token_type: 'bearer', expires_in: 3600 });
    }),
  );
  return forms;
}

function setup(over: Partial<GenesysAuthOptions> = {}) {
  const storage = memoryStorage();
  const navigations: string[] = [];
  const replaced: string[] = [];
  const logger = capturingLogger();
  let t = 10_000_000;
  const auth = createGenesysAuth({
    clientId: 'cid',
    redirectUri: REDIRECT,
    popupRedirectUri: CALLBACK,
    environment: ENV,
    storage,
    origin: ORIGIN,
    now: () => t,
    logger,
    navigate: (u) => void navigations.push(u),
    replaceUrl: (u) => void replaced.push(u),
    ...over,
  });
  return { auth, storage, navigations, replaced, logger, advance: (ms: number) => (t += ms) };
}

const stateOf = (url: string) => new URL(url).searchParams.get('state') ?? '';

describe('createGenesysAuth: redirect mode', () => {
  it('PKCE: authorize URL, saved record, checked state, code exchange with the verifier, token stored, URL cleaned', async () => {
    const forms = tokenEndpoint();
    const s = setup();
    expect(
      await s.auth.login({ ctx: { ...CTX, x_metadata: 'never-in-state' } as never, originalQuery: QUERY }),
    ).toEqual({ kind: 'redirecting', grant: 'pkce' });
    const url = new URL(s.navigations[0]!);
    expect(url.origin + url.pathname).toBe(`${ENV.loginBase}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'cid',
      response_type: 'code',
      redirect_uri: REDIRECT,
      code_challenge_method: 'S256',
    });
    const { nonce, ctx } = decodeAuthState(stateOf(s.navigations[0]!));
    expect(ctx).toEqual(CTX);
    expect(url.href).not.toContain('never-in-state');
    expect(url.href).not.toContain('x_metadata');
    const record = JSON.parse(s.storage.getItem(`kaa.oauth.${nonce}`)!);
    expect(record).toMatchObject({ originalQuery: QUERY, createdAt: 10_000_000, grant: 'pkce' });
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallengeOf(record.codeVerifier));

    s.advance(5_000);
    const done = await s.auth.handleRedirect({
      search: `?code=${CODE}&state=${stateOf(s.navigations[0]!)}`,
      hash: '',
      pathname: '/koreaiaa-genesys/',
    });
    expect(done).toMatchObject({
      kind: 'token',
      originalQuery: QUERY,
      ctx: CTX,
      token: { accessToken: ACCESS, expiresAt: 10_005_000 + 3_600_000, grant: 'pkce' },
    });
    expect(Object.fromEntries(forms[0]!)).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT,
      client_id: 'cid',
      code_verifier: record.codeVerifier,
    });
    expect(s.replaced).toEqual(['/koreaiaa-genesys/']);
    expect(s.storage.getItem(`kaa.oauth.${nonce}`)).toBeNull();
    expect(s.auth.getToken()?.accessToken).toBe(ACCESS);
    expect(s.auth.rememberedGrant()).toBe('pkce');
    s.advance(3_600_000 - 60_000);
    expect(s.auth.getToken()).toBeNull();
  });

  it("two logins at once (the API's 401 and the socket's close on one expiry) → one attempt, one record, one navigation", async () => {
    const s = setup();
    const request = { ctx: CTX as never, originalQuery: QUERY };
    const [a, b] = await Promise.all([s.auth.login(request), s.auth.login(request)]);
    expect(a).toEqual({ kind: 'redirecting', grant: 'pkce' });
    expect(b).toBe(a);
    expect(await s.auth.login(request)).toBe(a); // the frame is leaving: nothing more to start
    expect(s.navigations).toHaveLength(1);
    const keys = Array.from({ length: s.storage.length }, (_, i) => s.storage.key(i) ?? '');
    expect(keys.filter((k) => k.startsWith('kaa.oauth.') && k !== 'kaa.oauth.redirect')).toHaveLength(1);
  });

  it('the same answer twice → E_AUTH_STATE_INVALID (record deleted on first use), no automatic retry', async () => {
    tokenEndpoint();
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    const answer = { search: `?code=${CODE}&state=${stateOf(s.navigations[0]!)}`, hash: '' };
    await s.auth.handleRedirect(answer);
    const e = await rejectionOf(s.auth.handleRedirect(answer));
    expect(e).toMatchObject({ code: 'E_AUTH_STATE_INVALID', step: 'login' });
    expect(s.navigations).toHaveLength(1);
  });

  it('implicit: token read from the hash; expires_in honoured', async () => {
    const s = setup({ mode: 'implicit' });
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    const url = new URL(s.navigations[0]!);
    expect(url.searchParams.get('response_type')).toBe('token');
    expect(url.searchParams.has('code_challenge')).toBe(false);
    const done = await s.auth.handleRedirect({
      search: '',
      hash: `#access_token=${ACCESS}&expires_in=600&token_type=bearer&state=${stateOf(url.href)}`,
    });
    expect(done).toMatchObject({
      kind: 'token',
      token: { accessToken: ACCESS, expiresAt: 10_000_000 + 600_000, grant: 'implicit' },
    });
  });

  it('forged, garbage, foreign and stale states are rejected with E_AUTH_STATE_INVALID', async () => {
    const s = setup({ mode: 'implicit' });
    const forged = encodeAuthState({ nonce: 'AAAAAAAAAAAAAAAAAAAAAA', ctx: CTX });
    for (const hash of [
      `#access_token=${ACCESS}&state=${forged}`,
      `#access_token=${ACCESS}&state=not-base64!`,
      `#access_token=${ACCESS}`,
    ]) {
      expect(await rejectionOf(s.auth.handleRedirect({ search: '', hash }))).toMatchObject({
        code: 'E_AUTH_STATE_INVALID',
      });
    }
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    s.advance(10 * 60_000 + 1);
    expect(
      await rejectionOf(
        s.auth.handleRedirect({ search: '', hash: `#access_token=${ACCESS}&state=${stateOf(s.navigations[0]!)}` }),
      ),
    ).toMatchObject({ code: 'E_AUTH_STATE_INVALID' });
    expect(s.auth.getToken()).toBeNull();
    expect(s.navigations).toHaveLength(1);
  });

  it('reads the answer before replaceUrl empties a live location object', async () => {
    const live = { search: '', hash: '', pathname: '/koreaiaa-genesys/' };
    const s = setup({ mode: 'implicit', replaceUrl: () => Object.assign(live, { search: '', hash: '' }) });
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    live.hash = `#access_token=${ACCESS}&expires_in=600&state=${stateOf(s.navigations[0]!)}`;
    expect(await s.auth.handleRedirect(live)).toMatchObject({ kind: 'token', token: { accessToken: ACCESS } });
  });

  it('pendingLoginQuery returns the saved query without consuming the record', async () => {
    tokenEndpoint();
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    const answer = { search: `?code=${CODE}&state=${stateOf(s.navigations[0]!)}`, hash: '' };
    expect(pendingLoginQuery(answer, s.storage)).toBe(QUERY);
    expect(pendingLoginQuery({ search: '?state=garbage', hash: '' }, s.storage)).toBeNull();
    expect(await s.auth.handleRedirect(answer)).toMatchObject({ kind: 'token' });
    expect(pendingLoginQuery(answer, s.storage)).toBeNull();
  });

  it('no login answer in the URL → null', async () => {
    expect(await setup().auth.handleRedirect({ search: '?conversationid=x', hash: '' })).toBeNull();
  });

  it('grant fallback: PKCE refused (unauthorized_client) → implicit once, remembered per client id', async () => {
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    const again = await s.auth.handleRedirect({
      search: `?error=unauthorized_client&error_description=nope&state=${stateOf(s.navigations[0]!)}`,
      hash: '',
    });
    expect(again).toEqual({ kind: 'redirecting', grant: 'implicit' });
    expect(new URL(s.navigations[1]!).searchParams.get('response_type')).toBe('token');
    expect(s.auth.rememberedGrant()).toBe('implicit');
    // the fallback refused as well → no third attempt
    const e = await rejectionOf(
      s.auth.handleRedirect({
        search: `?error=unsupported_response_type&state=${stateOf(s.navigations[1]!)}`,
        hash: '',
      }),
    );
    expect(e.code).toBe('E_AUTH_GRANT_UNSUPPORTED');
    expect(s.navigations).toHaveLength(2);
    // a new page load starts with the remembered grant
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    expect(new URL(s.navigations[2]!).searchParams.get('response_type')).toBe('token');
  });

  it('grant fallback also when the token endpoint says unauthorized_client', async () => {
    tokenEndpoint(() => HttpResponse.json({ error: 'unauthorized_client' }, { status: 400 }));
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    expect(
      await s.auth.handleRedirect({ search: `?code=${CODE}&state=${stateOf(s.navigations[0]!)}`, hash: '' }),
    ).toEqual({ kind: 'redirecting', grant: 'implicit' });
  });

  it('an explicit grant (ctx.grant) is never swapped', async () => {
    const s = setup();
    await s.auth.login({ ctx: { ...CTX, grant: 'pkce' }, originalQuery: QUERY });
    const e = await rejectionOf(
      s.auth.handleRedirect({ search: `?error=unauthorized_client&state=${stateOf(s.navigations[0]!)}`, hash: '' }),
    );
    expect(e.code).toBe('E_AUTH_GRANT_UNSUPPORTED');
    expect(e.message).toContain('grant parameter');
    expect(s.navigations).toHaveLength(1);
  });

  it('access_denied → E_AUTH_DENIED; a failed code exchange → E_AUTH_DENIED; secrets redacted everywhere', async () => {
    tokenEndpoint(() =>
      HttpResponse.json({ error: 'invalid_grant', error_description: `code ${CODE} expired` }, { status: 400 }),
    );
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    expect(
      await rejectionOf(
        s.auth.handleRedirect({ search: `?error=access_denied&state=${stateOf(s.navigations[0]!)}`, hash: '' }),
      ),
    ).toMatchObject({ code: 'E_AUTH_DENIED' });
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    const verifier = JSON.parse(s.storage.getItem(`kaa.oauth.${decodeAuthState(stateOf(s.navigations[1]!)).nonce}`)!)
      .codeVerifier as string;
    const e = await rejectionOf(
      s.auth.handleRedirect({ search: `?code=${CODE}&state=${stateOf(s.navigations[1]!)}`, hash: '' }),
    );
    expect(e.code).toBe('E_AUTH_DENIED');
    const out = [e.message, JSON.stringify(e), ...s.logger.lines, ...s.navigations].join('\n');
    expect(out).not.toContain(CODE);
    expect(out).not.toContain(verifier);
  });
});

describe('createGenesysAuth: popup mode', () => {
  function popupSetup(over: Partial<GenesysAuthOptions> = {}) {
    let handler: ((e: MessageEventLike) => void) | null = null;
    const win = { closed: false };
    const opened: string[] = [];
    const s = setup({
      popup: true,
      openPopup: (u) => (opened.push(u), win),
      listenForMessages: (h) => ((handler = h), () => (handler = null)),
      ...over,
    });
    return { ...s, win, opened, post: (e: MessageEventLike) => handler?.(e), listening: () => handler !== null };
  }

  it('accepts the answer only from its own origin AND the popup it opened', async () => {
    tokenEndpoint();
    const p = popupSetup();
    const pending = p.auth.login({ ctx: CTX, originalQuery: QUERY });
    await vi.waitFor(() => expect(p.opened).toHaveLength(1));
    const url = new URL(p.opened[0]!);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    const data = { type: 'kaa-auth', search: `?code=${CODE}&state=${stateOf(url.href)}`, hash: '' };
    p.post({ origin: 'https://evil.example', source: p.win, data });
    p.post({ origin: ORIGIN, source: {}, data });
    p.post({ origin: ORIGIN, source: p.win, data: { type: 'other' } });
    expect(p.listening()).toBe(true);
    p.post({ origin: ORIGIN, source: p.win, data });
    expect(await pending).toMatchObject({ kind: 'token', originalQuery: QUERY, token: { accessToken: ACCESS } });
    expect(p.listening()).toBe(false);
    expect(p.navigations).toEqual([]);
  });

  it('opens the popup synchronously inside the click (no await before window.open once the PKCE pair is ready)', async () => {
    tokenEndpoint();
    const p = popupSetup();
    await new Promise((r) => setTimeout(r, 50)); // the pair is prepared in the background at creation
    const pending = p.auth.login({ ctx: CTX, originalQuery: QUERY });
    expect(p.opened).toHaveLength(1); // same tick as the call
    const url = new URL(p.opened[0]!);
    const verifier = JSON.parse(
      p.storage.getItem(`kaa.oauth.${decodeAuthState(stateOf(url.href)).nonce}`)!,
    ).codeVerifier;
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallengeOf(verifier));
    p.post({
      origin: ORIGIN,
      source: p.win,
      data: { type: 'kaa-auth', search: `?code=${CODE}&state=${stateOf(url.href)}`, hash: '' },
    });
    expect(await pending).toMatchObject({ kind: 'token' });
    // a second login gets a different verifier
    const second = p.auth.login({ ctx: CTX, originalQuery: QUERY });
    await vi.waitFor(() => expect(p.opened).toHaveLength(2));
    expect(new URL(p.opened[1]!).searchParams.get('code_challenge')).not.toBe(url.searchParams.get('code_challenge'));
    p.post({
      origin: ORIGIN,
      source: p.win,
      data: { type: 'kaa-auth', search: `?code=${CODE}&state=${stateOf(p.opened[1]!)}`, hash: '' },
    });
    await second;
  });

  it('a popup answer for another login attempt → E_AUTH_STATE_INVALID', async () => {
    const p = popupSetup({ mode: 'implicit' });
    const pending = p.auth.login({ ctx: CTX, originalQuery: QUERY });
    await vi.waitFor(() => expect(p.opened).toHaveLength(1));
    const forged = encodeAuthState({ nonce: 'BBBBBBBBBBBBBBBBBBBBBB', ctx: CTX });
    p.post({
      origin: ORIGIN,
      source: p.win,
      data: { type: 'kaa-auth', search: '', hash: `#access_token=${ACCESS}&state=${forged}` },
    });
    expect(await rejectionOf(pending)).toMatchObject({ code: 'E_AUTH_STATE_INVALID' });
  });

  it('open returns null → E_AUTH_POPUP_BLOCKED', async () => {
    const p = popupSetup({ openPopup: () => null });
    expect(await rejectionOf(p.auth.login({ ctx: CTX, originalQuery: QUERY }))).toMatchObject({
      code: 'E_AUTH_POPUP_BLOCKED',
    });
  });

  it('no answer within 120 s → E_AUTH_POPUP_TIMEOUT, and no timer or listener left', async () => {
    vi.useFakeTimers();
    const p = popupSetup();
    const pending = rejectionOf(p.auth.login({ ctx: CTX, originalQuery: QUERY }));
    await vi.waitFor(() => expect(p.opened).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(119_000);
    expect(p.listening()).toBe(true);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(await pending).toMatchObject({ code: 'E_AUTH_POPUP_TIMEOUT' });
    expect(p.listening()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the popup closed without answering → E_AUTH_POPUP_TIMEOUT quickly', async () => {
    vi.useFakeTimers();
    const p = popupSetup();
    const pending = rejectionOf(p.auth.login({ ctx: CTX, originalQuery: QUERY }));
    await vi.waitFor(() => expect(p.opened).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(10);
    p.win.closed = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({
      code: 'E_AUTH_POPUP_TIMEOUT',
      details: { closed: true, redirectUri: CALLBACK },
    });
    expect((await pending).message).toContain(`add exactly ${CALLBACK}`);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never waits silently: "opened" at once; "stuck" naming the URI to register when the popup stays on the login origin', async () => {
    vi.useFakeTimers();
    const waits: { stage: string; redirectUri: string; clientId: string; loginOrigin: string }[] = [];
    // a cross-origin popup: reading its location.href throws, as a browser does for the Genesys login page
    const crossOrigin = {
      closed: false,
      location: {
        get href(): string {
          throw new DOMException('Blocked a frame with origin', 'SecurityError');
        },
      },
    };
    const p = popupSetup({
      openPopup: (u) => (void u, crossOrigin),
      onPopupWaiting: (w) => void waits.push(w),
      popupHintMs: 6_000,
    });
    const pending = rejectionOf(p.auth.login({ ctx: CTX, originalQuery: QUERY }));
    await vi.waitFor(() => expect(waits).toHaveLength(1));
    expect(waits[0]).toMatchObject({
      stage: 'opened',
      redirectUri: CALLBACK,
      clientId: 'cid',
      loginOrigin: new URL(ENV.loginBase).origin,
    });
    await vi.advanceTimersByTimeAsync(5_900);
    expect(waits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(waits[1]).toMatchObject({ stage: 'stuck', redirectUri: CALLBACK });
    expect(p.logger.lines.join('\n')).toContain('still on the login page');
    await vi.advanceTimersByTimeAsync(120_000);
    const e = await pending;
    expect(e).toMatchObject({
      code: 'E_AUTH_POPUP_TIMEOUT',
      details: { onLoginPage: true, redirectUri: CALLBACK, clientId: 'cid' },
    });
    expect(e.message).toContain(`did not come back to ${CALLBACK}`);
    expect(e.message).toContain(`add exactly ${CALLBACK} to its Authorized redirect URIs`);
    expect(e.message).not.toContain('usePopupAuth=false');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('no "stuck" while the popup is back on this page\'s origin (its location readable)', async () => {
    vi.useFakeTimers();
    const stages: string[] = [];
    const sameOrigin = { closed: false, location: { href: CALLBACK } };
    const p = popupSetup({ openPopup: () => sameOrigin, onPopupWaiting: (w) => void stages.push(w.stage) });
    const pending = rejectionOf(p.auth.login({ ctx: CTX, originalQuery: QUERY }));
    await vi.waitFor(() => expect(stages).toEqual(['opened'])); // the PKCE pair is hashed first (WebCrypto, not a timer)
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stages).toEqual(['opened']);
    sameOrigin.closed = true;
    await vi.advanceTimersByTimeAsync(1_000);
    await pending;
  });
});

describe('popupCallback', () => {
  it('posts {type:"kaa-auth", search, hash} to the opener with its own origin as targetOrigin, then closes', () => {
    const posted: [unknown, string][] = [];
    let closed = false;
    const ok = popupCallback({
      opener: { postMessage: (m, o) => void posted.push([m, o]) },
      location: { origin: ORIGIN, search: '?code=x&state=y', hash: '' },
      close: () => void (closed = true),
    });
    expect(ok).toBe(true);
    expect(posted).toEqual([[{ type: 'kaa-auth', search: '?code=x&state=y', hash: '' }, ORIGIN]]);
    expect(closed).toBe(true);
    expect(popupCallback({ opener: null, location: { origin: ORIGIN, search: '', hash: '' }, close: () => {} })).toBe(
      false,
    );
  });
});

describe('property: handleRedirect', () => {
  it('any search/hash gives null, a result or a KaaError, never another throw', async () => {
    const s = setup({ fetch: async () => new Response('{}', { status: 400 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.string(),
        fc.constantFrom('', 'state=', 'code=1&state=', 'error=unauthorized_client&state='),
        async (a, b, prefix) => {
          await expectOnlyKaaError(() => s.auth.handleRedirect({ search: `?${prefix}${a}`, hash: `#${b}` }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
