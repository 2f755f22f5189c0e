import type { KvpConfig } from '../kvp/kvp-config.js';

/**
 * One raw row of the Kore Data Table (`queryResult[i]`): case-sensitive column name → value.
 *
 * @example
 * ```ts
 * const row: BotRow = { QueueIdentifier: 'Kore, KoreSupport', BotId: 'st-…', AudiohookEnabled: 'True', sys_Id: '…' };
 * ```
 */
export type BotRow = Readonly<Record<string, unknown>>;

/**
 * JWT signing algorithms a bot row may name (`Algorithm` column). Empty means `HS256`.
 *
 * @example
 * ```ts
 * const algorithm: BotAlgorithm = record.algorithm; // 'HS256' unless the row says RS256/RS512
 * ```
 */
export type BotAlgorithm = 'HS256' | 'RS256' | 'RS512';

/**
 * The algorithms accepted in the `Algorithm` column.
 *
 * @example
 * ```ts
 * BOT_ALGORITHMS.includes('RS512'); // → true
 * ```
 */
export const BOT_ALGORITHMS: readonly BotAlgorithm[] = ['HS256', 'RS256', 'RS512'];

/**
 * The public members of the RSA JWK in `JWEPublicKey` (private members are refused).
 *
 * @example
 * ```ts
 * const jwk: RsaPublicJwk = { kty: 'RSA', n: 'sXch…', e: 'AQAB', kid: 'k1' };
 * ```
 */
export interface RsaPublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
}

/**
 * Where a bot record came from, for messages and the debug trace.
 *
 * @example
 * ```ts
 * record.origin; // → { kind: 'kore-data-table', rowIndex: 0, sysId: 'sys-1', table: 'kaa_bots' }
 * ```
 */
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
 * A validated bot record (docs/kore-protocol.md#bot-row-schema): everything kaa needs to mint tokens and mount the widget.
 * `clientSecret` and `rsPrivatePem` are secrets: never log a record; pass them to `KaaError`'s `secrets`.
 *
 * @example
 * ```ts
 * const record: BotRecord = parseBotRow(row);
 * record.audiohookEnabled; // → true
 * record.kvpConfig?.entries.length; // → 2
 * ```
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

/**
 * Column names of the Kore Data Table (case-sensitive).
 *
 * @example
 * ```ts
 * BOT_COLUMNS.mandatory.includes('JWEPublicKey'); // → true
 * ```
 */
export const BOT_COLUMNS = {
  mandatory: [
    'QueueIdentifier',
    'BotId',
    'ClientId',
    'ClientSecret',
    'AgentAssistWidgetURL',
    'AudiohookEnabled',
    'JWEPublicKey',
  ],
  optional: ['KvpConfig', 'Algorithm', 'RSPrivatePem', 'isAgentAISDK'],
} as const;

/**
 * True for a system column of Kore Data Table rows (`sys_Id`, `_id`, `Created_On`, …), which routing ignores.
 *
 * @example
 * ```ts
 * isSystemColumn('sys_Id');    // → true
 * isSystemColumn('Created_On'); // → true
 * isSystemColumn('BotId');      // → false
 * ```
 */
export function isSystemColumn(name: string): boolean {
  return name.startsWith('sys_') || name === '_id' || /^(Created|Updated)_(On|By)$/.test(name);
}
