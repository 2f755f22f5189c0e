/**
 * The Agent AI hooks API (docs/kore-protocol.md#hooks-api; path prefix docs/assumptions.md#hooks-path-prefix and header docs/assumptions.md#hooks-auth-header configurable) and Control
 * Transcription (docs/kore-protocol.md#hold-resume-and-control-transcription). Both verify a platform JWT signed with the bot's own JWT app (ClientId /
 * ClientSecret, docs/assumptions.md#app-that-signs-hooks-and-control-transcription), validate the body, and record every call, accepted or not.
 */
import { KaaError } from '@kaa/core';
import { parseControlBody } from './control-body.js';
import { parseHooksBody } from './hooks-body.js';
import type { HttpAnswer } from '../http/answer.js';
import { verifyPlatformJwt } from './jwt-checks.js';
import type { RecordedControl, RecordedHook } from './recorded.js';
import { botByClientId, botById, koreError } from './world.js';
import type { KoreWorld } from './world.js';

/** Secrets of the bots' JWT apps by ClientId: who may sign a hooks or Control Transcription JWT. */
export function secretOfBotApp(world: KoreWorld) {
  return (appId: string): string | undefined => botByClientId(world, appId)?.clientSecret;
}

/**
 * Answers `POST {hooksPathPrefix}/{botId}`.
 *
 * @example
 * ```ts
 * await handleHook(world, 'st-…', req.headers[world.settings.hooksAuthHeader], body);
 * ```
 */
export async function handleHook(
  world: KoreWorld,
  botId: string,
  token: string | undefined,
  rawBody: unknown,
): Promise<HttpAnswer> {
  const record: RecordedHook = { at: world.now(), status: 0, botId, body: rawBody };
  world.recorded.hooks.push(record);
  const answer = await answerHook(world, botId, token, rawBody, record);
  record.status = answer.status;
  if (answer.status >= 400)
    record.error = String(
      (answer.json as { message?: string; errors?: { msg: string }[] }).message ??
        (answer.json as { errors?: { msg: string }[] }).errors?.[0]?.msg,
    );
  return answer;
}

async function answerHook(
  world: KoreWorld,
  botId: string,
  token: string | undefined,
  rawBody: unknown,
  record: RecordedHook,
): Promise<HttpAnswer> {
  const jwt = await verifyPlatformJwt(token, secretOfBotApp(world), world.now());
  if (!jwt.ok) return koreError(401, `error verifying the jwt: ${jwt.msg}`);
  record.appId = jwt.value.appId;
  const bot = botById(world, botId);
  if (!bot)
    return { status: 400, json: { code: 400, message: `Linked bot details couldn't be found for bot "${botId}".` } };
  if (bot.clientId !== jwt.value.appId)
    return koreError(
      403,
      `The JWT app "${jwt.value.appId}" is not the app of bot "${botId}". Sign with that bot's ClientId and ClientSecret.`,
    );
  try {
    const body = parseHooksBody(rawBody);
    record.body = body;
    if (body.botId !== botId)
      return {
        status: 400,
        json: { code: 400, message: `The body's botId "${body.botId}" differs from the path's "${botId}".` },
      };
    return { status: 200, json: { STATUS: 'OK' } };
  } catch (e) {
    if (e instanceof KaaError) return { status: 400, json: { code: 400, message: e.message } };
    throw e;
  }
}

/**
 * Answers `POST /api/1.1/public/bot/{botId}/control/transcription?conversationId=…`.
 *
 * @example
 * ```ts
 * await handleControl(world, 'st-…', 'c0a0…', req.headers.auth, { action: 'pause', agentId: 'a9e…', handover: false });
 * ```
 */
export async function handleControl(
  world: KoreWorld,
  botId: string,
  conversationId: string | null,
  token: string | undefined,
  rawBody: unknown,
): Promise<HttpAnswer> {
  const record: RecordedControl = {
    at: world.now(),
    status: 0,
    botId,
    conversationId: conversationId ?? '',
    body: rawBody,
  };
  world.recorded.controls.push(record);
  const answer = await answerControl(world, botId, conversationId, token, rawBody, record);
  record.status = answer.status;
  if (answer.status >= 400) record.error = (answer.json as { errors?: { msg: string }[] }).errors?.[0]?.msg ?? 'error';
  return answer;
}

async function answerControl(
  world: KoreWorld,
  botId: string,
  conversationId: string | null,
  token: string | undefined,
  rawBody: unknown,
  record: RecordedControl,
): Promise<HttpAnswer> {
  const jwt = await verifyPlatformJwt(token, secretOfBotApp(world), world.now());
  if (!jwt.ok) return koreError(401, `error verifying the jwt: ${jwt.msg}`);
  record.appId = jwt.value.appId;
  const bot = botById(world, botId);
  if (!bot) return koreError(404, `Bot "${botId}" does not exist.`);
  if (bot.clientId !== jwt.value.appId)
    return koreError(403, `The JWT app "${jwt.value.appId}" is not the app of bot "${botId}".`);
  if (!conversationId) return koreError(400, 'The query parameter "conversationId" is required.');
  try {
    record.body = parseControlBody(rawBody);
    return { status: 200, json: { status: 'success' } };
  } catch (e) {
    if (e instanceof KaaError) return koreError(400, e.message);
    throw e;
  }
}
