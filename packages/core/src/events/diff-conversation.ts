import { KaaError } from '../errors.js';
import { toConversationView } from './conversation-view.js';
import type { ConversationView, ParticipantView } from './conversation-view.js';
import type { LifecycleEvent, MessageRef } from './lifecycle-event.js';
import { defaultConversationSignals } from './signals.js';
import type { ConversationSignals } from './signals.js';

/** Options for {@link diffConversation}. */
export interface DiffConversationOptions {
  /** Overrides for the (inferred, docs/assumptions.md#hold-and-transfer-detection) predicates; config `signals.*`. */
  readonly signals?: Partial<ConversationSignals>;
  /**
   * On the first snapshot (`previous` undefined), report the messages already present as `messageAdded`,
   * so the page can fetch the history. Default `true`.
   */
  readonly messagesOnFirstSnapshot?: boolean;
}

/**
 * Compares two snapshots of one conversation and returns, in order, the lifecycle events of THIS agent
 * (`userId`): an earlier leg's exit, entry (`transfer`/`entry`), `held`/`resumed`, `agentJoined`,
 * `messageAdded`, `agentLeft`, exit (`transfer`/`exit` then `disconnected`), and `ended`.
 *
 * Accepts the nested `GET /api/v2/conversations/{id}` shape and the flattened notification shape, in any mix.
 * `previous` undefined means "first snapshot": an agent already connected gets an entry whose type
 * (`NA`, `warm`, `cold`, `redial`) follows docs/kore-protocol.md#hooks-event-order. Every predicate is (inferred, docs/assumptions.md#hold-and-transfer-detection) and overridable
 * through `options.signals` (see {@link defaultConversationSignals}). Snapshots of different conversations,
 * or of the wrong shape, throw `E_EVENT_INVALID`.
 *
 * @example
 * ```ts
 * import { diffConversation } from '@kaa/core';
 *
 * let last: unknown;
 * onUserConversation((body) => {
 *   for (const e of diffConversation(last, body, me.id)) handle(e); // e.g. { kind: 'held', participantId }
 *   last = body;
 * });
 * ```
 */
export function diffConversation(
  previous: unknown,
  next: unknown,
  userId: string,
  options: DiffConversationOptions = {},
): LifecycleEvent[] {
  const s: ConversationSignals = { ...defaultConversationSignals, ...options.signals };
  const prev = previous === undefined || previous === null ? undefined : toConversationView(previous);
  const cur = toConversationView(next);
  if (prev?.id !== undefined && cur.id !== undefined && prev.id !== cur.id) {
    throw new KaaError(
      'E_EVENT_INVALID',
      `Two snapshots of different conversations were compared ("${prev.id}" then "${cur.id}"). Drop notifications whose eventBody.id is not the conversation this page assists.`,
      { details: { previousId: prev.id, nextId: cur.id } },
    );
  }

  const events: LifecycleEvent[] = [];
  const prevById = new Map((prev?.participants ?? []).map((p) => [p.id, p] as const));
  const wasConnected = (id: string): boolean => {
    const p = prevById.get(id);
    return p !== undefined && s.isConnected(p, s);
  };
  const prevMine = prev ? s.pickMine(prev, userId, s) : undefined;
  const mine = s.pickMine(cur, userId, s);
  const curById = new Map(cur.participants.map((p) => [p.id, p] as const));

  // 1. an earlier leg of mine that was connected and is now gone or ended (redial, or re-routed back to me)
  if (prevMine && mine?.id !== prevMine.id && s.isConnected(prevMine, s)) {
    const old = curById.get(prevMine.id) ?? prevMine;
    if (!s.isConnected(old, s)) pushExit(events, old, cur, userId, s);
  }

  const mineConnected = mine !== undefined && s.isConnected(mine, s);
  // 2. entry
  if (mine && mineConnected && !wasConnected(mine.id)) {
    events.push({
      kind: 'transfer',
      transferType: s.entryType(mine, cur, userId, s),
      transition: 'entry',
      participantId: mine.id,
    });
  }
  // 3. hold / resume
  if (mine && mineConnected) {
    const before = prevById.get(mine.id);
    const heldBefore = before !== undefined && s.isHeld(before, prev as ConversationView, s);
    const heldNow = s.isHeld(mine, cur, s);
    if (heldNow && !heldBefore) events.push({ kind: 'held', participantId: mine.id });
    if (!heldNow && heldBefore) events.push({ kind: 'resumed', participantId: mine.id });
  }
  // 4. other agents joining after me (agents already there when I entered did not join)
  const others = cur.participants.filter((p) => p.id !== mine?.id && s.isAgent(p, s) && p.userId !== userId);
  if (mine && mineConnected && wasConnected(mine.id)) {
    for (const p of others) {
      if (s.isConnected(p, s) && !wasConnected(p.id)) {
        events.push({
          kind: 'agentJoined',
          participantId: p.id,
          ...(p.userId ? { userId: p.userId } : {}),
          consult: s.isConsult(p, cur, s),
        });
      }
    }
  }
  // 5. messages
  const added = newMessages(prev, cur, options.messagesOnFirstSnapshot ?? true);
  if (added.length > 0) events.push({ kind: 'messageAdded', messages: added });
  // 6. other agents leaving while I was there
  if (prevMine && s.isConnected(prevMine, s)) {
    for (const p of others) {
      if (wasConnected(p.id) && !s.isConnected(p, s))
        events.push({ kind: 'agentLeft', participantId: p.id, ...(p.userId ? { userId: p.userId } : {}) });
    }
  }
  // 7. my exit
  if (mine && !mineConnected) {
    if (wasConnected(mine.id)) pushExit(events, mine, cur, userId, s);
    else if (!prev && s.isEnded(mine, s)) events.push(disconnected(mine));
  }
  // 8. conversation over
  if (s.isConversationEnded(cur, s) && !(prev && s.isConversationEnded(prev, s))) events.push({ kind: 'ended' });
  return events;
}

function pushExit(
  events: LifecycleEvent[],
  leg: ParticipantView,
  cur: ConversationView,
  userId: string,
  s: ConversationSignals,
): void {
  events.push({
    kind: 'transfer',
    transferType: s.exitType(leg, cur, userId, s),
    transition: 'exit',
    participantId: leg.id,
  });
  events.push(disconnected(leg));
}

function disconnected(leg: ParticipantView): LifecycleEvent {
  return {
    kind: 'disconnected',
    participantId: leg.id,
    ...(leg.disconnectType ? { disconnectType: leg.disconnectType } : {}),
  };
}

function newMessages(prev: ConversationView | undefined, cur: ConversationView, onFirst: boolean): MessageRef[] {
  if (!prev && !onFirst) return [];
  const seen = new Set<string>();
  for (const p of prev?.participants ?? []) for (const m of p.messages) seen.add(m.messageId);
  const out: MessageRef[] = [];
  for (const p of cur.participants) {
    for (const m of p.messages) {
      if (seen.has(m.messageId)) continue;
      seen.add(m.messageId);
      out.push(m);
    }
  }
  // by messageTime (ISO strings sort as text; missing first), then order of appearance
  return out
    .map((m, i) => [m, i] as const)
    .sort(([a, i], [b, j]) => compareText(a.messageTime ?? '', b.messageTime ?? '') || i - j)
    .map(([m]) => m);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
