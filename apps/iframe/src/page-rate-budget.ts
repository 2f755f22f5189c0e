import type { Logger } from '@kaa/core';
import { createSharedRateBudget } from '@kaa/genesys-adapter';
import type { BroadcastChannelConstructor, RateBudget } from '@kaa/genesys-adapter';

/** What {@link createPageRateBudget} needs. */
export interface PageRateBudgetInput {
  /** The Genesys OAuth client id (URL `genesysid`): every instance of the page in this browser uses the same one. */
  genesysClientId: string;
  /** `genesys.rateLimitPerMinute` (docs/assumptions.md#genesys-per-user-rate-limit, default 300). */
  perMinute: number;
  /** Epoch milliseconds. */
  now: () => number;
  /** The browser's `BroadcastChannel`; absent (an old browser, a test) → no budget. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined;
  logger?: Logger;
}

/**
 * The channel the page's instances share their Genesys request budget on: one per OAuth client (docs/assumptions.md#genesys-per-user-rate-limit, inferred:
 * a desktop's instances run for one signed-in user, so the client id is known before `users/me` is read).
 *
 * @example
 * ```ts
 * pageRateBudgetChannel('3f9b…'); // 'kaa.genesys.rate.3f9b…'
 * ```
 */
export function pageRateBudgetChannel(genesysClientId: string): string {
  return `kaa.genesys.rate.${genesysClientId}`;
}

/**
 * The shared Genesys rate budget (docs/assumptions.md#genesys-per-user-rate-limit) of the page's instances: a token bucket of
 * `genesys.rateLimitPerMinute` per user, kept in step across the up to 10 instances of one desktop by
 * BroadcastChannel. Without `BroadcastChannel` it returns `undefined` and the API client runs without a budget
 * (its 429 handling still applies). Close it on `pagehide`.
 *
 * @example
 * ```ts
 * const rateBudget = createPageRateBudget({ genesysClientId: ctx.genesysClientId, perMinute: settings.genesys.rateLimitPerMinute,
 *   now: () => Date.now(), BroadcastChannel: globalThis.BroadcastChannel });
 * const api = createGenesysApi({ environment, auth, ...(rateBudget ? { rateBudget } : {}) });
 * addEventListener('pagehide', () => rateBudget?.close());
 * ```
 */
export function createPageRateBudget(input: PageRateBudgetInput): RateBudget | undefined {
  if (!input.BroadcastChannel) return undefined;
  return createSharedRateBudget({
    channelName: pageRateBudgetChannel(input.genesysClientId),
    perMinute: input.perMinute,
    now: input.now,
    BroadcastChannel: input.BroadcastChannel,
    ...(input.logger ? { logger: input.logger } : {}),
  });
}
