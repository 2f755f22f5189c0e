import { KaaError, PLATFORM_JWT_TTL_SECONDS } from '@kaa/core';
import type { signPlatformJwt } from '@kaa/core';

/**
 * Signs a Kore platform JWT `{sub, appId, iat, exp}`: core's `signPlatformJwt`, passed in by the host. A library does
 * not choose what the page loads when: the page passes it where it has the code (its live-feed chunk), a Node host
 * passes the import.
 *
 * @example
 * ```ts
 * import { signPlatformJwt } from '@kaa/core';
 * const sign: PlatformJwtSigner = signPlatformJwt;
 * ```
 */
export type PlatformJwtSigner = typeof signPlatformJwt;

/**
 * Credentials for Kore's public APIs (docs/kore-protocol.md#platform-api-jwt): either a ready JWT (the `x_metadata` Data-app token)
 * or an app's ClientId and ClientSecret, from which kaa mints `{sub, appId, iat, exp}` HS256 JWTs.
 *
 * @example
 * ```ts
 * const fromUrl: PlatformCredentials = { token: xMetadata.datatable.token };
 * const fromApp: PlatformCredentials = { appId: 'cs-…', clientSecret: process.env.KORE_SECRET! };
 * ```
 */
export type PlatformCredentials =
  | { token: string }
  | {
      appId: string;
      clientSecret: string;
      /** Lifetime of each minted JWT; default core's `PLATFORM_JWT_TTL_SECONDS` (300). Renewed with 20 % left. */
      ttlSeconds?: number;
    };

/** @internal */
export interface PlatformTokenSource {
  /** `x_metadata` style static token, or minted from app credentials. */
  readonly kind: 'static' | 'app';
  get(): Promise<string>;
  /** Forget a minted token (after a 401) so the next `get()` mints a new one. */
  invalidate(): void;
  /** Every secret this source knows, for redaction. */
  secrets(): string[];
}

/** Minted tokens are renewed when less than this share of their lifetime is left. */
const RENEW_AT_REMAINING = 0.2;

/**
 * @internal `now` is epoch milliseconds; `sign` is needed only for app credentials (a ready token needs no signing).
 * @throws {KaaError} `E_CONFIG_INVALID` for app credentials without `sign`.
 */
export function createPlatformTokenSource(
  credentials: PlatformCredentials,
  now: () => number,
  sign?: PlatformJwtSigner,
): PlatformTokenSource {
  if ('token' in credentials) {
    const token = credentials.token;
    return { kind: 'static', get: async () => token, invalidate() {}, secrets: () => [token] };
  }
  const { appId, clientSecret } = credentials;
  if (sign === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Kore API tokens for app "${appId}" are signed from its ClientId and ClientSecret, but no signer was passed. Pass core's signPlatformJwt as "signPlatformJwt" (or pass a ready token instead of app credentials).`,
      { details: { key: 'signPlatformJwt', appId }, secrets: [clientSecret] },
    );
  }
  const ttlSeconds = credentials.ttlSeconds ?? PLATFORM_JWT_TTL_SECONDS;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const minted: string[] = [];
  return {
    kind: 'app',
    async get() {
      if (current && now() < current.renewAt) return current.token;
      pending ??= (async () => {
        try {
          const issuedAt = now();
          const token = await sign({ appId, clientSecret, now: new Date(issuedAt), ttlSeconds });
          current = { token, renewAt: issuedAt + ttlSeconds * 1000 * (1 - RENEW_AT_REMAINING) };
          minted.push(token);
          if (minted.length > 4) minted.shift();
          return token;
        } finally {
          pending = undefined;
        }
      })();
      return pending;
    },
    invalidate() {
      current = undefined;
    },
    secrets: () => [clientSecret, ...minted],
  };
}
