import { KaaError } from '../errors.js';
import { decodeJoseSegment } from './jose-segment.js';

/** What {@link decodeJwtUnverified} returns: the protected header and, for a JWS, the claims. Never the signature. */
export type DecodedJwt =
  | { kind: 'jws'; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { kind: 'jwe'; header: Record<string, unknown> };

/**
 * Decodes a compact JWT **without verifying it**, for diagnostics (the CLI doctor, the debug timeline):
 * header and claims of a JWS, header only of a JWE. The signature is dropped. Anything that is not a
 * compact JWS/JWE with JSON header (and JSON claims) throws `E_TOKEN_MALFORMED`; the message never echoes the token.
 *
 * @example
 * ```ts
 * import { decodeJwtUnverified } from '@kaa/core';
 *
 * const { header, claims } = decodeJwtUnverified(token) as Extract<DecodedJwt, { kind: 'jws' }>;
 * // header → { alg: 'HS256', typ: 'JWT' }; claims → { iss: 'cs-…', sub: '…', appId: 'cs-…', aud: '…', iat, exp, isAnonymous: false }
 * ```
 */
export function decodeJwtUnverified(token: unknown): DecodedJwt {
  if (typeof token !== 'string' || token.trim() === '') {
    throw malformed('is empty');
  }
  const parts = token.trim().split('.');
  const header = parts[0] === undefined ? undefined : decodeJoseSegment(parts[0]);
  if (parts.length === 5) {
    if (!header || typeof header['enc'] !== 'string')
      throw malformed('has five parts but its header is not a JWE header');
    return { kind: 'jwe', header };
  }
  if (parts.length !== 3) throw malformed(`has ${parts.length} dot-separated parts instead of 3 (JWS) or 5 (JWE)`);
  if (!header || typeof header['alg'] !== 'string') throw malformed('has no readable JSON header with "alg"');
  const claims = decodeJoseSegment(parts[1] ?? '');
  if (!claims) throw malformed('has no readable JSON claims');
  return { kind: 'jws', header, claims };
}

function malformed(why: string): KaaError {
  return new KaaError(
    'E_TOKEN_MALFORMED',
    `The token ${why}. Paste the whole compact token (header.payload.signature).`,
  );
}
