/**
 * @kaa/kore-client — the Kore.ai port of kaa: Data Tables, bot sources, the Agent AI widget host,
 * and the hooks and Control Transcription APIs. Browser-safe: no Node built-ins; everything that touches
 * the outside world (fetch, clock, timers, storage, logger, window) is injected.
 * @packageDocumentation
 */
export { timerSleep } from './ports.js';
export * from './api-host.js';
export type { RetryPolicy } from './http/kore-request.js';
export type { PlatformCredentials, PlatformJwtSigner } from './http/platform-token.js';
export * from './data-table/types.js';
export * from './data-table/client.js';
export { createDataTableCache } from './data-table/row-cache.js';
export type { DataTableCache } from './data-table/row-cache.js';
export * from './bot-sources/kore-table.js';
export * from './bot-sources/third-party.js';
export type { ThirdPartyRecordInput } from './bot-sources/third-party-record.js';
export * from './widget/view.js';
export * from './widget/mount-agent-assist.js';
export * from './widget/load-agent-ai-sdk.js';
export * from './events/kore-events-client.js';
export { createWidgetEndClaim } from './events/end-claim.js';
export * from './events/kore-transport.js';
export * from './widget/mount-agent-ai-sdk-view.js';
export * from './widget/exchange-widget-token.js';
export * from './storage-sweep.js';
