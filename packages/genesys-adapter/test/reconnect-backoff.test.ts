import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createReconnectBackoff, reconnectDelay } from '../src/notifications/reconnect-backoff.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Randomness that always yields `byte` (0 → unit 0, 255 → unit just under 1). */
const constant = (byte: number) => (b: Uint8Array) => b.fill(byte);

describe('reconnectDelay', () => {
  it('property: between half and the whole of the step base·2^attempt, capped at max', () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, max, unit) => {
          const step = Math.min(max, base * 2 ** attempt);
          const delay = reconnectDelay(attempt, base, max, unit);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(step));
        },
      ),
    );
  });

  it('examples', () => {
    expect(reconnectDelay(0, 1000, 30_000, 0)).toBe(500);
    expect(reconnectDelay(0, 1000, 30_000, 0.5)).toBe(750);
    expect(reconnectDelay(3, 1000, 30_000, 0.5)).toBe(6000);
    expect(reconnectDelay(10, 1000, 30_000, 0)).toBe(15_000);
  });
});

describe('createReconnectBackoff', () => {
  it('doubles per attempt on injected timers and randomness, one pending reconnect at a time', async () => {
    const backoff = createReconnectBackoff({
      timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as never) },
      random: constant(0),
      baseMs: 1000,
      maxMs: 4000,
    });
    const runs: number[] = [];
    expect(backoff.schedule(() => runs.push(Date.now()))).toEqual({ delayMs: 500, attempt: 1 });
    expect(backoff.schedule(() => runs.push(-1))).toBeNull(); // already pending
    await vi.advanceTimersByTimeAsync(499);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    expect(backoff.schedule(() => undefined)).toEqual({ delayMs: 1000, attempt: 2 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(backoff.schedule(() => undefined)).toEqual({ delayMs: 2000, attempt: 3 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(backoff.schedule(() => undefined)).toEqual({ delayMs: 2000, attempt: 4 }); // capped: step 4000
    await vi.advanceTimersByTimeAsync(2000);
    backoff.reset();
    expect(backoff.schedule(() => undefined)).toEqual({ delayMs: 500, attempt: 1 });
  });

  it('jitter comes from the injected randomness', () => {
    const low = createReconnectBackoff({
      timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as never) },
      random: constant(0),
      baseMs: 1000,
      maxMs: 30_000,
    });
    const high = createReconnectBackoff({
      timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as never) },
      random: constant(255),
      baseMs: 1000,
      maxMs: 30_000,
    });
    expect(low.schedule(() => undefined)?.delayMs).toBe(500);
    expect(high.schedule(() => undefined)?.delayMs).toBe(1000);
    low.cancel();
    high.cancel();
  });

  it('cancel() drops the pending reconnect (no timer left) and starts again from the base', async () => {
    const backoff = createReconnectBackoff({
      timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as never) },
      random: constant(0),
      baseMs: 1000,
      maxMs: 30_000,
    });
    const run = vi.fn();
    backoff.schedule(run);
    await vi.advanceTimersByTimeAsync(500);
    backoff.schedule(run);
    expect(vi.getTimerCount()).toBe(1);
    backoff.cancel();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(backoff.schedule(run)).toEqual({ delayMs: 500, attempt: 1 });
    backoff.cancel();
  });
});
