/**
 * Owns every timer a sandbox server starts, so that `clear()` on close leaves none behind.
 *
 * @example
 * ```ts
 * const timers = new TimerSet();
 * await timers.sleep(100);
 * timers.every(30_000, () => heartbeat());
 * timers.clear();
 * ```
 */
export class TimerSet {
  private readonly active = new Map<ReturnType<typeof setTimeout>, () => void>();

  /** Runs `fn` once after `ms`. Returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void {
    const handle = setTimeout(() => {
      this.active.delete(handle);
      fn();
    }, ms);
    const cancel = (): void => {
      clearTimeout(handle);
      this.active.delete(handle);
    };
    this.active.set(handle, () => clearTimeout(handle));
    return cancel;
  }

  /** Runs `fn` every `ms`. Returns a function that stops it. */
  every(ms: number, fn: () => void): () => void {
    const handle = setInterval(fn, ms);
    this.active.set(handle, () => clearInterval(handle));
    return () => {
      clearInterval(handle);
      this.active.delete(handle);
    };
  }

  /**
   * Resolves after `ms` (immediately for 0) with `true`; never rejects — on `clear()` it resolves early
   * with `false`, so a server that is closing can drop the request instead of answering it.
   */
  sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const handle = setTimeout(() => {
        this.active.delete(handle);
        resolve(true);
      }, ms);
      this.active.set(handle, () => {
        clearTimeout(handle);
        resolve(false);
      });
    });
  }

  /** Number of pending timers (tests check it is 0 after close). */
  get size(): number {
    return this.active.size;
  }

  /** Cancels every pending timer; pending sleeps resolve. */
  clear(): void {
    const stops = [...this.active.values()];
    this.active.clear();
    for (const stop of stops) stop();
  }
}
