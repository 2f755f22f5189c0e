import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accountSoak } from '../bench/soak-accounting.js';
import type { SentUtterance } from '../bench/soak-accounting.js';

const sent = (n: number, undelivered: readonly number[] = []): SentUtterance[] =>
  Array.from({ length: n }, (_, index) => ({ index, sentAt: index * 20, delivered: !undelivered.includes(index) }));

describe('the soak benchmark accounting', () => {
  it('everything delivered and received once, in order → 0 / 0 / 0, one latency each', () => {
    const a = accountSoak(
      sent(3),
      [0, 1, 2].map((index) => ({ index, receivedAt: index * 20 + 5 })),
    );
    expect(a).toEqual({
      sent: 3,
      lostByGenesys: 0,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      unknown: 0,
      latencies: [5, 5, 5],
    });
  });

  it("an utterance that reached no socket is Genesys's loss, not the relay's; one delivered and missing is lost", () => {
    const a = accountSoak(
      sent(4, [1]),
      [0, 3].map((index) => ({ index, receivedAt: 100 })),
    );
    expect(a).toMatchObject({ lostByGenesys: 1, lost: 1 });
  });

  it('a repeat is a duplicate; an earlier one arriving after a later one is reordered; a stray line is unknown', () => {
    const a = accountSoak(
      sent(3),
      [0, 2, 1, 2, 7].map((index) => ({ index, receivedAt: 100 })),
    );
    expect(a).toMatchObject({ lost: 0, duplicated: 1, reordered: 1, unknown: 1 });
    expect(a.latencies).toHaveLength(3);
  });

  it('property: received = a subset of the delivered, in order, once → nothing lost beyond what was left out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.array(fc.boolean(), { maxLength: 200 }),
        (delivered, keep) => {
          const s = delivered.map((d, index) => ({ index, sentAt: index, delivered: d }));
          const received = s
            .filter((u, i) => u.delivered && (keep[i] ?? true))
            .map((u) => ({ index: u.index, receivedAt: u.index + 1 }));
          const a = accountSoak(s, received);
          expect(a.duplicated + a.reordered + a.unknown).toBe(0);
          expect(a.lost).toBe(s.filter((u) => u.delivered).length - received.length);
          expect(a.lostByGenesys).toBe(s.filter((u) => !u.delivered).length);
        },
      ),
    );
  });
});
