import { describe, expect, it } from 'vitest';
import { TranscriptLedger } from '@kaa/core';
import type { Utterance } from '@kaa/core';

/**
 * When the transcript ledger releases a held final (transcript time, negative durations, a zero hold window, the
 * default window), how it counts late lines, and what it forgets once a line is final.
 */

function u(id: string, offsetMs: number, isFinal: boolean, durationMs = 500, text = `${id} text`): Utterance {
  return {
    utteranceId: id,
    isFinal,
    speaker: 'customer',
    text,
    offsetMs,
    durationMs,
    channel: 'EXTERNAL',
    conversationId: 'c1',
  };
}
const ids = (list: readonly Utterance[]): string[] => list.map((x) => x.utteranceId);

describe('TranscriptLedger: the hold window in transcript time', () => {
  it('the default window is 5000 ms past the end of the open partial', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('p', 0, false, 500)]);
    expect(ledger.push([u('a', 5500, true, 0)])).toEqual([]); // exactly 5000 past the partial's end
    expect(ids(ledger.push([u('b', 5501, true, 0)]))).toEqual(['a', 'b']);
  });

  it('a negative duration counts as 0 for the newest line seen: it does not pull the transcript back', () => {
    const ledger = new TranscriptLedger({ holdWindowMs: 1000 });
    ledger.push([u('p', 0, false, 500)]);
    // ends at 2000 - 2000 = 0, but the transcript has reached 2000: 1500 past the partial
    expect(ids(ledger.push([u('a', 2000, true, -2000)]))).toEqual(['a']);
  });

  it('a negative duration counts as 0 for the open partial too: its end is its offset', () => {
    const ledger = new TranscriptLedger({ holdWindowMs: 1000 });
    ledger.push([u('p', 0, false, -500)]);
    expect(ledger.push([u('a', 600, true, 300)])).toEqual([]); // transcript at 900: 900 past the partial, still held
    expect(ids(ledger.push([u('b', 700, true, 301)]))).toEqual(['a', 'b']); // at 1001
  });

  it('holdWindowMs 0 never holds, even behind a partial that is still being spoken', () => {
    const ledger = new TranscriptLedger({ holdWindowMs: 0 });
    ledger.push([u('p', 0, false, 5000)]);
    expect(ids(ledger.push([u('a', 100, true, 100)]))).toEqual(['a']);
    expect(ledger.stats()).toMatchObject({ held: 0, openPartials: 1, emitted: 1 });
  });

  it('the earliest open partial inside the window sets the barrier, whatever the order they opened in', () => {
    const ledger = new TranscriptLedger({ holdWindowMs: 10_000 });
    ledger.push([u('late', 3000, false), u('early', 1000, false)]);
    expect(ids(ledger.push([u('a', 500, true), u('b', 2000, true), u('c', 4000, true)]))).toEqual(['a']);
    expect(ids(ledger.push([u('early', 1000, true)]))).toEqual(['early', 'b']);
    expect(ids(ledger.push([u('late', 3000, true)]))).toEqual(['late', 'c']);
  });

  it('several held finals go out sorted by offset, then arrival, on flush', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('p', 0, false)]);
    ledger.push([u('c', 3000, true), u('a', 1000, true), u('b2', 2000, true), u('b1', 2000, true)]);
    expect(ledger.stats().held).toBe(4);
    expect(ids(ledger.flush())).toEqual(['a', 'b2', 'b1', 'c']);
    expect(ledger.stats().held).toBe(0);
  });
});

describe('TranscriptLedger: late lines and counters', () => {
  it('a line is late against the furthest offset emitted so far, not the last one', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('far', 2000, true)]);
    ledger.push([u('back', 1000, true)]);
    ledger.push([u('between', 1500, true)]);
    expect(ledger.stats().late).toBe(2);
  });

  it('reports every counter', () => {
    const ledger = new TranscriptLedger({ partials: true });
    ledger.push([u('p', 0, false), u('a', 1000, true), u('a', 1000, false)]); // a held behind p; its partial is stale
    ledger.push([u('p', 0, false, 500, 'p longer')]);
    ledger.markGap({ from: 1, to: 2 });
    expect(ledger.stats()).toEqual({
      received: 4,
      emitted: 0,
      partialsEmitted: 2,
      duplicates: 1,
      late: 0,
      held: 1,
      openPartials: 1,
      gaps: 1,
    });
    expect(ids(ledger.push([u('p', 0, true), u('p', 0, true)]))).toEqual(['p', 'a']);
    expect(ledger.stats()).toEqual({
      received: 6,
      emitted: 2,
      partialsEmitted: 2,
      duplicates: 1, // the second final of p in one push replaces the first
      late: 0,
      held: 0,
      openPartials: 0,
      gaps: 1,
    });
  });

  it('returns partials first, then the finals released by the same push', () => {
    const ledger = new TranscriptLedger({ partials: true });
    expect(
      ledger.push([u('a', 0, true), u('b', 100, false)]).map((x) => `${x.utteranceId}/${String(x.isFinal)}`),
    ).toEqual(['b/false', 'a/true']);
  });
});

describe('TranscriptLedger: what a final makes it forget', () => {
  it('the partial text of a line that went final: the same partial text is shown again once the id is forgotten', () => {
    const ledger = new TranscriptLedger({ partials: true, maxRememberedIds: 1 });
    expect(ids(ledger.push([u('a', 0, false, 500, 'same')]))).toEqual(['a']);
    expect(ids(ledger.push([u('a', 0, true, 500, 'same')]))).toEqual(['a']);
    expect(ids(ledger.push([u('b', 1000, true)]))).toEqual(['b']); // forgets a
    expect(ids(ledger.push([u('a', 0, false, 500, 'same')]))).toEqual(['a']);
  });

  it('a held final replaces the open partial: the partial no longer holds others back', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('p', 0, false), u('q', 500, false)]);
    expect(ledger.push([u('x', 1000, true)])).toEqual([]);
    expect(ids(ledger.push([u('q', 500, true)]))).toEqual([]); // p still open
    expect(ledger.stats().openPartials).toBe(1);
    expect(ids(ledger.push([u('p', 0, true)]))).toEqual(['p', 'q', 'x']);
  });
});

describe('TranscriptLedger: option errors are configuration errors', () => {
  it.each([{ maxRememberedIds: 0 }, { maxOpenPartials: 2.5 }, { holdWindowMs: -1 }])('%j', (options) => {
    expect(() => new TranscriptLedger(options)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID', details: { option: Object.keys(options)[0] } }),
    );
  });
});
