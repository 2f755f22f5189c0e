import { decodeJwtUnverified, signPlatformJwt, type SecretEncoding } from '@kaa/core';

/**
 * `live` (a Kore platform JWT Genesys holds: the x_metadata token in the widget URL, the AudioHook Advanced token)
 * when it is still the token kaa would sign — same app, same key (signed again with its own `iat` and lifetime, HS256
 * is deterministic) — and at least a quarter of `ttlSeconds` is left; else undefined, and a new one is minted. So
 * `kaa provision plan` stays empty until the token needs renewing or the key changed.
 *
 * @example
 * ```ts
 * const token = (await reusablePlatformJwt(liveToken, { appId, clientSecret, now: io.now(), ttlSeconds })) ?? (await signPlatformJwt(…));
 * ```
 */
export async function reusablePlatformJwt(
  live: string | undefined,
  input: {
    appId: string;
    clientSecret: string;
    nowMs: number;
    ttlSeconds: number;
    secretEncoding?: SecretEncoding | undefined;
  },
): Promise<string | undefined> {
  if (live === undefined || live === '') return undefined;
  let claims: Record<string, unknown>;
  try {
    const decoded = decodeJwtUnverified(live);
    if (decoded.kind !== 'jws') return undefined;
    claims = decoded.claims;
  } catch {
    return undefined;
  }
  const { iat, exp, appId } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || appId !== input.appId) return undefined;
  if (exp * 1000 - input.nowMs < (input.ttlSeconds * 1000) / 4) return undefined;
  const again = await signPlatformJwt({
    appId: input.appId,
    clientSecret: input.clientSecret,
    now: iat,
    ttlSeconds: exp - iat,
    ...(typeof claims['sub'] === 'string' && { subject: claims['sub'] }),
    ...(input.secretEncoding && { secretEncoding: input.secretEncoding }),
  }).catch(() => undefined);
  return again === live ? live : undefined;
}
