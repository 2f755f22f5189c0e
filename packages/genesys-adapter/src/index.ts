/**
 * @kaa/genesys-adapter — the Genesys Cloud port of kaa: browser and server login, the Platform API calls kaa makes,
 * notifications over WebSocket, and the legacy Genesys data table as a bot source. Browser-safe: no Node built-ins;
 * every IO is injected; responses are validated with `zod/mini` and typed by `genesys-models.ts` (no dependency on the Genesys SDK).
 * @packageDocumentation
 */
// the port types (FetchLike, Logger, Timers, WebSocketFactory, …) and silentLogger are @kaa/core's
export { defaultTimers, defaultRandom, defaultFetch } from './ports.js';
export type { GenesysHosts } from './environment.js';
export type { TokenProvider, RetryOptions } from './request.js';
export * from './api.js';
export type {
  GenesysConversationBody,
  GenesysDataTable,
  GenesysDataTableSchema,
  GenesysMessage,
  GenesysQueue,
  GenesysUserMe,
} from './genesys-models.js';
export * from './client-credentials.js';
export * from './browser-auth.js';
export { createCodeVerifier, codeChallengeOf } from './pkce.js';
export type { Sha256 } from './pkce.js';
export * from './popup-callback.js';
export * from './client-app-lifecycle.js';
export * from './notifications.js';
export { createRateBudget } from './rate-budget.js';
export type { RateBudget, RateBudgetOptions, RateBudgetTake, RequestPriority } from './rate-budget.js';
export { createSharedRateBudget } from './shared-rate-budget.js';
export type {
  SharedRateBudgetOptions,
  BroadcastChannelLike,
  BroadcastChannelConstructor,
} from './shared-rate-budget.js';
export { parseRateBudgetMessage } from './rate-budget-message.js';
export type { RateBudgetMessage } from './rate-budget-message.js';
export * from './legacy-table-source.js';
