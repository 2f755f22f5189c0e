import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { TranscriptLedger } from '@kaa/core';
import type { Utterance } from '@kaa/core';

/** The transcript ledger's bounds at their edges: the hold window, the memory limits, arrival order and its option errors. */

function u(
  id: string,
  offsetMs: number,
  isFinal: boolean,
  text = `${id} ${isFinal ? 'final' : 'partial'}`,
  durationMs = 500,
): Utterance {
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

describe('TranscriptLedger: the hold window', () => {
  it("holds finals behind an open partial until the transcript is more than holdWindowMs past the partial's end", () => {
    const ledger = new TranscriptLedger({ holdWindowMs: 2000 });
    ledger.push([u('p', 0, false)]); // ends at 500
    expect(ledger.push([u('b', 1000, true)])).toEqual([]);
    expect(ledger.push([u('c', 2000, true)])).toEqual([]); // horizon 2500: exactly 2000 past, still held
    expect(ids(ledger.push([u('d', 2001, true)]))).toEqual(['b', 'c', 'd']); // horizon 2501
  });

  it('a final at the same offset as an open partial waits; one before it goes out', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('p', 1000, false)]);
    expect(ids(ledger.push([u('early', 999, true), u('same', 1000, true), u('after', 1500, true)]))).toEqual(['early']);
    expect(ledger.stats().held).toBe(2);
    expect(ids(ledger.flush())).toEqual(['same', 'after']);
    expect(ledger.stats().held).toBe(0);
  });
});

describe('TranscriptLedger: arrival order', () => {
  it('a final keeps the arrival of its first partial, so it goes before a final of the same offset that arrived in between', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('a', 1000, false)]);
    expect(ledger.push([u('x', 1000, true)])).toEqual([]);
    expect(ids(ledger.push([u('a', 1000, true)]))).toEqual(['a', 'x']);
  });

  it('a final sent again while held replaces the held text and keeps its place', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('stuck', 0, false)]);
    ledger.push([u('a', 1000, true, 'first'), u('x', 1000, true)]);
    ledger.push([u('a', 1000, true, 'second')]);
    expect(ledger.flush().map((x) => `${x.utteranceId}:${x.text}`)).toEqual(['a:second', 'x:x final']);
  });

  it('a final at the same offset as the last one emitted is not late', () => {
    const ledger = new TranscriptLedger();
    ledger.push([u('b', 2000, true)]);
    ledger.push([u('a', 2000, true)]);
    expect(ledger.stats().late).toBe(0);
  });
});

describe('TranscriptLedger: memory bounds', () => {
  it('remembers exactly maxRememberedIds emitted ids', () => {
    const ledger = new TranscriptLedger({ maxRememberedIds: 3 });
    ledger.push([u('1', 1, true), u('2', 2, true), u('3', 3, true)]);
    expect(ledger.push([u('1', 1, true)])).toEqual([]);
    expect(ledger.stats().duplicates).toBe(1);
  });

  it('keeps exactly maxOpenPartials open partials; the oldest dropped one no longer holds finals back', () => {
    const two = new TranscriptLedger({ maxOpenPartials: 2 });
    two.push([u('p1', 0, false), u('p2', 5000, false)]);
    expect(two.stats().openPartials).toBe(2);
    expect(two.push([u('b', 1000, true)])).toEqual([]);
    const one = new TranscriptLedger({ maxOpenPartials: 1 });
    one.push([u('p1', 0, false), u('p2', 5000, false)]);
    expect(one.stats().openPartials).toBe(1);
    expect(ids(one.push([u('b', 1000, true)]))).toEqual(['b']);
  });

  it('with partials on, a dropped partial is emitted again when it comes back with the same text', () => {
    const ledger = new TranscriptLedger({ partials: true, maxOpenPartials: 1 });
    expect(ids(ledger.push([u('p1', 0, false, 'same')]))).toEqual(['p1']);
    ledger.push([u('p2', 100, false)]);
    expect(ids(ledger.push([u('p1', 0, false, 'same')]))).toEqual(['p1']);
  });
});

describe('TranscriptLedger: options and gaps', () => {
  it('accepts holdWindowMs 0 and limits of 1; each bad option names itself', () => {
    expect(() => new TranscriptLedger({ holdWindowMs: 0, maxRememberedIds: 1, maxOpenPartials: 1 })).not.toThrow();
    const hold = errorOf(() => new TranscriptLedger({ holdWindowMs: Number.NaN }));
    expect(hold.code).toBe('E_CONFIG_INVALID');
    expect(hold.message).toBe(
      'TranscriptLedger option "holdWindowMs" must be a number of 0 or more (got NaN). Fix the transcripts configuration.',
    );
    expect(hold.details).toEqual({ option: 'holdWindowMs' });
    expect(errorOf(() => new TranscriptLedger({ holdWindowMs: Number.POSITIVE_INFINITY })).code).toBe(
      'E_CONFIG_INVALID',
    );
    const open = errorOf(() => new TranscriptLedger({ maxOpenPartials: 1.5 }));
    expect(open.message).toBe(
      'TranscriptLedger option "maxOpenPartials" must be a whole number above 0 (got 1.5). Fix the transcripts configuration.',
    );
    expect(open.details).toEqual({ option: 'maxOpenPartials' });
    expect(errorOf(() => new TranscriptLedger({ maxRememberedIds: -1 })).details).toEqual({
      option: 'maxRememberedIds',
    });
  });

  it('a gap may be empty (from = to); a reversed or infinite one is refused with both times', () => {
    const ledger = new TranscriptLedger();
    ledger.markGap({ from: 7, to: 7 });
    const e = errorOf(() => ledger.markGap({ from: 5, to: 4 }));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(
      'A transcript gap must have finite times with "to" not before "from" (got from=5, to=4). Pass the clock times at which the notification socket dropped and came back.',
    );
    expect(e.details).toEqual({ from: 5, to: 4 });
    expect(errorOf(() => ledger.markGap({ from: 0, to: Number.POSITIVE_INFINITY })).code).toBe('E_EVENT_INVALID');
    expect(errorOf(() => ledger.markGap({ from: Number.NaN, to: 1 })).code).toBe('E_EVENT_INVALID');
    const gaps = ledger.gaps() as { from: number; to: number }[];
    gaps.push({ from: 1, to: 2 });
    expect(ledger.gaps()).toEqual([{ from: 7, to: 7 }]);
  });
});
