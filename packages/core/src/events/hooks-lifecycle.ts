import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import type { KoreExperience } from '../routing/media-of.js';
import type { HooksEvent, HooksParticipant } from './hooks-event.js';
import { describeIssues, issuePaths } from '../issues.js';
import type { LifecycleEvent, TransferTransition, TransferType } from './lifecycle-event.js';

/** Where the lifecycle of this instance's agent stands. */
export type HooksLifecyclePhase =
  /** nothing sent yet */
  | 'idle'
  /** an entry was sent and no exit since */
  | 'in'
  /** an exit was sent */
  | 'out'
  /** finished: `END_OF_CONVERSATION` sent, or the conversation ended while another agent owned the end */
  | 'done';

/** Serialisable state; persist it (e.g. sessionStorage keyed by conversation) to survive a page reload. */
export interface HooksLifecycleState {
  readonly phase: HooksLifecyclePhase;
  /** The type of the last exit sent, when `phase` is `out`. */
  readonly lastExit?: TransferType;
  /** True once `END_OF_CONVERSATION` was returned. */
  readonly endSent: boolean;
}

/** Options for {@link createHooksLifecycle}. */
export interface HooksLifecycleOptions {
  readonly conversationId: string;
  readonly botId: string;
  /** This instance's agent (the Genesys user); becomes the events' `participant`. */
  readonly agent: {
    readonly id: string;
    readonly name: string;
    readonly customFields?: HooksParticipant['customFields'];
  };
  /** Default `voice`. */
  readonly experience?: KoreExperience;
  /** Kore language code, e.g. `en`; copied onto transfer and end events when set. */
  readonly language?: string;
  /**
   * Send `TRIGGER_SUMMARY_EVENT` before `END_OF_CONVERSATION` (config `kore.hooks.triggerSummary`).
   * Default `false`; pass `{ language: 'English', locale: 'en' }` to enable.
   */
  readonly summary?: false | { readonly language: string; readonly locale: string };
  /**
   * Open question docs/assumptions.md#hooks-event-order-for-transfers-and-redial (config `kore.hooks.redialLeadingExit`): before `redial/entry`, send `NA/exit` when
   * `'auto'` (default) — only if no exit was sent for the dropped leg; `'always'` — unless the last thing sent was `NA/exit`;
   * `'never'`.
   */
  readonly redialLeadingExit?: 'auto' | 'always' | 'never';
  /** State from a previous page load of this instance (see `state()`). */
  readonly restore?: HooksLifecycleState;
}

/** The pure state machine returned by {@link createHooksLifecycle}. */
export interface HooksLifecycle {
  /** Feeds one lifecycle event; returns the hooks events to send now, in order (often none). */
  apply(event: LifecycleEvent): HooksEvent[];
  /** The current state, to persist. */
  state(): HooksLifecycleState;
}

const Options = z.object({
  conversationId: z.string().check(z.minLength(1)),
  botId: z.string().check(z.minLength(1)),
  agent: z.looseObject({ id: z.string().check(z.minLength(1)), name: z.string() }),
  experience: z.optional(z.enum(['voice', 'chat', 'email'])),
  language: z.optional(z.string()),
  summary: z.optional(z.union([z.literal(false), z.object({ language: z.string(), locale: z.string() })])),
  redialLeadingExit: z.optional(z.enum(['auto', 'always', 'never'])),
  restore: z.optional(
    z.object({
      phase: z.enum(['idle', 'in', 'out', 'done']),
      lastExit: z.optional(z.enum(['NA', 'cold', 'warm', 'redial'])),
      endSent: z.boolean(),
    }),
  ),
});

const TRANSFER_TYPES = new Set<unknown>(['NA', 'cold', 'warm', 'redial']);
const KINDS = new Set<unknown>([
  'transfer',
  'held',
  'resumed',
  'disconnected',
  'ended',
  'agentJoined',
  'agentLeft',
  'messageAdded',
]);

/**
 * A pure state machine for the Kore hooks lifecycle of THIS instance's agent (docs/kore-protocol.md#hooks-event-order; open points from docs/assumptions.md#hooks-path-prefix to docs/assumptions.md#who-sends-end-of-conversation).
 * It turns {@link LifecycleEvent}s (from `diffConversation`) into hooks events in the required order:
 * an entry (`NA`, or `cold`/`warm`/`redial` when another agent came first) → exits/entries → `NA/exit` →
 * optional `TRIGGER_SUMMARY_EVENT` → `END_OF_CONVERSATION`, exactly once, and nothing after it.
 *
 * Tolerant where reality is: duplicate entries and exits (reconnects) are ignored; a `cold/exit` before any entry is
 * legal (docs/assumptions.md#hooks-event-order-for-transfers-and-redial); `disconnected` or `ended` without an exit implies `NA/exit`; when this agent left by a cold or warm
 * transfer, the end belongs to the last agent's instance (docs/assumptions.md#who-sends-end-of-conversation) and this one sends none. Impossible transitions
 * (an `NA`, `warm` or `redial` exit before any entry) throw `E_EVENT_ORDER`, leaving the state unchanged.
 *
 * @example
 * ```ts
 * import { createHooksLifecycle, buildHooksRequest } from '@kaa/core';
 *
 * const lifecycle = createHooksLifecycle({ conversationId, botId: 'st-123', agent: { id: me.id, name: me.name } });
 * lifecycle.apply({ kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'p1' });
 * // → [{ name: 'INTERNAL_TRANSFER_EVENT', transfertype: 'NA', transition: 'entry', isExtAD: true, experience: 'voice', participant: {…} }]
 * const events = lifecycle.apply({ kind: 'ended' }); // → [NA/exit, END_OF_CONVERSATION]
 * const request = buildHooksRequest({ botId: 'st-123', conversationId, events });
 * ```
 */
export function createHooksLifecycle(options: HooksLifecycleOptions): HooksLifecycle {
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    throw new KaaError(
      'E_EVENT_INVALID',
      `The hooks lifecycle options are incomplete: ${describeIssues(parsed.error.issues, 'options')}. Pass the conversation id, the bot id (st-…) and this agent's Genesys user id and name.`,
      { details: { issues: issuePaths(parsed.error.issues, 'options') } },
    );
  }
  const o = parsed.data;
  const experience: KoreExperience = o.experience ?? 'voice';
  const participant: HooksParticipant = {
    identity: o.agent.id,
    name: o.agent.name,
    type: 'agent',
    ...(options.agent.customFields ? { customFields: { ...options.agent.customFields } } : {}),
  };
  const language = o.language === undefined ? {} : { language: o.language };
  const leadingExit = o.redialLeadingExit ?? 'auto';
  let phase: HooksLifecyclePhase = o.restore?.phase ?? 'idle';
  let lastExit: TransferType | undefined = o.restore?.lastExit;
  let endSent = o.restore?.endSent ?? false;
  /** last INTERNAL_TRANSFER_EVENT sent, to avoid a doubled NA/exit */
  let lastWasNaExit = phase === 'out' && lastExit === 'NA';

  const transfer = (transfertype: TransferType, transition: TransferTransition): HooksEvent => ({
    name: 'INTERNAL_TRANSFER_EVENT',
    transfertype,
    transition,
    isExtAD: true,
    ...language,
    experience,
    participant,
  });
  const finish = (withExit: boolean): HooksEvent[] => {
    const out: HooksEvent[] = withExit ? [transfer('NA', 'exit')] : [];
    if (o.summary)
      out.push({
        name: 'TRIGGER_SUMMARY_EVENT',
        data: { language: o.summary.language, locale: o.summary.locale, type: 'post' },
      });
    out.push({ name: 'END_OF_CONVERSATION', reason: 'agent_initiated', ...language, experience, participant });
    phase = 'done';
    endSent = true;
    return out;
  };
  const exit = (type: TransferType): HooksEvent[] => {
    phase = 'out';
    lastExit = type;
    lastWasNaExit = type === 'NA';
    return [transfer(type, 'exit')];
  };
  const entry = (type: TransferType): HooksEvent[] => {
    phase = 'in';
    lastExit = undefined;
    lastWasNaExit = false;
    return [transfer(type, 'entry')];
  };

  return {
    apply(event: LifecycleEvent): HooksEvent[] {
      assertEvent(event);
      if (phase === 'done') return [];
      switch (event.kind) {
        case 'transfer': {
          const type = event.transferType;
          if (event.transition === 'entry') {
            if (phase === 'idle') return entry(type);
            if (type === 'redial') {
              const needExit =
                leadingExit === 'never' ? false : leadingExit === 'auto' ? phase === 'in' : !lastWasNaExit;
              return needExit ? [...exit('NA'), ...entry('redial')] : entry('redial');
            }
            return phase === 'out' ? entry(type) : []; // a repeated entry while in: already sent
          }
          if (phase === 'in') return exit(type);
          if (phase === 'out') return []; // a repeated exit: already sent
          if (type === 'cold') return exit('cold'); // docs/assumptions.md#hooks-event-order-for-transfers-and-redial: cold exit before any entry is legal
          throw new KaaError(
            'E_EVENT_ORDER',
            `Cannot send "${type}/exit" for conversation "${o.conversationId}": this agent never entered it (no entry event was sent). ` +
              'Only a cold exit may precede the entry. Check that the page feeds diffConversation the first snapshot (previous undefined) before later ones.',
            { details: { conversationId: o.conversationId, transferType: type, transition: 'exit', phase } },
          );
        }
        case 'disconnected':
          return phase === 'in' ? exit('NA') : [];
        case 'ended': {
          if (phase === 'in') return finish(true);
          if (phase === 'out' && (lastExit === 'NA' || lastExit === 'redial')) return finish(false);
          phase = 'done'; // never entered, or left by transfer: the last agent's instance owns the end (docs/assumptions.md#who-sends-end-of-conversation)
          return [];
        }
        default:
          return [];
      }
    },
    state(): HooksLifecycleState {
      return { phase, ...(lastExit === undefined ? {} : { lastExit }), endSent };
    },
  };
}

function assertEvent(event: LifecycleEvent): void {
  const e = event as unknown as { kind?: unknown; transferType?: unknown; transition?: unknown } | null;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    KINDS.has(e.kind) &&
    (e.kind !== 'transfer' ||
      (TRANSFER_TYPES.has(e.transferType) && (e.transition === 'entry' || e.transition === 'exit')));
  if (!ok) {
    throw new KaaError(
      'E_EVENT_INVALID',
      'The hooks lifecycle received something that is not a lifecycle event (expected kind transfer|held|resumed|disconnected|ended|agentJoined|agentLeft|messageAdded, and for transfer a transferType NA|cold|warm|redial and a transition entry|exit). Feed it the output of diffConversation.',
      { details: { kind: typeof e === 'object' && e !== null ? String(e.kind) : typeof e } },
    );
  }
}
