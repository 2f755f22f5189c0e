import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { issuePath } from '../issues.js';
import { decodeSendPayload } from './decode-send-payload.js';
import { WIDGET_MESSAGE } from './message-names.js';

/** A message from the widget iframe (widget → host), as {@link parseWidgetMessage} returns it. */
export type WidgetMessage =
  | { type: 'loaded' }
  | { type: 'send'; conversationId?: string; text: string; payload: string; contentType?: string }
  | { type: 'copy'; conversationId?: string; text: string; payload: string }
  | { type: 'summary'; conversationId?: string; summaries: string[] }
  | { type: 'urlClicked'; url: string }
  | { type: 'unknown'; name?: string; method?: string };

const optionalText = z.optional(z.string());
const SendLike = z.looseObject({ payload: z.string(), conversationId: optionalText, type: optionalText });
const Summary = z.looseObject({
  conversationId: optionalText,
  payload: z.looseObject({ summary: z.array(z.looseObject({ summary_text: optionalText })) }),
});
const UrlClicked = z.looseObject({ url: z.string() });

/**
 * Reads `event.data` from the widget iframe (docs/kore-protocol.md#widget-to-host-messages) into a discriminated union:
 * - `loaded` for `{method: 'agentassist_loaded'}`: send agent/user info, flush queued utterances;
 * - `send` (`method: 'send'` / `agentAssist.SendMessage`): `text` is the decoded payload to send to the customer;
 * - `copy` (`method: 'copy'` / `agentAssist.CopyMessage`);
 * - `summary` (`agentAssist.conversation_summary`): the `summary_text` values;
 * - `urlClicked` (`AgentAssist.UrlClickedMessage`): an http(s) URL to open;
 * - `unknown` for anything else, with its `name`/`method` for the log (docs/assumptions.md#widget-messages-newer-than-widget-v3: log and ignore).
 *
 * A known message with a malformed body (or a non-http URL) throws `E_WIDGET_MESSAGE_INVALID`; the error
 * names the fields, never their values. Check `event.origin` and `event.source` before calling this.
 *
 * @example
 * ```ts
 * import { parseWidgetMessage } from '@kaa/core';
 *
 * window.addEventListener('message', (event) => {
 *   if (event.source !== iframe.contentWindow || event.origin !== widgetOrigin) return;
 *   const message = parseWidgetMessage(event.data);
 *   if (message.type === 'send') sendChatText(message.text);
 * });
 * parseWidgetMessage({ method: 'agentassist_loaded', name: 'agent_assist' }); // → { type: 'loaded' }
 * ```
 */
export function parseWidgetMessage(data: unknown): WidgetMessage {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { type: 'unknown' };
  const record = data as Record<string, unknown>;
  const name = typeof record['name'] === 'string' ? record['name'] : undefined;
  const method = typeof record['method'] === 'string' ? record['method'] : undefined;

  if (method === WIDGET_MESSAGE.loaded) return { type: 'loaded' };
  if (method === 'send' || name === WIDGET_MESSAGE.sendMessage) {
    const m = parse(SendLike, data, WIDGET_MESSAGE.sendMessage);
    const out: WidgetMessage = { type: 'send', text: decodeSendPayload(m.payload), payload: m.payload };
    if (m.conversationId !== undefined) out.conversationId = m.conversationId;
    if (m.type !== undefined) out.contentType = m.type;
    return out;
  }
  if (method === 'copy' || name === WIDGET_MESSAGE.copyMessage) {
    const m = parse(SendLike, data, WIDGET_MESSAGE.copyMessage);
    const out: WidgetMessage = { type: 'copy', text: decodeSendPayload(m.payload), payload: m.payload };
    if (m.conversationId !== undefined) out.conversationId = m.conversationId;
    return out;
  }
  if (name === WIDGET_MESSAGE.conversationSummary) {
    const m = parse(Summary, data, WIDGET_MESSAGE.conversationSummary);
    const out: WidgetMessage = { type: 'summary', summaries: m.payload.summary.map((s) => s.summary_text ?? '') };
    if (m.conversationId !== undefined) out.conversationId = m.conversationId;
    return out;
  }
  if (method === WIDGET_MESSAGE.urlClicked || name === WIDGET_MESSAGE.urlClicked) {
    const m = parse(UrlClicked, data, WIDGET_MESSAGE.urlClicked);
    if (!isHttpUrl(m.url)) {
      throw new KaaError(
        'E_WIDGET_MESSAGE_INVALID',
        `The Agent AI widget asked to open a link that is not an http(s) URL; kaa did not open it. Check the links in the bot's answers.`,
        {
          details: { message: WIDGET_MESSAGE.urlClicked, field: 'url' },
        },
      );
    }
    return { type: 'urlClicked', url: m.url };
  }
  const unknown: WidgetMessage = { type: 'unknown' };
  if (name !== undefined) unknown.name = name.slice(0, 100);
  if (method !== undefined) unknown.method = method.slice(0, 100);
  return unknown;
}

function parse<T>(schema: z.ZodMiniType<T>, data: unknown, message: string): T {
  const result = z.safeParse(schema, data);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issuePath(issue.path, { root: '(message)' }));
  throw new KaaError(
    'E_WIDGET_MESSAGE_INVALID',
    `The Agent AI widget sent "${message}" with unexpected fields (${fields.join(', ')}); kaa ignored it. The widget may be newer than kaa's protocol (docs/kore-protocol.md#postmessage-protocol): check the AgentAssistWidgetURL version (a new message needs a kaa release that handles it).`,
    { details: { message, fields } },
  );
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
