import type { Sleep } from '@kaa/core';

/**
 * A client-side sliding window that keeps this instance under a request budget (Kore Data Tables:
 * 600 requests per minute per account+table, docs/kore-protocol.md#data-table-public-api). `acquire()` resolves when one more request
 * fits in the window, sleeping until the oldest request leaves it.
 * @internal
 */
export interface RateWindow {
  acquire(signal?: AbortSignal): Promise<void>;
}

/** @internal */
export function createRateWindow(options: {
  limit: number;
  windowMs: number;
  now: () => number;
  sleep: Sleep;
}): RateWindow {
  const { limit, windowMs, now, sleep } = options;
  const sent: number[] = [];
  return {
    async acquire(signal) {
      if (!(limit > 0) || !Number.isFinite(limit)) return;
      for (;;) {
        const t = now();
        while (sent.length > 0 && (sent[0] as number) <= t - windowMs) sent.shift();
        if (sent.length < limit) {
          sent.push(t);
          return;
        }
        await sleep((sent[0] as number) + windowMs - t, signal);
      }
    },
  };
}
