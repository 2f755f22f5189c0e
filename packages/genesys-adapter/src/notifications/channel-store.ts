import type { Logger, StorageLike } from '@kaa/core';
import { isKaaError } from '@kaa/core';
import type { GenesysApi, NotificationChannel } from '../api.js';
import { safeGet, safeJson, safeRemove, safeSet } from '../safe-storage.js';

/**
 * The notification channel in use, and where it is kept across reloads (docs/genesys-protocol.md#notifications): a
 * stored channel is reused only when it is not about to expire and HEAD says it still exists; otherwise a new one is
 * created. It also knows when the channel has to be renewed before its 24 h `expires`.
 *
 * @example
 * ```ts
 * const channels = createChannelStore({ api, storage: sessionStorage, storageKey: 'kaa.genesys.channel', now, renewBeforeMs: 600_000, logger });
 * const channel = (await channels.storedAlive()) ?? (await channels.create());
 * channels.use(channel);
 * ```
 */
export interface ChannelStore {
  /** The channel in use, if any. */
  current(): NotificationChannel | null;
  /** The stored channel when it is not expiring and HEAD says it exists; null otherwise (a failed HEAD is logged). */
  storedAlive(): Promise<NotificationChannel | null>;
  /** Creates a new channel (not yet in use). */
  create(): Promise<NotificationChannel>;
  /** Puts a channel in use and stores it for the next page load. */
  use(channel: NotificationChannel): void;
  /** HEAD of the channel in use: false when there is none or Genesys no longer knows it. */
  exists(): Promise<boolean>;
  /** Ms from now until the channel in use should be renewed (never under 30 s); null when its expiry is unknown. */
  renewInMs(): number | null;
  /** Removes the stored channel (its subscriptions were deleted). */
  forget(): void;
}

/** What {@link createChannelStore} needs. */
export interface ChannelStoreOptions {
  api: Pick<GenesysApi, 'createChannel' | 'channelExists'>;
  storage?: StorageLike;
  storageKey: string;
  now: () => number;
  /** Renew this long before `expires`. */
  renewBeforeMs: number;
  logger: Logger;
}

/** A channel renewal is at least this far away, so that a channel born nearly expired cannot make a renewal loop. */
const MIN_RENEW_IN_MS = 30_000;

const expiresAt = (c: NotificationChannel) => (c.expires ? Date.parse(c.expires) : Number.NaN);

/** Creates the {@link ChannelStore}. Storage is an optimisation: unreadable or full storage only costs a new channel. */
export function createChannelStore(options: ChannelStoreOptions): ChannelStore {
  const { api, storage, storageKey, now, renewBeforeMs, logger } = options;
  let channel: NotificationChannel | null = null;

  const load = (): NotificationChannel | null => {
    const raw = safeGet(storage, storageKey);
    if (!raw) return null;
    const v = safeJson(raw) as Partial<NotificationChannel> | null | undefined;
    if (typeof v !== 'object' || v === null) return null;
    return typeof v.id === 'string' && typeof v.connectUri === 'string'
      ? { id: v.id, connectUri: v.connectUri, ...(typeof v.expires === 'string' ? { expires: v.expires } : {}) }
      : null;
  };

  return {
    current: () => channel,
    async storedAlive() {
      const stored = load();
      if (!stored || expiresAt(stored) - renewBeforeMs <= now()) return null;
      try {
        return (await api.channelExists(stored.id)) ? stored : null;
      } catch (e) {
        logger.warn('could not check the stored channel; creating a new one', {
          code: isKaaError(e) ? e.code : 'unknown',
        });
        return null;
      }
    },
    create: () => api.createChannel(),
    use(c) {
      channel = c;
      if (storage) safeSet(storage, storageKey, JSON.stringify(c));
    },
    async exists() {
      return channel !== null && (await api.channelExists(channel.id));
    },
    renewInMs() {
      const exp = channel ? expiresAt(channel) : Number.NaN;
      return Number.isFinite(exp) ? Math.max(MIN_RENEW_IN_MS, exp - renewBeforeMs - now()) : null;
    },
    forget: () => safeRemove(storage, storageKey),
  };
}
