import { KaaError } from '../errors.js';
import type { GenesysConversation, GenesysParticipant } from './conversation.js';
import { MEDIA_ARRAYS } from './conversation.js';

const LIVE = new Set(['alerting', 'connected']);

/**
 * The signed-in agent's participant in a conversation (docs/genesys-protocol.md#finding-the-agent-participant-and-queue).
 *
 * Candidates are participants with `purpose === "agent"` whose `userId` (or flattened `user.id`) is `userId`.
 * A reconnected or transferred-back agent has several; the pick is:
 * 1. a candidate with no `endTime` whose media session (or flattened `state`) is `alerting` or `connected`;
 * 2. otherwise the latest by `startTime` (then `connectedTime`, `endTime`; later in the list wins a tie).
 *
 * @throws {KaaError} `E_AGENT_NOT_PARTICIPANT` when no participant of that user is an agent.
 * @example
 * ```ts
 * import { findAgentParticipant } from '@kaa/core';
 *
 * const me = findAgentParticipant(conversation, 'a9e00000-0000-4000-8000-000000000001');
 * me.queueName; // → 'ALPHAINC_CUSTOMERSERVICE_16092024'
 * ```
 */
export function findAgentParticipant(conversation: GenesysConversation, userId: string): GenesysParticipant {
  const participants = Array.isArray(conversation?.participants) ? conversation.participants : [];
  let live: { p: GenesysParticipant; at: number; i: number } | undefined;
  let latest: { p: GenesysParticipant; at: number; i: number } | undefined;
  participants.forEach((p, i) => {
    if (!isObject(p) || p.purpose !== 'agent' || (p.userId ?? p.user?.id) !== userId) return;
    const entry = { p, at: timeOf(p), i };
    if (isParticipantLive(p) && later(entry, live)) live = entry;
    if (later(entry, latest)) latest = entry;
  });
  const chosen = live ?? latest;
  if (chosen) return chosen.p;
  const conversationId = typeof conversation?.id === 'string' ? conversation.id : '(unknown)';
  throw new KaaError(
    'E_AGENT_NOT_PARTICIPANT',
    `User "${userId}" is not an agent participant of conversation "${conversationId}". The assistant shows only for the agent handling the interaction: if this user is monitoring or coaching, that is expected; otherwise check that the Interaction Widget URL passes conversationid={{gcConversationId}}.`,
    { details: { userId, conversationId, participants: participants.length } },
  );
}

function isObject(value: unknown): value is GenesysParticipant {
  return typeof value === 'object' && value !== null;
}

/**
 * True while a participant is on the interaction: no `endTime`, and its media session (or flattened `state`) is
 * `alerting` or `connected` — the test {@link findAgentParticipant} uses to prefer a live leg. A token broker uses it
 * to refuse an agent who has left (docs/architecture.md#broker-mode).
 *
 * @example
 * ```ts
 * import { findAgentParticipant, isParticipantLive } from '@kaa/core';
 *
 * if (!isParticipantLive(findAgentParticipant(conversation, me.id))) refuse();
 * ```
 */
export function isParticipantLive(p: GenesysParticipant): boolean {
  if (p.endTime) return false;
  if (typeof p.state === 'string' && LIVE.has(p.state)) return true;
  for (const array of MEDIA_ARRAYS) {
    const list = p[array];
    if (Array.isArray(list) && list.some((s) => isObject(s) && typeof s.state === 'string' && LIVE.has(s.state)))
      return true;
  }
  return false;
}

function timeOf(p: GenesysParticipant): number {
  for (const t of [p.startTime, p.connectedTime, p.endTime]) {
    if (typeof t !== 'string') continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  return Number.NEGATIVE_INFINITY;
}

function later(a: { at: number; i: number }, b: { at: number; i: number } | undefined): boolean {
  return b === undefined || a.at > b.at || (a.at === b.at && a.i > b.i);
}
