import type { Logger, Timers, WebSocketFactory, WebSocketLike } from '@kaa/core';
import { createHeartbeatWatchdog } from './heartbeat-watchdog.js';

const OPEN = 1;
const PING = JSON.stringify({ message: 'ping' });

/**
 * The open notification socket and the one opening to replace it. A new socket replaces the open one only once it
 * has opened, so `v2.system.socket_closing` is handled without a hole (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics);
 * until then both deliver frames. A socket that neither opens nor closes within `openTimeoutMs` is dropped. The open
 * socket is watched by a {@link createHeartbeatWatchdog | heartbeat watchdog}; when it goes silent or closes by
 * itself, `lost` says so.
 *
 * @example
 * ```ts
 * const sockets = createSocketPair({ WebSocket: (url) => new WebSocket(url), timers, now, heartbeatIntervalMs: 30_000,
 *   openTimeoutMs: 10_000, logger, frame: (data) => route(data), lost: (reason) => reconnectLater(reason) });
 * sockets.open(channel, { opened: () => console.log('live'), failed: () => retryLater() });
 * ```
 */
export interface SocketPair {
  /** Opens a socket to `channel.connectUri`, dropping one still opening; it becomes the open one when it opens. */
  open(channel: { id: string; connectUri: string }, outcome: SocketOutcome): void;
  /** A socket is opening. */
  opening(): boolean;
  /** A socket is open (another may be opening to replace it). */
  isOpen(): boolean;
  /** When either socket last sent a frame, or the open one opened: where missed events start after a loss. */
  lastFrameAt(): number;
  /** Closes both sockets, the open timeout and the watchdog; nothing is reported afterwards. */
  closeAll(): void;
}

/** How one {@link SocketPair.open} ended; exactly one of these is called, at most once. */
export interface SocketOutcome {
  /** It opened and is now the open socket (the one it replaced is already closed). */
  opened(): void;
  /** It never opened: the factory threw (`cause`), it closed, or it timed out. */
  failed(how: 'threw' | 'closed' | 'timed-out', cause?: unknown): void;
}

/** What {@link createSocketPair} needs. */
export interface SocketPairOptions {
  WebSocket: WebSocketFactory;
  timers: Timers;
  now: () => number;
  /** Genesys' heartbeat interval (see {@link createHeartbeatWatchdog}). */
  heartbeatIntervalMs: number;
  openTimeoutMs: number;
  logger: Logger;
  /** A frame from the open socket (`fromOpen`) or from the one opening. */
  frame(data: unknown, fromOpen: boolean): void;
  /**
   * The open socket is gone and nothing replaces it yet: it went silent (closed here) or it closed by itself while
   * no other socket was opening.
   */
  lost(reason: 'heartbeat-lost' | 'socket-dropped'): void;
}

/** Takes a socket out of service: no more callbacks, then a normal close. */
function detach(ws: WebSocketLike | null): void {
  if (!ws) return;
  ws.onopen = ws.onmessage = ws.onclose = null;
  // not null: Node's `ws` reports closing a socket that is still connecting as an 'error' event, and an EventEmitter
  // 'error' with no listener is an uncaught exception; the browser's WebSocket only fires it
  ws.onerror = () => undefined;
  try {
    ws.close(1000, 'kaa: replaced');
  } catch {
    // already closed
  }
}

/** Creates a {@link SocketPair}. */
export function createSocketPair(options: SocketPairOptions): SocketPair {
  const { WebSocket: openSocket, timers, now, openTimeoutMs, logger, frame, lost } = options;
  let current: WebSocketLike | null = null;
  let pending: WebSocketLike | null = null;
  let openTimer: unknown = null;
  let lastFrameAt = now();

  const watchdog = createHeartbeatWatchdog({
    timers,
    now,
    intervalMs: options.heartbeatIntervalMs,
    ping() {
      if (current?.readyState === OPEN) current.send(PING);
    },
    lost() {
      if (!current) return;
      logger.warn('no heartbeat from Genesys notifications; reconnecting', { silentForMs: now() - lastFrameAt });
      detach(current);
      current = null;
      lost('heartbeat-lost');
    },
  });

  const cancelOpenTimer = () => {
    if (openTimer !== null) timers.clearTimeout(openTimer);
    openTimer = null;
  };

  return {
    open(channel, outcome) {
      detach(pending);
      pending = null;
      cancelOpenTimer();
      let ws: WebSocketLike;
      try {
        ws = openSocket(channel.connectUri);
      } catch (e) {
        outcome.failed('threw', e);
        return;
      }
      pending = ws;
      const channelId = channel.id;
      openTimer = timers.setTimeout(
        () => {
          openTimer = null;
          if (ws !== pending) return;
          logger.warn('genesys notification socket did not open in time', { channelId, timeoutMs: openTimeoutMs });
          detach(ws);
          pending = null;
          outcome.failed('timed-out');
        },
        Math.max(0, openTimeoutMs),
      );
      ws.onopen = () => {
        if (ws !== pending) return;
        cancelOpenTimer();
        const old = current;
        current = ws;
        pending = null;
        detach(old);
        lastFrameAt = now();
        watchdog.watch();
        outcome.opened();
      };
      ws.onmessage = (event) => {
        if (ws !== current && ws !== pending) return;
        lastFrameAt = now();
        if (ws === current) watchdog.heard(lastFrameAt);
        frame(event.data, ws === current);
      };
      ws.onerror = () => logger.warn('genesys notification socket error', { channelId });
      ws.onclose = () => {
        if (ws === pending) {
          pending = null;
          cancelOpenTimer();
          outcome.failed('closed');
          return;
        }
        if (ws !== current) return;
        current = null;
        watchdog.stop();
        if (!pending) lost('socket-dropped'); // else its replacement is on the way (socket_closing overlap)
      };
    },
    opening: () => pending !== null,
    isOpen: () => current !== null,
    lastFrameAt: () => lastFrameAt,
    closeAll() {
      cancelOpenTimer();
      watchdog.stop();
      detach(pending);
      detach(current);
      pending = current = null;
    },
  };
}
