// Over 300 lines on purpose: one converter per Genesys resource shape (conversation, events, messages) from the sandbox world, kept together so the shapes agree.
import type { Models } from 'purecloud-platform-client-v2';
import { ORG } from '../seed.js';
import type { WorldConversation, WorldMessage, WorldParticipant } from './world-types.js';

/*
 * Bodies as Genesys returns them, checked against the platform SDK's models at compile time (`satisfies`).
 * Two shapes exist (fixtures/README.md):
 * - nested: `GET /api/v2/conversations/{id}` and `v2.users.{id}.conversations` events keep communication state in
 *   per-media arrays (`calls[]`, `messages[]`);
 * - flattened: `v2.users.{id}.conversations.calls|.messages` events put `state`, `held`, `user{}`, `queue{}` on the participant.
 */

function emptyMedia() {
  return {
    callbacks: [],
    chats: [],
    cobrowsesessions: [],
    emails: [],
    screenshares: [],
    socialExpressions: [],
    videos: [],
  };
}
const DIVISION_ID = '0d1v0000-0000-4000-8000-0000000000d1';

function ref(kind: 'users' | 'routing/queues', id: string): { id: string; selfUri: string } {
  return { id, selfUri: `/api/v2/${kind}/${id}` };
}

function routingData(p: WorldParticipant): Models.ConversationRoutingData | undefined {
  if (!p.queueId || (p.purpose !== 'acd' && p.purpose !== 'agent')) return undefined;
  return {
    queue: ref('routing/queues', p.queueId),
    priority: 0,
    skills: [],
    scoredAgents: [],
  } satisfies Models.ConversationRoutingData;
}

/** Agent-only fields every participant shape carries. */
function agentExtras(p: WorldParticipant): { wrapupPrompt: string; alertingTimeoutMs: number } | Record<string, never> {
  return p.purpose === 'agent' ? { wrapupPrompt: 'optional', alertingTimeoutMs: 30000 } : {};
}

/** What messaging events say of each message a customer or agent leg sees: a reference, never the text. */
function messageRefs(
  c: WorldConversation,
  p: WorldParticipant,
): { id: string; messageTime: string; messageStatus: string; messageSegmentCount: number }[] {
  if (p.purpose !== 'customer' && p.purpose !== 'agent') return [];
  return c.messages.map((m) => ({
    id: m.id,
    messageTime: m.timestamp,
    messageStatus: m.direction === 'inbound' ? 'received' : 'sent',
    messageSegmentCount: 1,
  }));
}

function messageDetails(c: WorldConversation): Models.MessageDetails[] {
  return c.messages.map(
    (m) =>
      ({
        messageId: m.id,
        messageURI: `/api/v2/conversations/messages/${c.id}/messages/${m.id}`,
        messageStatus: m.direction === 'inbound' ? 'received' : 'sent',
        messageSegmentCount: 1,
        messageTime: m.timestamp,
      }) satisfies Models.MessageDetails,
  );
}

function callSession(p: WorldParticipant): Models.Call {
  return {
    state: p.state,
    initialState: p.initialState,
    id: p.sessionId,
    direction: p.direction,
    recording: false,
    recordingState: 'none',
    muted: false,
    confined: p.confined,
    held: p.held,
    ...(p.startHoldTime ? { startHoldTime: p.startHoldTime } : {}),
    ...(p.purpose === 'agent' ? { startAlertingTime: p.startTime } : {}),
    segments: [
      {
        startTime: p.connectedTime ?? p.startTime,
        endTime: p.endTime ?? '',
        type: p.state === 'alerting' ? 'Alert' : 'Interact',
        ...(p.disconnectType ? { howEnded: 'Disconnect', disconnectType: p.disconnectType } : {}),
      },
    ].map(({ endTime, ...s }) => (endTime ? { ...s, endTime } : s) as Models.Segment),
    ...(p.disconnectType ? { disconnectType: p.disconnectType, disconnectedTime: p.endTime } : {}),
    ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
    provider: 'Edge',
    ...(p.peerId ? { peerId: p.peerId } : {}),
    self: { addressNormalized: p.address ?? '' },
    other: { addressNormalized: p.ani ?? '' },
    afterCallWorkRequired: false,
  } satisfies Models.Call;
}

function messageSession(c: WorldConversation, p: WorldParticipant): Models.Message {
  return {
    state: p.state,
    initialState: p.initialState,
    id: p.sessionId,
    held: p.held,
    direction: p.direction,
    ...(p.startHoldTime ? { startHoldTime: p.startHoldTime } : {}),
    ...(p.purpose === 'agent' ? { startAlertingTime: p.startTime } : {}),
    ...(p.disconnectType ? { disconnectType: p.disconnectType, disconnectedTime: p.endTime } : {}),
    ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
    provider: 'PureCloud Messaging',
    type: 'webmessaging',
    recipientCountry: 'US',
    ...(p.peerId ? { peerId: p.peerId } : {}),
    toAddress: { name: 'Sandbox Web Messenger' },
    fromAddress: { name: c.customerName },
    messages: p.purpose === 'customer' || p.purpose === 'agent' ? messageDetails(c) : [],
    afterCallWorkRequired: false,
  } satisfies Models.Message;
}

/**
 * The `GET /api/v2/conversations/{id}` body (nested shape, like `fixtures/genesys/conversations/*.json`).
 *
 * @example
 * ```ts
 * sendJson(res, 200, toConversation(world.get(id)));
 * ```
 */
export function toConversation(c: WorldConversation): Models.Conversation {
  return {
    id: c.id,
    startTime: c.startTime,
    ...(c.endTime ? { endTime: c.endTime } : {}),
    participants: c.participants.map(
      (p) =>
        ({
          id: p.id,
          startTime: p.startTime,
          ...(p.endTime ? { endTime: p.endTime } : {}),
          ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
          ...(p.name ? { name: p.name } : {}),
          ...(p.userId ? { userUri: `/api/v2/users/${p.userId}`, userId: p.userId } : {}),
          ...(p.queueId ? { queueId: p.queueId, queueName: p.queueName } : {}),
          ...(p.address ? { address: p.address } : {}),
          ...(p.ani ? { ani: p.ani } : {}),
          ...(p.dnis ? { dnis: p.dnis } : {}),
          purpose: p.purpose,
          ...(p.consultParticipantId ? { consultParticipantId: p.consultParticipantId } : {}),
          wrapupRequired: p.wrapupRequired,
          ...agentExtras(p),
          ...(routingData(p) ? { conversationRoutingData: routingData(p) } : {}),
          attributes: { ...p.attributes },
          calls: c.media === 'call' ? [callSession(p)] : [],
          messages: c.media === 'message' ? [messageSession(c, p)] : [],
          ...emptyMedia(),
        }) satisfies Models.Participant,
    ),
    recordingState: 'none',
    divisions: [
      {
        division: { id: DIVISION_ID, selfUri: `/api/v2/authorization/divisions/${DIVISION_ID}` },
        entities: [{ id: c.queueId, selfUri: `/api/v2/routing/queues/${c.queueId}` }],
      },
    ],
    recentTransfers: c.recentTransfers.map((t) => ({
      id: t.id,
      state: t.state,
      dateIssued: t.dateIssued,
      initiator: { userId: t.initiatorUserId },
      destination: { userId: t.destinationUserId },
      transferType: t.transferType,
    })),
    securePause: false,
    selfUri: `/api/v2/conversations/${c.id}`,
  } satisfies Models.Conversation;
}

/**
 * The `v2.users.{id}.conversations` event body: nested per-media arrays with participant-level `userId`/`queueId`
 * (like `fixtures/genesys/notifications/user_conversations_callback_disconnected.json`).
 *
 * @example
 * ```ts
 * publish(`v2.users.${userId}.conversations`, toUserConversationEvent(c));
 * ```
 */
export function toUserConversationEvent(c: WorldConversation): Models.ConversationEventTopicConversation {
  return {
    id: c.id,
    participants: c.participants.map(
      (p) =>
        ({
          id: p.id,
          ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
          ...(p.endTime ? { endTime: p.endTime } : {}),
          ...(p.userId ? { userId: p.userId } : {}),
          ...(p.name ? { name: p.name } : {}),
          ...(p.queueId ? { queueId: p.queueId } : {}),
          purpose: p.purpose,
          ...(p.consultParticipantId ? { consultParticipantId: p.consultParticipantId } : {}),
          ...(p.address ? { address: p.address } : {}),
          wrapupRequired: p.wrapupRequired,
          wrapupExpected: p.purpose === 'agent',
          ...agentExtras(p),
          ...(routingData(p) ? { conversationRoutingData: { queue: { id: p.queueId }, priority: 0 } } : {}),
          attributes: { ...p.attributes },
          ...(c.media === 'call'
            ? {
                calls: [
                  {
                    id: p.sessionId,
                    state: p.state,
                    initialState: p.initialState,
                    recording: false,
                    recordingState: 'none',
                    muted: false,
                    confined: p.confined,
                    held: p.held,
                    ...(p.startHoldTime ? { startHoldTime: p.startHoldTime } : {}),
                    ...(p.disconnectType ? { disconnectType: p.disconnectType, disconnectedTime: p.endTime } : {}),
                    direction: p.direction,
                    provider: 'Edge',
                    ...(p.peerId ? { peerId: p.peerId } : {}),
                    ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
                    afterCallWorkRequired: false,
                  } satisfies Models.ConversationEventTopicCall,
                ],
              }
            : {
                messages: [
                  {
                    id: p.sessionId,
                    state: p.state,
                    initialState: p.initialState,
                    direction: p.direction,
                    held: p.held,
                    provider: 'PureCloud Messaging',
                    ...(p.peerId ? { peerId: p.peerId } : {}),
                    ...(p.disconnectType ? { disconnectType: p.disconnectType, disconnectedTime: p.endTime } : {}),
                    ...(p.startHoldTime ? { startHoldTime: p.startHoldTime } : {}),
                    ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
                    type: 'webmessaging',
                    // the nested topic names the id `messageId`
                    messages: messageRefs(c, p).map(({ id, ...rest }) => ({ messageId: id, ...rest })),
                    afterCallWorkRequired: false,
                  } satisfies Models.ConversationEventTopicMessage,
                ],
              }),
        }) satisfies Models.ConversationEventTopicParticipant,
    ),
    recordingState: 'none',
  } satisfies Models.ConversationEventTopicConversation;
}

function flatParticipant(p: WorldParticipant) {
  return {
    id: p.id,
    ...(p.name ? { name: p.name } : {}),
    ...(p.address ? { address: p.address } : {}),
    startTime: p.startTime,
    ...(p.connectedTime ? { connectedTime: p.connectedTime } : {}),
    ...(p.endTime ? { endTime: p.endTime } : {}),
    ...(p.startHoldTime ? { startHoldTime: p.startHoldTime } : {}),
    purpose: p.purpose,
    state: p.state,
    initialState: p.initialState,
    direction: p.direction,
    ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
    held: p.held,
    wrapupRequired: p.wrapupRequired,
    ...agentExtras(p),
    ...(p.userId ? { user: { id: p.userId } } : {}),
    ...(p.queueId ? { queue: { id: p.queueId } } : {}),
    attributes: { ...p.attributes },
    ...(p.queueId && (p.purpose === 'acd' || p.purpose === 'agent')
      ? { conversationRoutingData: { queue: { id: p.queueId }, priority: 0, skills: [], scoredAgents: [] } }
      : {}),
    ...(p.peerId ? { peer: p.peerId } : {}),
    ...(p.consultParticipantId ? { consultParticipantId: p.consultParticipantId } : {}),
  };
}

/**
 * The `v2.users.{id}.conversations.calls` event body (flattened participants, like
 * `fixtures/genesys/conversations/conversations_calls_active_voice.json` entities).
 *
 * @example
 * ```ts
 * publish(`v2.users.${userId}.conversations.calls`, toCallEvent(c));
 * ```
 */
export function toCallEvent(c: WorldConversation): Models.ConversationCallEventTopicCallConversation {
  return {
    id: c.id,
    participants: c.participants.map(
      (p) =>
        ({
          ...flatParticipant(p),
          provider: 'Edge',
          muted: false,
          confined: p.confined,
          recording: false,
          recordingState: 'none',
          ...(p.ani ? { ani: p.ani } : {}),
          ...(p.dnis ? { dnis: p.dnis } : {}),
        }) satisfies Models.ConversationCallEventTopicCallMediaParticipant,
    ),
    otherMediaUris: [],
    recordingState: 'none',
  } satisfies Models.ConversationCallEventTopicCallConversation;
}

/**
 * The `v2.users.{id}.conversations.messages` event body: flattened participants whose `messages[]` hold only
 * references (`message.id`, `messageTime`, `messageStatus`) — never text (docs/genesys-protocol.md#web-messaging-text).
 *
 * @example
 * ```ts
 * publish(`v2.users.${userId}.conversations.messages`, toMessageEvent(c));
 * ```
 */
export function toMessageEvent(c: WorldConversation): Models.ConversationMessageEventTopicMessageConversation {
  return {
    id: c.id,
    participants: c.participants.map(
      (p) =>
        ({
          ...flatParticipant(p),
          provider: 'PureCloud Messaging',
          type: 'webmessaging',
          // the .messages topic (SDK model ConversationMessageEventTopicMessageDetails) names it `message.id`
          messages: messageRefs(c, p).map(({ id, ...rest }) => ({ message: { id }, ...rest })),
        }) satisfies Models.ConversationMessageEventTopicMessageMediaParticipant,
    ),
    otherMediaUris: [],
  } satisfies Models.ConversationMessageEventTopicMessageConversation;
}

/**
 * `GET /api/v2/conversations/messages/{conversationId}/messages/{messageId}`: the SDK's `MessageData` plus
 * `textBody`, which the API returns (docs/genesys-protocol.md#web-messaging-text) although the v262 model no longer lists it.
 *
 * @example
 * ```ts
 * sendJson(res, 200, toMessageData(message));
 * ```
 */
export function toMessageData(m: WorldMessage): Models.MessageData & { textBody: string } {
  const data = {
    id: m.id,
    providerMessageId: m.id,
    timestamp: m.timestamp,
    fromAddress: m.direction === 'inbound' ? 'customer' : 'agent',
    toAddress: m.direction === 'inbound' ? 'agent' : 'customer',
    direction: m.direction,
    messengerType: 'webmessaging',
    status: m.direction === 'inbound' ? 'received' : 'sent',
    normalizedMessage: {
      id: m.id,
      type: 'Text',
      text: m.text,
      direction: m.direction === 'inbound' ? 'Inbound' : 'Outbound',
    },
    conversationId: m.conversationId,
    selfUri: `/api/v2/conversations/messages/${m.conversationId}/messages/${m.id}`,
  } satisfies Models.MessageData;
  return { ...data, textBody: m.text };
}

/**
 * The organisation as `users/me?expand=organization` and `tokens/me` return it.
 *
 * @example
 * ```ts
 * ORGANIZATION.id === ORG.id; // true
 * ```
 */
export const ORGANIZATION = {
  id: ORG.id,
  name: ORG.name,
  defaultLanguage: 'en',
  domain: 'alpha-sandbox',
  version: 1,
  state: 'active',
  productPlatform: 'PureCloud',
  selfUri: `/api/v2/organizations/${ORG.id}`,
} satisfies Models.Organization;
