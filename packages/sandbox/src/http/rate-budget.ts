/** The outcome of one {@link RateBudget.take}. */
export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** The budget per window. */
  limit: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

/**
 * Fixed-window request budgets per key (a token, or an app + table). The clock is injected.
 *
 * @example
 * ```ts
 * const budget = new RateBudget(() => Date.now(), 60_000);
 * const d = budget.take('token-abc', 300);
 * if (!d.allowed) reply429(d.resetSeconds);
 * ```
 */
export class RateBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request for `key` against `limit` per window. */
  take(key: string, limit: number): RateDecision {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
    return { allowed: w.count <= limit, count: w.count, limit, resetSeconds };
  }

  /** Forgets every window. */
  reset(): void {
    this.windows.clear();
  }
}
