// Over 300 lines on purpose: the sandbox's one emulated notification service (channels, subscriptions, socket upgrade, heartbeats, token expiry) shares the hub's state.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Models } from 'purecloud-platform-client-v2';
import { type WebSocket, WebSocketServer } from 'ws';
import { safeDecode } from '../http/send.js';
import { TimerSet } from '../http/timers.js';
import { type Env, iso } from './clock.js';
import type { TokenStore } from './tokens.js';

/** A notification channel. */
export interface NotificationChannel {
  id: string;
  /** The token that created (or last managed) the channel; delivery stops when it expires or is revoked. */
  token: string;
  userId?: string;
  clientId: string;
  expiresAt: number;
  lastUsed: number;
  topics: Set<string>;
  socket?: WebSocket;
  stopHeartbeat?: () => void;
  /** Cancels the timer that acts when {@link NotificationChannel.token} expires. */
  stopTokenWatch?: () => void;
}

/** The notification envelope (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics). */
export interface Envelope {
  topicName: string;
  version?: string;
  eventBody: unknown;
  metadata?: { CorrelationId: string };
}

/**
 * Topic families the sandbox accepts on subscribe (others are refused with 400).
 *
 * @example
 * ```ts
 * TOPIC_PATTERNS.some((p) => p.test('v2.conversations.c0a0….transcription')); // true
 * ```
 */
export const TOPIC_PATTERNS: readonly RegExp[] = [
  /^v2\.conversations\.[A-Za-z0-9-]+\.transcription$/,
  /^v2\.users\.[A-Za-z0-9-]+\.conversations(\.(calls|messages|chats|emails|callbacks))?$/,
  /^v2\.users\.[A-Za-z0-9-]+\.presence$/,
  /^v2\.routing\.queues\.[A-Za-z0-9-]+\.conversations(\.(calls|messages))?$/,
];

/** Settings of the {@link NotificationHub}. */
export interface HubSettings {
  apiOrigin: () => string;
  heartbeatIntervalMs: number;
  channelTtlMs: number;
  maxChannelsPerUser: number;
  socketClosingGraceMs: number;
  /** What an expired token does to its channel's socket (`GenesysOptions.expiredTokenSockets`). */
  expiredTokenSockets: 'close' | 'silent';
}

/**
 * Close code and reason of a socket whose channel's token expired (setting `expiredTokenSockets: 'close'`). Genesys's
 * own code is undocumented; 1008 (policy violation) is the standard code for "no longer authorized".
 *
 * @example
 * ```ts
 * ws.on('close', (code) => code === TOKEN_EXPIRED_CLOSE.code && reauthenticate());
 * ```
 */
export const TOKEN_EXPIRED_CLOSE = { code: 1008, reason: 'The access token of this channel expired.' } as const;

/**
 * Notification channels, their subscriptions and WebSockets, as Genesys runs them (docs/genesys-protocol.md#notifications):
 * one socket per channel (a second connection kicks the first), heartbeats, `{"message":"ping"}` → pong,
 * channel expiry, per-user channel limit, token expiry (socket closed, or a silent stop: `expiredTokenSockets`),
 * `v2.system.token_revoked` and `v2.system.socket_closing`. Subscriptions belong to the channel, so they survive reconnects.
 *
 * @example
 * ```ts
 * const ch = hub.create(token);
 * hub.subscribe(ch, ['v2.conversations.c0a0….transcription'], false);
 * hub.publish('v2.conversations.c0a0….transcription', body);
 * ```
 */
export class NotificationHub {
  readonly channels = new Map<string, NotificationChannel>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly timers = new TimerSet();

  constructor(
    private readonly env: Env,
    private readonly tokens: TokenStore,
    private readonly settings: HubSettings,
  ) {}

  /** Creates a channel for the caller's token; evicts the least recently used one past the per-user limit. */
  create(token: { token: string; userId?: string; clientId: string }): NotificationChannel {
    const mine = [...this.channels.values()].filter((c) => c.userId === token.userId && c.clientId === token.clientId);
    if (mine.length >= this.settings.maxChannelsPerUser) {
      const victim = [...mine].sort(
        (a, b) => Number(a.socket !== undefined) - Number(b.socket !== undefined) || a.lastUsed - b.lastUsed,
      )[0];
      if (victim) this.remove(victim, 'channel evicted: too many channels for this user and client');
    }
    const now = this.env.now();
    const ch: NotificationChannel = {
      id: `streaming-0-${this.env.secret().slice(0, 26).toLowerCase()}`,
      token: token.token,
      ...(token.userId ? { userId: token.userId } : {}),
      clientId: token.clientId,
      expiresAt: now + this.settings.channelTtlMs,
      lastUsed: now,
      topics: new Set(),
    };
    this.channels.set(ch.id, ch);
    this.watchToken(ch);
    return ch;
  }

  /** The body of `POST /api/v2/notifications/channels`. */
  describe(ch: NotificationChannel): Models.Channel {
    return {
      connectUri: `${this.settings.apiOrigin().replace(/^http/, 'ws')}/channels/${ch.id}`,
      id: ch.id,
      expires: iso(ch.expiresAt),
    } satisfies Models.Channel;
  }

  /** The live channel with this id (expired channels are removed and reported as absent). */
  get(id: string): NotificationChannel | undefined {
    const ch = this.channels.get(id);
    if (!ch) return undefined;
    if (ch.expiresAt <= this.env.now()) {
      this.remove(ch, 'channel expired');
      return undefined;
    }
    return ch;
  }

  /** Adds topics (`replace` = PUT semantics). The caller validated them. */
  subscribe(ch: NotificationChannel, topics: readonly string[], replace: boolean, token?: string): void {
    if (replace) ch.topics.clear();
    for (const t of topics) ch.topics.add(t);
    if (token && token !== ch.token) {
      ch.token = token;
      this.watchToken(ch);
    }
    ch.lastUsed = this.env.now();
  }

  /** The `ChannelTopicEntityListing` of a channel. */
  listing(ch: NotificationChannel): Models.ChannelTopicEntityListing {
    return {
      entities: [...ch.topics].map((id) => ({ id, state: 'Permitted' }) satisfies Models.ChannelTopic),
    } satisfies Models.ChannelTopicEntityListing;
  }

  /** Delivers an event to every connected channel subscribed to `topic` whose token is still live. Returns the number of sockets reached. */
  publish(topic: string, eventBody: unknown): number {
    let sent = 0;
    for (const ch of [...this.channels.values()]) {
      if (!ch.topics.has(topic)) continue;
      if (!this.get(ch.id)) continue;
      if (!this.tokens.isLive(ch.token)) {
        this.tokenExpired(ch); // nothing is delivered after expiry; the socket may also close (expiredTokenSockets)
        continue;
      }
      if (this.send(ch, { topicName: topic, version: '2', eventBody, metadata: { CorrelationId: this.env.uuid() } }))
        sent += 1;
    }
    return sent;
  }

  /** Handles an HTTP upgrade on the API origin; returns false when the path is not a channel path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = /^\/channels\/([^/?]+)$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!match?.[1]) return false;
    const ch = this.get(safeDecode(match[1]));
    if (!ch) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    if (this.settings.expiredTokenSockets === 'close' && !this.tokens.isLive(ch.token)) {
      // the channel belongs to a token that no longer works: a live token must manage it (subscribe) first
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ch, ws));
    return true;
  }

  /** Sends `v2.system.token_revoked` on the channels of these tokens and stops their delivery. */
  tokenRevoked(tokens: readonly string[]): void {
    const set = new Set(tokens);
    for (const ch of this.channels.values()) {
      if (set.has(ch.token))
        this.send(ch, {
          topicName: 'v2.system.token_revoked',
          eventBody: { message: 'token_revoked' },
          metadata: { CorrelationId: this.env.uuid() },
        });
    }
  }

  /**
   * Acts on every channel whose token has expired by now (the `expireTokens` fault; the per-channel timers do it when
   * a token reaches its lifetime).
   */
  tokensExpired(): void {
    for (const ch of [...this.channels.values()]) this.tokenExpired(ch);
  }

  /** Terminates every socket without a close frame (the `dropSockets` fault). Channels and subscriptions stay. */
  dropSockets(): void {
    for (const ch of this.channels.values()) this.detach(ch)?.terminate();
  }

  /** Sends `v2.system.socket_closing` to every socket, and closes them after the grace period. */
  socketClosing(): void {
    for (const ch of this.channels.values()) {
      const ws = ch.socket;
      if (!ws) continue;
      this.send(ch, {
        topicName: 'v2.system.socket_closing',
        eventBody: { message: 'Socket closing' },
        metadata: { CorrelationId: this.env.uuid() },
      });
      this.timers.after(this.settings.socketClosingGraceMs, () => {
        if (ch.socket === ws) this.detach(ch);
        ws.close(1001, 'socket closing');
      });
    }
  }

  /** Number of open sockets. */
  get openSockets(): number {
    return [...this.channels.values()].filter((c) => c.socket !== undefined).length;
  }

  /** Drops every channel and socket (reset). */
  clear(): void {
    for (const ch of [...this.channels.values()]) this.remove(ch, 'sandbox reset');
    this.timers.clear();
  }

  /** Closes everything; no socket or timer is left. */
  close(): void {
    for (const ch of [...this.channels.values()]) {
      this.detach(ch)?.terminate();
      this.channels.delete(ch.id);
    }
    for (const ws of this.wss.clients) ws.terminate();
    this.timers.clear();
    this.wss.close();
  }

  private attach(ch: NotificationChannel, ws: WebSocket): void {
    const previous = this.detach(ch);
    previous?.close(1000, 'replaced by a newer connection to this channel');
    ch.socket = ws;
    ch.lastUsed = this.env.now();
    ch.stopHeartbeat = this.timers.every(this.settings.heartbeatIntervalMs, () => {
      if (!this.get(ch.id)) return;
      this.tokenExpired(ch); // an injected clock may have passed the token's lifetime without a timer noticing
      this.send(ch, { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    });
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof parsed === 'object' && parsed !== null && (parsed as { message?: unknown }).message === 'ping') {
        this.send(ch, { topicName: 'channel.metadata', eventBody: { message: 'pong' } });
      }
    });
    ws.on('close', () => {
      if (ch.socket === ws) this.detach(ch);
    });
    ws.on('error', () => {
      if (ch.socket === ws) this.detach(ch);
    });
    // the token may have expired between the upgrade's check and now (its watch then found no socket to close)
    this.tokenExpired(ch);
  }

  /** Arms the timer that acts when the channel's current token reaches its lifetime. */
  private watchToken(ch: NotificationChannel): void {
    ch.stopTokenWatch?.();
    delete ch.stopTokenWatch;
    const checked = this.tokens.check(ch.token);
    if (!('token' in checked)) return;
    const token = ch.token;
    ch.stopTokenWatch = this.timers.after(Math.max(0, checked.token.expiresAt - this.env.now()), () => {
      delete ch.stopTokenWatch;
      if (ch.token !== token || this.channels.get(ch.id) !== ch) return;
      if (this.tokens.isLive(token))
        this.watchToken(ch); // the injected clock has not got there yet
      else this.tokenExpired(ch);
    });
  }

  /** With `expiredTokenSockets: 'close'`, closes the socket of a channel whose token expired (not one revoked: that channel gets `token_revoked`). */
  private tokenExpired(ch: NotificationChannel): void {
    const checked = this.tokens.check(ch.token);
    if (!('problem' in checked) || checked.problem !== 'expired') return;
    ch.stopTokenWatch?.();
    delete ch.stopTokenWatch;
    if (this.settings.expiredTokenSockets === 'close')
      this.detach(ch)?.close(TOKEN_EXPIRED_CLOSE.code, TOKEN_EXPIRED_CLOSE.reason);
  }

  private detach(ch: NotificationChannel): WebSocket | undefined {
    const ws = ch.socket;
    ch.stopHeartbeat?.();
    delete ch.stopHeartbeat;
    delete ch.socket;
    return ws;
  }

  private remove(ch: NotificationChannel, reason: string): void {
    ch.stopTokenWatch?.();
    delete ch.stopTokenWatch;
    this.detach(ch)?.close(1000, reason);
    this.channels.delete(ch.id);
  }

  private send(ch: NotificationChannel, envelope: Envelope): boolean {
    const ws = ch.socket;
    if (!ws || ws.readyState !== ws.OPEN) return false;
    ws.send(JSON.stringify(envelope));
    return true;
  }
}

/**
 * True when `topic` is one the sandbox can deliver.
 *
 * @example
 * ```ts
 * isKnownTopic('v2.users.a9e0….conversations.calls'); // true
 * ```
 */
export function isKnownTopic(topic: string): boolean {
  return TOPIC_PATTERNS.some((p) => p.test(topic));
}
