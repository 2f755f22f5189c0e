import { isKaaError, KaaError, parseNotification, silentLogger } from '@kaa/core';
import { createGenesysApi } from './api.js';
import type { NotificationChannel } from './api.js';
import { defaultRandom, defaultTimers } from './ports.js';
import { createChannelRenewal } from './notifications/channel-renewal.js';
import { createChannelStore } from './notifications/channel-store.js';
import { createFirstOpen } from './notifications/first-open.js';
import { eventOfFrame } from './notifications/frame-events.js';
import { createNotificationEmitter } from './notifications/notification-emitter.js';
import {
  channelError,
  hostOf,
  runningError,
  socketError,
  tokenRevokedError,
} from './notifications/notification-errors.js';
import { createReconnectBackoff } from './notifications/reconnect-backoff.js';
import { createSocketPair } from './notifications/socket-pair.js';
import { createSubscriptionSet } from './notifications/subscription-set.js';
import type { Notifications, NotificationsOptions, ReconnectReason } from './notifications/types.js';

export type {
  NotificationEvent,
  NotificationEventType,
  Notifications,
  NotificationsOptions,
  ReconnectReason,
} from './notifications/types.js';

/** Why a socket is being opened: the first open, or a {@link ReconnectReason}. */
type ConnectReason = ReconnectReason | 'start';

/**
 * Genesys notifications over one channel and WebSocket (docs/genesys-protocol.md#notifications): channel create-or-reuse,
 * subscriptions, typed events via core's `parseNotification`, a heartbeat watchdog, reconnect with backoff and
 * jitter, `socket_closing` handled by opening the new socket before closing the old, 24 h channel and token
 * renewal, `no_longer_subscribed` → resubscribe, `token_revoked` → event + re-auth, and a `gap` event after
 * every reconnect.
 *
 * Composed of named parts in `notifications/`: the channel store, the subscription set, the socket pair (with its
 * heartbeat watchdog), the reconnect backoff, the channel renewal, the wait for the first open socket and the event
 * emitter. This function decides what happens between them.
 *
 * @example
 * ```ts
 * const notifications = createNotifications({ api, WebSocket: (url) => new WebSocket(url), storage: sessionStorage,
 *   topics: [`v2.conversations.${conversationId}.transcription`, `v2.users.${me.id}.conversations`] });
 * notifications.on('transcription', ({ notification }) => ledger.push(normalizeTranscription(notification.eventBody)));
 * notifications.on('gap', ({ from, to }) => timeline.markGap(from, to));
 * await notifications.start();
 * // lifecycle stop:
 * await notifications.close({ deleteSubscriptions: true });
 * ```
 */
export function createNotifications(options: NotificationsOptions): Notifications {
  const api =
    options.api ??
    (options.environment && options.auth
      ? createGenesysApi({
          environment: options.environment,
          auth: options.auth,
          ...(options.timers ? { timers: options.timers } : {}),
        })
      : undefined);
  if (!api)
    throw new KaaError('E_INTERNAL', 'createNotifications needs either `api` or both `environment` and `auth`.');
  const timers = options.timers ?? defaultTimers;
  const now = options.now ?? (() => Date.now());
  const logger = options.logger ?? silentLogger;
  const startAttempts = Math.max(1, options.startAttempts ?? 3);

  const emitter = createNotificationEmitter(logger);
  const channels = createChannelStore({
    api,
    storage: options.storage,
    storageKey: options.storageKey ?? 'kaa.genesys.channel',
    now,
    renewBeforeMs: options.channelRenewBeforeMs ?? 10 * 60_000,
    logger,
  });
  const subscriptions = createSubscriptionSet(api, options.topics);
  const sockets = createSocketPair({
    WebSocket: options.WebSocket,
    timers,
    now,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    openTimeoutMs: options.socketOpenTimeoutMs ?? 10_000,
    logger,
    frame: routeFrame,
    lost: reconnectAfterLoss,
  });
  const backoff = createReconnectBackoff({
    timers,
    random: options.random ?? defaultRandom,
    baseMs: options.reconnectBaseMs ?? 1000,
    maxMs: options.reconnectMaxMs ?? 30_000,
  });
  const renewal = createChannelRenewal({
    timers,
    now,
    tokenExpiresAt: options.tokenExpiresAt,
    channelExpiring: () => void renew('channel-expiring'),
    tokenExpiring: () => void signInAgainThenRenew('token-renewed'),
  });
  const firstOpen = createFirstOpen(startAttempts);

  let closed = false;
  let startPromise: Promise<void> | null = null;
  let renewing: Promise<void> | null = null;
  /** Since when events may be missing, and why; reported as a `gap` event when the next socket opens. */
  let gapFrom: { at: number; reason: ReconnectReason } | null = null;

  /** A problem while running (kaa keeps going): logged and emitted as an `error` event. */
  function reportError(error: unknown, what: string) {
    const k = runningError(error, what);
    logger.warn('notifications problem', { code: k.code, what });
    emitter.emit({ type: 'error', error: k });
  }

  /** Stops every socket and timer (a failed `start()` may run again; `close()` ends for good). */
  function stopSocketsAndTimers() {
    sockets.closeAll();
    backoff.cancel();
    renewal.cancel();
  }

  /** During `start()`: counts a failed attempt; after the last one `start()` rejects, everything stops, and it returns true. */
  function countStartFailure(error: KaaError): boolean {
    if (!firstOpen.waiting()) return false;
    logger.warn('genesys notifications could not start', {
      code: error.code,
      failures: firstOpen.failures() + 1,
      of: startAttempts,
    });
    if (!firstOpen.failed(error)) return false;
    startPromise = null;
    stopSocketsAndTimers();
    return true;
  }

  /** A socket frame: its event to the listeners, in the frame's own task; system topics also act. */
  function routeFrame(data: unknown, fromOpen: boolean) {
    if (closed) return;
    let n;
    try {
      n = parseNotification(typeof data === 'string' ? data : String(data));
    } catch (e) {
      reportError(e, 'read a notification frame');
      return;
    }
    const event = eventOfFrame(n);
    if (event) emitter.emit(event);
    if (n.kind === 'socketClosing' && fromOpen && !sockets.opening()) {
      gapFrom ??= { at: now(), reason: 'socket-closing' };
      connect('socket-closing');
    } else if (n.kind === 'noLongerSubscribed') {
      void resubscribe().catch((e) => reportError(e, 'subscribe again after no_longer_subscribed'));
    } else if (n.kind === 'tokenRevoked') {
      emitter.emit({ type: 'tokenRevoked' });
      void signInAgainThenRenew('token-revoked');
    }
  }

  /** `reauth()`, then a new channel. After a revoked token a failed sign-in ends it; before expiry the old token may still do. */
  async function signInAgainThenRenew(reason: 'token-revoked' | 'token-renewed') {
    try {
      await options.reauth?.();
    } catch (e) {
      if (reason === 'token-revoked') return reportError(tokenRevokedError(e), 're-authenticate');
      reportError(e, 'sign in again before the token expired');
    }
    await renew(reason);
  }

  /** Opens a socket on the channel in use; it replaces the open one when it opens. */
  function connect(reason: ConnectReason) {
    const channel = channels.current();
    if (closed || !channel) return;
    const host = hostOf(channel.connectUri);
    sockets.open(channel, {
      opened: () => announceOpen(channel.id, reason),
      failed: (how, cause) => {
        const error = socketError(host, firstOpen.failures() + 1, cause);
        if (how === 'threw' && !firstOpen.waiting()) reportError(error, 'open the socket');
        retryFailedOpen(how === 'closed' && reason !== 'start' ? 'socket-dropped' : reason, error);
      },
    });
  }

  /** A socket opened: `connected`, the `gap` since the last one, and `start()` resolves. */
  function announceOpen(channelId: string, reason: ConnectReason) {
    backoff.reset();
    logger.info('genesys notification socket open', { channelId, reason });
    emitter.emit({ type: 'connected', channelId, reconnect: reason !== 'start' });
    if (gapFrom) {
      emitter.emit({ type: 'gap', from: gapFrom.at, to: now(), reason: gapFrom.reason });
      gapFrom = null;
    }
    firstOpen.opened();
  }

  /** A socket that failed before it opened: during `start()` it counts against `startAttempts`. */
  function retryFailedOpen(reason: ConnectReason, error: KaaError) {
    if (countStartFailure(error)) return;
    if (firstOpen.waiting()) return scheduleReconnect(reason);
    if (!sockets.isOpen()) return reconnectAfterLoss(reason === 'start' ? 'socket-dropped' : reason);
    scheduleReconnect(reason);
  }

  /** No socket is open: events are missing from the last frame on. */
  function reconnectAfterLoss(reason: ReconnectReason) {
    if (closed) return;
    gapFrom ??= { at: sockets.lastFrameAt(), reason };
    scheduleReconnect(reason);
  }

  function scheduleReconnect(reason: ConnectReason) {
    if (closed) return;
    const next = backoff.schedule(() => void reconnect(reason));
    if (next)
      logger.info('genesys notifications reconnecting', { reason, delayMs: next.delayMs, attempt: next.attempt });
  }

  /** The same channel when HEAD finds it, else a new one with every topic. */
  async function reconnect(reason: ConnectReason) {
    try {
      const alive = await channels.exists();
      if (closed) return;
      if (!alive) {
        await newChannel();
        if (closed) return;
        connect(reason === 'start' ? 'start' : 'channel-gone');
      } else connect(reason);
    } catch (e) {
      if (closed) return;
      if (countStartFailure(channelError(e, 'check or recreate the channel'))) return;
      reportError(e, 'reconnect');
      scheduleReconnect(reason);
    }
  }

  async function newChannel() {
    const created = await channels.create();
    if (!closed) await useChannel(created);
  }

  /** Puts a channel in use with every topic, and plans its renewal. */
  async function useChannel(channel: NotificationChannel) {
    channels.use(channel);
    await resubscribe();
    renewal.plan(channels.renewInMs());
  }

  async function resubscribe() {
    const channel = channels.current();
    const refused = channel ? await subscriptions.applyTo(channel.id) : null;
    if (refused) reportError(refused, 'subscribe');
  }

  function renew(reason: ReconnectReason = 'token-renewed'): Promise<void> {
    renewing ??= (async () => {
      try {
        gapFrom ??= { at: now(), reason };
        await newChannel();
        if (closed) return;
        connect(reason);
      } catch (e) {
        if (!closed) {
          reportError(e, 'renew the channel');
          scheduleReconnect(reason);
        }
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  /** What `start()` runs: a channel with every topic (reused or new), then the first open socket. */
  async function establish(): Promise<void> {
    const stored = await channels.storedAlive();
    if (closed) return;
    try {
      await (stored ? useChannel(stored) : newChannel());
    } catch (e) {
      startPromise = null;
      stopSocketsAndTimers();
      throw channelError(e, stored ? 'subscribe the topics' : 'create the channel and subscribe the topics');
    }
    if (closed) return;
    const opened = firstOpen.wait();
    connect('start');
    await opened;
  }

  return {
    start() {
      startPromise ??= establish();
      return startPromise;
    },
    async subscribe(more) {
      subscriptions.add(more);
      await resubscribe();
    },
    on: emitter.on,
    events: emitter.events,
    renew,
    channel: channels.current,
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      stopSocketsAndTimers();
      firstOpen.cancel();
      emitter.close();
      const channel = channels.current();
      if (closeOptions.deleteSubscriptions && channel) {
        try {
          await subscriptions.removeFrom(channel.id);
        } catch (e) {
          logger.warn('could not delete the notification subscriptions', { code: isKaaError(e) ? e.code : 'unknown' });
        }
        channels.forget();
      }
    },
  };
}
