import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage, randomUnit, retryAfterMs, silentLogger, sleepOn, type Timers } from '../src/index.js';

/** Timers that run nothing by themselves: the test fires or inspects what was scheduled. */
function manualTimers() {
  const scheduled = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => (scheduled.set(next, { fn, ms }), next++),
    clearTimeout: (handle) => void scheduled.delete(handle as number),
  };
  const fireAll = () => {
    for (const [id, t] of [...scheduled]) {
      scheduled.delete(id);
      t.fn();
    }
  };
  return { timers, scheduled, fireAll };
}

describe('retryAfterMs (the Retry-After parser)', () => {
  it('reads delta seconds, and an HTTP date only against a clock', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(' 1.5 ', 0)).toBe(1500);
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(retryAfterMs('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 12:00:30 GMT')).toBeUndefined();
    for (const absent of [null, undefined, '', '   ', 'soon'])
      expect(retryAfterMs(absent, now), String(absent)).toBeUndefined();
    for (const notSeconds of ['-5', '1e3', '0x10']) expect(retryAfterMs(notSeconds), notSeconds).toBeUndefined();
  });

  it('property: any header value gives undefined or a whole number of ms that is not negative', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat().map(String),
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
        ),
        fc.option(fc.nat(), { nil: undefined }),
        (value, now) => {
          const ms = retryAfterMs(value, now);
          if (ms !== undefined) {
            expect(Number.isInteger(ms)).toBe(true);
            expect(ms).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('property: n seconds are n × 1000 ms', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), (n) => {
        expect(retryAfterMs(String(n))).toBe(n * 1000);
      }),
    );
  });
});

describe('sleepOn', () => {
  it('resolves after the timer fires, with the delay asked (never below 0)', async () => {
    const { timers, scheduled, fireAll } = manualTimers();
    const sleep = sleepOn(timers);
    let done = false;
    const waiting = sleep(250).then(() => void (done = true));
    void sleep(-5);
    expect([...scheduled.values()].map((t) => t.ms)).toEqual([250, 0]);
    await Promise.resolve();
    expect(done).toBe(false);
    fireAll();
    await waiting;
    expect(done).toBe(true);
  });

  it('rejects with the reason and clears its timer when aborted, at once when already aborted', async () => {
    const { timers, scheduled } = manualTimers();
    const sleep = sleepOn(timers);
    const controller = new AbortController();
    const waiting = sleep(1000, controller.signal);
    expect(scheduled.size).toBe(1);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(scheduled.size).toBe(0);
    await expect(sleep(10, controller.signal)).rejects.toThrow('stop');
    expect(scheduled.size).toBe(0);
  });
});

describe('the other port helpers', () => {
  it('randomUnit is in [0, 1) for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        const u = randomUnit((into) => (into.set(bytes), into));
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThan(1);
      }),
    );
    expect(randomUnit((into) => into.fill(0))).toBe(0);
    expect(randomUnit((into) => into.fill(255))).toBe((2 ** 32 - 1) / 2 ** 32);
  });

  it('createMemoryStorage keeps strings per instance; silentLogger has the four levels and says nothing', () => {
    const a = createMemoryStorage();
    const b = createMemoryStorage();
    a.setItem('k', 'v');
    expect(a.getItem('k')).toBe('v');
    expect(b.getItem('k')).toBeNull();
    a.removeItem('k');
    expect(a.getItem('k')).toBeNull();
    for (const level of ['debug', 'info', 'warn', 'error'] as const)
      expect(silentLogger[level]('message', { a: 1 })).toBeUndefined();
  });
});
