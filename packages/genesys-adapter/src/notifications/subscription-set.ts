import { KaaError, transcriptionRefused } from '@kaa/core';
import type { GenesysApi } from '../api.js';

/**
 * The topics a notifications client wants, and their subscription on a channel. A PUT replaces the channel's whole
 * list (docs/genesys-protocol.md#notifications), so a new channel or a `no_longer_subscribed` gets every topic back
 * with one call.
 *
 * @example
 * ```ts
 * const subscriptions = createSubscriptionSet(api, [`v2.conversations.${id}.transcription`]);
 * const refused = await subscriptions.applyTo(channel.id); // KaaError E_NOTIFICATIONS_UNSUBSCRIBED, or null
 * ```
 */
export interface SubscriptionSet {
  /** Adds topics to the wanted ones (they reach Genesys with the next {@link SubscriptionSet.applyTo}). */
  add(topics: readonly string[]): void;
  /**
   * PUTs every wanted topic on the channel (nothing when none is wanted). Resolves with an `E_NOTIFICATIONS_UNSUBSCRIBED`
   * error naming the topics Genesys refused — `E_PERMISSION_MISSING` (core's `transcriptionRefused`: the permission and
   * the fix) when the refused topic is a call's transcription — or null; rejects when the call itself fails.
   */
  applyTo(channelId: string): Promise<KaaError | null>;
  /** DELETEs every subscription of the channel. */
  removeFrom(channelId: string): Promise<void>;
}

/** A call's transcription topic (docs/assumptions.md#transcription-topic-refusal). */
const TRANSCRIPTION_TOPIC = /^v2\.conversations\.[^.]+\.transcription$/;

/** Creates a {@link SubscriptionSet} wanting `topics`. */
export function createSubscriptionSet(
  api: Pick<GenesysApi, 'setSubscriptions' | 'deleteSubscriptions'>,
  topics: readonly string[] = [],
): SubscriptionSet {
  const wanted = new Set(topics);
  return {
    add(more) {
      for (const t of more) wanted.add(t);
    },
    async applyTo(channelId) {
      if (wanted.size === 0) return null;
      const { rejected } = await api.setSubscriptions(channelId, [...wanted]);
      if (rejected.length === 0) return null;
      const transcript = rejected.find((r) => TRANSCRIPTION_TOPIC.test(r.id));
      if (transcript)
        return transcriptionRefused({
          ...(transcript.missingPermissions && { missingPermissions: transcript.missingPermissions }),
          ...(transcript.reason && { reason: transcript.reason }),
        });
      return new KaaError(
        'E_NOTIFICATIONS_UNSUBSCRIBED',
        `Genesys refused ${rejected.length} notification topic(s): ${rejected.map((r) => `${r.id}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}. Give the OAuth client the "notifications" scope and the agent the permissions the topics need (transcription: "Conversation > Transcription > View").`,
        { details: { rejected } },
      );
    },
    removeFrom: (channelId) => api.deleteSubscriptions(channelId),
  };
}
