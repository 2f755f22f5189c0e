/**
 * `POST /api/1.1/oAuth/token/jwtgrant` (step 2 of docs/kore-protocol.md#widget-boot-sequence) and the widget settings call that uses its
 * access token (`GET /agentassist/api/v1/agentassist/{botId}/agentassistsetting`).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { THIRD_PARTY } from '../seed.js';
import { allowedWidgetAlgorithms } from './bot-keys.js';
import type { HttpAnswer } from '../http/answer.js';
import { verifyWidgetJwt, type WidgetJwtKey } from './jwt-checks.js';
import type { RecordedJwtgrant } from './recorded.js';
import { botByClientId, botById, koreError, liveAccessToken } from './world.js';
import type { KoreWorld } from './world.js';

const jwtgrantBodySchema = z.object({
  assertion: z.string().min(1),
  botInfo: z.object({ chatBot: z.string().optional(), taskBotId: z.string().min(1) }),
  token: z.record(z.string(), z.unknown()).optional(),
});

/** The key a bot's widget assertion must verify with, by the bot's ClientId (its pinned algorithms). */
export function widgetKeyOf(world: KoreWorld): (clientId: string) => WidgetJwtKey | undefined {
  return (clientId) => {
    const bot = botByClientId(world, clientId);
    if (!bot) return undefined;
    const key = bot.algorithm === 'RS256' ? bot.rsPublicKey : bot.clientSecret;
    return key === undefined ? undefined : { clientId, algorithms: allowedWidgetAlgorithms(bot), key };
  };
}

/** The assertion of a jwtgrant body, if the body has one. */
export function jwtgrantAssertion(rawBody: unknown): string | undefined {
  const body = jwtgrantBodySchema.safeParse(rawBody);
  return body.success ? body.data.assertion : undefined;
}

const NON_SECRET_CLAIMS = ['iss', 'sub', 'aud', 'iat', 'exp', 'appId', 'isAnonymous', 'kore_iss', 'kore_sub'] as const;

/**
 * Verifies the widget assertion against the bot whose ClientId is its issuer (pinned algorithm), checks
 * `botInfo.taskBotId` is that bot, records the call, and issues an opaque access token.
 *
 * @example
 * ```ts
 * const answer = await handleJwtgrant(world, { assertion, botInfo: { chatBot: 'Alpha', taskBotId: 'st-…' } });
 * answer.json.authorization.accessToken;
 * ```
 */
export async function handleJwtgrant(world: KoreWorld, rawBody: unknown): Promise<HttpAnswer> {
  const record: RecordedJwtgrant = { at: world.now(), status: 0 };
  world.recorded.jwtgrants.push(record);
  const answer = await answerJwtgrant(world, rawBody, record);
  record.status = answer.status;
  return answer;
}

async function answerJwtgrant(world: KoreWorld, rawBody: unknown, record: RecordedJwtgrant): Promise<HttpAnswer> {
  const body = jwtgrantBodySchema.safeParse(rawBody);
  if (body.success) world.secrets.add('kore-widget-jwt', body.data.assertion);
  if (!body.success) {
    record.error = 'body must be {assertion, botInfo: {chatBot, taskBotId}}';
    return koreError(400, `The jwtgrant body is invalid: ${record.error}.`);
  }
  const verified = await verifyWidgetJwt(body.data.assertion, widgetKeyOf(world), world.now(), world.seenJti);
  if (!verified.ok) {
    record.error = `error verifying the jwt: ${verified.msg}`;
    return koreError(401, record.error);
  }
  const bot = botByClientId(world, verified.value.clientId);
  if (!bot) return koreError(401, 'error verifying the jwt: unknown client id');
  Object.assign(record, {
    clientId: bot.clientId,
    botId: bot.botId,
    alg: verified.value.alg,
    claims: Object.fromEntries(
      NON_SECRET_CLAIMS.filter((c) => verified.value.claims[c] !== undefined).map((c) => [c, verified.value.claims[c]]),
    ),
  });
  if (body.data.botInfo.taskBotId !== bot.botId) {
    record.error = `botInfo.taskBotId "${body.data.botInfo.taskBotId}" is not the bot of client id "${bot.clientId}" (${bot.botId})`;
    return koreError(400, `${record.error}. Pass the BotId of the same row as the ClientId.`);
  }
  const accessToken = randomBytes(24).toString('base64url');
  const issuedAt = world.now();
  const expiresAt = issuedAt + world.settings.accessTokenTtlSeconds * 1000;
  const sub = typeof verified.value.claims.sub === 'string' ? verified.value.claims.sub : '';
  world.accessTokens.set(accessToken, { botId: bot.botId, clientId: bot.clientId, sub, expiresAt });
  world.secrets.add('kore-access-token', accessToken);
  return {
    status: 200,
    json: {
      authorization: {
        token_type: 'bearer',
        accessToken,
        issuedDate: new Date(issuedAt).toISOString(),
        expiresDate: new Date(expiresAt).toISOString(),
      },
      userInfo: { userId: `u-${sub}`, accountId: THIRD_PARTY.accountId },
    },
  };
}

/**
 * The widget's settings call: needs a live jwtgrant access token for that bot (`Authorization: bearer …`).
 *
 * @example
 * ```ts
 * await fetch(`${origin}/agentassist/api/v1/agentassist/${botId}/agentassistsetting?e=voice`, { headers: { authorization: `bearer ${token}` } });
 * ```
 */
export function handleWidgetSettings(
  world: KoreWorld,
  botId: string,
  channel: string,
  authorization: string | undefined,
): HttpAnswer {
  const issued = liveAccessToken(world, authorization);
  if (!issued) return koreError(401, 'The access token is missing, unknown or expired. Call jwtgrant again.');
  if (issued.botId !== botId)
    return koreError(403, `The access token was issued for bot "${issued.botId}", not "${botId}".`);
  const bot = botById(world, botId);
  return {
    status: 200,
    json: { botId, botName: bot?.name ?? botId, channel, language: 'en', summarization: true, agentCoaching: false },
  };
}
