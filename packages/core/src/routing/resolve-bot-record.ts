import { KaaError } from '../errors.js';
import { formatCount, listCapped, MAX_LISTED } from '../list-text.js';
import type { BotRecord, BotRow } from './bot-record.js';
import type { BotIndex, IndexBotRowsOptions } from './bot-index.js';
import { indexBotRows } from './bot-index.js';
import { describeRow, parseBotRow, rowSecrets } from './parse-bot-row.js';
import { queueIdentifierOf } from './queue-identifier.js';

/**
 * Routing options (docs/kore-protocol.md#queue-matching, docs/assumptions.md#queue-matching-details). Defaults give Kore parity.
 *
 * @example
 * ```ts
 * resolveBotRecord(queueName, index, { qDelimiter: '_', caseSensitive: true, fullNameFallback: false, tableName: 'kaa_bots' });
 * ```
 */
export interface ResolveBotRecordOptions extends IndexBotRowsOptions {
  /** `x_metadata.datatable.qDelimiter`. Empty or absent: the whole queue name is the identifier. */
  readonly qDelimiter?: string;
  /**
   * `routing.caseSensitive`. Default `true`: identifiers match exactly after trimming (assumption, docs/assumptions.md#queue-matching-details;
   * Kore's case handling is not documented).
   */
  readonly caseSensitive?: boolean;
  /**
   * `routing.fullNameFallback`. Default `false` (docs/assumptions.md#queue-matching-details). When `true`, a row that lists the **full** queue name is
   * tried first and wins over a row that lists only its identifier (the more specific row).
   */
  readonly fullNameFallback?: boolean;
  /**
   * `routing.defaultRow`. Default none (`null`/absent, docs/assumptions.md#queue-matching-details). Used only when no row matches: a QueueIdentifier listed
   * in the table (e.g. `"DEFAULT"`), or a literal row.
   */
  readonly defaultRow?: string | BotRow | null;
  /** Name of the data table for messages, e.g. `"kaa_bots"`. */
  readonly tableName?: string;
}

/**
 * Chooses the bot record for a Genesys queue name. Precedence:
 * 1. with `fullNameFallback`, rows listing the exact full queue name;
 * 2. rows listing the QueueIdentifier (text before the first `qDelimiter`, see {@link queueIdentifierOf});
 * 3. `defaultRow`, when configured.
 * Comma lists are split and trimmed. Several rows with identical bot settings count as one; two or more
 * distinct rows are an error and the first is never picked.
 *
 * Pass a {@link BotIndex} (from {@link indexBotRows}, cached with the rows) to make a lookup a map read.
 *
 * @throws {KaaError} `E_QUEUE_NOT_MAPPED`, `E_QUEUE_AMBIGUOUS`, `E_NO_QUEUE` (empty queue name),
 *   or the chosen row's `E_BOT_ROW_INVALID` / `E_KVP_*`.
 * @example
 * ```ts
 * import { resolveBotRecord } from '@kaa/core';
 *
 * const rows = [{ QueueIdentifier: 'ALPHAINC', BotId: 'st-1', … }, { QueueIdentifier: 'Kore, KoreSupport', BotId: 'st-2', … }];
 * resolveBotRecord('ALPHAINC_CUSTOMERSERVICE_16092024', rows, { qDelimiter: '_', tableName: 'kaa_bots' }).botId; // → 'st-1'
 * resolveBotRecord('KoreSupport', rows, { qDelimiter: '_' }).botId;                                             // → 'st-2'
 * ```
 */
export function resolveBotRecord(
  queueName: string,
  rows: readonly unknown[] | BotIndex,
  options: ResolveBotRecordOptions = {},
): BotRecord {
  const index = isBotIndex(rows) ? rows : indexBotRows(rows, options);
  const tableName = options.tableName ?? index.options.tableName ?? 'the Kore data table';
  const caseSensitive = options.caseSensitive ?? true;
  const identifier = queueIdentifierOf(queueName, options.qDelimiter);
  const fullName = queueName.trim();

  let matchedBy = 'QueueIdentifier';
  let matched: readonly number[] = [];
  if (options.fullNameFallback === true && fullName !== identifier) {
    matched = index.rowsFor(fullName, caseSensitive);
    matchedBy = 'full queue name';
  }
  if (matched.length === 0) {
    matched = index.rowsFor(identifier, caseSensitive);
    matchedBy = 'QueueIdentifier';
  }
  if (matched.length === 0 && options.defaultRow !== undefined && options.defaultRow !== null) {
    if (typeof options.defaultRow !== 'string')
      return parseBotRow(options.defaultRow, { ...index.options, tableName, kind: 'default-row' });
    matched = index.rowsFor(options.defaultRow.trim(), caseSensitive);
    matchedBy = 'default row';
    if (matched.length === 0) {
      throw new KaaError(
        'E_QUEUE_NOT_MAPPED',
        `Queue "${queueName}" has no row in data table "${tableName}" (QueueIdentifier "${identifier}"${delimiterText(options.qDelimiter)}), and the default row "${options.defaultRow}" (routing.defaultRow) is not listed in any QueueIdentifier either. Add a row for "${identifier}", or fix routing.defaultRow.`,
        { details: { queueName, queueIdentifier: identifier, table: tableName, defaultRow: options.defaultRow } },
      );
    }
  }
  if (matched.length === 0) throw notMapped(queueName, identifier, fullName, index, tableName, options, caseSensitive);

  const first = matched[0] as number;
  if (matched.length > 1) {
    const print = index.fingerprint(first);
    if (matched.some((i) => index.fingerprint(i) !== print)) {
      // the message names at most MAX_LISTED rows and counts the rest: it stays small, and only the named rows'
      // secrets need redacting (a table of 10,000 rows sharing one identifier made a 1 MB message redacted 20,000 times)
      const listed = matched.slice(0, MAX_LISTED);
      const named = listed.map((i) => `${describeRow(index.rows[i], i)} with BotId "${botIdOf(index.rows[i])}"`);
      throw new KaaError(
        'E_QUEUE_AMBIGUOUS',
        `Queue "${queueName}" matches ${formatCount(matched.length)} rows of data table "${tableName}" by ${matchedBy} "${matchedBy === 'full queue name' ? fullName : matchedBy === 'default row' ? String(options.defaultRow) : identifier}": ${listCapped(named, matched.length)}. A QueueIdentifier may be listed in only one row: remove it from all rows but the one whose bot should assist this queue.`,
        {
          secrets: listed.flatMap((i) => rowSecrets(index.rows[i])),
          details: {
            queueName,
            queueIdentifier: identifier,
            table: tableName,
            matchedRows: matched.length,
            rows: listed.map((i) => ({ rowIndex: i, botId: botIdOf(index.rows[i]), sysId: sysIdOf(index.rows[i]) })),
          },
        },
      );
    }
  }
  return index.record(first);
}

function notMapped(
  queueName: string,
  identifier: string,
  fullName: string,
  index: BotIndex,
  tableName: string,
  options: ResolveBotRecordOptions,
  caseSensitive: boolean,
): KaaError {
  const hints: string[] = [];
  const named: number[] = [];
  if (caseSensitive) {
    const near = index.rowsFor(identifier, false);
    if (near.length > 0) named.push(near[0] as number);
    if (near.length > 0)
      hints.push(
        `${capital(describeRow(index.rows[near[0] as number], near[0]))} lists "${identifier}" in a different letter case; matching is case-sensitive (routing.caseSensitive), so fix the case in the row.`,
      );
  }
  if (options.fullNameFallback !== true && fullName !== identifier) {
    const full = index.rowsFor(fullName, caseSensitive);
    if (full.length > 0) named.push(full[0] as number);
    if (full.length > 0)
      hints.push(
        `${capital(describeRow(index.rows[full[0] as number], full[0]))} lists the full queue name "${fullName}", which only matches with routing.fullNameFallback on; list "${identifier}" instead.`,
      );
  }
  return new KaaError(
    'E_QUEUE_NOT_MAPPED',
    `Queue "${queueName}" has no row in data table "${tableName}" (QueueIdentifier "${identifier}"${delimiterText(options.qDelimiter)}). Add a row whose QueueIdentifier lists "${identifier}".${hints.length > 0 ? ` ${hints.join(' ')}` : ''}`,
    {
      // the hints name at most one row each: only those rows' secrets can be in the message
      secrets: named.flatMap((i) => rowSecrets(index.rows[i])),
      details: {
        queueName,
        queueIdentifier: identifier,
        table: tableName,
        qDelimiter: options.qDelimiter ?? null,
        rows: index.rows.length,
      },
    },
  );
}

function delimiterText(qDelimiter: string | undefined): string {
  return typeof qDelimiter === 'string' && qDelimiter !== '' ? `, delimiter "${qDelimiter}"` : ', no delimiter';
}

function botIdOf(row: unknown): string {
  const v = typeof row === 'object' && row !== null ? (row as BotRow)['BotId'] : undefined;
  if (typeof v !== 'string') return '(none)';
  const id = v.trim();
  return id.length > 80 ? `${id.slice(0, 77)}…` : id;
}

function sysIdOf(row: unknown): string | undefined {
  const v = typeof row === 'object' && row !== null ? ((row as BotRow)['sys_Id'] ?? (row as BotRow)['_id']) : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isBotIndex(value: unknown): value is BotIndex {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as BotIndex).rowsFor === 'function'
  );
}
