import type { KoreExperience } from '../routing/media-of.js';
import type { TransferTransition, TransferType } from './lifecycle-event.js';

/** The agent as the hooks API names it (docs/kore-protocol.md#hooks-events). `customFields` is needed only by the Quality module. */
export interface HooksParticipant {
  readonly identity: string;
  readonly name: string;
  readonly type: 'agent';
  readonly customFields?: { readonly agentEmail?: string; readonly queueId?: string; readonly queueName?: string };
}

/** `INTERNAL_TRANSFER_EVENT`, in kaa's canonical form (lower-case types except `NA`, boolean `isExtAD`); `buildHooksRequest` applies the wire format. */
export interface InternalTransferHooksEvent {
  readonly name: 'INTERNAL_TRANSFER_EVENT';
  readonly transfertype: TransferType;
  readonly transition: TransferTransition;
  readonly isExtAD: true;
  readonly language?: string;
  readonly experience: KoreExperience;
  readonly participant: HooksParticipant;
}

/** `TRIGGER_SUMMARY_EVENT` (optional, after the last `NA/exit`). */
export interface TriggerSummaryHooksEvent {
  readonly name: 'TRIGGER_SUMMARY_EVENT';
  readonly data: { readonly language: string; readonly locale: string; readonly type: 'post' };
}

/** `END_OF_CONVERSATION`: last, exactly once per conversation. */
export interface EndOfConversationHooksEvent {
  readonly name: 'END_OF_CONVERSATION';
  readonly reason: 'agent_initiated';
  readonly language?: string;
  readonly experience: KoreExperience;
  readonly participant: HooksParticipant;
}

/** One entry of the hooks body's `events[]`. */
export type HooksEvent = InternalTransferHooksEvent | TriggerSummaryHooksEvent | EndOfConversationHooksEvent;
