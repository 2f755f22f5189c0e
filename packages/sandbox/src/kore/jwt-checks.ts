/**
 * JWT verification as the Kore platform does it, with jose and pinned algorithms:
 * - platform public-API JWTs (header `auth`, HS256 over an app's secret, exact `appId` claim; docs/kore-protocol.md#platform-api-jwt);
 * - widget assertions at jwtgrant (HS256 with the bot's ClientSecret, or RS256/RS512 with its public key; docs/kore-protocol.md#widget-jwt).
 * Failures carry Kore's wording: `error verifying the jwt: …`.
 */
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';

/** The outcome of a verification; `msg` is the text after "error verifying the jwt: ". */
export type JwtCheck<T> = { ok: true; value: T } | { ok: false; msg: string };

/** Claims above this are milliseconds, not seconds (year 5138 in seconds). */
const SECONDS_CEILING = 100_000_000_000;

function peek(token: string): { claims: JWTPayload; alg: string } | undefined {
  try {
    return { claims: decodeJwt(token), alg: String(decodeProtectedHeader(token).alg ?? '') };
  } catch {
    return undefined;
  }
}

function secondsProblem(claims: JWTPayload): string | undefined {
  for (const name of ['exp', 'iat', 'nbf'] as const) {
    const v = claims[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v)))
      return `"${name}" claim must be a number of seconds`;
    if (typeof v === 'number' && v > SECONDS_CEILING) return `"${name}" claim must be in seconds, not milliseconds`;
  }
  return undefined;
}

function joseProblem(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code === 'ERR_JWT_EXPIRED') return 'token is expired ("exp" claim timestamp check failed)';
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'signature verification failed';
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'algorithm is not allowed for this app';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return e instanceof Error ? e.message : 'claim validation failed';
  return 'the token is malformed';
}

/** A verified platform JWT. */
export interface PlatformJwt {
  appId: string;
  claims: JWTPayload;
}

/**
 * Verifies a platform public-API JWT: HS256 only, signed with the secret of the app named by the exact
 * `appId` claim.
 *
 * @example
 * ```ts
 * const r = await verifyPlatformJwt(req.headers.auth, (appId) => secrets.get(appId), Date.now());
 * if (!r.ok) answer401(`error verifying the jwt: ${r.msg}`);
 * ```
 */
export async function verifyPlatformJwt(
  token: string | undefined,
  secretOf: (appId: string) => string | undefined,
  nowMs: number,
): Promise<JwtCheck<PlatformJwt>> {
  if (!token) return { ok: false, msg: 'no token in the auth header' };
  const peeked = peek(token);
  if (!peeked) return { ok: false, msg: 'the token is malformed' };
  const appId = peeked.claims['appId'];
  if (typeof appId !== 'string' || appId === '')
    return { ok: false, msg: 'the payload has no "appId" claim (only the exact claim name appId is accepted)' };
  const secret = secretOf(appId);
  if (secret === undefined) return { ok: false, msg: `no app with appId "${appId}"` };
  const seconds = secondsProblem(peeked.claims);
  if (seconds) return { ok: false, msg: seconds };
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
    });
    return { ok: true, value: { appId, claims: payload } };
  } catch (e) {
    return { ok: false, msg: joseProblem(e) };
  }
}

/** What jwtgrant needs to know about a bot to verify its widget assertion. */
export interface WidgetJwtKey {
  clientId: string;
  algorithms: readonly string[];
  /** HS* bots: the ClientSecret (UTF-8 bytes, docs/assumptions.md#hs256-key-bytes). RS* bots: the public key. */
  key: string | CryptoKey;
}

/** A verified widget assertion. */
export interface WidgetJwt {
  clientId: string;
  alg: string;
  claims: JWTPayload;
}

/**
 * Verifies a widget assertion (the iframe `token`): the issuer (`iss`, else `kore_iss`, else `appId`) names
 * the bot's ClientId; the algorithm is pinned to the bot's; times are seconds; a `jti` needs `exp − iat ≤ 1 h`
 * and is rejected when replayed (`seenJti` remembers it).
 *
 * @example
 * ```ts
 * const r = await verifyWidgetJwt(assertion, (clientId) => keys.get(clientId), Date.now(), new Set());
 * ```
 */
export async function verifyWidgetJwt(
  token: string,
  keyOf: (clientId: string) => WidgetJwtKey | undefined,
  nowMs: number,
  seenJti: Set<string>,
): Promise<JwtCheck<WidgetJwt>> {
  const peeked = peek(token);
  if (!peeked) return { ok: false, msg: 'the token is malformed' };
  const { claims, alg } = peeked;
  const issuer = [claims.iss, claims['kore_iss'], claims['appId']].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (!issuer) return { ok: false, msg: 'the payload has no "iss" claim naming the client id' };
  const key = keyOf(issuer);
  if (!key) return { ok: false, msg: `no JWT app with client id "${issuer}"` };
  if (!key.algorithms.includes(alg))
    return { ok: false, msg: `algorithm "${alg}" is not allowed for this app (allowed: ${key.algorithms.join(', ')})` };
  const seconds = secondsProblem(claims);
  if (seconds) return { ok: false, msg: seconds };
  const jti = claims.jti ?? claims['kore_jti'];
  if (jti !== undefined) {
    const iat = claims.iat;
    const exp = claims.exp;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600)
      return { ok: false, msg: 'if "jti" claim "exp" must be <= 1 hour(s)' };
    if (seenJti.has(`${issuer}:${String(jti)}`))
      return { ok: false, msg: '"jti" claim was seen before, possibly a replay' };
  }
  try {
    const secret = typeof key.key === 'string' ? new TextEncoder().encode(key.key) : key.key;
    const { payload } = await jwtVerify(token, secret, {
      algorithms: [...key.algorithms],
      currentDate: new Date(nowMs),
    });
    if (payload.exp === undefined) return { ok: false, msg: 'the payload has no "exp" claim' };
    if (jti !== undefined) seenJti.add(`${issuer}:${String(jti)}`);
    return { ok: true, value: { clientId: issuer, alg, claims: payload } };
  } catch (e) {
    return { ok: false, msg: joseProblem(e) };
  }
}
