import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { issuePath } from '../issues.js';
import { decodeBase64urlText, encodeBase64url } from '../base64.js';
import type { WidgetContext } from './widget-context.js';

/**
 * Longest `state` kaa emits or accepts (docs/assumptions.md#oauth-state-length: the limit is undocumented; kaa keeps under 1 KB).
 *
 * @example
 * ```ts
 * if (state.length >= AUTH_STATE_MAX_LENGTH) throw new Error('state too long');
 * ```
 */
export const AUTH_STATE_MAX_LENGTH = 1024;

/**
 * The part of the widget context that may travel in OAuth `state` (docs/genesys-protocol.md#context-in-state-and-the-csrf-check). By construction it has no
 * field for `x_metadata`, `x_passthru_metadata` or any token: `state` shows up in login URLs, history and logs.
 *
 * @example
 * ```ts
 * const ctx: AuthStateContext = { conversationId: 'c0a0…', hostOrigin: 'https://apps.mypurecloud.ie', lang: 'en-us' };
 * ```
 */
export interface AuthStateContext {
  readonly conversationId: string;
  readonly hostOrigin: string;
  readonly targetEnv?: string;
  readonly lang?: string;
  readonly usePopupAuth?: boolean;
}

/**
 * The decoded OAuth `state`: a CSRF nonce plus the fallback context.
 *
 * @example
 * ```ts
 * const { nonce, ctx }: AuthState = decodeAuthState(state);
 * ```
 */
export interface AuthState {
  readonly nonce: string;
  readonly ctx: AuthStateContext;
}

const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

const Ctx = z.strictObject({
  conversationId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,128}$/)),
  hostOrigin: z.string().check(z.minLength(1), z.maxLength(300)),
  targetEnv: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/))),
  lang: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  usePopupAuth: z.optional(z.boolean()),
});

const State = z.strictObject({
  v: z.literal(1),
  n: z.string().check(z.regex(NONCE)),
  ctx: Ctx,
});

/**
 * The {@link AuthStateContext} of a parsed widget context: only the non-secret fields.
 *
 * @example
 * ```ts
 * import { parseWidgetContext, toAuthStateContext } from '@kaa/core';
 *
 * toAuthStateContext(parseWidgetContext(location.href));
 * // → { conversationId: 'c0a0…', hostOrigin: 'https://apps.mypurecloud.ie', lang: 'en-us' }
 * ```
 */
export function toAuthStateContext(ctx: WidgetContext | AuthStateContext): AuthStateContext {
  return Object.freeze({
    conversationId: ctx.conversationId,
    hostOrigin: ctx.hostOrigin,
    ...(ctx.targetEnv === undefined ? {} : { targetEnv: ctx.targetEnv }),
    ...(ctx.lang === undefined ? {} : { lang: ctx.lang }),
    ...(ctx.usePopupAuth === undefined ? {} : { usePopupAuth: ctx.usePopupAuth }),
  });
}

/**
 * Encodes OAuth `state`: base64url of `{"v":1,"n":nonce,"ctx":{conversationId, hostOrigin, targetEnv?, lang?, usePopupAuth?}}`.
 * Only the fields of {@link AuthStateContext} are copied, whatever else `ctx` holds. `nonce` must be 16–128 base64url
 * characters (128 bits of randomness from the caller's injected random source). Throws `E_AUTH_STATE_INVALID` for a bad
 * nonce or context, or a result of {@link AUTH_STATE_MAX_LENGTH} characters or more.
 *
 * @example
 * ```ts
 * import { encodeAuthState } from '@kaa/core';
 *
 * const state = encodeAuthState({ nonce: 'q2w3e4r5t6y7u8i9o0p1a2', ctx: { conversationId: 'c0a0…', hostOrigin: 'https://apps.mypurecloud.ie' } });
 * // → 'eyJ2IjoxLCJuIjoicTJ3M2U0…'
 * ```
 */
export function encodeAuthState(state: { readonly nonce: string; readonly ctx: AuthStateContext }): string {
  const value = { v: 1 as const, n: state.nonce, ctx: toAuthStateContext(state.ctx) };
  const checked = State.safeParse(value);
  if (!checked.success) {
    const path = issuePath(checked.error.issues[0]?.path ?? [], { root: '' });
    throw new KaaError(
      'E_AUTH_STATE_INVALID',
      `Cannot build the OAuth state: field "${path === 'n' ? 'nonce' : path}" is empty, too long or has unexpected characters. This is a kaa bug or a malformed widget URL; reopen the widget.`,
      {
        details: { field: path },
      },
    );
  }
  const encoded = encodeBase64url(JSON.stringify(value));
  if (encoded.length >= AUTH_STATE_MAX_LENGTH) {
    throw new KaaError(
      'E_AUTH_STATE_INVALID',
      `The OAuth state would be ${encoded.length} characters, over kaa's limit of ${AUTH_STATE_MAX_LENGTH - 1}. Shorten the environment parameter.`,
      {
        details: { length: encoded.length },
      },
    );
  }
  return encoded;
}

/**
 * Decodes and validates OAuth `state` from the login callback. Compare `nonce` with the one you stored before
 * redirecting: this function only checks shape. Throws `E_AUTH_STATE_INVALID` for anything that
 * {@link encodeAuthState} would not produce (wrong version, extra fields, bad base64url, over 1 KB).
 *
 * @example
 * ```ts
 * import { decodeAuthState } from '@kaa/core';
 *
 * const { nonce, ctx } = decodeAuthState(new URLSearchParams(location.search).get('state') ?? '');
 * ```
 */
export function decodeAuthState(state: string): AuthState {
  const text = String(state).trim();
  const fail = (problem: string): never => {
    throw new KaaError(
      'E_AUTH_STATE_INVALID',
      `The login came back with a "state" that kaa did not issue (${problem}). Close the widget and open it again from the interaction; if it repeats, check that the OAuth redirect URI points at kaa's page.`,
      {
        details: { problem, length: text.length },
      },
    );
  };
  if (text === '') return fail('empty');
  if (text.length >= AUTH_STATE_MAX_LENGTH) return fail('too long');
  const json = decodeBase64urlText(text);
  if (json === undefined) return fail('not base64url');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail('not JSON');
  }
  const parsed = State.safeParse(value);
  if (!parsed.success)
    return fail(`unexpected content at "${issuePath(parsed.error.issues[0]?.path ?? [], { root: '' })}"`);
  return Object.freeze({ nonce: parsed.data.n, ctx: toAuthStateContext(parsed.data.ctx) });
}
