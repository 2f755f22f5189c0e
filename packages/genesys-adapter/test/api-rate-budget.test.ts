/**
 * createGenesysApi with a shared rate budget (docs/assumptions.md#genesys-per-user-rate-limit) against an msw Genesys that enforces a rolling per-user
 * minute, on virtual time (the budget, the API client and the server read the same clock).
 */
import type { Timers } from '@kaa/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockHttp } from '@kaa/test-support';
import { http, HttpResponse } from 'msw';
import { createGenesysApi, createSharedRateBudget } from '../src/index.js';
import type { GenesysApi, RateBudget } from '../src/index.js';
import { ENV } from './helpers.js';
import { FakeBroadcastChannel } from './fake-broadcast-channel.js';

const { server, seen } = mockHttp();
const LIMIT = 60;

/** Virtual time: timers fire only when the driver advances the clock to them. */
function virtualTime() {
  let clock = 1_800_000_000_000;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout(fn, ms) {
      seq += 1;
      due.set(seq, { at: clock + Math.max(0, ms), fn });
      return seq;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
  };
  const settle = () => new Promise((r) => setImmediate(r));
  /** Runs until every promise settled: lets IO finish, then fires the earliest timer. */
  async function run(promises: Promise<unknown>[]) {
    let pending = promises.length;
    for (const p of promises)
      void p.then(
        () => (pending -= 1),
        () => (pending -= 1),
      );
    for (let guard = 0; guard < 100_000; guard += 1) {
      for (let i = 0; i < 5; i += 1) await settle();
      if (pending === 0) return;
      const next = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) throw new Error(`${pending} promise(s) wait with no timer left`);
      due.delete(next[0]);
      clock = Math.max(clock, next[1].at);
      next[1].fn();
    }
    throw new Error('virtual time ran away');
  }
  return { now: () => clock, timers, run };
}

/** A Genesys that allows LIMIT requests per rolling minute for the user (all tokens of the user together). */
function limitedGenesys(now: () => number, log: { at: number; status: number }[]) {
  server.use(
    http.get(`${ENV.apiBase}/api/v2/users/me`, () => {
      const t = now();
      const inWindow = log.filter((e) => e.status === 200 && t - e.at < 60_000).length;
      if (inWindow >= LIMIT) {
        const oldest = log.filter((e) => e.status === 200 && t - e.at < 60_000)[0]!.at;
        log.push({ at: t, status: 429 });
        return HttpResponse.json(
          {
            status: 429,
            code: 'too.many.requests.retry.after',
            message: 'Rate limit exceeded the maximum. [org.app.user.rate.per.minute]',
          },
          { status: 429, headers: { 'Retry-After': String(Math.ceil((oldest + 60_000 - t) / 1000)) } },
        );
      }
      log.push({ at: t, status: 200 });
      return HttpResponse.json({ id: 'u1', name: 'Ava' });
    }),
  );
}

let vt: ReturnType<typeof virtualTime>;
beforeEach(() => {
  vt = virtualTime();
  FakeBroadcastChannel.open.clear();
  FakeBroadcastChannel.posted = [];
});

const apiWith = (rateBudget?: RateBudget): GenesysApi =>
  createGenesysApi({
    environment: ENV,
    auth: { getToken: () => 'tok-1' },
    timers: vt.timers,
    random: (b) => b.fill(128),
    maxAttempts: 3,
    ...(rateBudget ? { rateBudget } : {}),
  });
const sharedBudget = () =>
  createSharedRateBudget({
    channelName: 'kaa.genesys.rate.u1',
    perMinute: LIMIT,
    now: vt.now,
    timers: vt.timers,
    BroadcastChannel: FakeBroadcastChannel,
    maxWaitMs: 10 * 60_000,
  });

describe('createGenesysApi({ rateBudget })', () => {
  it('control: without a budget, three instances bursting 150 reads run into 429s (the server limit is real)', async () => {
    const log: { at: number; status: number }[] = [];
    limitedGenesys(vt.now, log);
    const apis = [apiWith(), apiWith(), apiWith()];
    const calls = Array.from({ length: 150 }, (_, i) => apis[i % 3]!.getMe());
    await vt.run(calls);
    const results = await Promise.allSettled(calls);
    expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true); // Retry-After, 3 attempts
  });

  it('three instances sharing a budget over BroadcastChannel send 150 reads with no 429: requests wait instead', async () => {
    const log: { at: number; status: number }[] = [];
    limitedGenesys(vt.now, log);
    const budgets = [sharedBudget(), sharedBudget(), sharedBudget()];
    await vt.run([]);
    const apis = budgets.map((b) => apiWith(b));
    const t0 = vt.now();
    const calls = Array.from({ length: 150 }, (_, i) => apis[i % 3]!.getMe());
    await vt.run(calls);
    const results = await Promise.allSettled(calls);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(log.filter((e) => e.status === 429)).toEqual([]);
    expect(log).toHaveLength(150);
    // burst 6 + 54 per minute: the 150th request goes after (150 - 6) / 54 minutes
    expect(vt.now() - t0).toBeGreaterThanOrEqual(Math.floor(((150 - 6) / 54) * 60_000));
    for (const b of budgets) b.close();
  });

  it('a low-priority read is shed without a request when the budget is spent; a normal one waits', async () => {
    const log: { at: number; status: number }[] = [];
    limitedGenesys(vt.now, log);
    const budget = sharedBudget();
    const api = apiWith(budget);
    await vt.run(Array.from({ length: 6 }, () => api.getMe()));
    const before = seen.length;
    const low = await api.getMe({ priority: 'low' }).catch((e: unknown) => e);
    expect(low).toMatchObject({
      code: 'E_RATE_LIMITED',
      details: { shed: true, priority: 'low', method: 'GET', path: '/api/v2/users/me?expand=organization' },
    });
    expect(seen.length).toBe(before);
    const normal = api.getMe();
    await vt.run([normal]);
    expect((await normal).id).toBe('u1');
    budget.close();
  });

  it("a 429 (the desktop spent the user's budget) pauses every instance for Retry-After", async () => {
    const log: { at: number; status: number }[] = [];
    limitedGenesys(vt.now, log);
    for (let i = 0; i < LIMIT; i += 1) log.push({ at: vt.now() - 50_000, status: 200 }); // the desktop's calls, 50 s ago
    const [a, b] = [sharedBudget(), sharedBudget()];
    await vt.run([]);
    const t0 = vt.now();
    const first = apiWith(a).getMe();
    await vt.run([first]);
    expect(log.filter((e) => e.status === 429)).toHaveLength(1); // the one kaa could not foresee
    expect(vt.now() - t0).toBe(10_000); // Retry-After: 10
    expect(b.state().pausedUntil).toBe(t0 + 10_000); // B heard of the pause
    const fromB = apiWith(b).getMe();
    await vt.run([fromB]);
    expect(log.filter((e) => e.status === 429)).toHaveLength(1);
    expect(FakeBroadcastChannel.posted).toContainEqual({ kaa: 'rate-budget/1', type: 'pause', until: t0 + 10_000 });
    a.close();
    b.close();
  });
});
