/**
 * What the sandbox Kore platform records about the calls it receives, for tests and the demo.
 * Records hold no secrets: tokens and assertions are never stored, only their verified, non-secret claims.
 */
import type { ControlBody } from './control-body.js';
import type { HooksBody } from './hooks-body.js';
import type { TableQuery } from './table-query.js';

/** One jwtgrant call. */
export interface RecordedJwtgrant {
  at: number;
  status: number;
  clientId?: string;
  botId?: string;
  alg?: string;
  /** Verified claims without secrets (iss, sub, aud, iat, exp, appId, isAnonymous). */
  claims?: Record<string, unknown>;
  error?: string;
}

/** One hooks API call. `body` is the validated body, or the raw JSON when validation failed. */
export interface RecordedHook {
  at: number;
  status: number;
  botId: string;
  appId?: string;
  body: HooksBody | unknown;
  error?: string;
}

/** One Control Transcription call. */
export interface RecordedControl {
  at: number;
  status: number;
  botId: string;
  conversationId: string;
  appId?: string;
  body: ControlBody | unknown;
  error?: string;
}

/** One Data Table API call (query, insert, bulk, update, delete). */
export interface RecordedTableCall {
  at: number;
  status: number;
  op: 'query' | 'insert' | 'bulk' | 'update' | 'delete';
  table: string;
  appId?: string;
  query?: TableQuery;
  limit?: number;
  offset?: number;
  error?: string;
}

/** One Third-Party Configuration lookup. */
export interface RecordedThirdPartyLookup {
  at: number;
  status: number;
  accountId: string;
  queueName: string;
  /** The app whose JWT authenticated the lookup (absent when it did not verify). */
  appId?: string;
  recordId?: string;
}

/** Every list the platform records, oldest first. */
export interface KoreRecorded {
  jwtgrants: RecordedJwtgrant[];
  hooks: RecordedHook[];
  controls: RecordedControl[];
  tableQueries: RecordedTableCall[];
  thirdPartyLookups: RecordedThirdPartyLookup[];
}

/** Fresh, empty record lists. */
export function emptyRecorded(): KoreRecorded {
  return { jwtgrants: [], hooks: [], controls: [], tableQueries: [], thirdPartyLookups: [] };
}
