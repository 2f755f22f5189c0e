import type { KaaSettings } from '../context/settings.js';
import type { BotLookupFromRowsOptions } from './bot-source.js';

/** What {@link botLookupOptions} needs besides the settings: the table being read and the loopback rule. */
export interface BotLookupTable {
  /** `x_metadata.datatable.qDelimiter` (absent or empty: the whole queue name is the identifier). */
  readonly qDelimiter?: string | undefined;
  /** The table's name, for messages. */
  readonly tableName?: string | undefined;
  /** Accept `http:` widget URLs on loopback hosts (the sandbox). */
  readonly allowHttpLoopback: boolean;
}

/**
 * The one mapping of the `routing` settings to bot-lookup options ({@link botLookupFromRows}, `lintBotTable`,
 * kore-client's `createKoreTableBotSource`): `caseSensitive`, `fullNameFallback`, `defaultRow` (absent when `null`)
 * and `noQueuePolicy`, plus the table's delimiter and name. The page, the server-side resolver, `kaa doctor` and
 * `kaa table lint` all call it, so none of them can drop a setting the others honour.
 *
 * @example
 * ```ts
 * import { botLookupFromRows, botLookupOptions } from '@kaa/core';
 *
 * const lookup = botLookupFromRows(rows, botLookupOptions(settings, { qDelimiter: '_', tableName: 'kaa_bots', allowHttpLoopback: false }));
 * ```
 */
export function botLookupOptions(
  settings: Pick<KaaSettings, 'routing'>,
  table: BotLookupTable,
): BotLookupFromRowsOptions {
  const { routing } = settings;
  return {
    caseSensitive: routing.caseSensitive,
    fullNameFallback: routing.fullNameFallback,
    ...(routing.defaultRow !== null ? { defaultRow: routing.defaultRow } : {}),
    noQueuePolicy: routing.noQueuePolicy,
    allowHttpLoopback: table.allowHttpLoopback,
    ...(table.qDelimiter !== undefined ? { qDelimiter: table.qDelimiter } : {}),
    ...(table.tableName !== undefined ? { tableName: table.tableName } : {}),
  };
}
