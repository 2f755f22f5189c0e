import type { GenesysConversation, GenesysParticipant } from './conversation.js';

/**
 * The queue an interaction came through. Kore matching needs `name`; `id` alone cannot be matched.
 *
 * @example
 * ```ts
 * const queue: QueueRef = { id: '9e0e…', name: 'ALPHAINC_CUSTOMERSERVICE_16092024' };
 * ```
 */
export interface QueueRef {
  readonly id?: string;
  readonly name?: string;
}

/**
 * The queue of the agent's participant (docs/genesys-protocol.md#finding-the-agent-participant-and-queue), first that gives an id or a name:
 * 1. the participant's `queueId`/`queueName` (flattened: `queue.id`/`queue.name`);
 * 2. the latest `acd` participant's `queueId`/`queueName` (latest by `startTime`, then list order);
 * 3. `conversationRoutingData.queue.id` of the participant, then of any participant.
 * A name missing at one level is filled from the next level when the ids agree (or the level has no id).
 * Returns `{}` for a direct or outbound interaction; callers raise `E_NO_QUEUE` per their policy.
 *
 * @example
 * ```ts
 * import { findAgentParticipant, queueOf } from '@kaa/core';
 *
 * queueOf(conversation, findAgentParticipant(conversation, me.id));
 * // → { id: '9e0e0000-…-000000000001', name: 'ALPHAINC_CUSTOMERSERVICE_16092024' }
 * ```
 */
export function queueOf(conversation: GenesysConversation, participant: GenesysParticipant): QueueRef {
  const levels: QueueRef[] = [own(participant)];
  const acd = latestAcd(conversation);
  if (acd) levels.push(own(acd));
  const routed = participant.conversationRoutingData?.queue?.id ?? anyRoutedQueue(conversation);
  if (routed) levels.push({ id: routed });

  let id: string | undefined;
  let name: string | undefined;
  for (const level of levels) {
    if (id === undefined && level.id) id = level.id;
    if (name === undefined && level.name && (level.id === undefined || level.id === id)) name = level.name;
    if (id !== undefined && name !== undefined) break;
  }
  return { ...(id !== undefined && { id }), ...(name !== undefined && { name }) };
}

function own(p: GenesysParticipant): QueueRef {
  const id = nonEmpty(p.queueId) ?? nonEmpty(p.queue?.id);
  const name = nonEmpty(p.queueName) ?? nonEmpty(p.queue?.name);
  return { ...(id !== undefined && { id }), ...(name !== undefined && { name }) };
}

function latestAcd(conversation: GenesysConversation): GenesysParticipant | undefined {
  let best: GenesysParticipant | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const p of conversation.participants ?? []) {
    if (typeof p !== 'object' || p === null || p.purpose !== 'acd') continue;
    const at = typeof p.startTime === 'string' ? Date.parse(p.startTime) : Number.NaN;
    const t = Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
    if (best === undefined || t >= bestAt) {
      best = p;
      bestAt = t;
    }
  }
  return best;
}

function anyRoutedQueue(conversation: GenesysConversation): string | undefined {
  for (const p of conversation.participants ?? []) {
    const id = typeof p === 'object' && p !== null ? nonEmpty(p.conversationRoutingData?.queue?.id) : undefined;
    if (id) return id;
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
