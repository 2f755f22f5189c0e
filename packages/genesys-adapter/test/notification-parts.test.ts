import { silentLogger } from '@kaa/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { KaaError } from '@kaa/core';
import { createChannelStore } from '../src/notifications/channel-store.js';
import { createChannelRenewal } from '../src/notifications/channel-renewal.js';
import { createFirstOpen } from '../src/notifications/first-open.js';
import { createSocketPair } from '../src/notifications/socket-pair.js';
import type { SocketOutcome } from '../src/notifications/socket-pair.js';
import { createSubscriptionSet } from '../src/notifications/subscription-set.js';
import type { NotificationChannel } from '../src/index.js';
import { FakeSocket, heartbeat } from './fake-socket.js';
import { capturingLogger, memoryStorage } from './helpers.js';

const HOUR = 3600_000;
const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as never),
};

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-26T08:00:00Z') });
  FakeSocket.all = [];
});
afterEach(() => vi.useRealTimers());

function channelOf(id: string, expiresInMs = 24 * HOUR): NotificationChannel {
  return {
    id,
    connectUri: `wss://streaming.test/channels/${id}`,
    expires: new Date(Date.now() + expiresInMs).toISOString(),
  };
}

describe('channel store (docs/genesys-protocol.md#notifications)', () => {
  function setup(alive: Set<string>, storage = memoryStorage()) {
    const heads: string[] = [];
    const logger = capturingLogger();
    const store = createChannelStore({
      api: {
        createChannel: async () => channelOf('new'),
        channelExists: async (id) => (heads.push(id), alive.has(id)),
      },
      storage,
      storageKey: 'kaa.genesys.channel',
      now: () => Date.now(),
      renewBeforeMs: 10 * 60_000,
      logger,
    });
    return { store, storage, heads, logger };
  }

  it('a channel put in use is stored; the next page load reuses it only while HEAD finds it and it is not expiring', async () => {
    const alive = new Set(['a']);
    const first = setup(alive);
    first.store.use(channelOf('a'));
    expect(first.store.current()?.id).toBe('a');
    const again = setup(alive, first.storage);
    expect((await again.store.storedAlive())?.id).toBe('a');
    alive.clear();
    expect(await again.store.storedAlive()).toBeNull();
    again.store.use(channelOf('b', 5 * 60_000)); // expires within the renewal margin: not even checked
    const later = setup(new Set(['b']), first.storage);
    expect(await later.store.storedAlive()).toBeNull();
    expect(later.heads).toEqual([]);
    later.store.forget();
    expect(first.storage.getItem('kaa.genesys.channel')).toBeNull();
  });

  it('a failing HEAD means "create a new one", logged without details', async () => {
    const s = setup(new Set());
    s.store.use(channelOf('a'));
    const store = createChannelStore({
      api: {
        createChannel: async () => channelOf('x'),
        channelExists: async () => Promise.reject(new KaaError('E_NETWORK', 'offline')),
      },
      storage: s.storage,
      storageKey: 'kaa.genesys.channel',
      now: () => Date.now(),
      renewBeforeMs: 0,
      logger: s.logger,
    });
    expect(await store.storedAlive()).toBeNull();
    expect(s.logger.lines.join('\n')).toContain('E_NETWORK');
  });

  it('renews 10 minutes before expiry, never sooner than 30 s from now; unknown expiry → no renewal', () => {
    const s = setup(new Set());
    expect(s.store.renewInMs()).toBeNull();
    s.store.use(channelOf('a'));
    expect(s.store.renewInMs()).toBe(24 * HOUR - 10 * 60_000);
    s.store.use(channelOf('b', 60_000));
    expect(s.store.renewInMs()).toBe(30_000);
    s.store.use({ id: 'c', connectUri: 'wss://streaming.test/channels/c' });
    expect(s.store.renewInMs()).toBeNull();
  });

  it('exists(): false without a channel, else HEAD', async () => {
    const s = setup(new Set(['a']));
    expect(await s.store.exists()).toBe(false);
    expect(s.heads).toEqual([]);
    s.store.use(channelOf('a'));
    expect(await s.store.exists()).toBe(true);
  });

  it('property: any stored text → null or a well-formed channel, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.constant('{"id":"a","connectUri":"wss://x","expires":"2099-01-01T00:00:00Z"}'),
        ),
        async (text) => {
          const storage = memoryStorage();
          storage.setItem('kaa.genesys.channel', text);
          const found = await setup(new Set(['a']), storage).store.storedAlive();
          if (found !== null) {
            expect(typeof found.id).toBe('string');
            expect(typeof found.connectUri).toBe('string');
          }
        },
      ),
    );
  });
});

describe('subscription set', () => {
  it('PUTs every wanted topic (the whole list), nothing when none; refused topics become E_NOTIFICATIONS_UNSUBSCRIBED', async () => {
    const calls: string[] = [];
    let refuse: { id: string; reason?: string }[] = [];
    const set = createSubscriptionSet({
      setSubscriptions: async (id, topics) => (calls.push(`put ${id} ${topics.join(',')}`), { rejected: refuse }),
      deleteSubscriptions: async (id) => void calls.push(`delete ${id}`),
    });
    expect(await set.applyTo('ch')).toBeNull();
    expect(calls).toEqual([]);
    set.add(['t1']);
    set.add(['t2', 't1']);
    expect(await set.applyTo('ch')).toBeNull();
    refuse = [{ id: 't2', reason: 'no permission' }];
    const refused = await set.applyTo('ch2');
    expect(refused).toMatchObject({ code: 'E_NOTIFICATIONS_UNSUBSCRIBED', details: { rejected: refuse } });
    expect(refused?.message).toContain('t2 (no permission)');
    await set.removeFrom('ch2');
    expect(calls).toEqual(['put ch t1,t2', 'put ch2 t1,t2', 'delete ch2']);
  });

  it("a refused transcription topic is E_PERMISSION_MISSING naming Genesys's missing permission and the fix", async () => {
    const topic = 'v2.conversations.c0a00000-0000-4000-8000-000000000001.transcription';
    const set = createSubscriptionSet(
      {
        setSubscriptions: async () => ({
          rejected: [
            {
              id: topic,
              reason: 'Missing permissions: conversation:transcription:view',
              missingPermissions: ['conversation:transcription:view'],
            },
          ],
        }),
        deleteSubscriptions: async () => undefined,
      },
      ['v2.users.u.conversations', topic],
    );
    const refused = await set.applyTo('ch');
    expect(refused).toMatchObject({
      code: 'E_PERMISSION_MISSING',
      details: { missingPermissions: ['conversation:transcription:view'] },
    });
    expect(refused?.message).toContain('"Conversation > Transcription > View" (conversation:transcription:view)');
    expect(refused?.message).toContain('"kaa provision apply" creates that role');
  });
});

describe('first open (the wait of start())', () => {
  const socketFailure = new KaaError('E_NOTIFICATIONS_SOCKET', 'no socket');

  it('resolves on open; gives up after the allowed socket failures, at once on any other error', async () => {
    const a = createFirstOpen(2);
    const opened = a.wait();
    expect(a.failed(socketFailure)).toBe(false);
    expect(a.failures()).toBe(1);
    a.opened();
    await expect(opened).resolves.toBeUndefined();
    expect(a.waiting()).toBe(false);

    const b = createFirstOpen(2);
    const failed = b.wait();
    expect(b.failed(socketFailure)).toBe(false);
    expect(b.failed(socketFailure)).toBe(true);
    await expect(failed).rejects.toBe(socketFailure);
    expect(b.failed(socketFailure)).toBe(false); // no wait any more

    const c = createFirstOpen(5);
    const channel = c.wait();
    const channelFailure = new KaaError('E_NOTIFICATIONS_CHANNEL', 'no channel');
    expect(c.failed(channelFailure)).toBe(true);
    await expect(channel).rejects.toBe(channelFailure);

    const d = createFirstOpen(1);
    const cancelled = d.wait();
    d.cancel();
    await expect(cancelled).resolves.toBeUndefined();
  });
});

describe('socket pair (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics)', () => {
  function setup() {
    const frames: [string, boolean][] = [];
    const losses: string[] = [];
    const pair = createSocketPair({
      WebSocket: (url) => new FakeSocket(url),
      timers,
      now: () => Date.now(),
      heartbeatIntervalMs: 30_000,
      openTimeoutMs: 10_000,
      logger: silentLogger,
      frame: (data, fromOpen) => void frames.push([String(data), fromOpen]),
      lost: (reason) => void losses.push(reason),
    });
    const outcome = (): SocketOutcome & { log: string[] } => {
      const log: string[] = [];
      return { log, opened: () => void log.push('opened'), failed: (how) => void log.push(`failed ${how}`) };
    };
    return { pair, frames, losses, outcome };
  }
  const channel = { id: 'ch-1', connectUri: 'wss://streaming.test/channels/ch-1' };

  it('a replacement takes over only once it opens; until then both deliver; the old one closes then', () => {
    const s = setup();
    const first = s.outcome();
    s.pair.open(channel, first);
    const a = FakeSocket.all[0]!;
    a.open();
    expect(first.log).toEqual(['opened']);
    const second = s.outcome();
    s.pair.open(channel, second);
    const b = FakeSocket.all[1]!;
    expect(s.pair.opening()).toBe(true);
    a.frame(heartbeat);
    b.frame(heartbeat);
    expect(s.frames.map(([, fromOpen]) => fromOpen)).toEqual([true, false]);
    expect(a.closedByClient).toBe(false);
    b.open();
    expect(a.closedByClient).toBe(true);
    expect(second.log).toEqual(['opened']);
    expect(s.pair.opening()).toBe(false);
    expect(s.losses).toEqual([]);
    s.pair.closeAll();
    expect(b.closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('failures before opening: the factory throws, the socket closes, or it hangs past the open timeout', async () => {
    const s = setup();
    const threw = s.outcome();
    createSocketPair({
      WebSocket: () => {
        throw new Error('CSP');
      },
      timers,
      now: Date.now,
      heartbeatIntervalMs: 30_000,
      openTimeoutMs: 10_000,
      logger: silentLogger,
      frame: () => {},
      lost: () => {},
    }).open(channel, threw);
    expect(threw.log).toEqual(['failed threw']);
    const closed = s.outcome();
    s.pair.open(channel, closed);
    FakeSocket.all[0]!.drop();
    expect(closed.log).toEqual(['failed closed']);
    const hung = s.outcome();
    s.pair.open(channel, hung);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(hung.log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(hung.log).toEqual(['failed timed-out']);
    expect(FakeSocket.all[1]!.closedByClient).toBe(true);
    expect(s.losses).toEqual([]);
  });

  it('the open socket is lost when it closes with no replacement opening, or when its heartbeat stops (after a ping)', async () => {
    const s = setup();
    s.pair.open(channel, s.outcome());
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop();
    expect(s.losses).toEqual(['socket-dropped']);
    expect(s.pair.isOpen()).toBe(false);

    s.pair.open(channel, s.outcome());
    const b = FakeSocket.all[1]!;
    b.open();
    await vi.advanceTimersByTimeAsync(45_000);
    expect(b.sent).toEqual([JSON.stringify({ message: 'ping' })]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(s.losses).toEqual(['socket-dropped', 'heartbeat-lost']);
    expect(b.closedByClient).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the open socket closing while its replacement opens is not a loss, and stops the watchdog', async () => {
    const s = setup();
    s.pair.open(channel, s.outcome());
    FakeSocket.all[0]!.open();
    s.pair.open(channel, s.outcome());
    FakeSocket.all[0]!.drop();
    expect(s.losses).toEqual([]);
    expect(s.pair.opening()).toBe(true);
    await vi.advanceTimersByTimeAsync(9_000);
    FakeSocket.all[1]!.open();
    await vi.advanceTimersByTimeAsync(44_999); // the new socket's own watch started at its open
    expect(FakeSocket.all[1]!.sent).toEqual([]);
    s.pair.closeAll();
  });
});

describe('channel renewal', () => {
  it('renews before the channel expires and a minute before the token does; a past token expiry is ignored; plan() replaces', async () => {
    const due: string[] = [];
    let tokenExpiresAt: number | null = Date.now() + 2 * HOUR;
    const renewal = createChannelRenewal({
      timers,
      now: () => Date.now(),
      tokenExpiresAt: () => tokenExpiresAt,
      channelExpiring: () => void due.push('channel'),
      tokenExpiring: () => void due.push('token'),
    });
    renewal.plan(3 * HOUR);
    await vi.advanceTimersByTimeAsync(2 * HOUR - 60_001);
    expect(due).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(due).toEqual(['token']);
    tokenExpiresAt = Date.now(); // stale after a renewal: no loop
    renewal.plan(HOUR);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(due).toEqual(['token', 'channel']);
    renewal.plan(HOUR);
    renewal.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });
});
