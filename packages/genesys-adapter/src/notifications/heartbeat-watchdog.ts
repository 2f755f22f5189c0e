import type { Timers } from '@kaa/core';

/**
 * Watches one open socket for silence. Genesys sends a heartbeat about every `intervalMs`
 * (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics): after 1.5 silent intervals the watchdog pings
 * once, after 2 it declares the heartbeat lost.
 *
 * @example
 * ```ts
 * const watchdog = createHeartbeatWatchdog({ timers, now, intervalMs: 30_000, ping: () => ws.send('{"message":"ping"}'), lost: reconnect });
 * ws.onopen = () => watchdog.watch();
 * ws.onmessage = () => watchdog.heard();
 * ```
 */
export interface HeartbeatWatchdog {
  /** Starts (or restarts) watching a socket that just opened: it counts as heard now. */
  watch(): void;
  /** The watched socket sent a frame (at `at`, default now). Only records the time: no timer work per frame. */
  heard(at?: number): void;
  /** Stops watching (the socket is gone, or everything stops); `lost` is not called afterwards. */
  stop(): void;
}

/** What {@link createHeartbeatWatchdog} needs. */
export interface HeartbeatWatchdogOptions {
  timers: Timers;
  now: () => number;
  intervalMs: number;
  /** Sends a ping on the watched socket (once per silence). */
  ping(): void;
  /** Two intervals of silence: the socket is to be replaced. Called once; the watchdog has stopped by then. */
  lost(): void;
}

/**
 * One lazy timer instead of re-arming a timer on every frame: when it fires it looks at how long the socket has been
 * silent — ≥ 1.5 intervals: ping once; ≥ 2 intervals: lost — and otherwise sleeps until the next of those deadlines.
 */
export function createHeartbeatWatchdog(options: HeartbeatWatchdogOptions): HeartbeatWatchdog {
  const { timers, now, intervalMs, ping, lost } = options;
  const pingAfter = intervalMs * 1.5;
  const lostAfter = intervalMs * 2;
  let timer: unknown = null;
  /** When the socket last sent a frame. */
  let heardAt = 0;
  /** A ping was sent in the current silence. */
  let pinged = false;

  const cancel = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const sleep = (ms: number) => {
    timer = timers.setTimeout(check, Math.max(0, ms));
  };
  function check() {
    timer = null;
    const silent = now() - heardAt;
    if (silent >= lostAfter) return lost();
    if (silent >= pingAfter && !pinged) {
      pinged = true;
      try {
        ping();
      } catch {
        // the next check decides
      }
    }
    sleep((silent < pingAfter ? pingAfter : lostAfter) - silent);
  }

  return {
    watch() {
      cancel();
      heardAt = now();
      pinged = false;
      sleep(pingAfter);
    },
    heard(at = now()) {
      heardAt = at;
      pinged = false;
    },
    stop: cancel,
  };
}
