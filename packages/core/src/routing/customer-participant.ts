import type { GenesysConversation, GenesysParticipant } from './conversation.js';

/**
 * The customer's participant (`purpose` `customer`, or `external` for outbound and consult legs; docs/genesys-protocol.md#participants):
 * whom the page names in the widget's `setUserInfo`. Undefined when the conversation has none.
 *
 * @example
 * ```ts
 * import { findCustomerParticipant } from '@kaa/core';
 *
 * const customer = findCustomerParticipant(conversation);
 * if (customer?.id) view.setUserInfo({ userId: customer.id, userName: customer.name });
 * ```
 */
export function findCustomerParticipant(
  conversation: Pick<GenesysConversation, 'participants'>,
): GenesysParticipant | undefined {
  return (conversation.participants ?? []).find((p) => p.purpose === 'customer' || p.purpose === 'external');
}

/**
 * The id of the agent participant's live web-messaging session — the `communicationId` of
 * `POST /api/v2/conversations/messages/{conversationId}/communications/{communicationId}/messages` when the agent
 * sends the widget's suggestion (docs/assumptions.md#sending-agent-chat-text, inferred: the first session that is not disconnected or
 * terminated, else the first session).
 *
 * @example
 * ```ts
 * import { activeMessageSessionId } from '@kaa/core';
 *
 * const communicationId = activeMessageSessionId(agentParticipant);
 * if (communicationId) await api.sendMessage(conversationId, communicationId, text);
 * ```
 */
export function activeMessageSessionId(participant: GenesysParticipant): string | undefined {
  const sessions = participant.messages ?? [];
  return sessions.find((s) => s.state !== 'disconnected' && s.state !== 'terminated')?.id ?? sessions[0]?.id;
}
