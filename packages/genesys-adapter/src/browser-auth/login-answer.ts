import { KaaError, decodeAuthState } from '@kaa/core';
import type { AuthStateContext, StorageLike } from '@kaa/core';
import type { CodeExchange } from './code-exchange.js';
import { isGrantRefusal } from './grant-fallback.js';
import type { LoginRecord } from './login-record.js';
import { peekLoginRecord, takeLoginRecord } from './login-record.js';

/**
 * The login answer — `?code&state`, `#access_token&state` or `?error&state` — checked against its one-time login
 * record (CSRF): right nonce, record present and not older than `stateMaxAgeMs`. A code is exchanged for a token here.
 */

/** `?…` and `#…` parameters together (the code comes in the query, the implicit token in the hash). */
export function answerParams(location: { search: string; hash: string }): URLSearchParams {
  const params = new URLSearchParams(location.search.replace(/^\?/, ''));
  for (const [k, v] of new URLSearchParams(location.hash.replace(/^#/, ''))) if (!params.has(k)) params.set(k, v);
  return params;
}

/**
 * The URL holds a login answer (or something pretending to be one): `state`, `code`, `access_token` or `error` in the
 * query or the fragment. A page cleans such an address at once, before anything that can fail.
 *
 * @example
 * ```ts
 * import { holdsLoginAnswer } from '@kaa/genesys-adapter';
 *
 * holdsLoginAnswer({ search: '?code=abc&state=xyz', hash: '' }); // true
 * ```
 */
export function holdsLoginAnswer(location: { search: string; hash: string }): boolean {
  const params = answerParams(location);
  return params.has('state') || params.has('code') || params.has('access_token') || params.has('error');
}

function stateError(problem: string): KaaError {
  return new KaaError(
    'E_AUTH_STATE_INVALID',
    `The Genesys login answer was rejected: ${problem}. kaa does not retry on its own; close the widget and open it again from the interaction.`,
    {
      details: { problem },
    },
  );
}

/** What {@link checkLoginAnswer} needs. */
export interface LoginAnswerOptions {
  storage: StorageLike;
  now: () => number;
  stateMaxAgeMs: number;
  clientId: string;
  /** The redirect URI registered for the redirect flow (`false`) or the popup flow (`true`). */
  redirectUriFor(popup: boolean): string;
  exchange: CodeExchange;
}

/** A popup's answer must belong to the attempt that opened the popup; its record is also kept in memory. */
export interface PopupAttempt {
  expectedNonce: string;
  memoryRecord: LoginRecord;
}

/** A checked answer: a token, or the login server's refusal of the grant (the caller may fall back). */
export type CheckedLoginAnswer =
  | { kind: 'token'; record: LoginRecord; ctx: AuthStateContext; accessToken: string; expiresIn?: number | undefined }
  | {
      kind: 'grant-refused';
      record: LoginRecord;
      ctx: AuthStateContext;
      error: string;
      description?: string | undefined;
    };

/**
 * Checks a login answer and consumes its record. Throws `E_AUTH_STATE_INVALID` for a missing, foreign, replayed or
 * stale `state`, `E_AUTH_DENIED` when the login server said no, and the code exchange's errors.
 */
export async function checkLoginAnswer(
  location: { search: string; hash: string },
  options: LoginAnswerOptions,
  popup?: PopupAttempt,
): Promise<CheckedLoginAnswer> {
  const { storage, now, stateMaxAgeMs, clientId, redirectUriFor, exchange } = options;
  const params = answerParams(location);
  const state = params.get('state');
  if (!state) throw stateError('the login answer has no state');
  const decoded = decodeAuthState(state);
  if (popup && decoded.nonce !== popup.expectedNonce)
    throw stateError('the popup answered for a different login attempt');
  const taken = takeLoginRecord(storage, decoded.nonce);
  if (taken === 'unreadable') throw stateError('the saved login record is unreadable');
  const record = taken === 'missing' ? popup?.memoryRecord : taken;
  if (!record) throw stateError('no login was started from this page with that state, or its answer was already used');
  const age = now() - record.createdAt;
  if (age > stateMaxAgeMs || age < -60_000)
    throw stateError(
      `the login was started ${Math.round(age / 1000)} s ago; the limit is ${Math.round(stateMaxAgeMs / 1000)} s`,
    );
  const ctx = decoded.ctx;

  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? undefined;
    if (isGrantRefusal(error)) return { kind: 'grant-refused', record, ctx, error, description };
    throw new KaaError(
      'E_AUTH_DENIED',
      `The Genesys login server refused the sign-in (${error}${description ? `: ${description}` : ''}). Check that the agent may use OAuth client "${clientId}" and that its redirect URI is exactly "${redirectUriFor(popup !== undefined)}".`,
      {
        details: { error, description, grant: record.grant },
        secrets: [params.get('code'), params.get('access_token'), record.codeVerifier],
      },
    );
  }

  if (record.grant === 'pkce') {
    const code = params.get('code');
    if (!code || !record.codeVerifier) throw stateError('the login answer has no authorization code');
    const exchanged = await exchange(code, record.codeVerifier, redirectUriFor(record.popup));
    if ('refused' in exchanged)
      return { kind: 'grant-refused', record, ctx, error: exchanged.refused, description: exchanged.description };
    return { kind: 'token', record, ctx, accessToken: exchanged.accessToken, expiresIn: exchanged.expiresIn };
  }
  const accessToken = params.get('access_token');
  if (!accessToken) throw stateError('the login answer has no access token');
  const e = Number(params.get('expires_in'));
  return { kind: 'token', record, ctx, accessToken, expiresIn: Number.isFinite(e) && e > 0 ? e : undefined };
}

/**
 * On the landing page, before {@link createGenesysAuth} can be built: the original query string saved by the
 * login that this URL answers (read without consuming the one-time record), or null when the URL holds no login
 * answer, its `state` is malformed, or no record exists. The redirect loses the widget's query string (and with it
 * `genesysid`), so parse the widget context from this first; `handleRedirect` then performs the real check.
 *
 * @example
 * ```ts
 * const query = pendingLoginQuery(location, sessionStorage) ?? location.search.slice(1);
 * const ctx = parseWidgetContext(`${location.origin}${location.pathname}?${query}`);
 * const auth = createGenesysAuth({ clientId: ctx.genesysClientId, ... });
 * await auth.handleRedirect(location);
 * ```
 */
export function pendingLoginQuery(location: { search: string; hash: string }, storage: StorageLike): string | null {
  const state = answerParams(location).get('state');
  if (!state) return null;
  try {
    return peekLoginRecord(storage, decodeAuthState(state).nonce)?.originalQuery ?? null;
  } catch {
    return null;
  }
}
