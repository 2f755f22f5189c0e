/** Live events: notifications, transcripts, conversation diffs and the Kore hooks lifecycle. */
export * from './unwrap-event-bridge.js';
export * from './notification.js';
export * from './transcription.js';
export * from './transcript-ledger.js';
export * from './lifecycle-event.js';
export * from './conversation-view.js';
export * from './signals.js';
export * from './diff-conversation.js';
export * from './hooks-event.js';
export * from './hooks-lifecycle.js';
export * from './kore-post-request.js';
export * from './hooks-request.js';
export * from './control-transcription.js';
