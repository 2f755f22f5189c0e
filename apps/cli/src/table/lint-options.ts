import { botLookupOptions } from '@kaa/core';
import type { LintBotTableOptions } from '@kaa/core';
import type { LoadedConfig } from '../config/loaded-config.js';
import { botSourceLabel } from '../config/bot-source-label.js';
import { allowHttpLoopback } from '../connections.js';

/**
 * The options the page uses (core's `botLookupOptions`), for core's `lintBotTable`: the config's delimiter and table
 * (none outside mode `kore-data-table`: those modes match full queue names), the routing settings.
 *
 * @example
 * ```ts
 * lintBotTable(rows, lintOptions(loaded));
 * ```
 */
export function lintOptions(loaded: LoadedConfig): LintBotTableOptions {
  return botLookupOptions(loaded.settings, {
    // Third-Party Configuration and the legacy table match full queue names (docs/assumptions.md#queue-matching-details): no delimiter
    qDelimiter: loaded.config.dataTable?.qDelimiter ?? '',
    tableName: loaded.config.dataTable?.name ?? botSourceLabel(loaded.config.botSource),
    allowHttpLoopback: allowHttpLoopback(loaded),
  });
}
