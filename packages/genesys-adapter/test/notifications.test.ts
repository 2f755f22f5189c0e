import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { KaaError } from '@kaa/core';
import { createNotifications } from '../src/index.js';
import type { NotificationChannel, NotificationEvent, NotificationsOptions } from '../src/index.js';
import { FakeSocket, heartbeat } from './fake-socket.js';
import { capturingLogger, fixture, memoryStorage } from './helpers.js';

const CONV = 'c0a00000-0000-4000-8000-000000000001';
const TOPICS = [`v2.conversations.${CONV}.transcription`, 'v2.users.AGENT_USER_ID.conversations'];
const transcription = fixture<{ detail: unknown }>(
  'notifications/transcription_internal_external_ongoing.eventbridge.json',
).detail;
const userConversation = fixture('notifications/user_conversations_callback_disconnected.json');

function fakeApi(start = 0) {
  let n = start;
  const alive = new Set<string>();
  const calls: string[] = [];
  const subscriptions = new Map<string, string[]>();
  const api = {
    calls,
    alive,
    subscriptions,
    async createChannel(): Promise<NotificationChannel> {
      n += 1;
      const id = `ch-${n}`;
      alive.add(id);
      calls.push(`create ${id}`);
      return {
        id,
        connectUri: `wss://streaming.test/channels/${id}`,
        expires: new Date(Date.now() + 24 * 3600_000).toISOString(),
      };
    },
    async channelExists(id: string) {
      calls.push(`head ${id}`);
      return alive.has(id);
    },
    async setSubscriptions(id: string, topics: readonly string[]) {
      calls.push(`put ${id} ${topics.length}`);
      subscriptions.set(id, [...topics]);
      return { rejected: [] };
    },
    async deleteSubscriptions(id: string) {
      calls.push(`delete ${id}`);
    },
  };
  return api;
}

function setup(over: Partial<NotificationsOptions> = {}) {
  const api = fakeApi();
  const logger = capturingLogger();
  const events: NotificationEvent[] = [];
  const n = createNotifications({
    api,
    WebSocket: (url) => new FakeSocket(url),
    topics: TOPICS,
    random: (b) => b.fill(128),
    logger,
    ...over,
  });
  n.on('gap', (e) => events.push(e));
  n.on('connected', (e) => events.push(e));
  n.on('error', (e) => events.push(e));
  n.on('system', (e) => events.push(e));
  n.on('tokenRevoked', (e) => events.push(e));
  return {
    n,
    api,
    logger,
    events,
    of: <T extends NotificationEvent['type']>(t: T) =>
      events.filter((e) => e.type === t) as Extract<NotificationEvent, { type: T }>[],
  };
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const flush = () => vi.advanceTimersByTimeAsync(0);
/** start() resolves only once the socket is open: open the fake socket as soon as it exists. */
async function startOpen(n: { start(): Promise<void> }) {
  const started = n.start();
  await flush();
  last().open();
  await started;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-26T08:00:00Z') });
  FakeSocket.all = [];
});
afterEach(() => vi.useRealTimers());

describe('createNotifications', () => {
  it('creates a channel, subscribes, connects, stores the channel, and emits typed events (real payloads)', async () => {
    const storage = memoryStorage();
    const s = setup({ storage });
    let resolved = false;
    const started = s.n.start().then(() => void (resolved = true));
    expect(s.n.start()).toBe(s.n.start()); // one start, shared
    await flush();
    expect(s.api.calls).toEqual(['create ch-1', 'put ch-1 2']);
    expect(s.api.subscriptions.get('ch-1')).toEqual(TOPICS);
    expect(last().url).toBe('wss://streaming.test/channels/ch-1');
    expect(JSON.parse(storage.getItem('kaa.genesys.channel')!).id).toBe('ch-1');
    const iterator = s.n.events('transcription');
    const users: NotificationEvent[] = [];
    s.n.on('userConversation', (e) => users.push(e));
    expect(resolved).toBe(false); // subscribed, but the socket is not open yet
    last().open();
    await started;
    expect(s.of('connected')).toEqual([{ type: 'connected', channelId: 'ch-1', reconnect: false }]);
    last().frame(transcription);
    last().frame(userConversation);
    const first = await iterator.next();
    expect(first.value?.notification.kind).toBe('transcription');
    expect(first.value?.notification.conversationId).toBe('test-conversation-id-1');
    expect(users).toHaveLength(1);
    await s.n.close();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('start() resolves only once the socket is open: a frame sent right after `await start()` is delivered', async () => {
    const s = setup();
    const order: string[] = [];
    s.n.on('connected', () => order.push('connected'));
    s.n.on('transcription', () => order.push('transcription'));
    const started = s.n.start().then(() => order.push('resolved'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(order).toEqual([]);
    last().open();
    await started;
    last().frame(transcription); // the first thing the server sends after the open
    expect(order).toEqual(['connected', 'resolved', 'transcription']);
    await s.n.close();
  });

  it('start() retries a socket that fails to open (backoff, no gap, connected.reconnect=false), then resolves', async () => {
    const s = setup();
    let resolved = false;
    const started = s.n.start().then(() => void (resolved = true));
    await flush();
    last().drop(); // closes before it opened
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(s.api.calls).toEqual(['create ch-1', 'put ch-1 2', 'head ch-1']);
    await vi.advanceTimersByTimeAsync(10_000); // this one hangs: the open timeout drops it
    expect(FakeSocket.all[1]!.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(FakeSocket.all).toHaveLength(3);
    expect(resolved).toBe(false);
    last().open();
    await started;
    expect(s.of('connected')).toEqual([{ type: 'connected', channelId: 'ch-1', reconnect: false }]);
    expect(s.of('gap')).toEqual([]);
    expect(s.of('error')).toEqual([]);
    await s.n.close();
  });

  it('start() rejects with E_NOTIFICATIONS_SOCKET after startAttempts failed opens, leaving no socket or timer; start() may run again', async () => {
    const s = setup({ startAttempts: 2 });
    const started = s.n.start();
    const outcome = started.catch((e: unknown) => e);
    await flush();
    last().drop();
    await vi.advanceTimersByTimeAsync(1_000);
    last().drop();
    const error = await outcome;
    expect(error).toBeInstanceOf(KaaError);
    expect(error).toMatchObject({
      code: 'E_NOTIFICATIONS_SOCKET',
      step: 'live events',
      details: { host: 'streaming.test', attempts: 2 },
    });
    expect((error as KaaError).message).toContain('wss://streaming.test');
    expect(vi.getTimerCount()).toBe(0);
    expect(FakeSocket.all).toHaveLength(2);
    const again = s.n.start();
    expect(again).not.toBe(started);
    await flush();
    last().open();
    await again;
    expect(s.of('connected')).toHaveLength(1);
    await s.n.close();
  });

  it('start() rejects with E_NOTIFICATIONS_CHANNEL (Genesys code kept) when the channel cannot be created; a throwing factory is E_NOTIFICATIONS_SOCKET', async () => {
    const api = fakeApi();
    const forbidden = new KaaError(
      'E_HTTP_FORBIDDEN',
      'Genesys refused POST /api/v2/notifications/channels (403). Add the "notifications" scope.',
      { details: { status: 403, genesysCode: 'missing.any.permissions' } },
    );
    const s = setup({ api: { ...api, createChannel: async () => Promise.reject(forbidden) } });
    const error = await s.n.start().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_NOTIFICATIONS_CHANNEL',
      details: { causeCode: 'E_HTTP_FORBIDDEN', status: 403, genesysCode: 'missing.any.permissions' },
    });
    expect((error as KaaError).message).toContain('"notifications" scope');
    expect((error as KaaError).cause).toBe(forbidden);
    expect(vi.getTimerCount()).toBe(0);

    const t = setup({
      startAttempts: 1,
      WebSocket: () => {
        throw new Error('blocked by CSP');
      },
    });
    expect(await t.n.start().catch((e: unknown) => e)).toMatchObject({ code: 'E_NOTIFICATIONS_SOCKET' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() during start() resolves it and leaves nothing behind', async () => {
    const s = setup();
    const started = s.n.start();
    await flush();
    await s.n.close();
    await expect(started).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    expect(FakeSocket.all.every((w) => w.closedByClient)).toBe(true);
  });

  it('reuses a stored channel that HEAD says is alive; replaces one that is gone', async () => {
    const storage = memoryStorage();
    const a = setup({ storage });
    await startOpen(a.n);
    await a.n.close();
    const b = setup({ storage });
    b.api.alive.add('ch-1');
    await startOpen(b.n);
    expect(b.api.calls).toEqual(['head ch-1', 'put ch-1 2']);
    await b.n.close();
    const c = setup({ storage });
    await startOpen(c.n);
    expect(c.api.calls).toEqual(['head ch-1', 'create ch-1', 'put ch-1 2']);
    await c.n.close();
  });

  it('relay path: each frame is delivered synchronously and schedules no timer (the watchdog reads the last frame time)', async () => {
    let timerCalls = 0;
    const timers = {
      setTimeout: (fn: () => void, ms: number) => ((timerCalls += 1), setTimeout(fn, ms)),
      clearTimeout: (h: unknown) => ((timerCalls += 1), clearTimeout(h as ReturnType<typeof setTimeout>)),
    };
    const s = setup({ heartbeatIntervalMs: 30_000, timers });
    await startOpen(s.n);
    const seen: string[] = [];
    s.n.on('transcription', (e) => seen.push(e.notification.conversationId));
    const callsBefore = timerCalls;
    for (let i = 0; i < 1000; i += 1) {
      last().frame(transcription);
      expect(seen).toHaveLength(i + 1); // delivered in the frame's own task, no await in between
    }
    expect(timerCalls).toBe(callsBefore);
    // frames every 40 s of fake time (> 1.5 intervals apart would ping; 40 s < 45 s) keep the socket without a ping
    const first = last();
    for (let i = 0; i < 5; i += 1) {
      await vi.advanceTimersByTimeAsync(40_000);
      first.frame(heartbeat);
    }
    expect(first.sent).toEqual([]);
    expect(first.closedByClient).toBe(false);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(first.closedByClient).toBe(false);
    expect(first.sent).toEqual([JSON.stringify({ message: 'ping' })]);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.closedByClient).toBe(true);
    await s.n.close();
  });

  it('heartbeats keep the socket; no heartbeat within 2 intervals → ping, then reconnect and a gap event', async () => {
    const s = setup({ heartbeatIntervalMs: 30_000 });
    await startOpen(s.n);
    const first = last();
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(30_000);
      first.frame(heartbeat);
    }
    expect(first.live).toBe(true);
    const lastBeat = Date.now();
    await vi.advanceTimersByTimeAsync(45_000);
    expect(first.sent).toEqual([JSON.stringify({ message: 'ping' })]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(first.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000); // backoff (1 s with this random)
    expect(s.api.calls.slice(-1)).toEqual(['head ch-1']);
    const second = last();
    expect(second).not.toBe(first);
    second.open();
    expect(s.of('gap')).toEqual([{ type: 'gap', from: lastBeat, to: Date.now(), reason: 'heartbeat-lost' }]);
    expect(s.of('connected').map((e) => e.reconnect)).toEqual([false, true]);
    await s.n.close();
  });

  it('socket_closing: opens the new socket BEFORE closing the old one, keeps delivering meanwhile, reports the gap', async () => {
    const s = setup();
    await startOpen(s.n);
    const old = last();
    const got: string[] = [];
    s.n.on('transcription', (e) => got.push(e.notification.topicName));
    old.frame({ topicName: 'v2.system.socket_closing', eventBody: { message: 'closing' } });
    const fresh = last();
    expect(fresh).not.toBe(old);
    expect(old.closedByClient).toBe(false);
    old.frame(transcription);
    await vi.advanceTimersByTimeAsync(2_000);
    fresh.open();
    expect(old.closedByClient).toBe(true);
    fresh.frame(transcription);
    expect(got).toHaveLength(2);
    expect(s.of('system').map((e) => e.kind)).toEqual(['socketClosing']);
    const gaps = s.of('gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ reason: 'socket-closing', to: Date.now() });
    expect(gaps[0]!.to - gaps[0]!.from).toBe(2_000);
    // the old socket's own close must not start another reconnect
    old.onclose?.({});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    await s.n.close();
  });

  it('a dropped socket reconnects with growing, jittered backoff; a gone channel is recreated and resubscribed', async () => {
    const s = setup({ random: (b) => b.fill(255) });
    await startOpen(s.n);
    s.api.alive.clear();
    last().drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.api.calls.slice(-3)).toEqual(['head ch-1', 'create ch-2', 'put ch-2 2']);
    expect(last().url).toContain('ch-2');
    last().drop(); // fails before opening: next delay doubles (2 s)
    await vi.advanceTimersByTimeAsync(1_999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    last().open();
    expect(s.of('gap')).toHaveLength(1);
    expect(s.of('gap')[0]!.reason).toBe('socket-dropped');
    await s.n.close();
  });

  it('no_longer_subscribed → resubscribes the same channel', async () => {
    const s = setup();
    await startOpen(s.n);
    last().frame({ topicName: 'v2.system.no_longer_subscribed.ch-1', eventBody: {} });
    await flush();
    expect(s.api.calls).toEqual(['create ch-1', 'put ch-1 2', 'put ch-1 2']);
    await s.n.close();
  });

  it('token_revoked → event, re-auth, new channel with the topics, new socket', async () => {
    const reauth = vi.fn(async () => undefined);
    const s = setup({ reauth });
    await startOpen(s.n);
    last().frame({ topicName: 'v2.system.token_revoked.ch-1', eventBody: {} });
    await flush();
    expect(s.of('tokenRevoked')).toHaveLength(1);
    expect(reauth).toHaveBeenCalledTimes(1);
    expect(s.api.calls.slice(-2)).toEqual(['create ch-2', 'put ch-2 2']);
    last().open();
    expect(s.n.channel()?.id).toBe('ch-2');
    expect(s.of('gap')[0]?.reason).toBe('token-revoked');
    await s.n.close();
  });

  it('renews the channel before its 24 h expiry and before the token expires', async () => {
    const tokenExpiresAt = Date.now() + 2 * 3600_000;
    const reauth = vi.fn(async () => undefined);
    const s = setup({ tokenExpiresAt: () => tokenExpiresAt, reauth, heartbeatIntervalMs: 48 * 3600_000 });
    await startOpen(s.n);
    await vi.advanceTimersByTimeAsync(2 * 3600_000 - 60_000);
    expect(reauth).toHaveBeenCalledTimes(1);
    expect(s.api.calls).toContain('create ch-2');
    last().open();
    await vi.advanceTimersByTimeAsync(24 * 3600_000 - 10 * 60_000 - 1);
    expect(s.api.calls).not.toContain('create ch-3');
    await vi.advanceTimersByTimeAsync(2);
    expect(s.api.calls).toContain('create ch-3');
    await s.n.close();
  });

  it('close() leaves no socket, no timer and no subscription behind', async () => {
    const s = setup();
    await startOpen(s.n);
    last().frame({ topicName: 'v2.system.socket_closing', eventBody: {} }); // a pending replacement too
    last().drop();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await s.n.close({ deleteSubscriptions: true });
    expect(vi.getTimerCount()).toBe(0);
    expect(FakeSocket.all.every((w) => w.closedByClient || w.readyState === 3)).toBe(true);
    expect(s.api.calls.slice(-1)).toEqual(['delete ch-1']);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('property: any frame yields an event or an E_EVENT_INVALID error event, never a throw', async () => {
    const s = setup();
    await startOpen(s.n);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json(), fc.constant('{"topicName":"v2.users.u.conversations","eventBody":{}}')),
        async (frame) => {
          s.events.length = 0;
          expect(() => last().frame(frame)).not.toThrow();
          for (const e of s.of('error')) expect(e.error).toBeInstanceOf(KaaError);
        },
      ),
      { numRuns: 300 },
    );
    await s.n.close();
  });
});
