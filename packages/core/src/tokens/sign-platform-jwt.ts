import { toKaaError } from '../errors.js';
import { epochSeconds, lifetimeSeconds, type ClockReading } from './epoch-seconds.js';
import { hmacKeyBytes, type SecretEncoding } from './secret-key.js';
import { requiredText } from './required-text.js';
import { PLATFORM_JWT_MAX_TTL_SECONDS, PLATFORM_JWT_TTL_SECONDS } from './platform-jwt-lifetime.js';
import { joseSignJwt } from './jose-sign.js';

/** Input of {@link signPlatformJwt}. */
export interface SignPlatformJwtOptions {
  /** The app's Client ID; the platform reads exactly the claim `appId`. */
  appId: string;
  /** The app's Client Secret (HS256 key). */
  clientSecret: string;
  /** Injected clock: epoch seconds or a Date. */
  now: ClockReading;
  /** Lifetime in seconds, default {@link PLATFORM_JWT_TTL_SECONDS}, at most {@link PLATFORM_JWT_MAX_TTL_SECONDS} (the long-lived x_metadata token, docs/assumptions.md#data-table-read-token-lifetime). */
  ttlSeconds?: number | undefined;
  /** `sub`: any identity, default `"kaa"`. */
  subject?: string | undefined;
  /** Key bytes of the secret (docs/assumptions.md#hs256-key-bytes), default `utf8`. */
  secretEncoding?: SecretEncoding | undefined;
}

/**
 * Signs a Kore platform public-API JWT (Data Tables, hooks, Control Transcription; docs/kore-protocol.md#platform-api-jwt):
 * HS256 over `{sub, appId, iat, exp}`, times in seconds. Send it in the `auth` header.
 *
 * @example
 * ```ts
 * import { signPlatformJwt } from '@kaa/core';
 *
 * const jwt = await signPlatformJwt({ appId: 'cs-da7a0000-0000-4000-8000-0000000000a1', clientSecret: 'data-app-read-secret-00a1', now: new Date() });
 * // fetch(`https://platform.kore.ai/api/public/tables/kaa_bots/query`, { headers: { auth: jwt } })
 * ```
 */
export async function signPlatformJwt(options: SignPlatformJwtOptions): Promise<string> {
  const appId = requiredText(
    options.appId,
    'app Client ID (appId)',
    'E_BOT_ROW_INVALID',
    'Use the Client ID of the Kore app that was granted access.',
  );
  const subject =
    options.subject === undefined
      ? 'kaa'
      : requiredText(options.subject, 'subject', 'E_TOKEN_SIGN_FAILED', 'Pass any non-empty identity or leave it out.');
  const ttl = lifetimeSeconds(
    options.ttlSeconds ?? PLATFORM_JWT_TTL_SECONDS,
    'kore.apiJwt.ttlSeconds',
    PLATFORM_JWT_MAX_TTL_SECONDS,
  );
  const iat = epochSeconds(options.now, 'E_TOKEN_SIGN_FAILED');
  const key = hmacKeyBytes(options.clientSecret, options.secretEncoding ?? 'utf8', 'app Client Secret');
  try {
    return await joseSignJwt({ alg: 'HS256', typ: 'JWT' }, { sub: subject, appId, iat, exp: iat + ttl }, key);
  } catch (cause) {
    throw toKaaError(
      cause,
      'E_TOKEN_SIGN_FAILED',
      'The Kore API token could not be signed. Check the app Client ID and Client Secret.',
      {
        details: { algorithm: 'HS256' },
        secrets: [options.clientSecret],
      },
    );
  }
}
