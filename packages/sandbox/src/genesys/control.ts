import type { IncomingMessage, ServerResponse } from 'node:http';
import { isKaaError, KaaError, listIssues } from '@kaa/core';
import { z } from 'zod';
import { BodyError, readJson } from '../http/body.js';
import { safeDecode, sendJson } from '../http/send.js';
import { SCENARIOS } from './seed-world.js';
import type { GenesysService } from './service.js';
import { CONVERSATION_ACTIONS } from './world.js';

/**
 * `POST /sandbox/v1/conversations` body.
 *
 * @example
 * ```ts
 * NewConversationSchema.parse({ media: 'call', queueId: QUEUES.alpha.id });
 * ```
 */
export const NewConversationSchema = z
  .object({
    scenario: z.enum(Object.keys(SCENARIOS) as [keyof typeof SCENARIOS, ...(keyof typeof SCENARIOS)[]]).optional(),
    media: z.enum(['call', 'message']).optional(),
    queueId: z.string().min(1).max(100).optional(),
    customer: z.object({ name: z.string().min(1).max(200) }).optional(),
    agentUserId: z.string().min(1).max(100).optional(),
    state: z.enum(['alerting', 'connected']).optional(),
  })
  .strict();

/**
 * `POST /sandbox/v1/conversations/{id}/actions` body.
 *
 * @example
 * ```ts
 * ActionSchema.parse({ action: 'transferCold', toUserId: USERS.agent2.id });
 * ```
 */
export const ActionSchema = z
  .object({ action: z.enum(CONVERSATION_ACTIONS), toUserId: z.string().min(1).max(100).optional() })
  .strict();

/**
 * One utterance of `POST /sandbox/v1/conversations/{id}/transcript`.
 *
 * @example
 * ```ts
 * UtteranceSchema.parse({ channel: 'EXTERNAL', text: 'Hello', partials: true });
 * ```
 */
export const UtteranceSchema = z
  .object({
    channel: z.enum(['EXTERNAL', 'INTERNAL']),
    text: z.string().min(1).max(5000),
    partials: z.boolean().optional(),
  })
  .strict();

/**
 * `POST /sandbox/v1/conversations/{id}/transcript` body; without `utterances` the conversation's script plays.
 *
 * @example
 * ```ts
 * TranscriptSchema.parse({ utterances: [{ channel: 'INTERNAL', text: 'Hi' }], intervalMs: 200 });
 * ```
 */
export const TranscriptSchema = z
  .object({
    utterances: z.array(UtteranceSchema).max(500).optional(),
    intervalMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();

/**
 * `POST /sandbox/v1/conversations/{id}/messages` body.
 *
 * @example
 * ```ts
 * MessageSchema.parse({ direction: 'inbound', text: 'I need help' });
 * ```
 */
export const MessageSchema = z
  .object({ direction: z.enum(['inbound', 'outbound']), text: z.string().min(1).max(10_000) })
  .strict();

/**
 * `POST /sandbox/v1/session` body: who the login page signs in next.
 *
 * @example
 * ```ts
 * SessionSchema.parse({ userId: USERS.agent2.id });
 * ```
 */
export const SessionSchema = z.object({ userId: z.string().min(1).max(100) }).strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    throw new KaaError(
      'E_PARAM_INVALID',
      `The ${what} body is invalid: ${listIssues(r.error.issues, { root: 'body' }).join('; ')}. See packages/sandbox/README.md.`,
    );
  }
  return r.data;
}

/**
 * The sandbox control API on the API origin (`/sandbox/v1/**`, JSON, no auth): state, new conversations,
 * actions, transcripts, web messages, faults, reset, and the signed-in user. Errors are `{error: KaaError JSON}`
 * with 404 (unknown conversation), 409 (action not possible now) or 400 (invalid body).
 *
 * @example
 * ```ts
 * await fetch(`${api}/sandbox/v1/conversations/${id}/actions`, { method: 'POST', body: JSON.stringify({ action: 'hold' }) });
 * ```
 */
export function controlHandler(g: GenesysService) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname.slice('/sandbox/v1'.length);
    const method = req.method ?? 'GET';
    try {
      if (method === 'GET' && path === '/state') return sendJson(res, 200, g.state());
      if (method !== 'POST')
        return sendJson(res, 404, {
          error: { code: 'E_HTTP_NOT_FOUND', message: `No sandbox control route ${method} ${url.pathname}.` },
        });
      const body = await readJson(req);
      if (path === '/conversations') {
        const input = parse(NewConversationSchema, body, 'new conversation');
        return sendJson(res, 201, { id: g.createConversation(input) });
      }
      if (path === '/faults') {
        g.faults(body ?? {});
        return sendJson(res, 200, { faults: g.faultState.toJSON() });
      }
      if (path === '/reset') {
        await g.reset();
        return sendJson(res, 200, { ok: true });
      }
      if (path === '/session') {
        g.signIn(parse(SessionSchema, body, 'session').userId);
        return sendJson(res, 200, { signedInUserId: g.loginUserId });
      }
      const m = /^\/conversations\/([^/]+)\/(actions|transcript|messages)$/.exec(path);
      if (m?.[1] && m[2]) {
        const id = safeDecode(m[1]);
        if (m[2] === 'actions') {
          const a = parse(ActionSchema, body, 'action');
          g.act(id, a.action, a.toUserId);
          return sendJson(res, 200, { conversation: g.state().conversations.find((c) => c.id === id) });
        }
        if (m[2] === 'transcript') {
          const t = parse(TranscriptSchema, body, 'transcript');
          return sendJson(res, 200, await g.transcribe(id, t.utterances, t.intervalMs));
        }
        const msg = parse(MessageSchema, body, 'message');
        const stored = g.message(id, msg.direction, msg.text);
        return sendJson(res, 201, { id: stored.id });
      }
      return sendJson(res, 404, {
        error: { code: 'E_HTTP_NOT_FOUND', message: `No sandbox control route ${method} ${url.pathname}.` },
      });
    } catch (e) {
      if (e instanceof BodyError)
        return sendJson(res, e.status, { error: { code: 'E_PARAM_INVALID', message: e.message } });
      if (isKaaError(e)) {
        const status =
          e.code === 'E_CONVERSATION_NOT_FOUND'
            ? 404
            : e.code === 'E_AGENT_NOT_PARTICIPANT' || e.details.reason === 'conflict'
              ? 409
              : 400;
        return sendJson(res, status, { error: e.toJSON() });
      }
      throw e;
    }
  };
}
