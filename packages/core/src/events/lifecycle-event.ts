/** Kore `transfertype` (docs/kore-protocol.md#hooks-events). */
export type TransferType = 'NA' | 'cold' | 'warm' | 'redial';

/** Kore `transition`. */
export type TransferTransition = 'entry' | 'exit';

/** A web-messaging message reference; the text must be fetched (docs/genesys-protocol.md#web-messaging-text). */
export interface MessageRef {
  readonly messageId: string;
  readonly messageTime?: string;
  /** The participant whose session carries the reference. */
  readonly participantId: string;
  /** That participant's `purpose` (`customer`, `agent`, …). */
  readonly purpose?: string;
}

/**
 * What changed in a conversation for THIS agent, as found by `diffConversation`; the input of
 * `createHooksLifecycle().apply` and `holdSinkActionFor`.
 */
export type LifecycleEvent =
  /** My agent entered (`transition: 'entry'`) or left (`'exit'`) the conversation. */
  | {
      readonly kind: 'transfer';
      readonly transferType: TransferType;
      readonly transition: TransferTransition;
      readonly participantId: string;
    }
  /** My agent put the customer on hold. */
  | { readonly kind: 'held'; readonly participantId: string }
  /** My agent took the customer off hold. */
  | { readonly kind: 'resumed'; readonly participantId: string }
  /** My participant ended (disconnected, terminated or `endTime` set). */
  | { readonly kind: 'disconnected'; readonly participantId: string; readonly disconnectType?: string }
  /** The customer is gone and no agent is connected. */
  | { readonly kind: 'ended' }
  /** Another agent connected while mine was connected (warm transfer / consult). */
  | {
      readonly kind: 'agentJoined';
      readonly participantId: string;
      readonly userId?: string;
      readonly consult: boolean;
    }
  /** Another agent that was connected alongside mine left. */
  | { readonly kind: 'agentLeft'; readonly participantId: string; readonly userId?: string }
  /** New web-messaging message references, ordered by `messageTime`. */
  | { readonly kind: 'messageAdded'; readonly messages: readonly MessageRef[] };

/** The `kind` of a {@link LifecycleEvent}. */
export type LifecycleEventKind = LifecycleEvent['kind'];
