import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { decodeAuthState, encodeAuthState, toAuthStateContext } from '@kaa/core';

/** Which fields the OAuth state carries: absent optional fields stay absent, false stays false, nothing else rides along. */

const NONCE = 'Zm9vYmFyYmF6cXV4MTIzNA';
const make = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('toAuthStateContext', () => {
  it('copies only the present fields, keeping false', () => {
    expect(Object.keys(toAuthStateContext({ conversationId: 'c1', hostOrigin: 'h' }))).toEqual([
      'conversationId',
      'hostOrigin',
    ]);
    const full = toAuthStateContext({
      conversationId: 'c1',
      hostOrigin: 'h',
      targetEnv: 'prod',
      lang: 'en',
      usePopupAuth: false,
    });
    expect(full).toStrictEqual({
      conversationId: 'c1',
      hostOrigin: 'h',
      targetEnv: 'prod',
      lang: 'en',
      usePopupAuth: false,
    });
    expect(Object.isFrozen(full)).toBe(true);
  });
});

describe('encodeAuthState / decodeAuthState', () => {
  it('writes exactly {v, n, ctx} with the present fields, and reads it back frozen', () => {
    const state = encodeAuthState({ nonce: NONCE, ctx: { conversationId: 'c1', hostOrigin: 'h', lang: 'en' } });
    expect(JSON.parse(Buffer.from(state, 'base64url').toString('utf8'))).toStrictEqual({
      v: 1,
      n: NONCE,
      ctx: { conversationId: 'c1', hostOrigin: 'h', lang: 'en' },
    });
    const decoded = decodeAuthState(state);
    expect(decoded).toStrictEqual({ nonce: NONCE, ctx: { conversationId: 'c1', hostOrigin: 'h', lang: 'en' } });
    expect(Object.isFrozen(decoded)).toBe(true);
    expect(Object.isFrozen(decoded.ctx)).toBe(true);
  });

  it('a state that is JSON but not an object names the root', () => {
    expect(errorOf(() => decodeAuthState(make(5))).details).toEqual({
      problem: 'unexpected content at ""',
      length: make(5).length,
    });
    expect(
      errorOf(() => decodeAuthState(make({ v: 1, n: NONCE, ctx: { conversationId: 'c1', hostOrigin: '' } }))).details[
        'problem'
      ],
    ).toBe('unexpected content at "ctx.hostOrigin"');
  });

  it('the encoder names a bad optional field', () => {
    const e = errorOf(() =>
      encodeAuthState({ nonce: NONCE, ctx: { conversationId: 'c1', hostOrigin: 'h', targetEnv: 'prod euw1' } }),
    );
    expect(e.message).toBe(
      'Cannot build the OAuth state: field "ctx.targetEnv" is empty, too long or has unexpected characters. This is a kaa bug or a malformed widget URL; reopen the widget.',
    );
    expect(e.details).toEqual({ field: 'ctx.targetEnv' });
  });
});
