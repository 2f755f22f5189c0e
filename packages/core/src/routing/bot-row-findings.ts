/**
 * What a bot-row check reports: severities, the closed set of finding codes, and one problem of a row. Shared by
 * `inspectBotRow` (one row) and `lintBotTable` (the whole table).
 */
import type { KaaErrorCode } from '../errors.js';

/**
 * Severity of a bot-table finding. `error` stops the row from being used.
 *
 * @example
 * ```ts
 * findings.filter((f) => f.severity === 'error');
 * ```
 */
export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * Closed set of bot-table finding codes (see `lintBotTable`).
 *
 * @example
 * ```ts
 * findings.some((f) => f.code === 'duplicate-identifier');
 * ```
 */
export type BotTableFindingCode =
  | 'row-not-object'
  | 'missing-column'
  | 'empty-value'
  | 'invalid-value'
  | 'column-case'
  | 'unknown-column'
  | 'widget-url-invalid'
  | 'widget-url-not-https'
  | 'boolean-invalid'
  | 'algorithm-unsupported'
  | 'rs-private-pem-missing'
  | 'rs-private-pem-invalid'
  | 'jwe-key-invalid'
  | 'jwe-key-missing'
  | 'kvp-json-invalid'
  | 'kvp-path-invalid'
  | 'duplicate-identifier'
  | 'duplicate-row'
  | 'identifier-unreachable'
  | 'identifier-overlap'
  | 'identifier-case-collision'
  | 'no-identifier';

/**
 * One problem found in a row. Messages never contain `ClientSecret` or `RSPrivatePem` values.
 *
 * @example
 * ```ts
 * inspectBotRow(row).problems; // → [{ severity: 'error', code: 'empty-value', column: 'BotId', message: '…', errorCode: 'E_BOT_ROW_INVALID' }]
 * ```
 */
export interface RowProblem {
  readonly severity: FindingSeverity;
  readonly code: BotTableFindingCode;
  readonly column?: string;
  readonly message: string;
  /** The KaaError code `parseBotRow` throws for this problem. */
  readonly errorCode: KaaErrorCode;
  readonly details?: Readonly<Record<string, unknown>>;
}
