import type { Logger } from '@kaa/core';
import {
  TranscriptLedger,
  diffConversation,
  isKaaError,
  normalizeTranscription,
  redact,
  toKaaError,
  transcriptionOff,
  transcriptionSilentHint,
} from '@kaa/core';
import type { ChatHistoryEntry, KaaError, LifecycleEvent, MessageRef, Utterance } from '@kaa/core';
import type { GenesysApi, Notifications, RequestPriority } from '@kaa/genesys-adapter';
import type { AgentAssistView, KoreEventsClient } from '@kaa/kore-client';

const HAS_TEXT = /\S/;

/** What {@link startLiveFeed} drives. */
export interface LiveFeedInput {
  conversationId: string;
  /** The signed-in Genesys user (this instance's agent). */
  userId: string;
  api: Pick<GenesysApi, 'getMessage'>;
  /** Created with the topics already chosen; `start()` is called here. */
  notifications: Notifications;
  view: AgentAssistView;
  /** Hooks and hold sink (lifecycleChannel `hooks`); null for the other channels. */
  koreEvents: KoreEventsClient | null;
  /**
   * lifecycleChannel `postMessage` (docs/assumptions.md#who-sends-end-of-conversation): when the conversation ends and this
   * agent did not leave it by a transfer, `claim()` (once per conversation across the page's instances) and, if won,
   * `view.endOfConversation` with the chat lines relayed (none for a call), then `markSent()`.
   */
  widgetEnd?: {
    botId: string;
    names: { customer: string; agent: string };
    now: () => number;
    claim(): boolean;
    markSent(): void;
  };
  /** The conversation as first read: its lifecycle events (entry, message references) are applied first. */
  firstSnapshot: unknown;
  /** `transcripts.partials` (docs/assumptions.md#transcription-topic-requirements-and-partial-results). */
  partials: boolean;
  /** `transcripts.holdWindowMs`: how far a final may wait behind an earlier open partial (docs/assumptions.md#transcription-topic-requirements-and-partial-results). Default: the ledger's (5000). */
  holdWindowMs?: number;
  /** Sent with each utterance and chat line (`secureTransport` `message`); replaced by {@link LiveFeed.setSecureCustomData}. */
  secureCustomData?: string;
  /** URL `showWidget` (docs/assumptions.md#showwidget-after-a-transfer): keep the widget for this agent after it left the conversation. Default true. */
  showWidget: boolean;
  /**
   * `transcripts.silenceHintSeconds` × 1000 (docs/assumptions.md#transcription-topic-requirements-and-partial-results): when the transcription topic is subscribed and no transcript
   * arrives this long after the feed starts, show a configuration hint. 0 or absent: off.
   */
  silenceHintMs?: number;
  /**
   * Reads the call's queue when the silence hint is due (docs/assumptions.md#queue-transcription-setting-read-by-the-page): when its voice
   * transcription is off the hint names the queue and the fix (core's `transcriptionOff`). Undefined result or a
   * failed read: the general hint.
   */
  readQueue?: () => Promise<
    { name?: string | undefined; id?: string | undefined; enableTranscription?: boolean | undefined } | undefined
  >;
  /** Timers for the silence hint (default: the global ones); cleared on close. */
  timers?: { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** Plain-words notices for the agent (gaps, transfer, end). */
  notice: (text: string) => void;
  /** A failure that stops the live feed (shown in the error panel). */
  fail: (error: KaaError) => void;
  logger: Logger;
}

/** The running live feed. */
export interface LiveFeed {
  /** Resolves when the notification channel is subscribed and its socket is open (events before that are not delivered). */
  readonly started: Promise<void>;
  /** Resolves when the conversation ended (or this agent left) and everything is closed. */
  readonly finished: Promise<void>;
  /** Closes the socket, every timer and the widget (pagehide). Idempotent. */
  close(reason: string): Promise<void>;
  /** The JWE the next utterances and chat lines carry (a fresh one before the current expires: docs/assumptions.md#secure-custom-data-lifetime-and-refresh). */
  setSecureCustomData(jwe: string): void;
}

/**
 * Step 8 and 9 of the page: feeds the widget for the life of the interaction.
 * - transcription frames → `normalizeTranscription` → `TranscriptLedger` (finals once each, ordered,
 *   customer/agent mapped) → `sendUtterance`; reconnect gaps are marked in the ledger and shown as a notice;
 * - conversation frames → `diffConversation` → web-messaging text fetched by message id (`sendChatText`); the
 *   messages already in the first snapshot (history) are read with `priority: 'low'`: with the shared rate budget
 *   spent they are skipped (one notice) rather than delaying live messages and the other instances' reads (docs/assumptions.md#genesys-per-user-rate-limit);
 *   hold/resume/transfer/end → the Kore hooks and hold sink (`koreEvents.apply`, ordered by the client);
 * - this agent left and `showWidget=false` → the widget is destroyed with a notice;
 * - the conversation ended → end-of-conversation (once, guarded by the client), then everything closes.
 *
 * @example
 * ```ts
 * const feed = startLiveFeed({ conversationId, userId: me.id, api, notifications, view, koreEvents, firstSnapshot: conversation,
 *   partials: false, showWidget: true, notice: screen.notice, fail: screen.fail, logger });
 * addEventListener('pagehide', () => void feed.close('pagehide'));
 * ```
 */
export function startLiveFeed(input: LiveFeedInput): LiveFeed {
  const { conversationId, userId, view, notifications, koreEvents, logger } = input;
  const ledger = new TranscriptLedger({
    partials: input.partials,
    ...(input.holdWindowMs !== undefined ? { holdWindowMs: input.holdWindowMs } : {}),
  });
  let previous: unknown;
  let closed = false;
  let widgetGone = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((r) => (resolveFinished = r));
  let chain: Promise<void> = Promise.resolve();
  const inOrder = (task: () => Promise<void>) => {
    chain = chain.then(task).catch((e: unknown) => {
      const error = toKaaError(
        e,
        'E_INTERNAL',
        'A live update could not be handled. Reload the interaction; if it repeats, open it with ?debug=1.',
      );
      logger.warn('live update failed', { code: error.code, message: error.message });
    });
    return chain;
  };

  const timers = input.timers ?? {
    setTimeout: (cb: () => void, ms: number) => globalThis.setTimeout(cb, ms),
    clearTimeout: (h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  let silenceTimer: unknown;
  const clearSilence = () => {
    if (silenceTimer !== undefined) timers.clearTimeout(silenceTimer);
    silenceTimer = undefined;
  };
  if (input.silenceHintMs && input.silenceHintMs > 0) {
    silenceTimer = timers.setTimeout(() => {
      silenceTimer = undefined;
      const general = transcriptionSilentHint(Math.round((input.silenceHintMs ?? 0) / 1000));
      if (!input.readQueue) return input.notice(general);
      const read = input.readQueue().catch((e: unknown) => {
        logger.debug('queue read for the silence hint failed', {
          code: toKaaError(e, 'E_INTERNAL', 'queue read failed').code,
        });
        return undefined;
      });
      void read.then((queue) => {
        if (closed) return;
        if (queue?.enableTranscription === false)
          input.notice(transcriptionOff({ queueName: queue.name, queueId: queue.id }).message);
        else input.notice(general);
      });
    }, input.silenceHintMs);
  }

  let secureCustomData = input.secureCustomData || undefined;
  let blankSkipped = 0;
  /**
   * The relay path (per transcription frame, synchronous up to `postMessage`): no logging, no redaction, no timeline
   * work unless something is wrong. A blank final (silence, noise) is skipped rather than aborting the rest of the batch.
   */
  const relay = (utterances: readonly Utterance[]) => {
    if (widgetGone) return;
    for (const u of utterances) {
      if (!HAS_TEXT.test(u.text)) {
        blankSkipped += 1;
        if (blankSkipped === 1)
          logger.debug('blank transcript line not sent to the widget', { utteranceId: u.utteranceId });
        continue;
      }
      view.sendUtterance(
        secureCustomData === undefined
          ? { speaker: u.speaker, conversationId, text: u.text }
          : { speaker: u.speaker, conversationId, text: u.text, secureCustomData },
      );
    }
  };

  let historySkipped = 0;
  const chatHistory: ChatHistoryEntry[] = [];
  let leftByTransferOnce = false;
  const relayMessages = async (refs: readonly MessageRef[], priority: RequestPriority) => {
    for (const ref of refs) {
      let message: Awaited<ReturnType<LiveFeedInput['api']['getMessage']>>;
      try {
        message = await input.api.getMessage(
          conversationId,
          ref.messageId,
          priority === 'low' ? { priority } : undefined,
        );
      } catch (e) {
        if (!(isKaaError(e) && e.code === 'E_RATE_LIMITED' && e.details?.['shed'] === true)) throw e;
        historySkipped += 1;
        logger.info('earlier chat message not copied to the widget: low-priority read shed by the rate budget', {
          messages: historySkipped,
        });
        if (historySkipped === 1)
          input.notice(
            'Some earlier chat messages were not copied to the Agent AI widget: the Genesys request budget shared by your open interactions was spent. New messages are copied as usual.',
          );
        continue;
      }
      const text = typeof message.textBody === 'string' ? message.textBody : '';
      if (!text || widgetGone) continue;
      const inbound = message.direction ? message.direction === 'inbound' : ref.purpose !== 'agent';
      if (input.widgetEnd) {
        const at = typeof message.timestamp === 'string' ? Date.parse(message.timestamp) : Number.NaN;
        chatHistory.push({
          type: inbound ? 'user' : 'agent',
          message: text,
          name: inbound ? input.widgetEnd.names.customer : input.widgetEnd.names.agent,
          timestamp: Number.isFinite(at) ? at : input.widgetEnd.now(),
        });
      }
      view.sendChatText({
        speaker: inbound ? 'customer' : 'agent',
        conversationId,
        text,
        ...(secureCustomData ? { secureCustomData } : {}),
      });
    }
  };

  /** `history`: the events of the first snapshot (messages already there are read with low priority). */
  const handle = async (events: readonly LifecycleEvent[], history = false) => {
    for (const event of events) {
      if (event.kind === 'messageAdded') {
        await relayMessages(event.messages, history ? 'low' : 'normal');
        continue;
      }
      if (koreEvents) await koreEvents.apply(event).catch((e: unknown) => reportHooks(e));
      // after the Kore calls for it (hooks, hold sink) were answered: a debug reader knows what was sent for what
      logger.debug('conversation event applied', {
        kind: event.kind,
        ...(event.kind === 'transfer' ? { transfer: `${event.transferType}/${event.transition}` } : {}),
      });
      const leftByTransfer = event.kind === 'transfer' && event.transition === 'exit' && event.transferType !== 'NA';
      if (leftByTransfer) {
        leftByTransferOnce = true;
        if (!input.showWidget && !widgetGone) {
          widgetGone = true;
          view.destroy();
          input.notice(
            'This interaction was transferred to another agent. The Agent AI widget is closed for you (showWidget=false).',
          );
        } else {
          input.notice(
            'This interaction was transferred to another agent. The widget stays open read-only (showWidget=true).',
          );
        }
      }
      if (event.kind === 'ended') {
        relay(ledger.flush());
        const end = input.widgetEnd;
        if (end && !leftByTransferOnce && !widgetGone && end.claim()) {
          view.endOfConversation({ conversationId, botId: end.botId, chatHistory });
          end.markSent();
          logger.info('end of conversation sent to the widget (lifecycleChannel postMessage)', {
            lines: chatHistory.length,
          });
        }
        input.notice('The conversation has ended.');
        await close('conversation ended');
      }
    }
  };

  const reportHooks = (e: unknown) => {
    const error = toKaaError(e, 'E_INTERNAL', 'A Kore lifecycle event could not be sent.');
    logger.warn('kore lifecycle event not delivered yet; it stays queued', {
      code: error.code,
      message: error.message,
    });
  };

  const offs = [
    notifications.on('transcription', ({ notification }) => {
      if (notification.conversationId !== conversationId) return;
      if (silenceTimer !== undefined) clearSilence();
      try {
        const t = normalizeTranscription(notification.eventBody);
        relay(ledger.push(t.utterances));
        if (t.sessionEnded) relay(ledger.flush());
      } catch (e) {
        const error = toKaaError(e, 'E_EVENT_INVALID', 'A transcription event could not be read.');
        logger.warn('transcription event skipped', { code: error.code, message: error.message });
      }
    }),
    notifications.on('userConversation', ({ notification }) => {
      if (notification.conversationId !== conversationId) return;
      const body = notification.eventBody;
      void inOrder(async () => {
        const events = diffConversation(previous, body, userId);
        previous = body;
        await handle(events);
      });
    }),
    notifications.on('gap', ({ from, to }) => {
      ledger.markGap({ from, to });
      input.notice(
        `The live connection to Genesys was interrupted for ${Math.max(1, Math.round((to - from) / 1000))} s; transcript lines from that time may be missing.`,
      );
    }),
    notifications.on('error', ({ error }) => {
      logger.warn('notifications error', { code: error.code, message: redact(error.message) });
      if (error.code === 'E_PERMISSION_MISSING') clearSilence(); // the panel says why no transcript comes
      if (
        error.code === 'E_NOTIFICATIONS_TOKEN_REVOKED' ||
        error.code === 'E_NOTIFICATIONS_CHANNEL' ||
        error.code === 'E_PERMISSION_MISSING'
      )
        input.fail(error);
    }),
  ];

  async function close(reason: string): Promise<void> {
    if (closed) return;
    closed = true;
    clearSilence();
    for (const off of offs) off();
    logger.info('live feed closing', { reason });
    await notifications.close({ deleteSubscriptions: reason !== 'pagehide' }).catch(() => undefined);
    if (reason === 'pagehide') {
      widgetGone = true;
      view.destroy();
    }
    resolveFinished();
  }

  // the first snapshot: entry event and messages already in the conversation, then live frames
  void inOrder(async () => {
    const events = diffConversation(undefined, input.firstSnapshot, userId);
    previous = input.firstSnapshot;
    await handle(events, true);
  });
  let resolveConnected!: () => void;
  const connected = new Promise<void>((r) => (resolveConnected = r));
  offs.push(notifications.on('connected', () => resolveConnected()));
  const started = Promise.all([notifications.start(), connected]).then(
    () => undefined,
    (e: unknown) => {
      const error = toKaaError(
        e,
        'E_NOTIFICATIONS_CHANNEL',
        'The page could not subscribe to Genesys notifications. Check that the OAuth client has the "notifications" scope.',
      );
      input.fail(error);
      throw error;
    },
  );
  started.catch(() => undefined);

  return {
    started,
    finished,
    close,
    setSecureCustomData(jwe) {
      if (jwe) secureCustomData = jwe;
    },
  };
}
