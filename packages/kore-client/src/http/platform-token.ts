import { KaaError } from '@kaa/core';
import type { signPlatformJwt as SignPlatformJwt } from '@kaa/core';

/** Same value as core's `PLATFORM_JWT_TTL_SECONDS` (a test keeps them equal); a static import of it would keep jose in the page's first chunk. */
const DEFAULT_TTL_SECONDS = 300;

/**
 * core's `signPlatformJwt`, loaded on first use: only app credentials need it, so a page that reads the table with
 * the `x_metadata` token never loads jose's signing code (its first chunk stays small).
 */
let signer: Promise<typeof SignPlatformJwt> | undefined;
const loadSigner = () => (signer ??= importSigner());
async function importSigner(): Promise<typeof SignPlatformJwt> {
  try {
    const { signPlatformJwt } = await import('@kaa/core');
    return signPlatformJwt;
  } catch (cause) {
    signer = undefined; // a failed chunk load is retried by the next get()
    throw new KaaError(
      'E_TOKEN_SIGN_FAILED',
      'The code that signs Kore API tokens from the app ClientId and ClientSecret could not be loaded. Reload the page; if it repeats, check that every file of the build (assets/*) is deployed.',
      { cause },
    );
  }
}

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

/** @internal `now` is epoch milliseconds. */
export function createPlatformTokenSource(credentials: PlatformCredentials, now: () => number): PlatformTokenSource {
  if ('token' in credentials) {
    const token = credentials.token;
    return { kind: 'static', get: async () => token, invalidate() {}, secrets: () => [token] };
  }
  const { appId, clientSecret } = credentials;
  const ttlSeconds = credentials.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const minted: string[] = [];
  return {
    kind: 'app',
    async get() {
      if (current && now() < current.renewAt) return current.token;
      pending ??= (async () => {
        try {
          const signPlatformJwt = await loadSigner();
          const issuedAt = now();
          const token = await signPlatformJwt({ appId, clientSecret, now: new Date(issuedAt), ttlSeconds });
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
