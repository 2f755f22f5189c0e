import { KaaError, toKaaError } from '../errors.js';
import { widgetJwtAlgorithm } from './algorithms.js';
import { epochSeconds, lifetimeSeconds, type ClockReading } from './epoch-seconds.js';
import { requiredText } from './required-text.js';
import type { JoseEngine } from './jose-engine.js';
import { joseSignJwt } from './jose-sign.js';
import { importRsaPrivateKey } from './rsa-private-key.js';
import { hmacKeyBytes, type SecretEncoding } from './secret-key.js';
import type { TokenKeys } from './token-keys.js';

/**
 * Default widget JWT audience. The Kore field table says `https://idproxy.kore.com/authorize`; samples use
 * `.ai` (docs/assumptions.md#widget-jwt-claims). Configurable as `kore.jwt.aud`.
 *
 * @example
 * ```ts
 * signWidgetJwt({ ..., audience: KORE_JWT_AUDIENCE });
 * ```
 */
export const KORE_JWT_AUDIENCE = 'https://idproxy.kore.com/authorize';

/** Default widget JWT lifetime: 15 minutes (docs/assumptions.md#widget-jwt-claims, `kore.jwt.ttlSeconds`). The token sits in the iframe URL. */
export const WIDGET_JWT_TTL_SECONDS = 900;

/** Kore rejects a token carrying `jti` whose `exp − iat` exceeds one hour. */
const MAX_TTL_WITH_JTI = 3600;

/** Input of {@link signWidgetJwt}. Field names match a bot record, so a resolved row can be spread in. */
export interface SignWidgetJwtOptions {
  /** The bot's ClientId (`cs-…`): becomes `iss` and `appId`. */
  clientId: string;
  /** The user identity: kaa passes the Genesys user id. Becomes `sub`. */
  subject: string;
  /** The row's `Algorithm`: HS256 (default, also for empty), RS256 or RS512. Anything else → `E_ALGORITHM_UNSUPPORTED`. */
  algorithm?: string | undefined;
  /** The bot's ClientSecret; required for HS256. */
  clientSecret?: string | undefined;
  /** The row's RSPrivatePem (PKCS#8 or PKCS#1 PEM); required for RS256/RS512. */
  privateKeyPem?: string | undefined;
  /** Lifetime in seconds, default {@link WIDGET_JWT_TTL_SECONDS} (`kore.jwt.ttlSeconds`). */
  ttlSeconds?: number | undefined;
  /** Injected clock: epoch seconds or a Date. */
  now: ClockReading;
  /** `aud`, default {@link KORE_JWT_AUDIENCE} (`kore.jwt.aud`). */
  audience?: string | undefined;
  /** Add a random `jti` (`kore.jwt.includeJti`, default false). Kore then requires a lifetime of at most one hour. */
  includeJti?: boolean | undefined;
  /** HS256 key bytes: the secret's UTF-8 bytes (default) or base64-decoded (docs/assumptions.md#hs256-key-bytes, `kore.jwt.secretEncoding`). */
  secretEncoding?: SecretEncoding | undefined;
  /** Source of `jti` values; default `crypto.randomUUID()` from WebCrypto. */
  randomId?: (() => string) | undefined;
  /** Imported keys reused across calls ({@link createTokenKeys}); default: the key is imported for this call only. */
  keys?: TokenKeys | undefined;
  /** The signing primitive ({@link JoseEngine}); default jose over WebCrypto. */
  engine?: JoseEngine | undefined;
}

/**
 * Signs the Agent AI widget JWT (iframe `token`, jwtgrant `assertion`) as compact JWS.
 *
 * Claims (docs/kore-protocol.md#widget-jwt, docs/assumptions.md#widget-jwt-claims): `{iss: clientId, sub, appId: clientId, aud, iat, exp, isAnonymous: false}`,
 * times in **seconds**, plus `jti` when asked. Header `{alg, typ: 'JWT'}`. HS256 signs with the ClientSecret
 * (UTF-8 bytes by default, docs/assumptions.md#hs256-key-bytes); RS256/RS512 with `RSPrivatePem`. Failures are `KaaError`s
 * (`E_ALGORITHM_UNSUPPORTED`, `E_KEY_INVALID`, `E_CONFIG_INVALID`, `E_BOT_ROW_INVALID`, `E_TOKEN_SIGN_FAILED`)
 * whose message and details never contain the secret or key.
 *
 * @example
 * ```ts
 * import { signWidgetJwt } from '@kaa/core';
 *
 * const token = await signWidgetJwt({
 *   clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
 *   clientSecret: 'alpha-bot-client-secret-0001',
 *   subject: 'a9e00000-0000-4000-8000-000000000001', // Genesys user id
 *   now: new Date(),
 * });
 * // → 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjcy1h….…'
 * ```
 */
export async function signWidgetJwt(options: SignWidgetJwtOptions): Promise<string> {
  const secrets = [options.clientSecret, options.privateKeyPem];
  const alg = widgetJwtAlgorithm(options.algorithm);
  const clientId = requiredText(
    options.clientId,
    'ClientId',
    'E_BOT_ROW_INVALID',
    'Fill the ClientId column with the bot client app id (cs-…).',
  );
  const subject = requiredText(
    options.subject,
    'subject',
    'E_TOKEN_SIGN_FAILED',
    'kaa passes the Genesys user id; sign in again.',
  );
  const ttl = lifetimeSeconds(options.ttlSeconds ?? WIDGET_JWT_TTL_SECONDS, 'kore.jwt.ttlSeconds');
  if (options.includeJti && ttl > MAX_TTL_WITH_JTI) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Kore rejects a token with "jti" that lives longer than one hour, but "kore.jwt.ttlSeconds" is ${ttl}. Lower it to 3600 or less, or turn "kore.jwt.includeJti" off.`,
      {
        details: { configKey: 'kore.jwt.ttlSeconds', ttlSeconds: ttl },
      },
    );
  }
  const audience = options.audience ?? KORE_JWT_AUDIENCE;
  if (typeof audience !== 'string' || audience.trim() === '') {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The widget token audience is empty. Set "kore.jwt.aud" to https://idproxy.kore.com/authorize (the default) or remove it.',
      {
        details: { configKey: 'kore.jwt.aud' },
      },
    );
  }
  const iat = epochSeconds(options.now, 'E_TOKEN_SIGN_FAILED');
  const encoding = options.secretEncoding ?? 'utf8';
  const keys = options.keys;
  const key =
    alg === 'HS256'
      ? keys
        ? await keys.hmac(options.clientSecret, encoding)
        : hmacKeyBytes(options.clientSecret, encoding, 'ClientSecret')
      : keys
        ? await keys.rsaPrivate(options.privateKeyPem, alg)
        : await importRsaPrivateKey(options.privateKeyPem, alg);

  const claims: Record<string, unknown> = {
    iss: clientId,
    sub: subject,
    appId: clientId,
    aud: audience,
    iat,
    exp: iat + ttl,
    isAnonymous: false,
  };
  if (options.includeJti) claims['jti'] = (options.randomId ?? (() => globalThis.crypto.randomUUID()))();
  try {
    const header = { alg, typ: 'JWT' } as const;
    return await (options.engine ? options.engine.signJwt(header, claims, key) : joseSignJwt(header, claims, key));
  } catch (cause) {
    throw toKaaError(
      cause,
      'E_TOKEN_SIGN_FAILED',
      `The widget token could not be signed with ${alg}. Check the ClientSecret${alg === 'HS256' ? '' : ' and RSPrivatePem'} of the bot row.`,
      {
        details: { algorithm: alg },
        secrets,
      },
    );
  }
}
