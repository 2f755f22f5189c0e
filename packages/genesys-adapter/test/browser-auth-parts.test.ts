import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeChallengeOf } from '../src/index.js';
import { createGrantMemory, fallbackGrant, isGrantRefusal } from '../src/browser-auth/grant-fallback.js';
import { answerParams, holdsLoginAnswer } from '../src/browser-auth/login-answer.js';
import {
  createLoginNonce,
  forgetLoginRecord,
  markRedirectLogin,
  peekLoginRecord,
  saveLoginRecord,
  takeLoginRecord,
} from '../src/browser-auth/login-record.js';
import type { LoginRecord } from '../src/browser-auth/login-record.js';
import { createPkceMaterial } from '../src/browser-auth/pkce-material.js';
import { createRedirectFlow } from '../src/browser-auth/redirect-flow.js';
import { capturingLogger, memoryStorage } from './helpers.js';

const record = (over: Partial<LoginRecord> = {}): LoginRecord => ({
  v: 1,
  originalQuery: 'genesysid=cid',
  createdAt: 1,
  grant: 'pkce',
  explicit: false,
  fallback: false,
  popup: false,
  codeVerifier: 'v',
  ...over,
});
let counter = 0;
const countingRandom = (bytes: Uint8Array) => bytes.fill((counter += 1) % 256);

describe('PKCE material (prepared ahead of the click)', () => {
  it('a prepared pair is taken synchronously, once; the next one is prepared meanwhile; without one a fresh pair is computed', async () => {
    const digests: Promise<ArrayBuffer>[] = [];
    const pkce = createPkceMaterial(countingRandom, (data) => {
      const digest = crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
      digests.push(digest);
      return digest;
    });
    /** Every digest started so far has finished, and so has the bookkeeping after it (microtasks only). */
    const prepared = async () => {
      await Promise.all(digests);
      await new Promise((r) => setImmediate(r));
    };
    const first = pkce.take();
    expect(first).toBeInstanceOf(Promise); // nothing prepared yet
    const fresh = await first;
    expect(fresh.challenge).toBe(await codeChallengeOf(fresh.verifier));
    await prepared(); // take() started preparing the next pair
    const ready = pkce.take();
    expect(ready).not.toBeInstanceOf(Promise);
    const pair = ready as Awaited<typeof first>;
    expect(pair.challenge).toBe(await codeChallengeOf(pair.verifier));
    expect(pair.verifier).not.toBe(fresh.verifier);
    await prepared();
    const next = pkce.take() as Awaited<typeof first>;
    expect(next.verifier).not.toBe(pair.verifier); // used once
  });
});

describe('login record (docs/assumptions.md#storage-across-the-in-iframe-redirect)', () => {
  it('is read once: take() deletes it and the redirect pointer to it; peek() does not', () => {
    const storage = memoryStorage();
    const nonce = createLoginNonce(countingRandom);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    saveLoginRecord(storage, nonce, record());
    markRedirectLogin(storage, nonce);
    expect(peekLoginRecord(storage, nonce)).toEqual(record());
    expect(takeLoginRecord(storage, nonce)).toEqual(record());
    expect(takeLoginRecord(storage, nonce)).toBe('missing');
    expect(storage.length).toBe(0);
  });

  it('an unreadable record is reported as such; forgetting an attempt removes its record', () => {
    const storage = memoryStorage();
    storage.setItem('kaa.oauth.n1', '{"v":2}');
    expect(peekLoginRecord(storage, 'n1')).toBeNull();
    expect(takeLoginRecord(storage, 'n1')).toBe('unreadable');
    saveLoginRecord(storage, 'n2', record({ popup: true }));
    forgetLoginRecord(storage, 'n2');
    expect(storage.length).toBe(0);
  });

  it('a storage that refuses writes is E_AUTH_STATE_INVALID naming the sandbox flag', () => {
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
      removeItem: () => undefined,
    };
    expect(() => saveLoginRecord(refusing, 'n', record())).toThrow(
      expect.objectContaining({ code: 'E_AUTH_STATE_INVALID', message: expect.stringContaining('allow-same-origin') }),
    );
  });

  it('property: any stored text → null or a record, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(record()))), (text) => {
        const storage = memoryStorage();
        storage.setItem('kaa.oauth.n', text);
        const peeked = peekLoginRecord(storage, 'n');
        if (peeked !== null) expect(['pkce', 'implicit']).toContain(peeked.grant);
        const taken = takeLoginRecord(storage, 'n');
        expect(taken === 'unreadable' || taken === 'missing' || typeof taken === 'object').toBe(true);
      }),
    );
  });
});

describe('grant fallback (docs/assumptions.md#implicit-grant-retirement)', () => {
  it('the other grant once; never for an explicit grant or a second time', () => {
    expect(isGrantRefusal('unauthorized_client')).toBe(true);
    expect(isGrantRefusal('access_denied')).toBe(false);
    expect(fallbackGrant(record(), 'cid', 'unauthorized_client')).toBe('implicit');
    expect(fallbackGrant(record({ grant: 'implicit' }), 'cid', 'unsupported_response_type')).toBe('pkce');
    expect(() => fallbackGrant(record({ explicit: true }), 'cid', 'unauthorized_client')).toThrow(
      expect.objectContaining({
        code: 'E_AUTH_GRANT_UNSUPPORTED',
        message: expect.stringContaining('grant parameter'),
      }),
    );
    expect(() =>
      fallbackGrant(record({ fallback: true, grant: 'implicit' }), 'cid', 'unauthorized_client', 'nope'),
    ).toThrow(
      expect.objectContaining({
        code: 'E_AUTH_GRANT_UNSUPPORTED',
        message: expect.stringContaining('the other grant was refused too'),
      }),
    );
  });

  it('remembers the working grant per client id; a refusing storage only forgets', () => {
    const storage = memoryStorage();
    const a = createGrantMemory(storage, 'a');
    expect(a.remembered()).toBeNull();
    a.remember('implicit');
    expect(a.remembered()).toBe('implicit');
    expect(createGrantMemory(storage, 'b').remembered()).toBeNull();
    const broken = createGrantMemory(
      {
        getItem: () => {
          throw new Error('x');
        },
        setItem: () => {
          throw new Error('x');
        },
        removeItem: () => undefined,
      },
      'a',
    );
    expect(() => broken.remember('pkce')).not.toThrow();
    expect(broken.remembered()).toBeNull();
  });
});

describe('redirect flow', () => {
  it('leaving marks the pending redirect and navigates; the answer is read before the address bar is cleaned', () => {
    const storage = memoryStorage();
    const navigations: string[] = [];
    const replaced: string[] = [];
    const live = { search: '?code=c&state=s', hash: '', pathname: '/koreaiaa-genesys/' };
    const flow = createRedirectFlow({
      storage,
      logger: capturingLogger(),
      navigate: (u) => void navigations.push(u),
      replaceUrl: (u) => {
        replaced.push(u);
        live.search = '';
      },
      landingPath: () => '/landing/',
    });
    expect(flow.leave('https://login.test/oauth/authorize?x', 'n1', 'pkce')).toEqual({
      kind: 'redirecting',
      grant: 'pkce',
    });
    expect(navigations).toEqual(['https://login.test/oauth/authorize?x']);
    expect(storage.getItem('kaa.oauth.redirect')).toBe('n1');
    expect(flow.takeAnswer(live)).toEqual({ search: '?code=c&state=s', hash: '', pathname: '/koreaiaa-genesys/' });
    expect(replaced).toEqual(['/koreaiaa-genesys/']);
    expect(flow.takeAnswer({ search: '?conversationid=x', hash: '' })).toBeNull();
    expect(flow.takeAnswer({ search: '', hash: '#access_token=t' })).not.toBeNull();
    expect(replaced).toEqual(['/koreaiaa-genesys/', '/landing/']);
  });

  it('answer parameters: query first, then the hash; any of state, code, access_token, error counts as an answer', () => {
    expect(Object.fromEntries(answerParams({ search: '?state=a&code=c', hash: '#state=b&access_token=t' }))).toEqual({
      state: 'a',
      code: 'c',
      access_token: 't',
    });
    for (const key of ['state', 'code', 'access_token', 'error'])
      expect(holdsLoginAnswer({ search: `?${key}=1`, hash: '' })).toBe(true);
    expect(holdsLoginAnswer({ search: '?conversationid=1', hash: '#x=1' })).toBe(false);
  });
});
