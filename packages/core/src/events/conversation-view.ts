import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { describeIssues, issuePaths } from '../issues.js';
import type { MessageRef } from './lifecycle-event.js';

/**
 * One participant, read the same way from the nested `GET /api/v2/conversations/{id}` shape (state in media sessions
 * such as `calls[]`, `callbacks[]`) and from the flattened shape of `/conversations/calls` and the
 * `v2.users.{id}.conversations.*` notifications (state, `held`, `user.id` on the participant).
 */
export interface ParticipantView {
  readonly id: string;
  /** Position in `participants[]`; Genesys appends, so a larger index is a later participant. */
  readonly index: number;
  readonly purpose?: string;
  /** `userId`, or `user.id` in the flattened shape. */
  readonly userId?: string;
  /** The participant's `state`, else the state of its most relevant media session (an active one first, else the last). */
  readonly state?: string;
  readonly held: boolean;
  readonly confined: boolean;
  readonly disconnectType?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  /** True when the participant or one of its sessions has a `connectedTime`, or is `connected` now. */
  readonly everConnected: boolean;
  readonly consultParticipantId?: string;
  /** Web-messaging message references found on this participant (flattened refs or nested sessions). */
  readonly messages: readonly MessageRef[];
}

/** A conversation reduced to what lifecycle diffing needs; see {@link toConversationView}. */
export interface ConversationView {
  readonly id?: string;
  readonly endTime?: string;
  readonly participants: readonly ParticipantView[];
}

const text = z.optional(z.nullable(z.string()));
const flag = z.optional(z.nullable(z.boolean()));
/**
 * A message reference. The user-conversation topic (`v2.users.{id}.conversations`) and
 * `GET /api/v2/conversations/{id}` put the id in `messageId`; the `.messages` topics (SDK model
 * `ConversationMessageEventTopicMessageDetails`) put it in `message.id`. Both are read, nested in a
 * session's `messages[]` or flattened into the participant's `messages[]`.
 */
const messageRef = z.optional(z.nullable(z.looseObject({ id: text })));
const MessageDetails = z.looseObject({ messageId: text, message: messageRef, messageTime: text });
const Session = z.looseObject({
  state: text,
  held: flag,
  confined: flag,
  disconnectType: text,
  connectedTime: text,
  messageId: text,
  message: messageRef,
  messageTime: text,
  messages: z.optional(z.nullable(z.array(MessageDetails))),
});
const Sessions = z.optional(z.nullable(z.array(Session)));
const Participant = z.looseObject({
  id: z.string().check(z.minLength(1)),
  purpose: text,
  userId: text,
  user: z.optional(z.nullable(z.looseObject({ id: text }))),
  state: text,
  held: flag,
  confined: flag,
  disconnectType: text,
  startTime: text,
  connectedTime: text,
  endTime: text,
  consultParticipantId: text,
  calls: Sessions,
  callbacks: Sessions,
  chats: Sessions,
  emails: Sessions,
  messages: Sessions,
  socialExpressions: Sessions,
  videos: Sessions,
});
const Conversation = z.looseObject({ id: text, endTime: text, participants: z.array(Participant) });

type RawParticipant = z.infer<typeof Participant>;
type RawSession = z.infer<typeof Session>;

const MEDIA = ['calls', 'callbacks', 'chats', 'emails', 'messages', 'socialExpressions', 'videos'] as const;
const ENDED_STATES = new Set(['disconnected', 'terminated']);

/**
 * Validates a conversation (nested or flattened shape) and reduces it to a {@link ConversationView}.
 * A value without a `participants` array, or a participant without an `id`, throws `E_EVENT_INVALID`.
 *
 * @example
 * ```ts
 * import { toConversationView } from '@kaa/core';
 *
 * const view = toConversationView(notification.eventBody);
 * view.participants.filter((p) => p.purpose === 'agent' && p.state === 'connected');
 * ```
 */
export function toConversationView(conversation: unknown): ConversationView {
  const parsed = Conversation.safeParse(conversation);
  if (!parsed.success) {
    throw new KaaError(
      'E_EVENT_INVALID',
      `A conversation snapshot has an unexpected shape: ${describeIssues(parsed.error.issues, 'conversation')}. ` +
        'Pass the body of GET /api/v2/conversations/{id} or the eventBody of a v2.users.{id}.conversations notification.',
      { details: { issues: issuePaths(parsed.error.issues, 'conversation') } },
    );
  }
  const { id, endTime, participants } = parsed.data;
  return {
    ...(id ? { id } : {}),
    ...(endTime ? { endTime } : {}),
    participants: participants.map(toParticipantView),
  };
}

function toParticipantView(p: RawParticipant, index: number): ParticipantView {
  const sessions: RawSession[] = [];
  const messages: MessageRef[] = [];
  for (const media of MEDIA) {
    for (const s of p[media] ?? []) {
      const flatId = media === 'messages' ? (s.messageId ?? s.message?.id) : undefined;
      if (flatId) {
        // flattened notification shape: participant.messages[] are message references
        messages.push(ref(flatId, s.messageTime, p));
        continue;
      }
      sessions.push(s);
      for (const m of s.messages ?? []) {
        const messageId = m.messageId ?? m.message?.id;
        if (messageId) messages.push(ref(messageId, m.messageTime, p));
      }
    }
  }
  const session =
    sessions.find((s) => s.state === 'connected') ??
    sessions.find((s) => s.state && !ENDED_STATES.has(s.state)) ??
    sessions.at(-1);
  const state = p.state ?? session?.state ?? undefined;
  const userId = p.userId ?? p.user?.id ?? undefined;
  const disconnectType = p.disconnectType ?? session?.disconnectType ?? undefined;
  const everConnected =
    Boolean(p.connectedTime) || state === 'connected' || sessions.some((s) => Boolean(s.connectedTime));
  return {
    id: p.id,
    index,
    ...(p.purpose ? { purpose: p.purpose } : {}),
    ...(userId ? { userId } : {}),
    ...(state ? { state } : {}),
    held: p.held ?? session?.held ?? false,
    confined: p.confined ?? session?.confined ?? false,
    ...(disconnectType ? { disconnectType } : {}),
    ...(p.startTime ? { startTime: p.startTime } : {}),
    ...(p.endTime ? { endTime: p.endTime } : {}),
    everConnected,
    ...(p.consultParticipantId ? { consultParticipantId: p.consultParticipantId } : {}),
    messages,
  };
}

function ref(messageId: string, messageTime: string | null | undefined, p: RawParticipant): MessageRef {
  return {
    messageId,
    ...(messageTime ? { messageTime } : {}),
    participantId: p.id,
    ...(p.purpose ? { purpose: p.purpose } : {}),
  };
}
