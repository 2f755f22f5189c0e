import { isKaaError } from '@kaa/core';
import type { RateBudget, RateBudgetOptions } from './rate-budget.js';
import { createTokenBucket } from './rate-budget.js';
import type { RateBudgetMessage } from './rate-budget-message.js';
import { parseRateBudgetMessage } from './rate-budget-message.js';

/**
 * The subset of the browser's `BroadcastChannel` the shared budget uses.
 *
 * @example
 * ```ts
 * const channel: BroadcastChannelLike = new BroadcastChannel('kaa.genesys.rate');
 * ```
 */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/**
 * Opens a channel by name: the browser's `BroadcastChannel` constructor fits.
 *
 * @example
 * ```ts
 * const open: BroadcastChannelConstructor = BroadcastChannel;
 * ```
 */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/**
 * Options of {@link createSharedRateBudget}.
 *
 * @example
 * ```ts
 * const options: SharedRateBudgetOptions = { channelName: `kaa.genesys.rate.${me.id}`, perMinute: 300, now: () => Date.now() };
 * ```
 */
export interface SharedRateBudgetOptions extends RateBudgetOptions {
  /**
   * Name of the BroadcastChannel; every instance of the same user and OAuth client must use the same one, e.g.
   * `kaa.genesys.rate.<userId>`. BroadcastChannel reaches same-origin documents of the same storage partition, which
   * is where the up to 10 widget instances of one desktop live (docs/assumptions.md#genesys-per-user-rate-limit, inferred).
   */
  channelName: string;
  /** The `BroadcastChannel` constructor. Default `globalThis.BroadcastChannel`; without one the budget is local only. */
  BroadcastChannel?: BroadcastChannelConstructor;
  /** Clock, epoch ms; instances of one browser share it, so `pause` times are absolute. */
  now: () => number;
}

/**
 * A {@link RateBudget} shared by every widget instance of one user in the browser (docs/assumptions.md#genesys-per-user-rate-limit, docs/genesys-protocol.md#rate-limits-and-error-bodies):
 * each instance keeps its own token bucket and announces its spends (and any 429 pause) on a BroadcastChannel, so
 * every bucket holds the same estimate of the user's budget. A new instance asks the others for their estimate.
 * Two instances that spend the last token at the same moment can overshoot by one; the API client's 429 handling
 * (with `Retry-After`, shared as a pause) covers that.
 *
 * @example
 * ```ts
 * const rateBudget = createSharedRateBudget({ channelName: `kaa.genesys.rate.${ctx.genesysClientId}`, perMinute: 300, now: () => Date.now() });
 * const api = createGenesysApi({ environment, auth, rateBudget });
 * await api.getMessages(conversationId, ids, { priority: 'low' }); // shed, not queued, when the budget is spent
 * addEventListener('pagehide', () => rateBudget.close());
 * ```
 */
export function createSharedRateBudget(options: SharedRateBudgetOptions): RateBudget {
  const Channel =
    options.BroadcastChannel ?? (globalThis as { BroadcastChannel?: BroadcastChannelConstructor }).BroadcastChannel;
  let channel: BroadcastChannelLike | null = null;
  const post = (message: RateBudgetMessage) => {
    try {
      channel?.postMessage(message);
    } catch {
      // a closed or broken channel: the local estimate still holds
    }
  };
  const bucket = createTokenBucket(options, {
    spent: (n) => post({ kaa: 'rate-budget/1', type: 'spend', n }),
    paused: (until) => post({ kaa: 'rate-budget/1', type: 'pause', until }),
  });
  if (!Channel) {
    options.logger?.warn('BroadcastChannel is not available; the Genesys rate budget is not shared between instances', {
      channelName: options.channelName,
    });
    return bucket;
  }
  try {
    channel = new Channel(options.channelName);
  } catch (cause) {
    // e.g. a SecurityError in a third-party frame whose site data the browser blocks
    options.logger?.warn('BroadcastChannel refused; the Genesys rate budget is not shared between instances', {
      channelName: options.channelName,
      reason: String((cause as Error)?.message ?? cause),
    });
    return bucket;
  }
  channel.onmessage = (event) => {
    let message: RateBudgetMessage;
    try {
      message = parseRateBudgetMessage(event?.data);
    } catch (e) {
      options.logger?.debug('ignored a message on the rate-budget channel', {
        code: isKaaError(e) ? e.code : 'unknown',
      });
      return;
    }
    switch (message.type) {
      case 'spend':
        return bucket.spendRemote(message.n);
      case 'pause':
        return bucket.pauseUntil(message.until);
      case 'hello':
        return post({ kaa: 'rate-budget/1', type: 'state', ...bucket.snapshot() });
      case 'state':
        return bucket.merge(message);
    }
  };
  post({ kaa: 'rate-budget/1', type: 'hello' });
  return {
    take: (request) => bucket.take(request),
    pause: (ms) => bucket.pause(ms),
    state: () => bucket.state(),
    close() {
      bucket.close();
      if (channel) {
        channel.onmessage = null;
        try {
          channel.close();
        } catch {
          // already closed
        }
        channel = null;
      }
    },
  };
}
