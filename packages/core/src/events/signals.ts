import type { ConversationView, ParticipantView } from './conversation-view.js';
import type { TransferType } from './lifecycle-event.js';

/**
 * The predicates `diffConversation` uses to read lifecycle moments from Genesys participants.
 *
 * **Every predicate is (inferred)** — docs/assumptions.md#hold-and-transfer-detection (docs/genesys-protocol.md#hold-resume-transfer-and-disconnect-signals, docs/kore-protocol.md#hooks-event-order): public docs give only
 * SDK models, so these follow the detection tables there until fixtures from a live org confirm them.
 * Override any of them through config `signals.*` by passing `{ signals: { … } }` to `diffConversation`;
 * each receives the merged signals object last so overrides compose.
 */
export interface ConversationSignals {
  /** Participant is over: `state` `disconnected`/`terminated`, or `endTime` set. */
  isEnded(p: ParticipantView, s: ConversationSignals): boolean;
  /** Participant is live: `state` `connected` and not ended. (`alerting` is not an accept.) */
  isConnected(p: ParticipantView, s: ConversationSignals): boolean;
  /** Hold: my participant's `held` (docs/genesys-protocol.md#hold-resume-transfer-and-disconnect-signals; `confined` on the customer side is not used by default). */
  isHeld(p: ParticipantView, conversation: ConversationView, s: ConversationSignals): boolean;
  /** An agent leg: `purpose === 'agent'`. */
  isAgent(p: ParticipantView, s: ConversationSignals): boolean;
  /** The customer: `purpose` `customer` or `external`. */
  isCustomer(p: ParticipantView, s: ConversationSignals): boolean;
  /**
   * This user's participant (docs/genesys-protocol.md#finding-the-agent-participant-and-queue): among agent legs with `userId === userId`, the latest one that is not
   * ended and is `alerting` or `connected`; otherwise the latest one. Latest = later `startTime`, else later index.
   */
  pickMine(conversation: ConversationView, userId: string, s: ConversationSignals): ParticipantView | undefined;
  /**
   * Entry type (docs/kore-protocol.md#hooks-event-order): another agent connected → `warm`; an earlier, once-connected leg of the same user
   * ended without a `transfer*` disconnect → `redial`; once-connected legs of other agents all ended → `cold`;
   * otherwise `NA`. Legs that only alerted (never connected) are ignored.
   */
  entryType(
    mine: ParticipantView,
    conversation: ConversationView,
    userId: string,
    s: ConversationSignals,
  ): TransferType;
  /**
   * Exit type (docs/kore-protocol.md#hooks-event-order): `disconnectType` `transfer.consult`/`transfer.conference` → `warm`; any other
   * `transfer*` → `cold`; another agent still connected → `warm`; otherwise `NA` (I am the last agent).
   */
  exitType(mine: ParticipantView, conversation: ConversationView, userId: string, s: ConversationSignals): TransferType;
  /** Conversation over: `endTime` set, or every customer ended and no agent connected (no customer: everyone ended). */
  isConversationEnded(conversation: ConversationView, s: ConversationSignals): boolean;
  /** A joining agent is a consult: a `consultParticipantId` links it with any participant. */
  isConsult(other: ParticipantView, conversation: ConversationView, s: ConversationSignals): boolean;
}

const ENDED_STATES = new Set(['disconnected', 'terminated']);
const WARM_DISCONNECTS = new Set(['transfer.consult', 'transfer.conference']);

function latest(a: ParticipantView, b: ParticipantView): ParticipantView {
  if (a.startTime && b.startTime && a.startTime !== b.startTime) return a.startTime > b.startTime ? a : b;
  return a.index > b.index ? a : b;
}

function otherAgents(
  mine: ParticipantView,
  conversation: ConversationView,
  userId: string,
  s: ConversationSignals,
): ParticipantView[] {
  return conversation.participants.filter((p) => p.id !== mine.id && s.isAgent(p, s) && p.userId !== userId);
}

/**
 * The default {@link ConversationSignals} (all inferred, docs/assumptions.md#hold-and-transfer-detection).
 *
 * @example
 * ```ts
 * import { defaultConversationSignals, diffConversation } from '@kaa/core';
 *
 * // treat a confined customer as held too
 * diffConversation(prev, next, me.id, { signals: {
 *   isHeld: (p, c, s) => defaultConversationSignals.isHeld(p, c, s) || c.participants.some((x) => s.isCustomer(x, s) && x.confined),
 * } });
 * ```
 */
export const defaultConversationSignals: ConversationSignals = Object.freeze({
  isEnded: (p: ParticipantView) => (p.state !== undefined && ENDED_STATES.has(p.state)) || p.endTime !== undefined,
  isConnected: (p: ParticipantView, s: ConversationSignals) => p.state === 'connected' && !s.isEnded(p, s),
  isHeld: (p: ParticipantView) => p.held,
  isAgent: (p: ParticipantView) => p.purpose === 'agent',
  isCustomer: (p: ParticipantView) => p.purpose === 'customer' || p.purpose === 'external',
  pickMine(conversation: ConversationView, userId: string, s: ConversationSignals) {
    const mine = conversation.participants.filter((p) => s.isAgent(p, s) && p.userId === userId);
    const live = mine.filter((p) => !s.isEnded(p, s) && (p.state === 'alerting' || p.state === 'connected'));
    const pool = live.length > 0 ? live : mine;
    return pool.length === 0 ? undefined : pool.reduce(latest);
  },
  entryType(
    mine: ParticipantView,
    conversation: ConversationView,
    userId: string,
    s: ConversationSignals,
  ): TransferType {
    const others = otherAgents(mine, conversation, userId, s);
    if (others.some((p) => s.isConnected(p, s))) return 'warm';
    const myEarlier = conversation.participants.filter(
      (p) => p.id !== mine.id && s.isAgent(p, s) && p.userId === userId && p.everConnected && s.isEnded(p, s),
    );
    if (myEarlier.some((p) => !(p.disconnectType ?? '').startsWith('transfer'))) return 'redial';
    const servedBefore = others.filter((p) => p.everConnected);
    if (servedBefore.length > 0 && servedBefore.every((p) => s.isEnded(p, s))) return 'cold';
    return 'NA';
  },
  exitType(
    mine: ParticipantView,
    conversation: ConversationView,
    userId: string,
    s: ConversationSignals,
  ): TransferType {
    const type = mine.disconnectType ?? '';
    if (WARM_DISCONNECTS.has(type)) return 'warm';
    if (type.startsWith('transfer')) return 'cold';
    if (otherAgents(mine, conversation, userId, s).some((p) => s.isConnected(p, s))) return 'warm';
    return 'NA';
  },
  isConversationEnded(conversation: ConversationView, s: ConversationSignals): boolean {
    if (conversation.endTime !== undefined) return true;
    const { participants } = conversation;
    if (participants.length === 0) return false;
    const customers = participants.filter((p) => s.isCustomer(p, s));
    if (customers.length === 0) return participants.every((p) => s.isEnded(p, s));
    return customers.every((p) => s.isEnded(p, s)) && !participants.some((p) => s.isAgent(p, s) && s.isConnected(p, s));
  },
  isConsult(other: ParticipantView, conversation: ConversationView): boolean {
    return (
      other.consultParticipantId !== undefined ||
      conversation.participants.some((p) => p.consultParticipantId === other.id)
    );
  },
});
