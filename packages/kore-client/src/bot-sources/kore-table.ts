import { botLookupFromRows, type BotLookupFromRowsOptions, type BotSource } from '@kaa/core';
import type { DataTableClient } from '../data-table/client.js';

/**
 * Options of {@link createKoreTableBotSource}.
 *
 * @example
 * ```ts
 * const options: KoreTableBotSourceOptions = { client, table: xMetadata.datatable.name, qDelimiter: xMetadata.datatable.qDelimiter };
 * ```
 */
export interface KoreTableBotSourceOptions {
  client: DataTableClient;
  /** `x_metadata.datatable.name`. */
  table: string;
  /** `x_metadata.datatable.qDelimiter`: the QueueIdentifier is the queue name's text before its first occurrence. */
  qDelimiter?: string;
  /** Further options for core's `botLookupFromRows` (fallbacks, case sensitivity, loopback widget URLs). */
  lookup?: Omit<BotLookupFromRowsOptions, 'qDelimiter' | 'tableName'>;
}

/**
 * The Kore Data Table bot source (multi-bot mode, docs/kore-protocol.md#kore-data-table-bot-source), kind `kore-data-table`. `load()` reads every
 * row (`sys_limit=100` pages, cached by the client) and does not need the queue, so the page starts it at
 * once, beside the Genesys reads; the queue is matched later by the returned lookup (core's
 * `botLookupFromRows`: `E_QUEUE_NOT_MAPPED`, `E_QUEUE_AMBIGUOUS`, `E_BOT_ROW_INVALID`).
 *
 * @example
 * ```ts
 * import { createDataTableClient, createKoreTableBotSource, koreApiHostFor } from '@kaa/kore-client';
 *
 * const client = createDataTableClient({ baseUrl: koreApiHostFor(agentAiUrl), token: x.datatable.token }, { fetch, now: Date.now });
 * const source = createKoreTableBotSource({ client, table: x.datatable.name, qDelimiter: x.datatable.qDelimiter });
 * const lookupPromise = source.load();                 // starts now
 * const record = await (await lookupPromise).forQueue({ name: 'ALPHAINC_CUSTOMERSERVICE_16092024' });
 * ```
 */
export function createKoreTableBotSource(options: KoreTableBotSourceOptions): BotSource {
  const { client, table, qDelimiter } = options;
  return {
    kind: 'kore-data-table',
    async load(loadOptions) {
      const rows = await client.queryAll(table, undefined, loadOptions?.signal ? { signal: loadOptions.signal } : {});
      return botLookupFromRows(rows, {
        ...options.lookup,
        ...(qDelimiter !== undefined ? { qDelimiter } : {}),
        tableName: table,
      });
    },
  };
}
