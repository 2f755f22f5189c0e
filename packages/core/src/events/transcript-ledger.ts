import { KaaError } from '../errors.js';
import type { Utterance } from './transcription.js';

/** Options for {@link TranscriptLedger}. */
export interface TranscriptLedgerOptions {
  /**
   * Also emit partial results (docs/assumptions.md#transcription-topic-requirements-and-partial-results; config `transcripts.partials`). Default `false`: only finals
   * are forwarded, because whether Genesys partials reuse `utteranceId` is not documented.
   */
  readonly partials?: boolean;
  /**
   * How far (in transcript milliseconds, measured by `offsetMs + durationMs` of the newest utterance seen) a final
   * may be held back behind an earlier utterance that is still partial, so that lines come out in speaking order.
   * `0` never holds a final back. Default `5000` (inferred). Holding uses transcript time, not a timer.
   */
  readonly holdWindowMs?: number;
  /** How many emitted utterance ids to remember for deduplication (oldest forgotten first). Default `10000`. */
  readonly maxRememberedIds?: number;
  /** How many open partials to keep (oldest dropped first). Default `500`. */
  readonly maxOpenPartials?: number;
}

/** A stretch of time in which notifications may have been missed (socket down, channel recreated). */
export interface TranscriptGap {
  /** Start of the gap, in the caller's clock (ms since epoch). */
  readonly from: number;
  /** End of the gap, in the caller's clock (ms since epoch). */
  readonly to: number;
}

/** Counters for the debug timeline. */
export interface TranscriptLedgerStats {
  /** Utterances passed to `push`. */
  readonly received: number;
  /** Finals emitted. */
  readonly emitted: number;
  /** Partials emitted (only with `partials: true`). */
  readonly partialsEmitted: number;
  /** Finals (or partials) ignored because that `utteranceId` was already emitted as final. */
  readonly duplicates: number;
  /** Finals emitted after a final with a larger `offsetMs` had already gone out. */
  readonly late: number;
  /** Finals held back behind earlier partials, waiting to be emitted. */
  readonly held: number;
  /** Partials not yet finalised. */
  readonly openPartials: number;
  /** Gaps recorded with `markGap`. */
  readonly gaps: number;
}

interface Pending {
  readonly utterance: Utterance;
  readonly arrival: number;
}

/**
 * Deduplicates and orders transcript utterances before they are relayed to the widget (docs/genesys-protocol.md#transcription-topic).
 * No timers, no IO: `push` returns what to send now.
 *
 * - Upserts by `utteranceId`. Partials are stored but not emitted (unless `partials: true`).
 * - Each final is emitted exactly once; a repeated final (e.g. after a reconnect) is ignored.
 * - Finals come out ordered by `offsetMs`, then arrival. A final waits behind an earlier partial of either speaker
 *   until that partial is finalised, or until the transcript has moved `holdWindowMs` past it, or until `flush()`.
 * - Memory is bounded: emitted utterances are remembered by id only, and only the newest `maxRememberedIds`.
 *
 * @example
 * ```ts
 * import { TranscriptLedger, normalizeTranscription } from '@kaa/core';
 *
 * const ledger = new TranscriptLedger();
 * for (const u of ledger.push(normalizeTranscription(body).utterances)) widget.post(u);
 * socket.onReconnect((from, to) => ledger.markGap({ from, to }));
 * if (normalizeTranscription(body).sessionEnded) for (const u of ledger.flush()) widget.post(u);
 * ```
 */
export class TranscriptLedger {
  readonly #partials: boolean;
  readonly #holdWindowMs: number;
  readonly #maxRemembered: number;
  readonly #maxOpen: number;
  /** ids of finals already emitted, in emission order (Set keeps insertion order for FIFO eviction). */
  readonly #emitted = new Set<string>();
  /** partials not yet finalised, by id. */
  readonly #open = new Map<string, Pending>();
  /** last partial text emitted per id (only with partials: true). */
  readonly #partialText = new Map<string, string>();
  /** finals waiting for release. */
  #ready: Pending[] = [];
  readonly #gaps: TranscriptGap[] = [];
  #arrival = 0;
  #horizonMs = 0;
  #lastEmittedOffset = Number.NEGATIVE_INFINITY;
  #received = 0;
  #emittedCount = 0;
  #partialsEmitted = 0;
  #duplicates = 0;
  #late = 0;

  constructor(options: TranscriptLedgerOptions = {}) {
    this.#partials = options.partials ?? false;
    this.#holdWindowMs = nonNegative(options.holdWindowMs ?? 5000, 'holdWindowMs');
    this.#maxRemembered = positive(options.maxRememberedIds ?? 10_000, 'maxRememberedIds');
    this.#maxOpen = positive(options.maxOpenPartials ?? 500, 'maxOpenPartials');
  }

  /**
   * Records utterances (in arrival order) and returns the ones to send now: finals, each once, in order,
   * and with `partials: true` also partials whose text changed.
   */
  push(utterances: Iterable<Utterance>): Utterance[] {
    const out: Utterance[] = [];
    for (const u of utterances) {
      this.#received++;
      let arrival = this.#arrival++;
      this.#horizonMs = Math.max(this.#horizonMs, u.offsetMs + Math.max(0, u.durationMs));
      if (this.#emitted.has(u.utteranceId)) {
        this.#duplicates++;
        continue;
      }
      if (u.isFinal) {
        const opened = this.#open.get(u.utteranceId);
        if (opened) arrival = opened.arrival;
        this.#open.delete(u.utteranceId);
        this.#partialText.delete(u.utteranceId);
        const existing = this.#ready.findIndex((p) => p.utterance.utteranceId === u.utteranceId);
        if (existing >= 0)
          this.#ready[existing] = { utterance: u, arrival: (this.#ready[existing] as Pending).arrival };
        else this.#ready.push({ utterance: u, arrival });
        continue;
      }
      if (this.#ready.some((p) => p.utterance.utteranceId === u.utteranceId)) {
        // a partial after its own final (already held for release) is stale
        this.#duplicates++;
        continue;
      }
      const previous = this.#open.get(u.utteranceId);
      this.#open.set(u.utteranceId, { utterance: u, arrival: previous?.arrival ?? arrival });
      if (this.#open.size > this.#maxOpen) this.#dropOldestOpen();
      if (this.#partials && this.#partialText.get(u.utteranceId) !== u.text) {
        this.#partialText.set(u.utteranceId, u.text);
        this.#partialsEmitted++;
        out.push(u);
      }
    }
    const released = this.#release(false);
    if (out.length === 0) return released;
    for (const u of released) out.push(u);
    return out;
  }

  /** Emits every held final now (call it when the session ends, `SESSION_ENDED`, or on the page's stop hook). */
  flush(): Utterance[] {
    return this.#release(true);
  }

  /** Records a period in which notifications may have been lost, so the page can show it. `to` must not precede `from`. */
  markGap(gap: TranscriptGap): void {
    if (!Number.isFinite(gap.from) || !Number.isFinite(gap.to) || gap.to < gap.from) {
      throw new KaaError(
        'E_EVENT_INVALID',
        `A transcript gap must have finite times with "to" not before "from" (got from=${String(gap.from)}, to=${String(gap.to)}). Pass the clock times at which the notification socket dropped and came back.`,
        { details: { from: gap.from, to: gap.to } },
      );
    }
    this.#gaps.push({ from: gap.from, to: gap.to });
  }

  /** The gaps recorded so far, oldest first. */
  gaps(): readonly TranscriptGap[] {
    return this.#gaps.slice();
  }

  /** Counters for the debug timeline. */
  stats(): TranscriptLedgerStats {
    return {
      received: this.#received,
      emitted: this.#emittedCount,
      partialsEmitted: this.#partialsEmitted,
      duplicates: this.#duplicates,
      late: this.#late,
      held: this.#ready.length,
      openPartials: this.#open.size,
      gaps: this.#gaps.length,
    };
  }

  #release(all: boolean): Utterance[] {
    if (this.#ready.length === 0) return [];
    if (this.#ready.length > 1) this.#ready.sort(byOffsetThenArrival);
    const barrier = all ? Number.POSITIVE_INFINITY : this.#barrier();
    const out: Utterance[] = [];
    let keep = 0;
    for (const pending of this.#ready) {
      if (pending.utterance.offsetMs >= barrier) break;
      keep++;
      const u = pending.utterance;
      if (u.offsetMs < this.#lastEmittedOffset) this.#late++;
      this.#lastEmittedOffset = Math.max(this.#lastEmittedOffset, u.offsetMs);
      this.#remember(u.utteranceId);
      this.#emittedCount++;
      out.push(u);
    }
    if (keep === this.#ready.length) this.#ready.length = 0;
    else if (keep > 0) this.#ready = this.#ready.slice(keep);
    return out;
  }

  /**
   * Finals before this offset may go out: the offset of the earliest open partial still inside the hold window.
   * A final at the same offset as that partial waits too (order is offset, then arrival, and the partial came first).
   */
  #barrier(): number {
    let barrier = Number.POSITIVE_INFINITY;
    if (this.#holdWindowMs === 0 || this.#open.size === 0) return barrier;
    for (const { utterance } of this.#open.values()) {
      const stale = this.#horizonMs - (utterance.offsetMs + Math.max(0, utterance.durationMs)) > this.#holdWindowMs;
      if (!stale && utterance.offsetMs < barrier) barrier = utterance.offsetMs;
    }
    return barrier;
  }

  #remember(id: string): void {
    this.#emitted.add(id);
    if (this.#emitted.size > this.#maxRemembered) {
      const oldest = this.#emitted.values().next();
      if (!oldest.done) this.#emitted.delete(oldest.value);
    }
  }

  #dropOldestOpen(): void {
    const oldest = this.#open.keys().next();
    if (!oldest.done) {
      this.#open.delete(oldest.value);
      this.#partialText.delete(oldest.value);
    }
  }
}

function byOffsetThenArrival(a: Pending, b: Pending): number {
  return a.utterance.offsetMs - b.utterance.offsetMs || a.arrival - b.arrival;
}

function nonNegative(value: number, name: string): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw new KaaError(
    'E_CONFIG_INVALID',
    `TranscriptLedger option "${name}" must be a number of 0 or more (got ${String(value)}). Fix the transcripts configuration.`,
    {
      details: { option: name },
    },
  );
}

function positive(value: number, name: string): number {
  if (Number.isInteger(value) && value > 0) return value;
  throw new KaaError(
    'E_CONFIG_INVALID',
    `TranscriptLedger option "${name}" must be a whole number above 0 (got ${String(value)}). Fix the transcripts configuration.`,
    {
      details: { option: name },
    },
  );
}
