import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { AUTH_STATE_MAX_LENGTH, decodeAuthState, encodeAuthState, type AuthStateContext } from '@kaa/core';

/** The OAuth state's length limit at its exact boundary and the reasons a returning state is refused. */

const NONCE = 'Zm9vYmFyYmF6cXV4MTIzNA';
const base = { conversationId: 'c'.repeat(128), targetEnv: 't'.repeat(64), lang: 'l'.repeat(64), usePopupAuth: false };
const ctxWithHost = (length: number): AuthStateContext => ({ ...base, hostOrigin: 'h'.repeat(length) });
const LONG_NONCE = 'N'.repeat(128);
const jsonLength = (length: number) =>
  JSON.stringify({
    v: 1,
    n: LONG_NONCE,
    ctx: {
      conversationId: base.conversationId,
      hostOrigin: 'h'.repeat(length),
      targetEnv: base.targetEnv,
      lang: base.lang,
      usePopupAuth: false,
    },
  }).length;
const make = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OAuth state length', () => {
  // 767 bytes of JSON encode to 1023 base64url characters, 768 bytes to 1024
  const fits = 767 - jsonLength(0);

  it('encodes a state of 1023 characters and refuses one of 1024, saying by how much', () => {
    expect(AUTH_STATE_MAX_LENGTH).toBe(1024);
    expect(fits).toBeGreaterThan(0);
    expect(fits).toBeLessThan(300);
    const longest = encodeAuthState({ nonce: LONG_NONCE, ctx: ctxWithHost(fits) });
    expect(longest).toHaveLength(1023);
    expect(decodeAuthState(longest).ctx.hostOrigin).toHaveLength(fits);
    const e = errorOf(() => encodeAuthState({ nonce: LONG_NONCE, ctx: ctxWithHost(fits + 1) }));
    expect(e.code).toBe('E_AUTH_STATE_INVALID');
    expect(e.message).toBe(
      "The OAuth state would be 1024 characters, over kaa's limit of 1023. Shorten the environment parameter.",
    );
    expect(e.details).toEqual({ length: 1024 });
  });

  it('refuses a returning state of 1024 characters even when it is well formed', () => {
    const state = make({ v: 1, n: LONG_NONCE, ctx: { ...base, hostOrigin: 'h'.repeat(fits + 1) } });
    expect(state).toHaveLength(1024);
    const e = errorOf(() => decodeAuthState(state));
    expect(e.details).toEqual({ problem: 'too long', length: 1024 });
  });
});

describe('OAuth state: why a returning state is refused', () => {
  const problem = (state: string) => {
    const e = errorOf(() => decodeAuthState(state));
    expect(e.code).toBe('E_AUTH_STATE_INVALID');
    const p = e.details['problem'] as string;
    expect(e.message).toBe(
      `The login came back with a "state" that kaa did not issue (${p}). Close the widget and open it again from the interaction; if it repeats, check that the OAuth redirect URI points at kaa's page.`,
    );
    return p;
  };

  it('names the problem', () => {
    expect(problem('   ')).toBe('empty');
    expect(problem('not base64!')).toBe('not base64url');
    expect(problem(Buffer.from('{nope').toString('base64url'))).toBe('not JSON');
    expect(problem(make({ v: 1, n: NONCE, ctx: { conversationId: 'c1', hostOrigin: 'h', lang: 'en us' } }))).toBe(
      'unexpected content at "ctx.lang"',
    );
    expect(
      problem(make({ v: 1, n: NONCE, ctx: { conversationId: 'c1', hostOrigin: 'h', targetEnv: 't'.repeat(65) } })),
    ).toBe('unexpected content at "ctx.targetEnv"');
    expect(problem(make({ v: 1, n: 'n'.repeat(129), ctx: { conversationId: 'c1', hostOrigin: 'h' } }))).toBe(
      'unexpected content at "n"',
    );
  });

  it('accepts surrounding whitespace and nonces of 16 and 128 characters', () => {
    const ctx = { conversationId: 'c1', hostOrigin: 'h' };
    for (const nonce of ['n'.repeat(16), 'n'.repeat(128)])
      expect(decodeAuthState(` ${make({ v: 1, n: nonce, ctx })}\n`).nonce).toBe(nonce);
    expect(problem(make({ v: 1, n: 'n'.repeat(15), ctx }))).toBe('unexpected content at "n"');
  });

  it('the encoder names the field it refuses, calling n the nonce', () => {
    const field = (nonce: string, ctx: AuthStateContext) => {
      const e = errorOf(() => encodeAuthState({ nonce, ctx }));
      expect(e.message).toMatch(
        /^Cannot build the OAuth state: field "[^"]+" is empty, too long or has unexpected characters\. This is a kaa bug or a malformed widget URL; reopen the widget\.$/,
      );
      return [e.message.split('"')[1], e.details['field']];
    };
    expect(field('short', { conversationId: 'c1', hostOrigin: 'h' })).toEqual(['nonce', 'n']);
    expect(field(NONCE, { conversationId: 'c 1', hostOrigin: 'h' })).toEqual([
      'ctx.conversationId',
      'ctx.conversationId',
    ]);
    expect(field(NONCE, { conversationId: 'c1', hostOrigin: 'h'.repeat(301) })).toEqual([
      'ctx.hostOrigin',
      'ctx.hostOrigin',
    ]);
  });
});
