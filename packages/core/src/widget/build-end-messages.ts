import { KaaError } from '../errors.js';
import { WIDGET_MESSAGE } from './message-names.js';
import { nonBlank } from './build-utterance-message.js';

/** One line of the chat history sent with `agentAssist.endOfConversation`; `timestamp` in milliseconds. */
export interface ChatHistoryEntry {
  type: 'user' | 'agent';
  message: string;
  name: string;
  timestamp: number;
}

/** The `agentAssist.endOfConversation` postMessage. */
export interface EndOfConversationMessage {
  name: typeof WIDGET_MESSAGE.endOfConversation;
  conversationId: string;
  botId?: string;
  payload: { chatHistory: ChatHistoryEntry[] };
}

/** The `conversation.endAgentAssist` postMessage. */
export interface EndAgentAssistMessage {
  name: typeof WIDGET_MESSAGE.endAgentAssist;
  convsId: string;
}

/**
 * Builds `agentAssist.endOfConversation` (docs/kore-protocol.md#host-to-widget-messages): the widget then requests the summary (if enabled),
 * emits `end_of_conversation` and clears its state. Voice samples send an empty `chatHistory`.
 * Use it only when `lifecycleChannel` is `postMessage` (docs/assumptions.md#who-sends-end-of-conversation); an invalid history line throws `E_WIDGET_MESSAGE_INVALID`.
 *
 * @example
 * ```ts
 * import { buildEndOfConversationMessage } from '@kaa/core';
 *
 * buildEndOfConversationMessage({ conversationId: 'c0a0…02', botId: 'st-c0de…', chatHistory: [
 *   { type: 'user', message: 'Hi', name: 'Carla', timestamp: 1767225600000 },
 * ] });
 * // → { name: 'agentAssist.endOfConversation', conversationId: 'c0a0…02', botId: 'st-c0de…', payload: { chatHistory: [ … ] } }
 * ```
 */
export function buildEndOfConversationMessage(input: {
  conversationId: string;
  botId?: string | undefined;
  chatHistory: readonly ChatHistoryEntry[];
}): EndOfConversationMessage {
  const conversationId = nonBlank(input.conversationId, 'conversationId');
  if (!Array.isArray(input.chatHistory)) throw invalidHistory(-1);
  const chatHistory = input.chatHistory.map((entry, i) => {
    const ok =
      entry !== null &&
      typeof entry === 'object' &&
      (entry.type === 'user' || entry.type === 'agent') &&
      typeof entry.message === 'string' &&
      typeof entry.name === 'string' &&
      Number.isFinite(entry.timestamp);
    if (!ok) throw invalidHistory(i);
    return { type: entry.type, message: entry.message, name: entry.name, timestamp: entry.timestamp };
  });
  const message: EndOfConversationMessage = {
    name: WIDGET_MESSAGE.endOfConversation,
    conversationId,
    payload: { chatHistory },
  };
  if (input.botId) message.botId = input.botId;
  return message;
}

/**
 * Builds `conversation.endAgentAssist`, which only clears the widget's state for a conversation (docs/kore-protocol.md#host-to-widget-messages).
 *
 * @example
 * ```ts
 * import { buildEndAgentAssistMessage } from '@kaa/core';
 *
 * buildEndAgentAssistMessage({ conversationId: 'c0a0…01' }); // → { name: 'conversation.endAgentAssist', convsId: 'c0a0…01' }
 * ```
 */
export function buildEndAgentAssistMessage(input: { conversationId: string }): EndAgentAssistMessage {
  return { name: WIDGET_MESSAGE.endAgentAssist, convsId: nonBlank(input.conversationId, 'conversationId') };
}

function invalidHistory(index: number): KaaError {
  return new KaaError(
    'E_WIDGET_MESSAGE_INVALID',
    index < 0
      ? 'The chat history for the end-of-conversation message is not a list. This is a kaa bug: report it.'
      : `Chat history line ${index} is not {type: "user"|"agent", message, name, timestamp (ms)}. This is a kaa bug: report it.`,
    { details: { field: 'chatHistory', index } },
  );
}
