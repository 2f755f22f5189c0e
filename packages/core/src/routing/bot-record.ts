import type { KvpConfig } from '../kvp/kvp-config.js';

/** One raw row of the Kore Data Table (`queryResult[i]`): case-sensitive column name → value. */
export type BotRow = Readonly<Record<string, unknown>>;

/** JWT signing algorithms a bot row may name (`Algorithm` column). Empty means `HS256`. */
export type BotAlgorithm = 'HS256' | 'RS256' | 'RS512';

/** The algorithms accepted in the `Algorithm` column. */
export const BOT_ALGORITHMS: readonly BotAlgorithm[] = ['HS256', 'RS256', 'RS512'];

/** The public members of the RSA JWK in `JWEPublicKey` (private members are refused). */
export interface RsaPublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
}

/** Where a bot record came from, for messages and the debug trace. */
export interface BotRecordOrigin {
  /** `kore-data-table`, `third-party`, `genesys-legacy-table` or `static`. */
  readonly kind: string;
  /** 0-based index of the row in the table as read. */
  readonly rowIndex?: number;
  /** The row's `sys_Id` (or `_id`). */
  readonly sysId?: string;
  /** The data table (or legacy table) name. */
  readonly table?: string;
}

/**
 * A validated bot record (reference/kore.md §11.2): everything kaa needs to mint tokens and mount the widget.
 * `clientSecret` and `rsPrivatePem` are secrets: never log a record; pass them to `KaaError`'s `secrets`.
 */
export interface BotRecord {
  /** The identifiers listed in `QueueIdentifier` (split on `,`, trimmed, empties dropped). */
  readonly queueIdentifiers: readonly string[];
  readonly botId: string;
  readonly clientId: string;
  /** Secret. */
  readonly clientSecret: string;
  /** The widget iframe URL (`AgentAssistWidgetURL`), validated as https (or loopback http when allowed). */
  readonly agentAssistWidgetUrl: string;
  readonly audiohookEnabled: boolean;
  /** Parsed `JWEPublicKey`; absent when the column is empty (allowed only without a KvpConfig). */
  readonly jwePublicKey?: RsaPublicJwk;
  /** Parsed and compiled `KvpConfig`; absent when the column is empty. */
  readonly kvpConfig?: KvpConfig;
  readonly algorithm: BotAlgorithm;
  /** Secret. Present when `algorithm` is RS256/RS512. */
  readonly rsPrivatePem?: string;
  readonly isAgentAISDK: boolean;
  readonly origin: BotRecordOrigin;
}

/** Column names of the Kore Data Table (case-sensitive). */
export const BOT_COLUMNS = {
  mandatory: ['QueueIdentifier', 'BotId', 'ClientId', 'ClientSecret', 'AgentAssistWidgetURL', 'AudiohookEnabled', 'JWEPublicKey'],
  optional: ['KvpConfig', 'Algorithm', 'RSPrivatePem', 'isAgentAISDK'],
} as const;

/** True for a system column of Kore Data Table rows (`sys_Id`, `_id`, `Created_On`, …), which routing ignores. */
export function isSystemColumn(name: string): boolean {
  return name.startsWith('sys_') || name === '_id' || /^(Created|Updated)_(On|By)$/.test(name);
}
