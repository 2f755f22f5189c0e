import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { describeIssues, issuePaths } from '../issues.js';
import { unwrapEventBridge } from './unwrap-event-bridge.js';

/** Media of a `v2.users.{id}.conversations[.media]` topic; `all` for the bare `.conversations` topic. */
export type UserConversationMedia = 'all' | 'calls' | 'messages' | 'chats' | 'emails' | 'callbacks';

interface NotificationBase {
  /** The topic exactly as received. */
  readonly topicName: string;
  /** `metadata.CorrelationId`, when present (not secret; quote it to Genesys support). */
  readonly correlationId?: string;
}

/** `channel.metadata`: the ~30 s heartbeat (`"WebSocket Heartbeat"`) or the answer to a `{"message":"ping"}`. */
export interface HeartbeatNotification extends NotificationBase {
  readonly kind: 'heartbeat';
  readonly message?: string;
}
/** `v2.system.socket_closing`: maintenance; open a new socket within about a minute, then close this one. */
export interface SocketClosingNotification extends NotificationBase {
  readonly kind: 'socketClosing';
}
/** `v2.system.no_longer_subscribed[.{id}]`: the subscriptions are gone; resubscribe. */
export interface NoLongerSubscribedNotification extends NotificationBase {
  readonly kind: 'noLongerSubscribed';
}
/** `v2.system.token_revoked[.{id}]`: log in again, then recreate the channel. */
export interface TokenRevokedNotification extends NotificationBase {
  readonly kind: 'tokenRevoked';
}
/** `v2.conversations.{conversationId}.transcription`; feed `eventBody` to `normalizeTranscription`. */
export interface TranscriptionNotification extends NotificationBase {
  readonly kind: 'transcription';
  /** The conversation id taken from the topic. */
  readonly conversationId: string;
  readonly eventBody: Readonly<Record<string, unknown>>;
}
/** `v2.users.{userId}.conversations[.calls|.messages|.chats|.emails|.callbacks]`; feed `eventBody` to `diffConversation`. */
export interface UserConversationNotification extends NotificationBase {
  readonly kind: 'userConversation';
  readonly userId: string;
  readonly media: UserConversationMedia;
  /** `eventBody.id`: drop the event when it is not the conversation this page assists. */
  readonly conversationId: string;
  readonly eventBody: Readonly<Record<string, unknown>>;
}
/** Any other topic; kept whole so nothing is lost. */
export interface UnknownNotification extends NotificationBase {
  readonly kind: 'unknown';
  readonly eventBody: unknown;
}

/** Every notification kaa tells apart; switch on `kind`. */
export type Notification =
  | HeartbeatNotification
  | SocketClosingNotification
  | NoLongerSubscribedNotification
  | TokenRevokedNotification
  | TranscriptionNotification
  | UserConversationNotification
  | UnknownNotification;

/** Options for {@link parseNotification}. */
export interface ParseNotificationOptions {
  /**
   * Accept an Amazon EventBridge event and read the notification under `detail` (`'auto'`, the default),
   * or accept only the WebSocket envelope (`'never'`).
   */
  readonly eventBridge?: 'auto' | 'never';
}

// only the fields read are validated and copied; `eventBody` is passed on by reference (checked in depth by
// normalizeTranscription / diffConversation)
const Envelope = z.object({
  topicName: z.string().check(z.minLength(1)),
  version: z.optional(z.union([z.string(), z.number()])),
  eventBody: z.optional(z.unknown()),
  metadata: z.optional(z.nullable(z.object({ CorrelationId: z.optional(z.string()) }))),
});
const ConversationBody = z.looseObject({ id: z.string().check(z.minLength(1)) });
const HeartbeatBody = z.optional(z.nullable(z.looseObject({ message: z.optional(z.string()) })));

const TRANSCRIPTION_TOPIC = /^v2\.conversations\.([^.]+)\.transcription$/;
const USER_CONVERSATIONS_TOPIC = /^v2\.users\.([^.]+)\.conversations(?:\.(calls|messages|chats|emails|callbacks))?$/;
const NO_LONGER_SUBSCRIBED_TOPIC = /^v2\.system\.no_longer_subscribed(?:\.[^.]+)?$/;
const TOKEN_REVOKED_TOPIC = /^v2\.system\.token_revoked(?:\.[^.]+)?$/;

const FIX =
  'Check that the page reads the socket whose connectUri POST /api/v2/notifications/channels returned; if it does, report this frame (without its text) to the kaa maintainers.';

/**
 * Parses one frame from a Genesys notification WebSocket (a string) or an already-decoded value
 * (including an Amazon EventBridge event, see {@link unwrapEventBridge}) into a {@link Notification}.
 *
 * Topics are told apart by name (docs/genesys-protocol.md#notifications). Unknown topics come back as `kind: 'unknown'`.
 * Anything that is not a notification envelope throws a `KaaError` `E_EVENT_INVALID`; no other error escapes.
 * The message names the broken field, never its value.
 *
 * @example
 * ```ts
 * import { parseNotification } from '@kaa/core';
 *
 * const n = parseNotification('{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}');
 * if (n.kind === 'heartbeat') resetWatchdog();
 * if (n.kind === 'transcription') ledger.push(normalizeTranscription(n.eventBody).utterances);
 * ```
 */
export function parseNotification(frame: unknown, options: ParseNotificationOptions = {}): Notification {
  let value: unknown = frame;
  if (typeof frame === 'string') {
    try {
      value = JSON.parse(frame);
    } catch {
      throw new KaaError(
        'E_EVENT_INVALID',
        `A notification frame is not valid JSON (${frame.length} characters). ${FIX}`,
        {
          details: { length: frame.length },
        },
      );
    }
  }
  if ((options.eventBridge ?? 'auto') === 'auto') value = unwrapEventBridge(value);

  const envelope = Envelope.safeParse(value);
  if (!envelope.success) {
    throw new KaaError(
      'E_EVENT_INVALID',
      `A notification frame is not a Genesys notification envelope {topicName, eventBody}: ${describeIssues(envelope.error.issues)}. ${FIX}`,
      { details: { issues: issuePaths(envelope.error.issues), receivedType: typeOf(value) } },
    );
  }
  const { topicName, eventBody, metadata } = envelope.data;
  const correlationId = metadata?.CorrelationId;

  // the hot path (one frame per utterance) first: a cheap prefix check before the regex
  if (topicName.startsWith('v2.conversations.')) {
    const transcription = TRANSCRIPTION_TOPIC.exec(topicName);
    if (transcription) {
      const n: { -readonly [K in keyof TranscriptionNotification]: TranscriptionNotification[K] } = {
        kind: 'transcription',
        topicName,
        conversationId: transcription[1] ?? '',
        eventBody: objectBody(eventBody, topicName),
      };
      if (correlationId !== undefined) n.correlationId = correlationId;
      return n;
    }
  }
  const base = correlationId === undefined ? { topicName } : { topicName, correlationId };

  if (topicName === 'channel.metadata') {
    const body = HeartbeatBody.safeParse(eventBody);
    const message = body.success ? body.data?.message : undefined;
    return message === undefined ? { kind: 'heartbeat', ...base } : { kind: 'heartbeat', ...base, message };
  }
  if (topicName === 'v2.system.socket_closing') return { kind: 'socketClosing', ...base };
  if (NO_LONGER_SUBSCRIBED_TOPIC.test(topicName)) return { kind: 'noLongerSubscribed', ...base };
  if (TOKEN_REVOKED_TOPIC.test(topicName)) return { kind: 'tokenRevoked', ...base };

  const user = USER_CONVERSATIONS_TOPIC.exec(topicName);
  if (user) {
    const body = objectBody(eventBody, topicName);
    const conversation = ConversationBody.safeParse(body);
    if (!conversation.success) {
      throw new KaaError(
        'E_EVENT_INVALID',
        `A "${topicName}" notification has no conversation id: ${describeIssues(conversation.error.issues, 'eventBody')}. ${FIX}`,
        { details: { topicName, issues: issuePaths(conversation.error.issues, 'eventBody') } },
      );
    }
    const media = (user[2] ?? 'all') as UserConversationMedia;
    return {
      kind: 'userConversation',
      ...base,
      userId: user[1] ?? '',
      media,
      conversationId: conversation.data.id,
      eventBody: body,
    };
  }
  return { kind: 'unknown', ...base, eventBody };
}

function objectBody(eventBody: unknown, topicName: string): Record<string, unknown> {
  // a plain check: the body is validated in depth by normalizeTranscription / diffConversation, copied once there
  if (typeof eventBody === 'object' && eventBody !== null && !Array.isArray(eventBody))
    return eventBody as Record<string, unknown>;
  throw new KaaError(
    'E_EVENT_INVALID',
    `A "${topicName}" notification has no eventBody object (got ${typeOf(eventBody)}). ${FIX}`,
    {
      details: { topicName, receivedType: typeOf(eventBody) },
    },
  );
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
