import {
  buildHooksRequest,
  createHooksLifecycle,
  holdSinkActionFor,
  type ControlTranscriptionAction,
  type HooksEvent,
  type HooksLifecycleOptions,
  type HooksLifecycleState,
  type HooksRequestOptions,
  type LifecycleEvent,
} from '@kaa/core';
import type { RetryPolicy } from '../http/kore-request.js';
import type { PlatformJwtSigner } from '../http/platform-token.js';
import { KaaError, createMemoryStorage, silentLogger } from '@kaa/core';
import type { FetchLike, Logger, Sleep, StorageLike } from '@kaa/core';
import { createEndClaim, endClaimKey } from './end-claim.js';
import { createSignedKoreTransport, type KoreEventsTransport } from './kore-transport.js';

export type { HoldSinkSettings } from './kore-transport.js';
import type { HoldSinkSettings } from './kore-transport.js';

/**
 * Options of {@link createKoreEventsClient}.
 *
 * @example
 * ```ts
 * const options: KoreEventsClientOptions = {
 *   baseUrl: 'https://platform.kore.ai', botId: record.botId, clientId: record.clientId, clientSecret: record.clientSecret, signPlatformJwt,
 *   fetch: (u, i) => fetch(u, i), now: Date.now, settings: {},
 *   conversationId, agent: { id: me.id, name: me.name },
 * };
 * ```
 */
export interface KoreEventsClientOptions {
  /** Kore API origin (`koreApiHostFor`, config `kore.apiHost`). Not used with `transport`. */
  baseUrl?: string;
  botId: string;
  /** The bot's JWT app (docs/assumptions.md#app-that-signs-hooks-and-control-transcription): its ClientId and ClientSecret sign the `{sub, appId}` platform JWT. Not used with `transport`. */
  clientId?: string;
  clientSecret?: string;
  /** core's `signPlatformJwt`, which signs the platform JWT from `clientId` and `clientSecret`. Not used with `transport`. */
  signPlatformJwt?: PlatformJwtSigner;
  /**
   * Where the calls go instead of Kore: a token broker that signs them server-side (docs/architecture.md#broker-mode).
   * Default: {@link createSignedKoreTransport} with `baseUrl`, `clientId`, `clientSecret` and `signPlatformJwt`.
   */
  transport?: KoreEventsTransport;
  /** Not used with `transport`. */
  fetch?: FetchLike;
  /** Epoch milliseconds. */
  now: () => number;
  /** Hooks wire format, docs/assumptions.md#hooks-path-prefix, docs/assumptions.md#hooks-auth-header, docs/assumptions.md#hooks-field-formats: `pathPrefix`, `authHeader`, `transferTypeCase`, `isExtADAsString`. */
  settings: HooksRequestOptions;
  /** The Genesys conversation; the same id for the whole lifecycle. */
  conversationId: string;
  /** This instance's agent (each instance reports only its own agent). */
  agent: HooksLifecycleOptions['agent'];
  experience?: HooksLifecycleOptions['experience'];
  language?: string;
  summary?: HooksLifecycleOptions['summary'];
  redialLeadingExit?: HooksLifecycleOptions['redialLeadingExit'];
  /**
   * Shared storage for the `END_OF_CONVERSATION` idempotency key and the lifecycle state (docs/assumptions.md#who-sends-end-of-conversation). Pass
   * `window.localStorage` so every instance of the page sees the key. Default: in memory (this instance only).
   */
  storage?: StorageLike;
  /** Identifies this instance in the idempotency claim. Default: a random id. */
  instanceId?: string;
  /** URL parameter `sendEventsToVG`: send hold/resume/transfer/end to the hold sink. Default false. */
  sendEventsToVG?: boolean;
  hold?: HoldSinkSettings;
  logger?: Logger;
  sleep?: Sleep;
  retry?: RetryPolicy;
}

/**
 * The Kore hooks and Control Transcription client of one conversation and one agent.
 *
 * @example
 * ```ts
 * await events.apply({ kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'p1' });
 * await events.apply({ kind: 'ended' }); // NA/exit, END_OF_CONVERSATION (once)
 * ```
 */
export interface KoreEventsClient {
  /**
   * Feeds one lifecycle event (from core's `diffConversation`) through core's hooks state machine and posts
   * the resulting hooks events in order; with `sendEventsToVG`, also calls the hold sink. Resolves with the
   * events posted. Calls are serialised: events go out in the order they were applied.
   */
  apply(event: LifecycleEvent): Promise<HooksEvent[]>;
  /** Ends the conversation for this agent: same as `apply({kind: 'ended'})`. `END_OF_CONVERSATION` is sent at most once. */
  endOfConversation(): Promise<HooksEvent[]>;
  /** Retries events whose post failed earlier (they stay queued in order; nothing is lost). */
  flush(): Promise<void>;
  /** Events waiting to be posted after a failure. */
  readonly pending: number;
  /** Control Transcription (docs/kore-protocol.md#hold-resume-and-control-transcription): `POST /api/1.1/public/bot/{botId}/control/transcription?conversationId=…`. */
  controlTranscription(
    action: ControlTranscriptionAction,
    input: { conversationId: string; agentId: string; handover?: boolean },
  ): Promise<void>;
  /** The lifecycle state (also persisted in `storage`). */
  state(): HooksLifecycleState;
}

/**
 * Creates the hooks / Control Transcription client (docs/kore-protocol.md#hooks-api, docs/kore-protocol.md#hold-resume-and-control-transcription). Order comes from core's
 * `createHooksLifecycle` (`NA/entry` first, … `NA/exit`, optional `TRIGGER_SUMMARY_EVENT`,
 * `END_OF_CONVERSATION` last); the wire format from core's `buildHooksRequest` with `settings` (path prefix
 * default `/agentassist/api/v1/hooks`, header `auth`, lower-case transfer types, boolean `isExtAD`).
 * `END_OF_CONVERSATION` is guarded by an idempotency key (`kaa:kore:eoc:{botId}:{conversationId}`) in
 * `storage`, so it goes out once even when requested twice or by two instances. Failed posts stay queued
 * in order and are retried by the next `apply` or `flush`.
 *
 * @example
 * ```ts
 * import { createKoreEventsClient, koreApiHostFor } from '@kaa/kore-client';
 *
 * const events = createKoreEventsClient({
 *   baseUrl: koreApiHostFor(record.agentAssistWidgetUrl), botId: record.botId, clientId: record.clientId,
 *   clientSecret: record.clientSecret, signPlatformJwt, fetch: (u, i) => fetch(u, i), now: Date.now,
 *   settings: { pathPrefix: '/agentassist/api/v1/hooks', authHeader: 'auth', transferTypeCase: 'lower', isExtADAsString: false },
 *   conversationId, agent: { id: me.id, name: me.name }, storage: localStorage, sendEventsToVG: true,
 * });
 * for (const event of diffConversation(previous, next, me.id)) await events.apply(event);
 * ```
 */
export function createKoreEventsClient(options: KoreEventsClientOptions): KoreEventsClient {
  const { botId, conversationId, now } = options;
  const storage = options.storage ?? createMemoryStorage();
  // validate the wire settings once, up front (throws E_CONFIG_INVALID naming the key)
  buildHooksRequest({ botId, conversationId, events: [] }, options.settings);
  const hold = options.hold ?? { sink: 'controlTranscription' };
  const signed = (): KoreEventsTransport => {
    if (options.fetch === undefined || options.signPlatformJwt === undefined) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        'createKoreEventsClient needs either a transport (a token broker) or fetch and signPlatformJwt to sign the Kore calls itself.',
        { details: { botId } },
      );
    }
    return createSignedKoreTransport({
      baseUrl: options.baseUrl ?? '',
      botId,
      clientId: options.clientId ?? '',
      clientSecret: options.clientSecret ?? '',
      signPlatformJwt: options.signPlatformJwt,
      fetch: options.fetch,
      now,
      settings: options.settings,
      hold: options.sendEventsToVG ? hold : { sink: 'none' },
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    });
  };
  const transport = options.transport ?? signed();
  const logger = options.logger ?? silentLogger;

  const stateKey = `kaa:kore:hooks-state:${botId}:${conversationId}:${options.agent.id}`;
  const lifecycle = createHooksLifecycle({
    conversationId,
    botId,
    agent: options.agent,
    ...(options.experience ? { experience: options.experience } : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(options.summary !== undefined ? { summary: options.summary } : {}),
    ...(options.redialLeadingExit ? { redialLeadingExit: options.redialLeadingExit } : {}),
    ...restoreFrom(storage, stateKey),
  });
  const instanceId = options.instanceId ?? randomId();
  const endClaim = createEndClaim(storage, endClaimKey(botId, conversationId), instanceId, now);
  const outbox: HooksEvent[][] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let lastHoldAction: string | undefined;

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  };

  const sendBatch = async (events: HooksEvent[]) => {
    let batch = events;
    const ends = batch.some((e) => e.name === 'END_OF_CONVERSATION');
    let claimed = false;
    if (ends) {
      claimed = endClaim.claim();
      if (!claimed) {
        logger.debug(
          `kore hooks: END_OF_CONVERSATION for "${conversationId}" already sent or claimed by another instance; skipped (docs/assumptions.md#who-sends-end-of-conversation)`,
        );
        batch = batch.filter((e) => e.name !== 'END_OF_CONVERSATION' && e.name !== 'TRIGGER_SUMMARY_EVENT');
      }
    }
    if (batch.length === 0) return;
    try {
      await transport.postHooks(conversationId, batch);
      if (claimed) endClaim.markSent();
      logger.debug(`kore hooks: sent ${batch.map(describeHooksEvent).join(', ')}`);
    } catch (e) {
      if (claimed) endClaim.release();
      throw e;
    }
  };

  const drain = async () => {
    while (outbox.length > 0) {
      await sendBatch(outbox[0] as HooksEvent[]);
      outbox.shift();
    }
  };

  const holdSink = async (event: LifecycleEvent) => {
    if (!options.sendEventsToVG || hold.sink === 'none') return;
    const action = holdSinkActionFor(event);
    if (!action) return;
    const key = JSON.stringify(action);
    if (key === lastHoldAction) return; // idempotent: the same action twice in a row is sent once
    if (lastHoldAction !== undefined && JSON.parse(lastHoldAction).action === 'end') return;
    await transport.hold(action, { conversationId, agentId: options.agent.id });
    lastHoldAction = key;
  };

  const apply = (event: LifecycleEvent) =>
    serial(async () => {
      const events = lifecycle.apply(event);
      persist(storage, stateKey, lifecycle.state(), now(), logger);
      if (events.length > 0) outbox.push(events);
      let failure: unknown;
      await drain().catch((e: unknown) => void (failure = e));
      // the hold sink is independent of the hooks: a failed hooks post does not hold back a pause/resume
      await holdSink(event).catch((e: unknown) => void (failure ??= e));
      if (failure !== undefined) throw failure;
      return events;
    });

  return {
    apply,
    endOfConversation: () => apply({ kind: 'ended' }),
    flush: () => serial(drain),
    get pending() {
      return outbox.reduce((n, b) => n + b.length, 0);
    },
    controlTranscription: (action, input) => serial(() => transport.controlTranscription(action, input)),
    state: () => lifecycle.state(),
  };
}

/** How logs and messages name a hooks event: `cold/exit`, `END_OF_CONVERSATION`. */
function describeHooksEvent(e: HooksEvent): string {
  return e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name;
}

function restoreFrom(storage: StorageLike, key: string): { restore?: HooksLifecycleState } {
  try {
    const raw = storage.getItem(key);
    if (!raw) return {};
    const { savedAt: _savedAt, ...value } = JSON.parse(raw) as HooksLifecycleState & { savedAt?: unknown };
    if (value && typeof value === 'object' && typeof value.phase === 'string' && typeof value.endSent === 'boolean')
      return { restore: value };
  } catch {
    // an unreadable state starts fresh
  }
  return {};
}

/** `savedAt` lets kore-client's `sweepKoreStorage` remove the state of old conversations. */
function persist(storage: StorageLike, key: string, state: HooksLifecycleState, savedAt: number, logger: Logger): void {
  try {
    storage.setItem(key, JSON.stringify({ ...state, savedAt }));
  } catch (cause) {
    // not persisted (quota, privacy mode); the in-memory state still guards this instance
    logger.warn('kore hooks: the conversation state could not be stored; other instances will not see it', {
      reason: String((cause as Error)?.name ?? cause),
    });
  }
}

function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? `i-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
