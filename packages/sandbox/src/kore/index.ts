/**
 * The sandbox Kore platform: Data Tables, jwtgrant, hooks, Control Transcription, Third-Party
 * Configuration lookup and the stand-in Agent AI widget, on one 127.0.0.1 origin.
 * @packageDocumentation
 */
export { startKorePlatform, DEFAULT_HOOKS_AUTH_HEADER, DEFAULT_HOOKS_PATH_PREFIX } from './platform.js';
export type { KorePlatform, KorePlatformOptions, KoreFailNext, KoreRoute } from './platform.js';
export type { BotKey, SandboxBot } from './bot-keys.js';
export type {
  KoreRecorded,
  RecordedControl,
  RecordedHook,
  RecordedJwtgrant,
  RecordedTableCall,
  RecordedThirdPartyLookup,
} from './recorded.js';
export type { KoreSettings } from './world.js';
export type { TableQuery, TableRow } from './table-query.js';
export { parseTableQuery, matchesQuery } from './table-query.js';
export { parseHooksBody } from './hooks-body.js';
export type { HooksBody, HooksEvent } from './hooks-body.js';
export { parseControlBody } from './control-body.js';
export type { ControlBody } from './control-body.js';
export { KAA_BOTS_COLUMNS, ALPHA_KVP_CONFIG, WIDGET_PATH } from './seed-rows.js';
export { DEFAULT_THIRD_PARTY_PATH } from './third-party.js';
export type { ThirdPartyRecord } from './third-party.js';
export { KORE_RATE_LIMIT_MESSAGE, MAX_SYS_LIMIT, DEFAULT_SYS_LIMIT } from './tables-api.js';
