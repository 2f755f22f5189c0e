import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { KaaError } from '@kaa/core';
import { createRateBudget, createSharedRateBudget, parseRateBudgetMessage } from '../src/index.js';
import type { RateBudget } from '../src/index.js';
import { capturingLogger } from './helpers.js';
import { FakeBroadcastChannel } from './fake-broadcast-channel.js';

const flush = () => vi.advanceTimersByTimeAsync(0);
/** Starts `take()` and records when (fake time) it settled. */
function track(budget: RateBudget, ask: Parameters<RateBudget['take']>[0] = {}) {
  const t: { at: number | null; error: unknown } = { at: null, error: null };
  budget.take(ask).then(
    () => void (t.at = Date.now()),
    (e: unknown) => void ((t.at = Date.now()), (t.error = e)),
  );
  return t;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-26T08:00:00Z') });
  FakeBroadcastChannel.open.clear();
  FakeBroadcastChannel.posted = [];
});
afterEach(() => vi.useRealTimers());

describe('createRateBudget (in memory)', () => {
  it('lets a burst through at once, then spaces requests so no rolling minute exceeds perMinute', async () => {
    const budget = createRateBudget({ perMinute: 300, maxWaitMs: 10 * 60_000, now: () => Date.now() }); // burst 30, refill 270/min
    const t0 = Date.now();
    const done = Array.from({ length: 700 }, () => track(budget));
    await flush();
    expect(done.filter((d) => d.at === t0)).toHaveLength(30);
    expect(budget.state()).toMatchObject({ available: 0, waiting: 670 });
    await vi.advanceTimersByTimeAsync(222);
    expect(done[30]!.at).toBeNull(); // one token takes 60 000 / 270 ≈ 222.2 ms
    await vi.advanceTimersByTimeAsync(1);
    expect(done[30]!.at).toBe(t0 + 223);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    const times = done.map((d) => d.at!);
    expect(times.every((t) => typeof t === 'number')).toBe(true);
    expect(done.every((d) => d.error === null)).toBe(true);
    for (let i = 0; i + 300 < times.length; i += 1) expect(times[i + 300]! - times[i]!).toBeGreaterThanOrEqual(60_000);
    expect(times).toEqual([...times].sort((a, b) => a - b)); // FIFO
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sheds a low-priority request (E_RATE_LIMITED, details.shed) when it would wait, or when normal requests queue; lets it go when there is room', async () => {
    const logger = capturingLogger();
    const budget = createRateBudget({ perMinute: 60, burst: 2, now: () => Date.now(), logger });
    await budget.take({ priority: 'low' });
    await budget.take();
    const shed = await budget.take({ priority: 'low', purpose: 'read message m1' }).catch((e: unknown) => e);
    expect(shed).toBeInstanceOf(KaaError);
    expect(shed).toMatchObject({ code: 'E_RATE_LIMITED', details: { shed: true, priority: 'low', perMinute: 60 } });
    expect((shed as KaaError).message).toContain('read message m1');
    expect((shed as KaaError).message).toContain('genesys.rateLimitPerMinute');
    const waiting = track(budget);
    await vi.advanceTimersByTimeAsync(500);
    expect(await budget.take({ priority: 'low' }).catch((e: unknown) => (e as KaaError).code)).toBe('E_RATE_LIMITED'); // a normal one is queued
    await vi.advanceTimersByTimeAsync(60_000);
    expect(waiting.error).toBeNull();
    await expect(budget.take({ priority: 'low' })).resolves.toBeUndefined();
    expect(logger.lines.some((l) => l.includes('low-priority request shed'))).toBe(true);
  });

  it('rejects a normal request whose wait would pass maxWaitMs; aborting a waiting request frees its place', async () => {
    const budget = createRateBudget({ perMinute: 60, burst: 1, maxWaitMs: 2_500, now: () => Date.now() });
    await budget.take(); // 59 per minute afterwards: one per ≈1017 ms
    const controller = new AbortController();
    const aborted = track(budget, { signal: controller.signal });
    const second = track(budget); // waits ≈2034 ms: within maxWaitMs
    const third = await budget.take({ purpose: 'read queue q1' }).catch((e: unknown) => e);
    expect(third).toMatchObject({ code: 'E_RATE_LIMITED', details: { shed: false, priority: 'normal' } });
    expect((third as KaaError).message).toMatch(/would wait \d+ ms/);
    controller.abort(new Error('stop'));
    await flush();
    expect((aborted.error as Error).message).toBe('stop');
    await vi.advanceTimersByTimeAsync(1_017);
    expect(second.at).toBe(Date.now()); // took the aborted request's turn
    await expect(budget.take({ signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });

  it('pause(ms) holds every request until the 429 wait is over', async () => {
    const budget = createRateBudget({ perMinute: 300, now: () => Date.now() });
    const t0 = Date.now();
    budget.pause(2_000);
    const d = track(budget);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(d.at).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(d.at).toBe(t0 + 2_000);
    budget.pause(500);
    budget.pause(100); // shorter than the pause in force: no effect
    const e = track(budget);
    await vi.advanceTimersByTimeAsync(499);
    expect(e.at).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(e.at).not.toBeNull();
  });

  it('close() rejects waiting requests and leaves no timer; a bad perMinute is E_CONFIG_INVALID', async () => {
    const budget = createRateBudget({ perMinute: 60, burst: 1, now: () => Date.now() });
    await budget.take();
    const waiting = track(budget);
    await flush();
    expect(vi.getTimerCount()).toBe(1);
    budget.close();
    await flush();
    expect(waiting.error).toMatchObject({ code: 'E_RATE_LIMITED', details: { closed: true } });
    expect(vi.getTimerCount()).toBe(0);
    await expect(budget.take()).rejects.toMatchObject({ code: 'E_RATE_LIMITED' });
    for (const perMinute of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createRateBudget({ perMinute })).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
    }
  });
});

describe('createSharedRateBudget (BroadcastChannel)', () => {
  const shared = (over: Partial<Parameters<typeof createSharedRateBudget>[0]> = {}) =>
    createSharedRateBudget({
      channelName: 'kaa.genesys.rate.u1',
      perMinute: 60,
      burst: 10,
      now: () => Date.now(),
      BroadcastChannel: FakeBroadcastChannel,
      ...over,
    });

  it('two instances share one estimate: spends of one make the other wait', async () => {
    const a = shared();
    const b = shared();
    await flush(); // hello / state exchange
    for (let i = 0; i < 7; i += 1) await a.take();
    await flush();
    expect(b.state().available).toBe(3);
    for (let i = 0; i < 3; i += 1) await b.take();
    await flush();
    expect(a.state().available).toBe(0);
    const t0 = Date.now();
    const fromA = track(a);
    const fromB = track(b);
    await flush();
    // 50 per minute refill: 1200 ms per token. A takes the first refilled token and announces it before B's
    // timer fires, so B waits for the next one instead of spending the same token twice.
    await vi.advanceTimersByTimeAsync(1_200);
    expect(fromA.at).toBe(t0 + 1_200);
    await vi.advanceTimersByTimeAsync(1_200);
    expect(fromB.at).toBe(t0 + 2_400);
    a.close();
    b.close();
    expect(FakeBroadcastChannel.open.get('kaa.genesys.rate.u1')?.size).toBe(0);
  });

  it('a 429 seen by one instance pauses the other; a newcomer adopts the lower estimate of the others', async () => {
    const a = shared();
    const b = shared();
    await flush();
    const t0 = Date.now();
    a.pause(3_000);
    await flush();
    const fromB = track(b);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fromB.at).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(fromB.at).toBe(t0 + 3_000);
    for (let i = 0; i < 5; i += 1) await a.take();
    await flush();
    const c = shared();
    expect(c.state().available).toBe(10); // before the answer to its hello
    await flush();
    expect(c.state().available).toBe(b.state().available);
    expect(c.state().available).toBe(4);
    for (const x of [a, b, c]) x.close();
  });

  it('ignores foreign or malformed messages on the channel (logged at debug, nothing thrown)', async () => {
    const logger = capturingLogger();
    const a = shared({ logger });
    const foreign = new FakeBroadcastChannel('kaa.genesys.rate.u1');
    for (const junk of [
      null,
      'spend',
      { type: 'spend', n: 5 },
      { kaa: 'rate-budget/1', type: 'spend', n: -3 },
      { kaa: 'rate-budget/1', type: 'pause', until: 'soon' },
    ])
      foreign.postMessage(junk);
    await flush();
    expect(a.state().available).toBe(10);
    expect(logger.lines.filter((l) => l.includes('ignored a message'))).toHaveLength(5);
    expect(logger.lines.join('\n')).toContain('E_EVENT_INVALID');
    a.close();
    foreign.close();
  });

  it('without a BroadcastChannel it works alone and says so', async () => {
    const logger = capturingLogger();
    const original = globalThis.BroadcastChannel;
    vi.stubGlobal('BroadcastChannel', undefined);
    try {
      const budget = createSharedRateBudget({
        channelName: 'x',
        perMinute: 60,
        burst: 1,
        now: () => Date.now(),
        logger,
      });
      await budget.take();
      expect(budget.state().available).toBe(0);
      expect(logger.lines.some((l) => l.includes('not shared'))).toBe(true);
      budget.close();
    } finally {
      vi.stubGlobal('BroadcastChannel', original);
    }
  });

  it('a BroadcastChannel that refuses to open (third-party frame without site data) leaves a working local budget', async () => {
    const logger = capturingLogger();
    class Refusing {
      constructor() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      }
    }
    const budget = createSharedRateBudget({
      channelName: 'x',
      perMinute: 60,
      burst: 1,
      now: () => Date.now(),
      logger,
      BroadcastChannel: Refusing as never,
    });
    await budget.take();
    expect(budget.state().available).toBe(0);
    expect(logger.lines.some((l) => l.includes('refused') && l.includes('not shared'))).toBe(true);
    budget.close();
  });

  it("Node's real BroadcastChannel carries the spends to the same channel name only", async () => {
    vi.useRealTimers();
    const name = `kaa.test.rate.${process.pid}.${Date.now()}`;
    const make = (channelName: string) =>
      createSharedRateBudget({ channelName, perMinute: 60, burst: 10, now: () => Date.now() });
    const p = make(name);
    const q = make(name);
    const other = make(`${name}.other`);
    for (let i = 0; i < 4; i += 1) await p.take();
    for (let i = 0; i < 100 && q.state().available > 6; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(q.state().available).toBe(6);
    expect(other.state().available).toBe(10);
    for (const x of [p, q, other]) x.close();
  });
});

describe('parseRateBudgetMessage', () => {
  it('accepts the four message kinds', () => {
    expect(parseRateBudgetMessage({ kaa: 'rate-budget/1', type: 'spend', n: 1 })).toEqual({
      kaa: 'rate-budget/1',
      type: 'spend',
      n: 1,
    });
    expect(parseRateBudgetMessage({ kaa: 'rate-budget/1', type: 'pause', until: 5 }).type).toBe('pause');
    expect(parseRateBudgetMessage({ kaa: 'rate-budget/1', type: 'hello' }).type).toBe('hello');
    expect(
      parseRateBudgetMessage({ kaa: 'rate-budget/1', type: 'state', tokens: -2.5, at: 1, pausedUntil: 0 }).type,
    ).toBe('state');
  });

  it('property: any input yields a message or an E_EVENT_INVALID KaaError, never another throw', () => {
    const near = fc.record(
      {
        kaa: fc.oneof(fc.constant('rate-budget/1'), fc.string()),
        type: fc.constantFrom('spend', 'pause', 'hello', 'state', 'other'),
        n: fc.oneof(fc.integer(), fc.double(), fc.string()),
        until: fc.oneof(fc.double(), fc.constant(Number.NaN), fc.string()),
        tokens: fc.oneof(fc.double(), fc.constant(Number.POSITIVE_INFINITY)),
        at: fc.double(),
        pausedUntil: fc.double(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), near), (input) => {
        try {
          const m = parseRateBudgetMessage(input);
          expect(['spend', 'pause', 'hello', 'state']).toContain(m.type);
        } catch (e) {
          expect(e).toBeInstanceOf(KaaError);
          expect((e as KaaError).code).toBe('E_EVENT_INVALID');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
