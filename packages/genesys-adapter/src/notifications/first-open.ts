import type { KaaError } from '@kaa/core';

/**
 * `start()`'s wait for the first open socket: it resolves when a socket opens and gives up after `attempts` failed
 * socket opens, or at once on any other error (a channel that cannot be checked or created).
 *
 * @example
 * ```ts
 * const firstOpen = createFirstOpen(3);
 * const opened = firstOpen.wait();
 * if (firstOpen.failed(socketError(host, firstOpen.failures() + 1))) halt(); // `opened` rejects after the 3rd
 * ```
 */
export interface FirstOpen {
  /** Starts waiting (failures count from 0); the promise settles once. */
  wait(): Promise<void>;
  /** Waiting now. */
  waiting(): boolean;
  /** Failed attempts of the current wait. */
  failures(): number;
  /** A socket opened: resolves the wait. */
  opened(): void;
  /** Counts a failed attempt; when that was the last one allowed, rejects the wait with `error` and returns true. */
  failed(error: KaaError): boolean;
  /** Ends the wait without an error (`close()` during `start()`). */
  cancel(): void;
}

/** Creates a {@link FirstOpen} allowing `attempts` failed socket opens. */
export function createFirstOpen(attempts: number): FirstOpen {
  let wait: { resolve: () => void; reject: (e: KaaError) => void; failures: number } | null = null;
  const settle = () => {
    const w = wait;
    wait = null;
    return w;
  };
  return {
    wait: () => new Promise<void>((resolve, reject) => void (wait = { resolve, reject, failures: 0 })),
    waiting: () => wait !== null,
    failures: () => wait?.failures ?? 0,
    opened: () => settle()?.resolve(),
    failed(error) {
      if (!wait) return false;
      wait.failures += 1;
      if (wait.failures < attempts && error.code === 'E_NOTIFICATIONS_SOCKET') return false;
      settle()?.reject(error);
      return true;
    },
    cancel: () => settle()?.resolve(),
  };
}
