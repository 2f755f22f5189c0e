import type { RandomBytes, StorageLike } from '@kaa/core';
import * as z from 'zod/mini';
import { encodeBase64url, KaaError } from '@kaa/core';
import { safeGet, safeJson, safeRemove, safeSet } from '../safe-storage.js';
import type { BrowserGrant } from './types.js';

/**
 * The login record: what one login attempt keeps in `sessionStorage` under `kaa.oauth.<nonce>` until its answer
 * arrives (docs/assumptions.md#storage-across-the-in-iframe-redirect). The nonce travels in `state`; the record holds
 * what must not (the original query with `x_metadata`, the PKCE verifier). It is read once: the answer that finds it
 * deletes it, so a replayed or forged `state` finds nothing.
 */

const LoginRecordSchema = z.object({
  v: z.literal(1),
  originalQuery: z.string(),
  createdAt: z.number(),
  codeVerifier: z.optional(z.string()),
  grant: z.enum(['pkce', 'implicit']),
  explicit: z.boolean(),
  fallback: z.boolean(),
  popup: z.boolean(),
});

/** One login attempt as stored. */
export type LoginRecord = z.infer<typeof LoginRecordSchema>;

/**
 * Storage key of the login record of one attempt.
 *
 * @example
 * ```ts
 * sessionStorage.getItem(loginRecordKey(nonce)); // 'kaa.oauth.<nonce>'
 * ```
 */
export const loginRecordKey = (nonce: string) => `kaa.oauth.${nonce}`;

/** Storage key naming the nonce of the last in-iframe redirect login started from this tab. */
const REDIRECT_POINTER_KEY = 'kaa.oauth.redirect';

/** A fresh nonce for `state`: 16 random bytes, base64url. */
export function createLoginNonce(random: RandomBytes): string {
  return encodeBase64url(random(new Uint8Array(16)));
}

/** Stores the record; a storage that refuses is `E_AUTH_STATE_INVALID` (the answer could not be checked). */
export function saveLoginRecord(storage: StorageLike, nonce: string, record: LoginRecord): void {
  try {
    storage.setItem(loginRecordKey(nonce), JSON.stringify(record));
  } catch (cause) {
    throw new KaaError(
      'E_AUTH_STATE_INVALID',
      'The page cannot write to sessionStorage, so it cannot check the login answer. Add "allow-same-origin" to the Interaction Widget sandbox and allow site storage.',
      {
        cause,
      },
    );
  }
}

/** Notes that this tab's newest in-iframe redirect login is `nonce` (see {@link staleRedirectLogin}). */
export function markRedirectLogin(storage: StorageLike, nonce: string): void {
  safeSet(storage, REDIRECT_POINTER_KEY, nonce);
}

/** The record of `nonce` without consuming it; null when there is none or it is unreadable. Never throws. */
export function peekLoginRecord(storage: StorageLike, nonce: string): LoginRecord | null {
  const raw = safeGet(storage, loginRecordKey(nonce));
  const parsed = raw === null ? undefined : LoginRecordSchema.safeParse(safeJson(raw));
  return parsed?.success ? parsed.data : null;
}

/** Reads and deletes the record of `nonce` (and the redirect pointer to it): `missing`, `unreadable`, or the record. */
export function takeLoginRecord(storage: StorageLike, nonce: string): LoginRecord | 'missing' | 'unreadable' {
  const key = loginRecordKey(nonce);
  const raw = safeGet(storage, key);
  storage.removeItem(key);
  if (safeGet(storage, REDIRECT_POINTER_KEY) === nonce) storage.removeItem(REDIRECT_POINTER_KEY);
  if (raw === null) return 'missing';
  const parsed = LoginRecordSchema.safeParse(safeJson(raw));
  return parsed.success ? parsed.data : 'unreadable';
}

/** Deletes the record of an attempt that will get no answer (popup blocked, timed out or closed). */
export function forgetLoginRecord(storage: StorageLike, nonce: string): void {
  storage.removeItem(loginRecordKey(nonce));
}

/**
 * An in-iframe redirect login that was started from this tab and never answered (see {@link staleRedirectLogin}).
 *
 * @example
 * ```ts
 * const stale: StaleRedirectLogin | null = staleRedirectLogin(sessionStorage, Date.now);
 * if (stale) console.info(`the ${stale.grant} redirect of ${stale.ageMs} ms ago never came back`);
 * ```
 */
export interface StaleRedirectLogin {
  /** How long ago the redirect was started, in ms. */
  ageMs: number;
  grant: BrowserGrant;
}

/**
 * Open question docs/assumptions.md#popup-or-redirect-login (`auth.mode: auto`): tells the page that an in-iframe redirect login was started from this tab at
 * least `olderThanMs` ago and its answer never arrived. Call it on a page load whose URL holds no login answer. The
 * usual cause is a login page that refuses to be framed (`X-Frame-Options`, CSP `frame-ancestors`): the frame shows
 * the browser's refusal and the agent re-opens the interaction. Redirecting again would loop, so the page should
 * sign in through a popup (after a click) instead, and call {@link clearRedirectLogin}.
 *
 * Assumption: widget frames of one desktop tab share `sessionStorage`, so another instance may be in the middle of
 * its own redirect; a round trip to the login server takes well under `olderThanMs` (default 15 s), so only older
 * records count. Null when there is none, it is younger, it was answered, or storage is unreadable. Never throws.
 *
 * @example
 * ```ts
 * const stale = location.search.includes('state=') ? null : staleRedirectLogin(sessionStorage, Date.now);
 * if (stale) { clearRedirectLogin(sessionStorage); usePopup = true; }
 * ```
 */
export function staleRedirectLogin(
  storage: StorageLike,
  now: () => number,
  olderThanMs = 15_000,
): StaleRedirectLogin | null {
  const nonce = safeGet(storage, REDIRECT_POINTER_KEY);
  if (nonce === null) return null;
  const record = peekLoginRecord(storage, nonce);
  if (!record || record.popup) return null;
  const ageMs = now() - record.createdAt;
  return Number.isFinite(ageMs) && ageMs >= olderThanMs ? { ageMs, grant: record.grant } : null;
}

/**
 * Forgets the pending in-iframe redirect login of this tab (its record and the pointer to it), so that an answer
 * arriving for it later is rejected and {@link staleRedirectLogin} no longer reports it. Never throws.
 *
 * @example
 * ```ts
 * if (staleRedirectLogin(sessionStorage, Date.now)) clearRedirectLogin(sessionStorage);
 * ```
 */
export function clearRedirectLogin(storage: StorageLike): void {
  const nonce = safeGet(storage, REDIRECT_POINTER_KEY);
  if (nonce !== null) safeRemove(storage, loginRecordKey(nonce));
  safeRemove(storage, REDIRECT_POINTER_KEY);
}
