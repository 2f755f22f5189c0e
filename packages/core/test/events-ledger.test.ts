import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KaaError, TranscriptLedger, normalizeTranscription } from '@kaa/core';
import type { Utterance } from '@kaa/core';

function u(
  id: string,
  offsetMs: number,
  isFinal: boolean,
  text = `${id} ${isFinal ? 'final' : 'partial'}`,
  speaker: 'agent' | 'customer' = 'customer',
): Utterance {
  return {
    utteranceId: id,
    isFinal,
    speaker,
    text,
    offsetMs,
    durationMs: 500,
    channel: speaker === 'customer' ? 'EXTERNAL' : 'INTERNAL',
    conversationId: 'c1',
  };
}
const ids = (list: readonly Utterance[]): string[] => list.map((x) => x.utteranceId);

describe('TranscriptLedger', () => {
  it('emits a final once after its partials, and never the partials by default', () => {
    const ledger = new TranscriptLedger();
    expect(ledger.push([u('a', 1000, false, 'hel')])).toEqual([]);
    expect(ledger.push([u('a', 1000, false, 'hello')])).toEqual([]);
    const out = ledger.push([u('a', 1000, true, 'hello there')]);
    expect(out.map((x) => x.text)).toEqual(['hello there']);
    expect(ledger.push([u('a', 1000, true, 'hello there')])).toEqual([]);
    expect(ledger.push([u('a', 1000, false, 'late partial')])).toEqual([]);
    expect(ledger.stats()).toMatchObject({ received: 5, emitted: 1, duplicates: 2, openPartials: 0, held: 0 });
  });

  it('emits partials whose text changed when partials: true (docs/assumptions.md#transcription-topic-requirements-and-partial-results)', () => {
    const ledger = new TranscriptLedger({ partials: true });
    expect(ledger.push([u('a', 0, false, 'he')]).map((x) => x.text)).toEqual(['he']);
    expect(ledger.push([u('a', 0, false, 'he')])).toEqual([]);
    expect(
      ledger.push([u('a', 0, false, 'hello'), u('a', 0, true, 'hello!')]).map((x) => `${x.text}/${String(x.isFinal)}`),
    ).toEqual(['hello/false', 'hello!/true']);
    expect(ledger.stats().partialsEmitted).toBe(2);
  });

  it('emits duplicates replayed after a reconnect once, and records the gap', () => {
    const ledger = new TranscriptLedger();
    const body = {
      conversationId: 'c1',
      transcripts: [
        {
          utteranceId: 'u1',
          isFinal: true,
          channel: 'INTERNAL',
          alternatives: [{ transcript: 'thanks for calling', offsetMs: 2300, durationMs: 900 }],
        },
        {
          utteranceId: 'u2',
          isFinal: true,
          channel: 'EXTERNAL',
          alternatives: [{ transcript: 'hi', offsetMs: 4000, durationMs: 240 }],
        },
      ],
    };
    expect(ids(ledger.push(normalizeTranscription(body).utterances))).toEqual(['u1', 'u2']);
    ledger.markGap({ from: 1_000, to: 4_000 });
    expect(ledger.push(normalizeTranscription(body).utterances)).toEqual([]);
    expect(ledger.gaps()).toEqual([{ from: 1_000, to: 4_000 }]);
    expect(ledger.stats()).toMatchObject({ emitted: 2, duplicates: 2, gaps: 1 });
    expect(() => ledger.markGap({ from: 5, to: 4 })).toThrow(KaaError);
  });

  it('orders finals by offset then arrival, holding them behind an earlier open partial', () => {
    const ledger = new TranscriptLedger();
    expect(ledger.push([u('cust', 1000, false, 'so my', 'customer')])).toEqual([]);
    // agent finishes a later line first: held behind the customer's open partial
    expect(ledger.push([u('agent', 1500, true, 'ok', 'agent')])).toEqual([]);
    expect(ledger.stats().held).toBe(1);
    expect(ids(ledger.push([u('cust', 1000, true, 'so my order', 'customer')]))).toEqual(['cust', 'agent']);
    // out-of-order arrival within a batch comes out sorted
    expect(ids(ledger.push([u('z', 9000, true), u('y', 8000, true), u('x', 8000, true)]))).toEqual(['y', 'x', 'z']);
  });

  it('releases finals once the transcript moves past a stalled partial by holdWindowMs, or on flush', () => {
    const ledger = new TranscriptLedger({ holdWindowMs: 2000 });
    ledger.push([u('stuck', 0, false)]);
    expect(ledger.push([u('b', 1000, true)])).toEqual([]);
    expect(ids(ledger.push([u('c', 2600, true)]))).toEqual(['b', 'c']); // horizon 3100 − 500 > 2000
    const other = new TranscriptLedger();
    other.push([u('stuck', 0, false), u('b', 1000, true)]);
    expect(ids(other.flush())).toEqual(['b']);
    expect(other.flush()).toEqual([]);
    const noHold = new TranscriptLedger({ holdWindowMs: 0 });
    expect(ids(noHold.push([u('p', 0, false), u('b', 1000, true)]))).toEqual(['b']);
  });

  it('counts a final emitted after a later one as late, and still emits it once', () => {
    const ledger = new TranscriptLedger();
    expect(ids(ledger.push([u('b', 2000, true)]))).toEqual(['b']);
    expect(ids(ledger.push([u('a', 1000, true)]))).toEqual(['a']);
    expect(ledger.stats().late).toBe(1);
  });

  it('keeps memory bounded: forgets the oldest ids past maxRememberedIds and drops old partials', () => {
    const ledger = new TranscriptLedger({ maxRememberedIds: 3, maxOpenPartials: 2 });
    ledger.push([u('1', 1, true), u('2', 2, true), u('3', 3, true), u('4', 4, true)]);
    expect(ledger.push([u('4', 4, true)])).toEqual([]);
    expect(ids(ledger.push([u('1', 1, true)]))).toEqual(['1']); // forgotten, so re-emitted: the bound is real
    ledger.push([u('p1', 10, false), u('p2', 11, false), u('p3', 12, false)]);
    expect(ledger.stats().openPartials).toBe(2);
  });

  it('rejects bad options with E_CONFIG_INVALID', () => {
    expect(() => new TranscriptLedger({ holdWindowMs: -1 })).toThrow(KaaError);
    expect(() => new TranscriptLedger({ maxRememberedIds: 0 })).toThrow(/maxRememberedIds/);
  });

  it('property: every final id is emitted exactly once, whatever the arrival order, duplicates and partials', () => {
    const arrival = fc.array(
      fc.record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        offset: fc.integer({ min: 0, max: 20_000 }),
        isFinal: fc.boolean(),
      }),
      {
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(arrival, fc.integer({ min: 1, max: 5 }), (items, batch) => {
        const ledger = new TranscriptLedger();
        const emitted: Utterance[] = [];
        for (let i = 0; i < items.length; i += batch) {
          emitted.push(...ledger.push(items.slice(i, i + batch).map((x) => u(x.id, x.offset, x.isFinal))));
        }
        emitted.push(...ledger.flush());
        const finals = new Set<string>(items.filter((x) => x.isFinal).map((x) => x.id));
        const out = ids(emitted);
        return (
          out.length === new Set(out).size &&
          out.length === finals.size &&
          out.every((id) => finals.has(id)) &&
          emitted.every((x) => x.isFinal)
        );
      }),
      { numRuns: 300 },
    );
  });
});
