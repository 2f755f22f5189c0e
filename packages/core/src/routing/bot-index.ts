import type { BotRecord, BotRow } from './bot-record.js';
import { isSystemColumn } from './bot-record.js';
import type { ParseBotRowOptions } from './parse-bot-row.js';
import { parseBotRow, splitIdentifiers } from './parse-bot-row.js';

/**
 * Options for {@link indexBotRows}; they apply to every record the index parses.
 *
 * @example
 * ```ts
 * indexBotRows(rows, { tableName: 'kaa_bots', allowHttpLoopback: false });
 * ```
 */
export interface IndexBotRowsOptions {
  /** Data table name, for messages. */
  readonly tableName?: string;
  /** See {@link ParseBotRowOptions.allowHttpLoopback}. */
  readonly allowHttpLoopback?: boolean;
  /** Origin kind of the records. Default `"kore-data-table"`. */
  readonly kind?: string;
}

/**
 * Rows of a bot table indexed by QueueIdentifier, built once per table read and kept with it in a cache.
 * Rows are parsed only when chosen, and each parse is memoised, so one bad row never blocks other queues.
 *
 * @example
 * ```ts
 * const index: BotIndex = indexBotRows(rows);
 * index.rowsFor('Kore');  // → [1]
 * index.record(1).botId;  // parsed once, memoised
 * ```
 */
export interface BotIndex {
  readonly rows: readonly unknown[];
  readonly options: IndexBotRowsOptions;
  /** 0-based indexes of the rows listing `identifier` (exact, or ignoring case). Each row at most once. */
  rowsFor(identifier: string, caseSensitive?: boolean): readonly number[];
  /** The parsed record of a row (memoised; a bad row throws its `KaaError` every time). */
  record(rowIndex: number): BotRecord;
  /** A string equal for two rows with the same bot settings (all columns but QueueIdentifier and system ones). */
  fingerprint(rowIndex: number): string;
}

const NONE: readonly number[] = Object.freeze([]);

/**
 * Indexes bot-table rows by each identifier in their `QueueIdentifier` comma list. O(rows) once;
 * each lookup after is a map read. Rows without a QueueIdentifier are not indexed (see {@link lintBotTable}).
 *
 * @example
 * ```ts
 * import { indexBotRows, resolveBotRecord } from '@kaa/core';
 *
 * const index = indexBotRows(rows, { tableName: 'kaa_bots' }); // keep it with the cached rows
 * resolveBotRecord('ALPHAINC_CUSTOMERSERVICE_16092024', index, { qDelimiter: '_' }).botId;
 * ```
 */
export function indexBotRows(rows: readonly unknown[], options: IndexBotRowsOptions = {}): BotIndex {
  const list: readonly unknown[] = Array.isArray(rows) ? rows : [];
  const cellOf = (i: number): string | undefined => {
    const row = list[i];
    const cell = typeof row === 'object' && row !== null ? (row as BotRow)['QueueIdentifier'] : undefined;
    return typeof cell === 'string' ? cell : undefined;
  };
  // The map is built on the second lookup: a one-shot resolve (cold page, raw rows) only scans.
  let exactMap: Map<string, number[]> | undefined;
  let lookups = 0;
  const buildExact = (): Map<string, number[]> => {
    const exact = new Map<string, number[]>();
    const add = (id: string, i: number) => {
      const at = exact.get(id);
      if (at === undefined) exact.set(id, [i]);
      else if (at[at.length - 1] !== i) at.push(i);
    };
    for (let i = 0; i < list.length; i++) {
      const cell = cellOf(i);
      if (cell === undefined) continue;
      if (!cell.includes(',')) {
        const id = cell.trim();
        if (id !== '') add(id, i);
      } else for (const id of splitIdentifiers(cell)) add(id, i);
    }
    return exact;
  };
  const scan = (identifier: string): readonly number[] => {
    const out: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const cell = cellOf(i);
      if (cell === undefined || !cell.includes(identifier)) continue;
      if (splitIdentifiers(cell).includes(identifier)) out.push(i);
    }
    return out.length > 0 ? out : NONE;
  };
  let folded: Map<string, number[]> | undefined;
  const records = new Map<number, { record?: BotRecord; error?: unknown }>();
  const prints = new Map<number, string>();
  const parseOptions: ParseBotRowOptions = { ...options };

  return {
    rows: list,
    options,
    rowsFor(identifier, caseSensitive = true) {
      if (caseSensitive) {
        if (exactMap === undefined && lookups++ === 0) return scan(identifier);
        exactMap ??= buildExact();
        return exactMap.get(identifier) ?? NONE;
      }
      if (folded === undefined) {
        // sets, not array searches: many spellings of one identifier over many rows stay linear
        const sets = new Map<string, Set<number>>();
        exactMap ??= buildExact();
        for (const [id, at] of exactMap) {
          const key = id.toLowerCase();
          const into = sets.get(key);
          if (into === undefined) sets.set(key, new Set(at));
          else for (const i of at) into.add(i);
        }
        folded = new Map([...sets].map(([key, at]) => [key, [...at].sort((a, b) => a - b)]));
      }
      return folded.get(identifier.toLowerCase()) ?? NONE;
    },
    record(rowIndex) {
      let memo = records.get(rowIndex);
      if (memo === undefined) {
        try {
          memo = { record: parseBotRow(list[rowIndex], { ...parseOptions, rowIndex }) };
        } catch (error) {
          memo = { error };
        }
        records.set(rowIndex, memo);
      }
      if (memo.record) return memo.record;
      throw memo.error;
    },
    fingerprint(rowIndex) {
      let print = prints.get(rowIndex);
      if (print === undefined) {
        const row = list[rowIndex];
        const entries =
          typeof row === 'object' && row !== null
            ? Object.entries(row as BotRow)
                .filter(([k]) => k !== 'QueueIdentifier' && !isSystemColumn(k))
                .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v] as const)
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            : [];
        print = safeStringify(entries, rowIndex);
        prints.set(rowIndex, print);
      }
      return print;
    },
  };
}

function safeStringify(value: unknown, rowIndex: number): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return `unserialisable row ${rowIndex}`; // BigInt or a cycle: treated as distinct from every other row
  }
}
