import type { Timers } from '@kaa/core';

/**
 * When the channel has to be replaced although nothing failed (docs/genesys-protocol.md#notifications): shortly before
 * its 24 h `expires`, and a minute before the access token expires (Genesys stops delivering silently after that).
 *
 * @example
 * ```ts
 * const renewal = createChannelRenewal({ timers, now, tokenExpiresAt, channelExpiring: () => renew('channel-expiring'), tokenExpiring: reauthAndRenew });
 * renewal.plan(channels.renewInMs()); // after every new channel
 * ```
 */
export interface ChannelRenewal {
  /** Replaces the plan: the channel renewal in `channelRenewInMs` (none when null), the token one from `tokenExpiresAt`. */
  plan(channelRenewInMs: number | null): void;
  /** Drops both timers. */
  cancel(): void;
}

/** What {@link createChannelRenewal} needs. */
export interface ChannelRenewalOptions {
  timers: Timers;
  now: () => number;
  /** When the current access token expires (ms since the epoch), if known. */
  tokenExpiresAt?: (() => number | null) | undefined;
  channelExpiring(): void;
  tokenExpiring(): void;
}

/** The token renewal runs this long before the token expires. */
const TOKEN_MARGIN_MS = 60_000;

/** Creates a {@link ChannelRenewal}. */
export function createChannelRenewal(options: ChannelRenewalOptions): ChannelRenewal {
  const { timers, now, tokenExpiresAt, channelExpiring, tokenExpiring } = options;
  let channelTimer: unknown = null;
  let tokenTimer: unknown = null;

  const cancel = () => {
    if (channelTimer !== null) timers.clearTimeout(channelTimer);
    if (tokenTimer !== null) timers.clearTimeout(tokenTimer);
    channelTimer = tokenTimer = null;
  };

  return {
    plan(channelRenewInMs) {
      cancel();
      if (channelRenewInMs !== null) {
        channelTimer = timers.setTimeout(
          () => {
            channelTimer = null;
            channelExpiring();
          },
          Math.max(0, channelRenewInMs),
        );
      }
      const tokenExp = tokenExpiresAt?.();
      // only a future expiry: a stale value after a renewal must not loop
      if (tokenExp != null && Number.isFinite(tokenExp) && tokenExp - TOKEN_MARGIN_MS > now()) {
        tokenTimer = timers.setTimeout(
          () => {
            tokenTimer = null;
            tokenExpiring();
          },
          Math.max(0, tokenExp - TOKEN_MARGIN_MS - now()),
        );
      }
    },
    cancel,
  };
}
