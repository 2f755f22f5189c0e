// The public types of createNotifications (notifications.ts), which re-exports them.
import type {
  KaaError,
  Logger,
  RandomBytes,
  StorageLike,
  Timers,
  TranscriptionNotification,
  UnknownNotification,
  UserConversationNotification,
  WebSocketFactory,
} from '@kaa/core';
import type { GenesysApi, NotificationChannel } from '../api.js';
import type { GenesysHosts } from '../environment.js';
import type { TokenProvider } from '../request.js';

/**
 * Why the socket was replaced.
 *
 * @example
 * ```ts
 * notifications.on('gap', ({ reason }: { reason: ReconnectReason }) => console.log(reason));
 * ```
 */
export type ReconnectReason =
  | 'heartbeat-lost'
  | 'socket-dropped'
  | 'socket-closing'
  | 'channel-expiring'
  | 'token-renewed'
  | 'token-revoked'
  | 'channel-gone';

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
/** The event of one type name. */
export type EventOf<T extends NotificationEventType> = Extract<NotificationEvent, { type: T }>;

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
