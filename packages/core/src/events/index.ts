/** Live events: notifications, transcripts, conversation diffs and the Kore hooks lifecycle. */
export { unwrapEventBridge } from './unwrap-event-bridge.js';
export { parseNotification } from './notification.js';
export type {
  HeartbeatNotification,
  NoLongerSubscribedNotification,
  Notification,
  ParseNotificationOptions,
  SocketClosingNotification,
  TokenRevokedNotification,
  TranscriptionNotification,
  UnknownNotification,
  UserConversationMedia,
  UserConversationNotification,
} from './notification.js';
export { normalizeTranscription } from './transcription.js';
export type {
  NormalizedTranscription,
  Speaker,
  TranscriptChannel,
  TranscriptionSessionStatus,
  Utterance,
} from './transcription.js';
export { TranscriptLedger } from './transcript-ledger.js';
export type { TranscriptGap, TranscriptLedgerOptions, TranscriptLedgerStats } from './transcript-ledger.js';
export type {
  LifecycleEvent,
  LifecycleEventKind,
  MessageRef,
  TransferTransition,
  TransferType,
} from './lifecycle-event.js';
export { toConversationView } from './conversation-view.js';
export type { ConversationView, ParticipantView } from './conversation-view.js';
export { defaultConversationSignals } from './signals.js';
export type { ConversationSignals } from './signals.js';
export { diffConversation } from './diff-conversation.js';
export type { DiffConversationOptions } from './diff-conversation.js';
export type {
  EndOfConversationHooksEvent,
  HooksEvent,
  HooksParticipant,
  InternalTransferHooksEvent,
  TriggerSummaryHooksEvent,
} from './hooks-event.js';
export { createHooksLifecycle } from './hooks-lifecycle.js';
export type {
  HooksLifecycle,
  HooksLifecycleOptions,
  HooksLifecyclePhase,
  HooksLifecycleState,
} from './hooks-lifecycle.js';
export type { KorePostRequest } from './kore-post-request.js';
export { buildHooksRequest } from './hooks-request.js';
export type { HooksMessageFields, HooksRequest, HooksRequestInput, HooksRequestOptions } from './hooks-request.js';
export { buildControlTranscriptionRequest, holdSinkActionFor } from './control-transcription.js';
export type {
  ControlTranscriptionAction,
  ControlTranscriptionInput,
  ControlTranscriptionRequest,
  HoldSinkAction,
} from './control-transcription.js';
