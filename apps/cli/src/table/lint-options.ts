import type { LintBotTableOptions } from '@kaa/core';
import type { LoadedConfig } from '../config/loaded-config.js';
import { allowHttpLoopback } from '../connections.js';

/**
 * The options the page uses, for core's `lintBotTable`: the config's delimiter and table, the routing settings.
 *
 * @example
 * ```ts
 * lintBotTable(rows, lintOptions(loaded));
 * ```
 */
export function lintOptions(loaded: LoadedConfig): LintBotTableOptions {
  return {
    qDelimiter: loaded.config.dataTable.qDelimiter,
    tableName: loaded.config.dataTable.name,
    fullNameFallback: loaded.settings.routing.fullNameFallback,
    caseSensitive: loaded.settings.routing.caseSensitive,
    allowHttpLoopback: allowHttpLoopback(loaded),
  };
}
