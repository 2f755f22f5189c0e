/**
 * Sandbox-only endpoints of the Kore platform that the stand-in widget and the tests use:
 * decrypting secureCustomData for a verified widget session, the widget's posted state, and the
 * Third-Party Configuration lookup (authenticated).
 */
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import type { HttpAnswer } from '../http/answer.js';
import type { RecordedThirdPartyLookup } from './recorded.js';
import { findThirdPartyRecords } from './third-party.js';
import { verifyPlatformJwt } from './jwt-checks.js';
import { botByClientId, botById, koreError, liveAccessToken } from './world.js';
import type { KoreWorld } from './world.js';

const decryptBodySchema = z.object({ jwe: z.string().min(1).max(100_000) });
const widgetStateBodySchema = z.object({
  conversationId: z.string().max(200),
  state: z.record(z.string(), z.unknown()),
});

/**
 * `POST /sandbox/kore/v1/decrypt` `{jwe}` with `Authorization: bearer <jwtgrant access token>`: decrypts with
 * the private key of the token's bot (RSA-OAEP; A128CBC-HS256 | A128GCM | A256GCM) and returns the header
 * and the claims; claims whose `exp` has passed are refused. The private key never leaves the platform.
 *
 * @example
 * ```ts
 * await fetch(`${kore}/sandbox/kore/v1/decrypt`, { method: 'POST', headers: { authorization: `bearer ${t}` }, body: JSON.stringify({ jwe }) });
 * ```
 */
export async function handleDecrypt(
  world: KoreWorld,
  authorization: string | undefined,
  rawBody: unknown,
): Promise<HttpAnswer> {
  const issued = liveAccessToken(world, authorization);
  if (!issued)
    return koreError(
      401,
      'Decrypting needs a live widget session: send Authorization: bearer <jwtgrant access token>.',
    );
  const body = decryptBodySchema.safeParse(rawBody);
  if (!body.success) return koreError(400, 'The decrypt body must be {"jwe": "<compact JWE>"}.');
  const bot = botById(world, issued.botId);
  if (!bot) return koreError(404, `Bot "${issued.botId}" no longer exists.`);
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(body.data.jwe).kid;
  } catch {
    return koreError(400, 'The secureCustomData is not a compact JWE (5 base64url parts).');
  }
  if (kid !== undefined && kid !== bot.jwePublicJwk.kid) {
    return koreError(
      400,
      `The JWE names key "${String(kid)}", but bot "${bot.botId}" has key "${String(bot.jwePublicJwk.kid)}". Encrypt with the JWEPublicKey of the same row.`,
    );
  }
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(body.data.jwe, bot.jwePrivateKey, {
      keyManagementAlgorithms: ['RSA-OAEP'],
      contentEncryptionAlgorithms: ['A128CBC-HS256', 'A128GCM', 'A256GCM'],
    });
    const text = new TextDecoder().decode(plaintext);
    let claims: unknown;
    try {
      claims = JSON.parse(text) as unknown;
    } catch {
      return { status: 200, json: { header: protectedHeader, text } };
    }
    // like a widget JWT, an expired JWE is refused (docs/assumptions.md#secure-custom-data-lifetime-and-refresh)
    const exp = typeof claims === 'object' && claims !== null ? (claims as { exp?: unknown }).exp : undefined;
    if (typeof exp === 'number' && exp * 1000 <= world.now()) {
      return koreError(
        400,
        `The secure custom data JWE expired at ${new Date(exp * 1000).toISOString()}. The host must send a fresh JWE before exp.`,
      );
    }
    return { status: 200, json: { header: protectedHeader, claims } };
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'ERR_JWE';
    return koreError(
      400,
      `The JWE could not be decrypted with bot "${bot.botId}"'s key (${code}). Use alg RSA-OAEP, enc A128CBC-HS256/A128GCM/A256GCM and the row's JWEPublicKey.`,
    );
  }
}

/**
 * `POST /sandbox/kore/v1/widget-state` `{conversationId, state}`: the stand-in widget reports what it shows.
 *
 * @example
 * ```ts
 * handleWidgetStatePost(world, { conversationId: 'c0a0…', state: { status: 'connected' } });
 * ```
 */
export function handleWidgetStatePost(world: KoreWorld, rawBody: unknown): HttpAnswer {
  const body = widgetStateBodySchema.safeParse(rawBody);
  if (!body.success) return koreError(400, 'The widget-state body must be {"conversationId", "state": {…}}.');
  world.widgetStates.set(body.data.conversationId, body.data.state);
  return { status: 204 };
}

/**
 * `GET /sandbox/kore/v1/widget-state?conversationId=…`: the latest state the widget of that conversation posted.
 *
 * @example
 * ```ts
 * (await fetch(`${kore}/sandbox/kore/v1/widget-state?conversationId=${id}`)).json();
 * ```
 */
export function handleWidgetStateGet(world: KoreWorld, conversationId: string | null): HttpAnswer {
  const state = world.widgetStates.get(conversationId ?? '');
  if (state === undefined)
    return koreError(404, `No widget has reported state for conversation "${conversationId ?? ''}".`);
  return { status: 200, json: state };
}

/**
 * Who may read an account's Third-Party Configuration: header `auth` = an HS256 platform JWT (exact `appId` claim)
 * signed by an app granted that account's records — the Data Table API's scheme. Kore has not published the
 * lookup's authentication (docs/assumptions.md#third-party-configuration-runtime-api): a missing or bad JWT is 401, a
 * valid JWT of another app (a Data app, a bot's JWT app) or of another account's reader is 403.
 *
 * @example
 * ```ts
 * const who = await thirdPartyReader(world, req.headers.auth, THIRD_PARTY.accountId);
 * if (!who.ok) return who.answer;
 * ```
 */
export async function thirdPartyReader(
  world: KoreWorld,
  authHeader: string | undefined,
  accountId: string,
): Promise<{ ok: true; appId: string } | { ok: false; answer: HttpAnswer }> {
  const jwt = await verifyPlatformJwt(
    authHeader,
    (appId) =>
      world.thirdPartyApps.get(appId)?.clientSecret ??
      world.dataApps.get(appId) ??
      botByClientId(world, appId)?.clientSecret,
    world.now(),
  );
  if (!jwt.ok) return { ok: false, answer: koreError(401, `error verifying the jwt: ${jwt.msg}`) };
  if (world.thirdPartyApps.get(jwt.value.appId)?.accountId !== accountId) {
    return {
      ok: false,
      answer: koreError(
        403,
        `The app "${jwt.value.appId}" may not read the Third-Party Configuration of account "${accountId}". Sign the JWT with an app of that account that is granted Third-Party Configuration.`,
      ),
    };
  }
  return { ok: true, appId: jwt.value.appId };
}

/**
 * `GET {thirdPartyPath}?queueName=…` with header `auth` (see {@link thirdPartyReader}): the record of the account that
 * lists the queue (docs/assumptions.md#third-party-configuration-runtime-api; full-name match).
 *
 * @example
 * ```ts
 * (await handleThirdPartyLookup(world, '6a1c…', 'KoreSupport', jwt)).json.botId;
 * ```
 */
export async function handleThirdPartyLookup(
  world: KoreWorld,
  accountId: string,
  queueName: string | null,
  authHeader: string | undefined,
): Promise<HttpAnswer> {
  const record: RecordedThirdPartyLookup = { at: world.now(), status: 0, accountId, queueName: queueName ?? '' };
  world.recorded.thirdPartyLookups.push(record);
  const answer = await (async (): Promise<HttpAnswer> => {
    const reader = await thirdPartyReader(world, authHeader, accountId);
    if (!reader.ok) return reader.answer;
    record.appId = reader.appId;
    if (!queueName) return koreError(400, 'The query parameter "queueName" is required.');
    if (!world.thirdParty.some((r) => r.accountId === accountId))
      return koreError(
        404,
        `Account "${accountId}" has no Third Party Configuration records. Check the accountId URL parameter.`,
      );
    const found = findThirdPartyRecords(world.thirdParty, accountId, queueName);
    if (found.length === 0)
      return koreError(
        404,
        `No Third Party Configuration record of account "${accountId}" lists queue "${queueName}". Add the queue to a record's Queue Identifiers.`,
      );
    if (found.length > 1)
      return koreError(
        409,
        `Queue "${queueName}" is listed by ${found.length} records of account "${accountId}"; a queue may map to one bot only.`,
      );
    record.recordId = found[0]?.recordId;
    return { status: 200, json: found[0] };
  })();
  record.status = answer.status;
  return answer;
}
