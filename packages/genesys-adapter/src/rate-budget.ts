import type { Logger, Timers } from '@kaa/core';
import { KaaError, silentLogger } from '@kaa/core';
import { defaultTimers } from './ports.js';

/**
 * How much a request matters. `'low'` requests (prefetches, refreshes that can wait for the next event) are shed
 * with `E_RATE_LIMITED` instead of queueing when the budget is spent; `'normal'` requests wait.
 *
 * @example
 * ```ts
 * await api.getMessages(conversationId, ids, { priority: 'low' satisfies RequestPriority });
 * ```
 */
export type RequestPriority = 'normal' | 'low';

/**
 * What a request asks of a {@link RateBudget}.
 *
 * @example
 * ```ts
 * const ask: RateBudgetTake = { priority: 'low', purpose: 'read message m1', signal: controller.signal };
 * await budget.take(ask);
 * ```
 */
export interface RateBudgetTake {
  /** Default `'normal'`. */
  priority?: RequestPriority;
  /** Plain words for the shed message: "read conversation c0a…". */
  purpose?: string;
  /** Aborting removes the request from the queue and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A token bucket shared by every request to Genesys of one user (docs/assumptions.md#genesys-per-user-rate-limit, docs/genesys-protocol.md#rate-limits-and-error-bodies). The API client
 * calls `take()` before every attempt and `pause()` when Genesys answers 429 anyway.
 *
 * @example
 * ```ts
 * const api = createGenesysApi({ environment, auth, rateBudget: createRateBudget({ perMinute: 300 }) });
 * ```
 */
export interface RateBudget {
  /**
   * Resolves when one request may be sent, and spends it. A `'normal'` request waits its turn (FIFO); it rejects
   * with `E_RATE_LIMITED` only when the wait would exceed `maxWaitMs`. A `'low'` request is shed (rejects with
   * `E_RATE_LIMITED`, `details.shed: true`) unless it can go at once and no normal request is waiting.
   */
  take(request?: RateBudgetTake): Promise<void>;
  /** Genesys answered 429 with this wait: nobody sends for `ms` (a shared budget tells the other instances too). */
  pause(ms: number): void;
  /** The current estimate: whole requests available now, and requests waiting. */
  state(): { available: number; waiting: number; pausedUntil: number };
  /** Rejects waiting requests, clears timers and (shared) closes the channel. */
  close(): void;
}

/**
 * Options of {@link createRateBudget}. The defaults follow docs/assumptions.md#genesys-per-user-rate-limit: 300 requests per minute per user.
 *
 * @example
 * ```ts
 * const options: RateBudgetOptions = { perMinute: 300, burst: 30, now: () => Date.now() };
 * ```
 */
export interface RateBudgetOptions {
  /**
   * Requests per rolling minute for the user across every kaa instance (docs/assumptions.md#genesys-per-user-rate-limit: sources say 300 or 3 000 for
   * `org.app.user.rate.per.minute`; 300 is assumed). The desktop's own calls are invisible to kaa: set this lower
   * to leave them room. Config key `genesys.rateLimitPerMinute`. Default 300.
   */
  perMinute?: number;
  /**
   * Bucket capacity (a burst). The bucket refills at `perMinute − burst` per minute, so no rolling minute carries
   * more than `perMinute` requests. Default `max(1, round(perMinute / 10))`.
   */
  burst?: number;
  /** A normal request that would wait longer than this is rejected with `E_RATE_LIMITED`. Default 60 000 ms. */
  maxWaitMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  timers?: Timers;
  logger?: Logger;
}

/** @internal The bucket behind both budgets; `announce` tells other instances about local spends and pauses. */
export interface TokenBucket extends RateBudget {
  /** Another instance spent `n` requests. */
  spendRemote(n: number): void;
  /** Another instance saw a 429: nobody sends before `until` (epoch ms). */
  pauseUntil(until: number): void;
  /** Whole-bucket snapshot for a newcomer: tokens at `at`. */
  snapshot(): { tokens: number; at: number; pausedUntil: number };
  /** Takes another instance's snapshot if it is lower than ours (it knows about spends we missed). */
  merge(snapshot: { tokens: number; at: number; pausedUntil: number }): void;
  readonly perMinute: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * An in-memory {@link RateBudget} for one process (Node, the CLI, tests): a token bucket of `burst` requests
 * refilled so that no rolling minute exceeds `perMinute`.
 *
 * @example
 * ```ts
 * const rateBudget = createRateBudget({ perMinute: 300 });
 * const api = createGenesysApi({ environment, auth, rateBudget });
 * ```
 */
export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  return createTokenBucket(options, { spent: () => undefined, paused: () => undefined });
}

/** @internal The shared budget builds on this with a BroadcastChannel as `announce`. */
export function createTokenBucket(
  options: RateBudgetOptions,
  announce: { spent(n: number): void; paused(until: number): void },
): TokenBucket {
  const perMinute = options.perMinute ?? 300;
  if (!(Number.isFinite(perMinute) && perMinute >= 1)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Genesys rate budget must allow at least 1 request per minute; got ${String(perMinute)}. Set genesys.rateLimitPerMinute to 300 (or the limit of your org).`,
      {
        details: { perMinute },
      },
    );
  }
  const burst = Math.min(perMinute, Math.max(1, Math.round(options.burst ?? perMinute / 10)));
  /** Tokens per ms. With burst = perMinute (a one-request budget), refill the whole minute's worth. */
  const rate = Math.max(perMinute - burst, 1) / 60_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const now = options.now ?? (() => Date.now());
  const timers = options.timers ?? defaultTimers;
  const logger = options.logger ?? silentLogger;

  let tokens = burst;
  let at = now();
  let pausedUntil = 0;
  let timer: unknown = null;
  let closed = false;
  const queue: Waiter[] = [];

  const refill = () => {
    const t = now();
    if (t > at) tokens = Math.min(burst, tokens + (t - at) * rate);
    at = Math.max(at, t);
  };
  /** ms until `ahead + 1` tokens exist and the pause is over. */
  const waitFor = (ahead: number) => {
    refill();
    const t = now();
    const forTokens = tokens >= ahead + 1 ? 0 : (ahead + 1 - tokens) / rate;
    return Math.ceil(Math.max(forTokens, pausedUntil - t, 0));
  };
  const settle = (w: Waiter) => {
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
  };
  const pump = () => {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
    if (closed) return;
    refill();
    while (queue.length > 0 && tokens >= 1 && now() >= pausedUntil) {
      const w = queue.shift()!;
      settle(w);
      tokens -= 1;
      announce.spent(1);
      w.resolve();
    }
    if (queue.length > 0) timer = timers.setTimeout(() => ((timer = null), pump()), Math.max(1, waitFor(0)));
  };

  const shed = (purpose: string | undefined, waitMs: number, priority: RequestPriority) =>
    new KaaError(
      'E_RATE_LIMITED',
      priority === 'low'
        ? `Skipped a low-priority Genesys request${purpose ? ` (${purpose})` : ''}: the shared budget of ${perMinute} requests per minute is spent for the next ${waitMs} ms. Nothing to change unless this repeats; then open fewer interactions at once, or raise genesys.rateLimitPerMinute if your org's limit is higher.`
        : `A Genesys request${purpose ? ` (${purpose})` : ''} would wait ${waitMs} ms for the shared budget of ${perMinute} requests per minute (the limit is ${maxWaitMs} ms). Open fewer interactions at once, or raise genesys.rateLimitPerMinute if your org's limit is higher.`,
      { details: { shed: priority === 'low', priority, waitMs, perMinute } },
    );

  return {
    perMinute,
    take(request = {}) {
      const priority = request.priority ?? 'normal';
      if (closed) return Promise.reject(closedError());
      if (request.signal?.aborted) return Promise.reject(request.signal.reason);
      const wait = waitFor(queue.length);
      if (priority === 'low' && (queue.length > 0 || wait > 0)) {
        logger.info('genesys rate budget: low-priority request shed', { waitMs: wait, waiting: queue.length });
        return Promise.reject(shed(request.purpose, wait, 'low'));
      }
      if (wait > maxWaitMs) return Promise.reject(shed(request.purpose, wait, 'normal'));
      if (queue.length === 0 && wait === 0) {
        tokens -= 1;
        announce.spent(1);
        return Promise.resolve();
      }
      if (wait > 0) logger.debug('genesys rate budget: waiting', { waitMs: wait, waiting: queue.length });
      return new Promise<void>((resolve, reject) => {
        const w: Waiter = { resolve, reject };
        if (request.signal) {
          const signal = request.signal;
          w.signal = signal;
          w.onAbort = () => {
            const i = queue.indexOf(w);
            if (i >= 0) queue.splice(i, 1);
            reject(signal.reason);
            pump();
          };
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        queue.push(w);
        pump();
      });
    },
    pause(ms) {
      const until = now() + Math.max(0, ms);
      if (until <= pausedUntil) return;
      pausedUntil = until;
      announce.paused(until);
      pump();
    },
    pauseUntil(until) {
      if (!(until > pausedUntil)) return;
      pausedUntil = until;
      pump();
    },
    spendRemote(n) {
      refill();
      // a negative balance is a debt the next local requests wait for
      tokens = Math.max(tokens - n, -perMinute);
      pump();
    },
    snapshot() {
      refill();
      return { tokens, at, pausedUntil };
    },
    merge(s) {
      refill();
      const theirs = Math.min(burst, s.tokens + Math.max(0, now() - s.at) * rate);
      if (theirs < tokens) tokens = Math.max(theirs, -perMinute);
      if (s.pausedUntil > pausedUntil) pausedUntil = s.pausedUntil;
      pump();
    },
    state() {
      refill();
      return { available: Math.max(0, Math.floor(tokens)), waiting: queue.length, pausedUntil };
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      for (const w of queue.splice(0)) {
        settle(w);
        w.reject(closedError());
      }
    },
  };
}

const closedError = () =>
  new KaaError(
    'E_RATE_LIMITED',
    'The Genesys rate budget was closed while a request waited for it (the page or process is shutting down). Nothing to change.',
    {
      details: { closed: true },
    },
  );
