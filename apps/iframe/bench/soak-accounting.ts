/** Node only (benchmark): what the soak's widget received, compared with what the sandbox sent. */

/** One utterance the sandbox published, in order. */
export interface SentUtterance {
  /** Position in the sending order (0, 1, 2…). */
  index: number;
  /** Epoch ms just before the sandbox published it. */
  sentAt: number;
  /** False when its final result reached no notification socket: Genesys lost it (it does not replay). */
  delivered: boolean;
}

/** One utterance a widget instance received, in the order it arrived. */
export interface ReceivedUtterance {
  /** The sent index it carries (parsed from its text). */
  index: number;
  /** Epoch ms when the widget's window received the message. */
  receivedAt: number;
}

/** The soak's verdict on the relay. */
export interface SoakAccount {
  sent: number;
  /** Sent utterances that reached no socket (a real loss on the Genesys side; the page can only mark the gap). */
  lostByGenesys: number;
  /** Delivered to a socket but never received by a widget. Goal 0. */
  lost: number;
  /** Received more than once. Goal 0. */
  duplicated: number;
  /** Received after an utterance sent later than it. Goal 0. */
  reordered: number;
  /** Received but never sent (a stray line). Goal 0. */
  unknown: number;
  /** Publish → widget receipt, ms, for every first receipt. */
  latencies: number[];
}

/**
 * Compares the sent utterances with the receipts of every widget instance, in arrival order (a re-login reloads
 * the page and with it the widget, so there may be several instances).
 *
 * @example
 * ```ts
 * accountSoak([{ index: 0, sentAt: 0, delivered: true }], [{ index: 0, receivedAt: 3 }]).lost; // 0
 * ```
 */
export function accountSoak(sent: readonly SentUtterance[], received: readonly ReceivedUtterance[]): SoakAccount {
  const byIndex = new Map(sent.map((s) => [s.index, s]));
  const seen = new Set<number>();
  let duplicated = 0;
  let reordered = 0;
  let unknown = 0;
  let highest = -1;
  const latencies: number[] = [];
  for (const r of received) {
    const s = byIndex.get(r.index);
    if (!s) {
      unknown += 1;
      continue;
    }
    if (seen.has(r.index)) {
      duplicated += 1;
      continue;
    }
    seen.add(r.index);
    if (r.index < highest) reordered += 1;
    highest = Math.max(highest, r.index);
    latencies.push(r.receivedAt - s.sentAt);
  }
  const lostByGenesys = sent.filter((s) => !s.delivered).length;
  const lost = sent.filter((s) => s.delivered && !seen.has(s.index)).length;
  return { sent: sent.length, lostByGenesys, lost, duplicated, reordered, unknown, latencies };
}
