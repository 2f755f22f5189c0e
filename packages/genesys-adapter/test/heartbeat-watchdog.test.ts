import type { Timers } from '@kaa/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHeartbeatWatchdog } from '../src/notifications/heartbeat-watchdog.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

function setup(ping: () => void = () => undefined) {
  let timerCalls = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => ((timerCalls += 1), setTimeout(fn, ms)),
    clearTimeout: (h) => ((timerCalls += 1), clearTimeout(h as never)),
  };
  const pings: number[] = [];
  const losses: number[] = [];
  const watchdog = createHeartbeatWatchdog({
    timers,
    now: () => Date.now(),
    intervalMs: 30_000,
    ping: () => {
      pings.push(Date.now());
      ping();
    },
    lost: () => void losses.push(Date.now()),
  });
  return { watchdog, pings, losses, timerCalls: () => timerCalls };
}

describe('createHeartbeatWatchdog (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics)', () => {
  it('silence: one ping after 1.5 intervals, lost after 2, then nothing more', async () => {
    const s = setup();
    s.watchdog.watch();
    await vi.advanceTimersByTimeAsync(44_999);
    expect(s.pings).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.pings).toEqual([45_000]);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(s.losses).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.losses).toEqual([60_000]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.pings).toHaveLength(1);
    expect(s.losses).toHaveLength(1);
  });

  it('frames postpone both deadlines without any timer work per frame', async () => {
    const s = setup();
    s.watchdog.watch();
    const before = s.timerCalls();
    for (let i = 0; i < 1000; i += 1) s.watchdog.heard();
    expect(s.timerCalls()).toBe(before);
    for (let i = 0; i < 5; i += 1) {
      await vi.advanceTimersByTimeAsync(40_000);
      s.watchdog.heard();
    }
    expect(s.pings).toEqual([]);
    expect(s.losses).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.pings).toHaveLength(1);
    expect(s.losses).toEqual([260_000]);
  });

  it('a frame after the ping starts a new silence (a second ping may follow); a throwing ping does not stop the watch', async () => {
    const s = setup(() => {
      throw new Error('socket not writable');
    });
    s.watchdog.watch();
    await vi.advanceTimersByTimeAsync(50_000);
    expect(s.pings).toEqual([45_000]);
    s.watchdog.heard();
    await vi.advanceTimersByTimeAsync(45_000);
    expect(s.pings).toEqual([45_000, 95_000]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(s.losses).toEqual([110_000]);
  });

  it('stop() leaves no timer and never reports a loss; watch() starts over', async () => {
    const s = setup();
    s.watchdog.watch();
    await vi.advanceTimersByTimeAsync(50_000);
    s.watchdog.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.losses).toEqual([]);
    s.watchdog.watch();
    s.watchdog.watch(); // re-watching replaces the timer
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.losses).toEqual([710_000]);
  });
});
