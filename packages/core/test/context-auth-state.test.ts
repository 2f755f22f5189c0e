import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '@kaa/test-support';
import {
  AUTH_STATE_MAX_LENGTH,
  KaaError,
  decodeAuthState,
  encodeAuthState,
  parseWidgetContext,
  toAuthStateContext,
  type AuthStateContext,
} from '@kaa/core';

const NONCE = 'Zm9vYmFyYmF6cXV4MTIzNA'; // 22 base64url chars = 128 bits
const CTX: AuthStateContext = {
  conversationId: 'c0a00000-0000-4000-8000-000000000001',
  hostOrigin: 'https://apps.mypurecloud.ie',
  targetEnv: 'prod-euw1',
  lang: 'en-us',
  usePopupAuth: false,
};

function fromBase64url(s: string): unknown {
  return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
}

describe('OAuth state codec', () => {
  it('encodes base64url {"v":1,"n":nonce,"ctx":{…}} and decodes it back', () => {
    const state = encodeAuthState({ nonce: NONCE, ctx: CTX });
    expect(state).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64url(state)).toEqual({ v: 1, n: NONCE, ctx: CTX });
    expect(decodeAuthState(state)).toEqual({ nonce: NONCE, ctx: CTX });
    const minimal = { conversationId: 'c1', hostOrigin: 'mypurecloud.ie' };
    expect(decodeAuthState(encodeAuthState({ nonce: NONCE, ctx: minimal })).ctx).toEqual(minimal);
  });

  it('carries no x_metadata, passthru or token even when handed a full WidgetContext', () => {
    const token = 'PLANTED-datatable-token-xyz';
    const passthru = 'PLANTED-passthru-value-xyz';
    const ctx = parseWidgetContext(
      `?conversationid=c1&environment=https://apps.mypurecloud.ie&genesysid=g1&x_passthru_metadata=${passthru}&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: 't', token, qDelimiter: '_' } }))}`,
    );
    const state = encodeAuthState({ nonce: NONCE, ctx: ctx as unknown as AuthStateContext });
    const decoded = Buffer.from(state, 'base64url').toString('utf8');
    expect(decoded).not.toContain(token);
    expect(decoded).not.toContain(passthru);
    expect(decoded).not.toContain('genesysid');
    expect(decoded).not.toContain('g1');
    expect(toAuthStateContext(ctx)).toEqual({ conversationId: 'c1', hostOrigin: 'https://apps.mypurecloud.ie' });
  });

  it('rejects a state with extra fields (a token smuggled in), another version, or a bad nonce', () => {
    const make = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(codeOf(() => decodeAuthState(make({ v: 1, n: NONCE, ctx: { ...CTX, x_metadata: 'x' } })))).toBe(
      'E_AUTH_STATE_INVALID',
    );
    expect(codeOf(() => decodeAuthState(make({ v: 1, n: NONCE, ctx: CTX, access_token: 'x' })))).toBe(
      'E_AUTH_STATE_INVALID',
    );
    expect(codeOf(() => decodeAuthState(make({ v: 2, n: NONCE, ctx: CTX })))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => decodeAuthState(make({ v: 1, n: 'short', ctx: CTX })))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => decodeAuthState(`${make({ v: 1, n: NONCE, ctx: CTX })}=`))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => decodeAuthState(''))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => decodeAuthState('a'.repeat(AUTH_STATE_MAX_LENGTH)))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => decodeAuthState(Buffer.from('not json').toString('base64url')))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => encodeAuthState({ nonce: 'bad nonce!', ctx: CTX }))).toBe('E_AUTH_STATE_INVALID');
    expect(codeOf(() => encodeAuthState({ nonce: NONCE, ctx: { ...CTX, conversationId: '' } }))).toBe(
      'E_AUTH_STATE_INVALID',
    );
  });

  it('stays under 1 KB for any valid context and round-trips it', () => {
    const ctx = fc.record(
      {
        conversationId: fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9._-]{1,128}$/)),
        hostOrigin: fc.oneof(
          fc.webUrl().map((u) => new URL(u).origin),
          fc.domain(),
          fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }),
        ),
        targetEnv: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
        lang: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        usePopupAuth: fc.boolean(),
      },
      { requiredKeys: ['conversationId', 'hostOrigin'] },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/), ctx, (nonce, c) => {
        let state: string;
        try {
          state = encodeAuthState({ nonce, ctx: c });
        } catch (e) {
          // only a multi-byte host origin can push it over the limit
          expect(e).toBeInstanceOf(KaaError);
          expect((e as KaaError).code).toBe('E_AUTH_STATE_INVALID');
          expect(new TextEncoder().encode(c.hostOrigin).length).toBeGreaterThan(300);
          return;
        }
        expect(state.length).toBeLessThan(AUTH_STATE_MAX_LENGTH);
        expect(decodeAuthState(state)).toEqual({ nonce, ctx: c });
      }),
      { numRuns: 500 },
    );
  });

  it('decodes nothing but KaaError from arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (s) => {
          try {
            decodeAuthState(s);
          } catch (e) {
            if (!(e instanceof KaaError)) throw e;
            expect(e.code).toBe('E_AUTH_STATE_INVALID');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
