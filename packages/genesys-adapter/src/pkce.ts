import type { RandomBytes } from '@kaa/core';
import { encodeBase64url } from '@kaa/core';

/**
 * SHA-256 over bytes (WebCrypto `subtle.digest` shape).
 *
 * @example
 * ```ts
 * const sha256: Sha256 = (data) => crypto.subtle.digest('SHA-256', data);
 * ```
 */
export type Sha256 = (data: Uint8Array) => Promise<ArrayBuffer>;

/** WebCrypto SHA-256. */
export const defaultSha256: Sha256 = (data) =>
  globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);

/**
 * A PKCE `code_verifier` (RFC 7636): 32 random bytes as base64url, 43 characters.
 *
 * @example
 * ```ts
 * const verifier = createCodeVerifier((b) => crypto.getRandomValues(b));
 * ```
 */
export function createCodeVerifier(random: RandomBytes): string {
  return encodeBase64url(random(new Uint8Array(32)));
}

/**
 * The `S256` `code_challenge` of a verifier: base64url(SHA-256(verifier)), unpadded.
 *
 * @example
 * ```ts
 * await codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export async function codeChallengeOf(verifier: string, sha256: Sha256 = defaultSha256): Promise<string> {
  return encodeBase64url(new Uint8Array(await sha256(new TextEncoder().encode(verifier))));
}
