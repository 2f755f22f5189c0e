import { describe, expect, it } from 'vitest';
import { KaaError } from '@kaa/core';
import type { WidgetLaunch } from '@kaa/core';
import { keepSecureCustomDataFresh } from '../src/secure-refresh.js';

/** Manual timers and clock: `advance(ms)` runs what is due, in order. */
function fakeTime() {
  let now = 1_000_000;
  const due: { at: number; cb: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    timers: {
      setTimeout: (cb: () => void, ms: number) => (due.push({ at: now + ms, cb, id: next }), next++),
      clearTimeout: (id: unknown) =>
        void due.splice(due.findIndex((d) => d.id === id) >>> 0, due.some((d) => d.id === id) ? 1 : 0),
    },
    pending: () => due.length,
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        due.sort((a, b) => a.at - b.at);
        const d = due[0];
        if (!d || d.at > end) break;
        due.shift();
        now = d.at;
        d.cb();
        await new Promise((r) => setTimeout(r, 0));
      }
      now = end;
    },
  };
}

const launchAt = (n: number, refreshAt: number | undefined): WidgetLaunch => ({
  url: `https://kore.example/w?token=t${n}`,
  token: `t${n}`,
  missingSecureKeys: [],
  customData: {},
  isCall: true,
  audiohook: false,
  ...(refreshAt === undefined
    ? {}
    : { secureCustomData: `jwe-${n}`, secureTransport: 'message' as const, secureRefreshAt: refreshAt }),
});
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('keepSecureCustomDataFresh', () => {
  it("mints at each launch's secureRefreshAt and hands the new launch over, until stopped", async () => {
    const t = fakeTime();
    const applied: string[] = [];
    let minted = 0;
    const refresher = keepSecureCustomDataFresh({
      first: launchAt(0, t.now() + 5_000),
      mint: async () => {
        minted += 1;
        return launchAt(minted, t.now() + 5_000);
      },
      apply: (l) => applied.push(l.secureCustomData ?? ''),
      now: t.now,
      timers: t.timers,
      logger,
      notice: () => undefined,
    });
    await t.advance(4_999);
    expect(applied).toEqual([]);
    await t.advance(1);
    expect(applied).toEqual(['jwe-1']);
    await t.advance(10_000);
    expect(applied).toEqual(['jwe-1', 'jwe-2', 'jwe-3']);
    refresher.stop();
    expect(t.pending()).toBe(0);
    await t.advance(60_000);
    expect(applied).toHaveLength(3);
  });

  it('without secure custom data nothing is scheduled; a failed mint is told once and retried', async () => {
    const t = fakeTime();
    const none = keepSecureCustomDataFresh({
      first: launchAt(0, undefined),
      mint: async () => launchAt(1, undefined),
      apply: () => undefined,
      now: t.now,
      timers: t.timers,
      logger,
      notice: () => undefined,
    });
    expect(t.pending()).toBe(0);
    none.stop();
    const notices: string[] = [];
    let calls = 0;
    const applied: string[] = [];
    keepSecureCustomDataFresh({
      first: launchAt(0, t.now() + 1_000),
      mint: async () => {
        calls += 1;
        if (calls < 3) throw new KaaError('E_JWE_KEY_INVALID', 'The key is wrong.');
        return launchAt(calls, t.now() + 60_000);
      },
      apply: (l) => applied.push(l.secureCustomData ?? ''),
      now: t.now,
      timers: t.timers,
      logger,
      notice: (text) => notices.push(text),
    });
    await t.advance(1_000 + 5_000 + 5_000);
    expect(calls).toBe(3);
    expect(applied).toEqual(['jwe-3']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('The key is wrong.');
  });
});
