import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * RFC 7636 `code_verifier`: 43–128 unreserved characters.
 *
 * @example
 * ```ts
 * CODE_VERIFIER.test('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // true
 * ```
 */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * The S256 code challenge of a verifier: base64url(SHA-256(verifier)), unpadded.
 *
 * @example
 * ```ts
 * s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * True when `verifier` is well formed and its S256 challenge equals `challenge` (constant-time compare).
 *
 * @example
 * ```ts
 * verifyS256(form.code_verifier, stored.codeChallenge);
 * ```
 */
export function verifyS256(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !CODE_VERIFIER.test(verifier)) return false;
  const a = Buffer.from(s256Challenge(verifier));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
