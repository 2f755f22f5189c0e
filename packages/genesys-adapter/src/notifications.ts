import { KaaError, isKaaError, parseNotification, redact } from '@kaa/core';
import type { TranscriptionNotification, UnknownNotification, UserConversationNotification } from '@kaa/core';
import type { GenesysApi, NotificationChannel } from './api.js';
import { createGenesysApi } from './api.js';
import type { GenesysHosts } from './environment.js';
import type { Logger, RandomBytes, StorageLike, Timers } from './ports.js';
import { defaultRandom, defaultTimers, randomUnit, silentLogger } from './ports.js';
import type { TokenProvider } from './request.js';
import type { WebSocketFactory, WebSocketLike } from './websocket.js';

/**
 * Why the socket was replaced.
 *
 * @example
 * ```ts
 * notifications.on('gap', ({ reason }: { reason: ReconnectReason }) => console.log(reason));
 * ```
 */
export type ReconnectReason = 'heartbeat-lost' | 'socket-dropped' | 'socket-closing' | 'channel-expiring' | 'token-renewed' | 'token-revoked' | 'channel-gone';

/**
 * Everything a notifications client emits; switch on `type`.
 *
 * @example
 * ```ts
 * for await (const event of notifications.events()) if (event.type === 'gap') markGap(event.from, event.to);
 * ```
 */
export type NotificationEvent =
  | { type: 'transcription'; notification: TranscriptionNotification }
  | { type: 'userConversation'; notification: UserConversationNotification }
  | { type: 'unknown'; notification: UnknownNotification }
  /** Genesys system topics, surfaced as they arrive (the client already acts on them). */
  | { type: 'system'; kind: 'socketClosing' | 'noLongerSubscribed' | 'tokenRevoked'; topicName: string }
  /** `v2.system.token_revoked`: the login was revoked; `reauth()` runs next. */
  | { type: 'tokenRevoked' }
  /** Events between `from` and `to` (ms since epoch) may have been missed: mark the transcript. */
  | { type: 'gap'; from: number; to: number; reason: ReconnectReason }
  /** The socket is open again (or for the first time). */
  | { type: 'connected'; channelId: string; reconnect: boolean }
  | { type: 'error'; error: KaaError };

/**
 * Event type names of {@link NotificationEvent}.
 *
 * @example
 * ```ts
 * const type: NotificationEventType = 'transcription';
 * notifications.on(type, (e) => relay(e.notification));
 * ```
 */
export type NotificationEventType = NotificationEvent['type'];
type EventOf<T extends NotificationEventType> = Extract<NotificationEvent, { type: T }>;

/**
 * Options of {@link createNotifications}.
 *
 * @example
 * ```ts
 * const options: NotificationsOptions = { api, WebSocket: (url) => new WebSocket(url), topics: [`v2.conversations.${id}.transcription`] };
 * ```
 */
export interface NotificationsOptions {
  /** The API client (channel calls). Or give `environment` + `auth` and one is built. */
  api?: Pick<GenesysApi, 'createChannel' | 'channelExists' | 'setSubscriptions' | 'deleteSubscriptions'>;
  environment?: GenesysHosts;
  auth?: TokenProvider;
  /** Opens the socket to the channel's `connectUri`. */
  WebSocket: WebSocketFactory;
  /** Topics to subscribe at start. */
  topics?: readonly string[];
  /** Keeps the channel id across reloads (`sessionStorage`); it is checked with HEAD before reuse. */
  storage?: StorageLike;
  /** Storage key of the channel. Default `kaa.genesys.channel`. */
  storageKey?: string;
  timers?: Timers;
  now?: () => number;
  random?: RandomBytes;
  logger?: Logger;
  /** Genesys sends a heartbeat about every 30 s; no frame within 2 intervals → reconnect (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics, inferred). */
  heartbeatIntervalMs?: number;
  /** First reconnect delay; doubles per failed attempt with jitter. Default 1000 ms. */
  reconnectBaseMs?: number;
  /** Cap of a reconnect delay. Default 30 000 ms. */
  reconnectMaxMs?: number;
  /**
   * How many times `start()` tries to open the socket (with the reconnect backoff in between) before it rejects
   * with `E_NOTIFICATIONS_SOCKET`. Default 3, like the API client's `maxAttempts`.
   */
  startAttempts?: number;
  /**
   * A socket that neither opens nor closes within this time counts as a failed attempt and is dropped (project
   * choice: a stalled handshake must not hold `start()` or a reconnect forever). Default 10 000 ms.
   */
  socketOpenTimeoutMs?: number;
  /** Renew the channel this long before its 24 h `expires`. Default 10 minutes. */
  channelRenewBeforeMs?: number;
  /** When the current access token expires (ms); the channel is renewed then (delivery stops silently after expiry). */
  tokenExpiresAt?: () => number | null;
  /** Signs in again (after `token_revoked` or before token expiry); the channel is recreated afterwards. */
  reauth?: () => Promise<unknown>;
}

/**
 * A live notification channel for one widget instance.
 *
 * @example
 * ```ts
 * const notifications: Notifications = createNotifications(options);
 * await notifications.start();
 * await notifications.close();
 * ```
 */
export interface Notifications {
  /**
   * Creates or reuses the channel, subscribes `topics` and opens the socket. Resolves only once the socket is
   * **open** and the subscriptions are in place, so an event published after `await start()` is delivered
   * (the `connected` event fires just before it resolves). Calling it again returns the same promise.
   *
   * Rejects with `E_NOTIFICATIONS_CHANNEL` when the channel cannot be created, checked or subscribed (after the
   * API client's retries; the Genesys error is the `cause`, its code is `details.causeCode`), and with
   * `E_NOTIFICATIONS_SOCKET` when the socket does not open in `startAttempts` tries. After a rejection no socket
   * or timer is left and `start()` may be called again. `close()` during `start()` resolves it.
   */
  start(): Promise<void>;
  /** Adds topics (PUT of the whole list, so a new channel gets them all again). */
  subscribe(topics: readonly string[]): Promise<void>;
  /** Registers a handler; returns its remover. */
  on<T extends NotificationEventType>(type: T, handler: (event: EventOf<T>) => void): () => void;
  /** Events of one type (or all) as an async iterable that ends on `close()`. */
  events<T extends NotificationEventType>(type?: T): AsyncIterableIterator<EventOf<T>>;
  /** Recreates the channel, resubscribes and swaps the socket (call after a re-login). */
  renew(reason?: ReconnectReason): Promise<void>;
  /** The current channel, if any. */
  channel(): NotificationChannel | null;
  /** Closes sockets and clears every timer; with `deleteSubscriptions`, also removes the topics (lifecycle `stop`). */
  close(options?: { deleteSubscriptions?: boolean }): Promise<void>;
}

const OPEN = 1;

/** Why a socket is being opened: the first open, or a {@link ReconnectReason}. */
type ConnectReason = ReconnectReason | 'start';

const hostOf = (connectUri: string): string => {
  try {
    return new URL(connectUri).host;
  } catch {
    return 'streaming.{domain}';
  }
};

/** A channel-call failure as `E_NOTIFICATIONS_CHANNEL`; the Genesys error stays the cause and its code `causeCode`. */
function channelError(error: unknown, what: string): KaaError {
  if (isKaaError(error, 'E_NOTIFICATIONS_CHANNEL', 'E_NOTIFICATIONS_SOCKET', 'E_NOTIFICATIONS_UNSUBSCRIBED', 'E_NOTIFICATIONS_TOKEN_REVOKED')) return error;
  const inner = isKaaError(error) ? error : null;
  return new KaaError(
    'E_NOTIFICATIONS_CHANNEL',
    `Genesys notifications could not ${what}${inner ? `: ${inner.message}` : '.'} Check the network and that the OAuth client has the "notifications" scope.`,
    { cause: error, details: { ...(inner?.details ?? {}), ...(inner ? { causeCode: inner.code } : {}) } },
  );
}

/**
 * Genesys notifications over one channel and WebSocket (docs/genesys-protocol.md#notifications): channel create-or-reuse,
 * subscriptions, typed events via core's `parseNotification`, a heartbeat watchdog, reconnect with backoff and
 * jitter, `socket_closing` handled by opening the new socket before closing the old, 24 h channel and token
 * renewal, `no_longer_subscribed` → resubscribe, `token_revoked` → event + re-auth, and a `gap` event after
 * every reconnect.
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
      ? createGenesysApi({ environment: options.environment, auth: options.auth, ...(options.timers ? { timers: options.timers } : {}) })
      : undefined);
  if (!api) throw new KaaError('E_INTERNAL', 'createNotifications needs either `api` or both `environment` and `auth`.');
  const timers = options.timers ?? defaultTimers;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? defaultRandom;
  const logger = options.logger ?? silentLogger;
  const interval = options.heartbeatIntervalMs ?? 30_000;
  const baseMs = options.reconnectBaseMs ?? 1000;
  const maxMs = options.reconnectMaxMs ?? 30_000;
  const renewBefore = options.channelRenewBeforeMs ?? 10 * 60_000;
  const storageKey = options.storageKey ?? 'kaa.genesys.channel';
  const startAttempts = Math.max(1, options.startAttempts ?? 3);
  const openTimeoutMs = options.socketOpenTimeoutMs ?? 10_000;

  const topics = new Set(options.topics ?? []);
  const handlers = new Map<NotificationEventType | '*', Set<(e: NotificationEvent) => void>>();
  const iterators = new Set<() => void>();
  const pendingTimers = new Set<unknown>();
  let channel: NotificationChannel | null = null;
  let current: WebSocketLike | null = null;
  let pending: WebSocketLike | null = null;
  let closed = false;
  let startPromise: Promise<void> | null = null;
  /** Set while `start()` waits for the first open socket. */
  let starting: { resolve: () => void; reject: (e: KaaError) => void; failures: number } | null = null;
  let openTimer: unknown = null;
  let attempt = 0;
  let lastFrameAt = now();
  let gapFrom: { at: number; reason: ReconnectReason } | null = null;
  let watchdog: unknown = null;
  /** When the current socket last sent a frame (the watchdog's clock; frames only set this, no timer work per frame). */
  let heardAt = 0;
  /** A ping was sent in the current silence. */
  let pinged = false;
  let reconnectTimer: unknown = null;
  let renewTimer: unknown = null;
  let tokenTimer: unknown = null;
  let renewing: Promise<void> | null = null;

  const after = (ms: number, fn: () => void): unknown => {
    const handle = timers.setTimeout(() => {
      pendingTimers.delete(handle);
      if (!closed) fn();
    }, Math.max(0, ms));
    pendingTimers.add(handle);
    return handle;
  };
  const cancel = (handle: unknown) => {
    if (handle === null || handle === undefined) return;
    timers.clearTimeout(handle);
    pendingTimers.delete(handle);
  };

  const emitTo = (set: Set<(e: NotificationEvent) => void> | undefined, event: NotificationEvent) => {
    if (set === undefined) return;
    for (const h of set) {
      try {
        h(event);
      } catch (e) {
        logger.error('notification handler threw', { type: event.type, reason: redact(String(e)) });
      }
    }
  };
  // synchronous from the socket frame to the handlers (the transcript relay posts to the widget in the same task)
  const emit = (event: NotificationEvent) => {
    emitTo(handlers.get(event.type), event);
    emitTo(handlers.get('*'), event);
  };
  const fail = (error: unknown, what: string) => {
    const k = isKaaError(error)
      ? error
      : new KaaError('E_NOTIFICATIONS_CHANNEL', `Genesys notifications failed to ${what}. kaa keeps retrying; check the network and the "notifications" scope.`, { cause: error });
    logger.warn('notifications problem', { code: k.code, what });
    emit({ type: 'error', error: k });
  };

  /** Stops every socket and timer without closing the client (a failed `start()`). */
  const halt = () => {
    for (const h of [...pendingTimers]) cancel(h);
    watchdog = reconnectTimer = renewTimer = tokenTimer = openTimer = null;
    detach(pending);
    detach(current);
    pending = current = null;
    attempt = 0;
  };
  /** During `start()`: counts a failed attempt; after `startAttempts`, rejects `start()`, halts and returns true. */
  const startGaveUp = (error: KaaError): boolean => {
    if (!starting) return false;
    starting.failures += 1;
    logger.warn('genesys notifications could not start', { code: error.code, failures: starting.failures, of: startAttempts });
    if (starting.failures < startAttempts && error.code === 'E_NOTIFICATIONS_SOCKET') return false;
    const s = starting;
    starting = null;
    startPromise = null;
    halt();
    s.reject(error);
    return true;
  };
  const socketError = (host: string, attempts: number, cause?: unknown) =>
    new KaaError(
      'E_NOTIFICATIONS_SOCKET',
      `The Genesys notification socket to ${host} did not open (${attempts} attempt(s)). Check that the browser may reach wss://${host} (CSP connect-src, proxies and firewalls that block WebSockets).`,
      { cause, details: { host, attempts } },
    );

  const detach = (ws: WebSocketLike | null) => {
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(1000, 'kaa: replaced');
    } catch {
      // already closed
    }
  };

  const saveChannel = (c: NotificationChannel | null) => {
    if (!options.storage) return;
    try {
      if (c) options.storage.setItem(storageKey, JSON.stringify(c));
      else options.storage.removeItem(storageKey);
    } catch {
      // reuse across reloads is an optimisation
    }
  };
  const loadChannel = (): NotificationChannel | null => {
    try {
      const raw = options.storage?.getItem(storageKey);
      if (!raw) return null;
      const v = JSON.parse(raw) as Partial<NotificationChannel>;
      return typeof v.id === 'string' && typeof v.connectUri === 'string' ? { id: v.id, connectUri: v.connectUri, ...(typeof v.expires === 'string' ? { expires: v.expires } : {}) } : null;
    } catch {
      return null;
    }
  };
  const expiresAt = (c: NotificationChannel) => (c.expires ? Date.parse(c.expires) : Number.NaN);

  /**
   * One lazy timer instead of re-arming timers on every frame: when it fires it looks at how long the current
   * socket has been silent — ≥ 1.5 intervals: ping once; ≥ 2 intervals: heartbeat lost, reconnect — and otherwise
   * sleeps until the next of those deadlines. Frames only update `heardAt`.
   */
  const checkSilence = () => {
    watchdog = null;
    if (closed || !current) return;
    const silent = now() - heardAt;
    if (silent >= interval * 2) {
      logger.warn('no heartbeat from Genesys notifications; reconnecting', { silentForMs: now() - lastFrameAt });
      const dead = current;
      current = null;
      detach(dead);
      dropped('heartbeat-lost');
      return;
    }
    if (silent >= interval * 1.5 && !pinged) {
      pinged = true;
      try {
        if (current.readyState === OPEN) current.send(JSON.stringify({ message: 'ping' }));
      } catch {
        // the watchdog decides
      }
    }
    watchdog = after((silent < interval * 1.5 ? interval * 1.5 : interval * 2) - silent, checkSilence);
  };
  const armWatchdog = () => {
    cancel(watchdog);
    heardAt = now();
    pinged = false;
    watchdog = after(interval * 1.5, checkSilence);
  };

  const scheduleRenewals = () => {
    cancel(renewTimer);
    renewTimer = null;
    const exp = channel ? expiresAt(channel) : Number.NaN;
    // at least 30 s away, so a channel that is born nearly expired cannot make a renewal loop
    if (Number.isFinite(exp)) renewTimer = after(Math.max(30_000, exp - renewBefore - now()), () => void renew('channel-expiring'));
    cancel(tokenTimer);
    tokenTimer = null;
    const tokenExp = options.tokenExpiresAt?.();
    // only a future expiry: a stale value after a renewal must not loop
    if (tokenExp != null && Number.isFinite(tokenExp) && tokenExp - 60_000 > now()) {
      tokenTimer = after(tokenExp - 60_000 - now(), () =>
        void (async () => {
          try {
            await options.reauth?.();
          } catch (e) {
            fail(e, 'sign in again before the token expired');
          }
          await renew('token-renewed');
        })(),
      );
    }
  };

  const onFrame = (ws: WebSocketLike, data: unknown) => {
    if (closed || (ws !== current && ws !== pending)) return;
    lastFrameAt = now();
    if (ws === current) {
      heardAt = lastFrameAt;
      pinged = false;
    }
    let n;
    try {
      n = parseNotification(typeof data === 'string' ? data : String(data));
    } catch (e) {
      fail(e, 'read a notification frame');
      return;
    }
    switch (n.kind) {
      case 'heartbeat':
        return;
      case 'transcription':
        return emit({ type: 'transcription', notification: n });
      case 'userConversation':
        return emit({ type: 'userConversation', notification: n });
      case 'unknown':
        return emit({ type: 'unknown', notification: n });
      case 'socketClosing':
        emit({ type: 'system', kind: 'socketClosing', topicName: n.topicName });
        if (ws === current && !pending) {
          gapFrom ??= { at: now(), reason: 'socket-closing' };
          connect('socket-closing');
        }
        return;
      case 'noLongerSubscribed':
        emit({ type: 'system', kind: 'noLongerSubscribed', topicName: n.topicName });
        void resubscribe().catch((e) => fail(e, 'subscribe again after no_longer_subscribed'));
        return;
      case 'tokenRevoked':
        emit({ type: 'system', kind: 'tokenRevoked', topicName: n.topicName });
        emit({ type: 'tokenRevoked' });
        void (async () => {
          try {
            await options.reauth?.();
          } catch (e) {
            fail(new KaaError('E_NOTIFICATIONS_TOKEN_REVOKED', 'Genesys revoked the login token and signing in again failed. Sign in again from the widget.', { cause: e }), 're-authenticate');
            return;
          }
          await renew('token-revoked');
        })();
        return;
    }
  };

  /** A socket that failed before it opened: during `start()` it counts against `startAttempts`. */
  const openFailed = (reason: ConnectReason, error: KaaError) => {
    if (startGaveUp(error)) return;
    if (starting) return scheduleReconnect(reason);
    if (!current) return dropped(reason === 'start' ? 'socket-dropped' : reason);
    scheduleReconnect(reason);
  };

  /** Opens a socket on the current channel; it replaces the current one when it opens. */
  const connect = (reason: ConnectReason) => {
    if (closed || !channel) return;
    detach(pending);
    pending = null;
    cancel(openTimer);
    openTimer = null;
    const host = hostOf(channel.connectUri);
    let ws: WebSocketLike;
    try {
      ws = options.WebSocket(channel.connectUri);
    } catch (e) {
      const error = socketError(host, (starting?.failures ?? 0) + 1, e);
      if (!starting) fail(error, 'open the socket');
      openFailed(reason, error);
      return;
    }
    pending = ws;
    const channelId = channel.id;
    openTimer = after(openTimeoutMs, () => {
      openTimer = null;
      if (ws !== pending) return;
      logger.warn('genesys notification socket did not open in time', { channelId, timeoutMs: openTimeoutMs });
      detach(ws);
      pending = null;
      openFailed(reason, socketError(host, (starting?.failures ?? 0) + 1));
    });
    ws.onopen = () => {
      if (closed || ws !== pending) return;
      cancel(openTimer);
      openTimer = null;
      const old = current;
      current = ws;
      pending = null;
      if (old) detach(old);
      attempt = 0;
      lastFrameAt = now();
      armWatchdog();
      const isReconnect = reason !== 'start';
      logger.info('genesys notification socket open', { channelId, reason });
      emit({ type: 'connected', channelId, reconnect: isReconnect });
      if (gapFrom) {
        emit({ type: 'gap', from: gapFrom.at, to: now(), reason: gapFrom.reason });
        gapFrom = null;
      }
      if (starting) {
        const s = starting;
        starting = null;
        s.resolve();
      }
    };
    ws.onmessage = (event) => onFrame(ws, event.data);
    ws.onerror = () => logger.warn('genesys notification socket error', { channelId });
    ws.onclose = () => {
      if (closed) return;
      if (ws === pending) {
        pending = null;
        cancel(openTimer);
        openTimer = null;
        openFailed(reason === 'start' ? 'start' : 'socket-dropped', socketError(host, (starting?.failures ?? 0) + 1));
        return;
      }
      if (ws !== current) return;
      current = null;
      if (pending) return; // its replacement is on the way (socket_closing overlap)
      dropped('socket-dropped');
    };
  };

  const dropped = (reason: ReconnectReason) => {
    cancel(watchdog);
    watchdog = null;
    gapFrom ??= { at: lastFrameAt, reason };
    scheduleReconnect(reason);
  };

  const scheduleReconnect = (reason: ConnectReason) => {
    if (closed || reconnectTimer !== null) return;
    const step = Math.min(maxMs, baseMs * 2 ** attempt);
    const delay = Math.round(step / 2 + (randomUnit(random) * step) / 2);
    attempt += 1;
    logger.info('genesys notifications reconnecting', { reason, delayMs: delay, attempt });
    reconnectTimer = after(delay, () => {
      reconnectTimer = null;
      void reconnect(reason);
    });
  };

  const reconnect = async (reason: ConnectReason) => {
    try {
      const alive = channel !== null && (await api.channelExists(channel.id));
      if (closed) return;
      if (!alive) {
        await newChannel();
        if (closed) return;
        connect(reason === 'start' ? 'start' : 'channel-gone');
      } else connect(reason);
    } catch (e) {
      if (closed) return;
      if (startGaveUp(channelError(e, 'check or recreate the channel'))) return;
      fail(e, 'reconnect');
      scheduleReconnect(reason);
    }
  };

  const newChannel = async () => {
    const created = await api.createChannel();
    if (closed) return;
    channel = created;
    saveChannel(created);
    await resubscribe();
    scheduleRenewals();
  };

  const resubscribe = async () => {
    if (!channel || topics.size === 0) return;
    const { rejected } = await api.setSubscriptions(channel.id, [...topics]);
    if (rejected.length > 0) {
      fail(
        new KaaError('E_NOTIFICATIONS_UNSUBSCRIBED', `Genesys refused ${rejected.length} notification topic(s): ${rejected.map((r) => `${r.id}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}. Give the OAuth client the "notifications" scope and the agent the permissions the topics need (transcription: "Conversation > Transcription > View").`, {
          details: { rejected },
        }),
        'subscribe',
      );
    }
  };

  const renew = (reason: ReconnectReason = 'token-renewed'): Promise<void> => {
    renewing ??= (async () => {
      try {
        gapFrom ??= { at: now(), reason };
        await newChannel();
        if (closed) return;
        connect(reason);
      } catch (e) {
        if (!closed) {
          fail(e, 'renew the channel');
          scheduleReconnect(reason);
        }
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  };

  const addHandler = (type: NotificationEventType | '*', handler: (e: NotificationEvent) => void) => {
    let set = handlers.get(type);
    if (!set) handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  };

  const runStart = async (): Promise<void> => {
    const stored = loadChannel();
    let reused = false;
    if (stored && !(expiresAt(stored) - renewBefore <= now())) {
      try {
        reused = await api.channelExists(stored.id);
      } catch (e) {
        logger.warn('could not check the stored channel; creating a new one', { code: isKaaError(e) ? e.code : 'unknown' });
      }
    }
    if (closed) return;
    try {
      if (reused && stored) {
        channel = stored;
        await resubscribe();
        scheduleRenewals();
      } else await newChannel();
    } catch (e) {
      startPromise = null;
      halt();
      throw channelError(e, reused ? 'subscribe the topics' : 'create the channel and subscribe the topics');
    }
    if (closed) return;
    const opened = new Promise<void>((resolve, reject) => (starting = { resolve, reject, failures: 0 }));
    connect('start');
    await opened;
  };

  return {
    start() {
      startPromise ??= runStart();
      return startPromise;
    },
    async subscribe(more) {
      for (const t of more) topics.add(t);
      await resubscribe();
    },
    on(type, handler) {
      return addHandler(type, handler as (e: NotificationEvent) => void);
    },
    events<T extends NotificationEventType>(type?: T): AsyncIterableIterator<EventOf<T>> {
      const queue: EventOf<T>[] = [];
      const waiting: ((r: IteratorResult<EventOf<T>>) => void)[] = [];
      let done = closed;
      const remove = addHandler(type ?? '*', (e) => {
        const w = waiting.shift();
        if (w) w({ value: e as EventOf<T>, done: false });
        else queue.push(e as EventOf<T>);
      });
      const end = () => {
        done = true;
        remove();
        iterators.delete(end);
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
      };
      iterators.add(end);
      const it: AsyncIterableIterator<EventOf<T>> = {
        next() {
          const v = queue.shift();
          if (v) return Promise.resolve({ value: v, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => waiting.push(resolve));
        },
        return() {
          end();
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return it;
        },
      };
      return it;
    },
    renew,
    channel: () => channel,
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      halt();
      if (starting) {
        const s = starting;
        starting = null;
        s.resolve();
      }
      for (const end of [...iterators]) end();
      handlers.clear();
      if (closeOptions.deleteSubscriptions && channel) {
        try {
          await api.deleteSubscriptions(channel.id);
        } catch (e) {
          logger.warn('could not delete the notification subscriptions', { code: isKaaError(e) ? e.code : 'unknown' });
        }
        saveChannel(null);
      }
    },
  };
}
