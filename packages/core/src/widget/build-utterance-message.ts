import { KaaError } from '../errors.js';
import { WIDGET_MESSAGE } from './message-names.js';

/** Who said an utterance: the customer (`USER`) or the agent (`AGENT`). */
export type UtteranceSpeaker = 'customer' | 'agent';

/** Optional author details the widget shows. */
export interface UtteranceAuthor {
  id?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

/** Input of {@link buildUtteranceMessage}. */
export interface UtteranceMessageInput {
  speaker: UtteranceSpeaker;
  conversationId: string;
  /** The final utterance or chat text. */
  text: string;
  author?: UtteranceAuthor | undefined;
  /** Plain custom data object forwarded with the message. */
  customData?: Readonly<Record<string, unknown>> | undefined;
  /** The compact JWE from `encryptSecureCustomData` (`jwe.transport` `message`, docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport). */
  secureCustomData?: string | undefined;
}

/** The utterance postMessage (host → widget). */
export interface UtteranceMessage {
  name: typeof WIDGET_MESSAGE.customerMessage | typeof WIDGET_MESSAGE.agentMessage;
  author: { type: 'USER' | 'AGENT'; id?: string; firstName?: string; lastName?: string };
  /** Widget v3 reads the lower-case spelling. */
  conversationid: string;
  conversationId: string;
  value: string;
  customData?: Readonly<Record<string, unknown>>;
  secureCustomData?: string;
}

/**
 * Builds the message that feeds one final utterance or chat line to the widget (docs/kore-protocol.md#host-to-widget-messages).
 * The widget routes on `author.type` (`USER` for the customer, `AGENT` for the agent) and reads the
 * lower-case `conversationid`, so both spellings are sent. Empty text or conversation id throws `E_WIDGET_MESSAGE_INVALID`.
 *
 * @example
 * ```ts
 * import { buildUtteranceMessage } from '@kaa/core';
 *
 * iframe.contentWindow.postMessage(
 *   buildUtteranceMessage({ speaker: 'customer', conversationId: 'c0a0…01', text: 'I want to check my balance' }),
 *   'https://agentassist.kore.ai',
 * );
 * // { name: 'agentAssist.CustomerMessage', author: { type: 'USER' }, conversationid: 'c0a0…01', conversationId: 'c0a0…01', value: 'I want to check my balance' }
 * ```
 */
export function buildUtteranceMessage(input: UtteranceMessageInput): UtteranceMessage {
  if (input.speaker !== 'customer' && input.speaker !== 'agent') {
    throw new KaaError(
      'E_WIDGET_MESSAGE_INVALID',
      `Utterance speaker "${String(input.speaker)}" is not known; it must be "customer" or "agent". This is a kaa bug: report it.`,
      {
        details: { field: 'speaker' },
      },
    );
  }
  const conversationId = nonBlank(input.conversationId, 'conversationId');
  if (typeof input.text !== 'string' || input.text.trim() === '') {
    throw new KaaError(
      'E_WIDGET_MESSAGE_INVALID',
      'An utterance with no text cannot be sent to the widget. Skip empty transcript lines before feeding them.',
      { details: { field: 'text', conversationId } },
    );
  }
  const author: UtteranceMessage['author'] = { type: input.speaker === 'customer' ? 'USER' : 'AGENT' };
  if (input.author?.id) author.id = input.author.id;
  if (input.author?.firstName) author.firstName = input.author.firstName;
  if (input.author?.lastName) author.lastName = input.author.lastName;
  const message: UtteranceMessage = {
    name: input.speaker === 'customer' ? WIDGET_MESSAGE.customerMessage : WIDGET_MESSAGE.agentMessage,
    author,
    conversationid: conversationId,
    conversationId,
    value: input.text,
  };
  if (input.customData !== undefined && Object.keys(input.customData).length > 0) message.customData = input.customData;
  if (input.secureCustomData !== undefined && input.secureCustomData !== '')
    message.secureCustomData = input.secureCustomData;
  return message;
}

/** A required, non-blank string field of a host → widget message. */
export function nonBlank(value: unknown, field: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new KaaError(
    'E_WIDGET_MESSAGE_INVALID',
    `The widget message cannot be built: "${field}" is empty. This is a kaa bug or a conversation without ${field}: report it.`,
    {
      details: { field },
    },
  );
}
