import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { mockHttp } from '@kaa/test-support';
import { http, HttpResponse } from 'msw';
import { clearRedirectLogin, createGenesysAuth, staleRedirectLogin } from '../src/index.js';
import type { GenesysAuthOptions } from '../src/index.js';
import { ENV, memoryStorage } from './helpers.js';

const REDIRECT = 'https://kaa.example/koreaiaa-genesys/';
const CTX = {
  conversationId: 'c0a00000-0000-4000-8000-000000000001',
  hostOrigin: 'https://apps.mypurecloud.ie',
  lang: 'en-us',
};
const QUERY = 'conversationid=c0a00000-0000-4000-8000-000000000001&genesysid=cid';

const { server } = mockHttp();

function setup(over: Partial<GenesysAuthOptions> = {}) {
  const storage = memoryStorage();
  const navigations: string[] = [];
  let t = 50_000_000;
  const now = () => t;
  const auth = createGenesysAuth({
    clientId: 'cid',
    redirectUri: REDIRECT,
    environment: ENV,
    storage,
    origin: 'https://kaa.example',
    now,
    navigate: (u) => void navigations.push(u),
    replaceUrl: () => undefined,
    ...over,
  });
  return { auth, storage, navigations, now, advance: (ms: number) => (t += ms) };
}
const stateOf = (url: string) => new URL(url).searchParams.get('state') ?? '';

describe('staleRedirectLogin (docs/assumptions.md#popup-or-redirect-login: redirect first, popup after a framing failure)', () => {
  it('reports an unanswered in-iframe redirect only once it is older than the limit (default 15 s)', async () => {
    const s = setup();
    expect(staleRedirectLogin(s.storage, s.now)).toBeNull();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    expect(s.navigations).toHaveLength(1);
    s.advance(14_999);
    expect(staleRedirectLogin(s.storage, s.now)).toBeNull(); // another instance may be mid-redirect
    s.advance(1);
    expect(staleRedirectLogin(s.storage, s.now)).toEqual({ ageMs: 15_000, grant: 'pkce' });
    expect(staleRedirectLogin(s.storage, s.now, 60_000)).toBeNull();
    expect(staleRedirectLogin(s.storage, s.now, 0)).toEqual({ ageMs: 15_000, grant: 'pkce' });
  });

  it('reports the implicit grant too', async () => {
    const s = setup({ mode: 'implicit' });
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    s.advance(20_000);
    expect(staleRedirectLogin(s.storage, s.now)).toEqual({ ageMs: 20_000, grant: 'implicit' });
  });

  it('an answered redirect is not stale', async () => {
    server.use(
      http.post(`${ENV.loginBase}/oauth/token`, () =>
        HttpResponse.json({ access_token: 'tok-PLANTED', token_type: 'bearer', expires_in: 3600 }),
      ),
    );
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    s.advance(2_000);
    expect(
      await s.auth.handleRedirect({
        search: `?code=abc&state=${stateOf(s.navigations[0]!)}`,
        hash: '',
        pathname: '/koreaiaa-genesys/',
      }),
    ).toMatchObject({ kind: 'token' });
    s.advance(60_000);
    expect(staleRedirectLogin(s.storage, s.now)).toBeNull();
    expect(s.storage.dump()).not.toContain('kaa.oauth.');
  });

  it('a popup login is never reported', async () => {
    const s = setup({
      popup: true,
      openPopup: () => ({ closed: false }),
      listenForMessages: () => () => undefined,
      popupTimeoutMs: 60_000_000,
    });
    void s.auth.login({ ctx: CTX, originalQuery: QUERY }).catch(() => undefined);
    // the popup's record exists (written after the PKCE material is derived, asynchronously)…
    await vi.waitFor(() => expect(s.storage.dump()).toContain('kaa.oauth.'));
    s.advance(30_000);
    expect(staleRedirectLogin(s.storage, s.now)).toBeNull(); // …but it is not a redirect
  });

  it('clearRedirectLogin forgets the record: nothing stale, and a late answer for it is rejected', async () => {
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    s.advance(30_000);
    expect(staleRedirectLogin(s.storage, s.now)).not.toBeNull();
    clearRedirectLogin(s.storage);
    expect(staleRedirectLogin(s.storage, s.now)).toBeNull();
    expect(s.storage.length).toBe(0);
    await expect(
      s.auth.handleRedirect({ search: `?code=abc&state=${stateOf(s.navigations[0]!)}`, hash: '' }),
    ).rejects.toMatchObject({ code: 'E_AUTH_STATE_INVALID' });
    clearRedirectLogin(s.storage); // idempotent
  });

  it('the newest redirect is the one reported', async () => {
    const s = setup();
    await s.auth.login({ ctx: CTX, originalQuery: QUERY });
    s.advance(40_000);
    // the agent re-opened the interaction: a new page load (a new auth) in the same tab
    const reopened = createGenesysAuth({
      clientId: 'cid',
      redirectUri: REDIRECT,
      environment: ENV,
      storage: s.storage,
      origin: 'https://kaa.example',
      now: s.now,
      navigate: () => undefined,
      replaceUrl: () => undefined,
    });
    await reopened.login({ ctx: CTX, originalQuery: QUERY });
    s.advance(5_000);
    expect(staleRedirectLogin(s.storage, s.now)).toBeNull();
    s.advance(10_000);
    expect(staleRedirectLogin(s.storage, s.now)).toEqual({ ageMs: 15_000, grant: 'pkce' });
  });

  it('unreadable or throwing storage → null, never a throw', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('x');
      },
      removeItem: () => {
        throw new Error('x');
      },
    };
    expect(staleRedirectLogin(throwing, () => 0)).toBeNull();
    expect(() => clearRedirectLogin(throwing)).not.toThrow();
  });

  it('property: any stored garbage → null or a well-formed answer, never a throw', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: null }),
        fc.option(fc.oneof(fc.string(), fc.json()), { nil: null }),
        fc.double(),
        fc.double(),
        (nonce, record, now, limit) => {
          const storage = memoryStorage();
          if (nonce !== null) {
            storage.setItem('kaa.oauth.redirect', nonce);
            if (record !== null) storage.setItem(`kaa.oauth.${nonce}`, record);
          }
          const found = staleRedirectLogin(storage, () => now, limit);
          if (found !== null) {
            expect(['pkce', 'implicit']).toContain(found.grant);
            expect(Number.isFinite(found.ageMs)).toBe(true);
          }
          clearRedirectLogin(storage);
          expect(storage.length).toBe(0);
        },
      ),
    );
  });
});
