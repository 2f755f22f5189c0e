/**
 * Where broker instances keep what they share: verification results (keyed by a hash of the token, never the token),
 * per-agent request counts, and the end-of-conversation claims. One interface, an in-memory default
 * ({@link createMemoryStore}) for one instance, and Redis ({@link createRedisStore}) for several instances behind a
 * load balancer (docs/architecture.md#broker-mode).
 *
 * @example
 * ```ts
 * const store: BrokerStore = createMemoryStore({ now: Date.now });
 * await store.set('k', 'v', 60_000);
 * ```
 */
export interface BrokerStore {
  /** The value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` milliseconds (at least 1). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only when `key` is absent; true when it was stored (a claim). */
  add(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Counts one hit in the fixed window of `key` (started by the window's first hit, `windowMs` long). */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}

/**
 * Options of {@link createMemoryStore}.
 *
 * @example
 * ```ts
 * const options: MemoryStoreOptions = { now: Date.now, maxEntries: 50_000 };
 * ```
 */
export interface MemoryStoreOptions {
  /** Epoch milliseconds. */
  now: () => number;
  /** Entries kept at most; the oldest are dropped first. Default 100 000. */
  maxEntries?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The in-memory {@link BrokerStore} of one broker instance (the default). Expired entries are dropped when read and
 * in a sweep every 1 000 writes; at most `maxEntries` are kept (oldest first out), so a flood of distinct tokens
 * cannot grow it without bound. Nothing is shared with other instances: use {@link createRedisStore} for that.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@kaa/broker';
 *
 * const store = createMemoryStore({ now: Date.now });
 * await store.hit('rate:u1', 60_000); // { count: 1, resetInMs: 60000 }
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions): BrokerStore {
  const { now } = options;
  const max = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();
  let writes = 0;
  const live = (key: string): Entry | undefined => {
    const e = entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  const put = (key: string, value: string, ttlMs: number) => {
    entries.delete(key); // re-inserted last: the Map's order is the eviction order
    entries.set(key, { value, expiresAt: now() + Math.max(1, ttlMs) });
    writes += 1;
    if (writes % 1000 === 0) {
      const t = now();
      for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
    }
    while (entries.size > max) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };
  return {
    get: async (key) => live(key)?.value,
    set: async (key, value, ttlMs) => put(key, value, ttlMs),
    add: async (key, value, ttlMs) => {
      if (live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    delete: async (key) => void entries.delete(key),
    hit: async (key, windowMs) => {
      const e = live(key);
      if (!e) {
        put(key, '1', windowMs);
        return { count: 1, resetInMs: windowMs };
      }
      const count = Number(e.value) + 1;
      e.value = String(count);
      return { count, resetInMs: Math.max(0, e.expiresAt - now()) };
    },
    ping: async () => undefined,
  };
}

/**
 * The one thing {@link createRedisStore} needs from a Redis client: send a command, get its reply. Every maintained
 * client has it (`@redis/client`: `client.sendCommand(args)`; ioredis: `redis.call(...args)`), so the broker does not
 * depend on one.
 *
 * @example
 * ```ts
 * import { createClient } from '@redis/client';
 * const client = await createClient({ url: process.env.KAA_REDIS_URL }).connect();
 * const redis: RedisCommand = (args) => client.sendCommand([...args]);
 * ```
 */
export type RedisCommand = (args: readonly string[]) => Promise<unknown>;

/**
 * Options of {@link createRedisStore}.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { command: (args) => client.sendCommand([...args]), keyPrefix: 'kaa:broker:' };
 * ```
 */
export interface RedisStoreOptions {
  command: RedisCommand;
  /** Prefix of every key. Default `kaa:broker:`. */
  keyPrefix?: string;
  /** Closes the client (called by `close()`). */
  quit?: () => Promise<unknown>;
}

/** INCR, start the window on the first hit, answer [count, ms left]: atomic, so instances share one count. */
const HIT_SCRIPT =
  "local c = redis.call('INCR', KEYS[1]) if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end local t = redis.call('PTTL', KEYS[1]) if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) t = tonumber(ARGV[1]) end return {c, t}";

/**
 * The Redis {@link BrokerStore}: every broker instance pointed at the same Redis shares verification results, rate
 * limits and end-of-conversation claims. Values expire in Redis (`PX`); the rate window is one atomic script.
 *
 * @example
 * ```ts
 * import { createClient } from '@redis/client';
 * import { createRedisStore } from '@kaa/broker';
 *
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const store = createRedisStore({ command: (args) => client.sendCommand([...args]), quit: () => client.close() });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): BrokerStore {
  const prefix = options.keyPrefix ?? 'kaa:broker:';
  const run = options.command;
  const ms = (n: number) => String(Math.max(1, Math.ceil(n)));
  return {
    async get(key) {
      const v = await run(['GET', prefix + key]);
      return typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : undefined;
    },
    async set(key, value, ttlMs) {
      await run(['SET', prefix + key, value, 'PX', ms(ttlMs)]);
    },
    async add(key, value, ttlMs) {
      const r = await run(['SET', prefix + key, value, 'PX', ms(ttlMs), 'NX']);
      return r === 'OK';
    },
    async delete(key) {
      await run(['DEL', prefix + key]);
    },
    async hit(key, windowMs) {
      const r = await run(['EVAL', HIT_SCRIPT, '1', prefix + key, ms(windowMs)]);
      const [count, left] = Array.isArray(r) ? r : [];
      return { count: Number(count), resetInMs: Math.max(0, Number(left)) };
    },
    async ping() {
      await run(['PING']);
    },
    async close() {
      await options.quit?.();
    },
  };
}
