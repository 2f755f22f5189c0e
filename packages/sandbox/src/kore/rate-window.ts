/**
 * A rolling one-minute request budget per key (Kore Data Tables: per app + table).
 */

/**
 * Counts requests per key over the last 60 s of the injected clock.
 *
 * @example
 * ```ts
 * const w = new RateWindow(() => Date.now());
 * w.take('app:kaa_bots', 600); // true until the 601st call within a minute
 * ```
 */
export class RateWindow {
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Records one request for `key`; false (and not recorded) when `limit` requests already fell in the last minute. */
  take(key: string, limit: number): boolean {
    const now = this.#now();
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= limit) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(key, recent);
    return true;
  }

  /** Seconds until the oldest request of `key` leaves the window (at least 1). */
  retryAfterSeconds(key: string): number {
    const oldest = this.#hits.get(key)?.[0];
    if (oldest === undefined) return 1;
    return Math.max(1, Math.ceil((oldest + 60_000 - this.#now()) / 1000));
  }

  clear(): void {
    this.#hits.clear();
  }
}
