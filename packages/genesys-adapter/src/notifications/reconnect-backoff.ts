import { randomUnit } from '@kaa/core';
import type { RandomBytes, Timers } from '@kaa/core';

/**
 * The delay before reconnect attempt `attempt` (0-based): the step `baseMs · 2^attempt`, capped at `maxMs`, with
 * "equal jitter" — half the step fixed, half random — so that widget instances that lost the same socket do not
 * come back in lockstep. `unit` is a random number in [0, 1).
 *
 * @example
 * ```ts
 * reconnectDelay(0, 1000, 30_000, 0.5); // 750
 * reconnectDelay(10, 1000, 30_000, 0.999); // just under 30 000
 * ```
 */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, unit: number): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(step / 2 + (unit * step) / 2);
}

/**
 * One pending reconnect at a time, each failed attempt waiting about twice as long as the one before
 * ({@link reconnectDelay}) until a socket opens ({@link ReconnectBackoff.reset}).
 *
 * @example
 * ```ts
 * const backoff = createReconnectBackoff({ timers, random, baseMs: 1000, maxMs: 30_000 });
 * backoff.schedule(() => void reconnect()); // { delayMs: ~500–1000, attempt: 1 }
 * socket.onopen = () => backoff.reset();
 * ```
 */
export interface ReconnectBackoff {
  /** Runs `attempt` after the next delay; null (and nothing scheduled) when a reconnect is already pending. */
  schedule(attempt: () => void): { delayMs: number; attempt: number } | null;
  /** A socket opened: the next failure starts again from `baseMs`. */
  reset(): void;
  /** Drops the pending reconnect and starts again from `baseMs`. */
  cancel(): void;
}

/** What {@link createReconnectBackoff} needs: injected timers and randomness, and the delays. */
export interface ReconnectBackoffOptions {
  timers: Timers;
  random: RandomBytes;
  baseMs: number;
  maxMs: number;
}

/** Creates a {@link ReconnectBackoff}. */
export function createReconnectBackoff(options: ReconnectBackoffOptions): ReconnectBackoff {
  const { timers, random, baseMs, maxMs } = options;
  let attempts = 0;
  let timer: unknown = null;
  return {
    schedule(attempt) {
      if (timer !== null) return null;
      const delayMs = reconnectDelay(attempts, baseMs, maxMs, randomUnit(random));
      attempts += 1;
      timer = timers.setTimeout(
        () => {
          timer = null;
          attempt();
        },
        Math.max(0, delayMs),
      );
      return { delayMs, attempt: attempts };
    },
    reset() {
      attempts = 0;
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      attempts = 0;
    },
  };
}
