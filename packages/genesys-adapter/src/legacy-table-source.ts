import { KaaError, LEGACY_FIELDS, parseLegacyBotConfig } from '@kaa/core';
import type { BotLookup, BotRecord, BotSource, ParseLegacyBotConfigOptions } from '@kaa/core';
import type { GenesysApi } from './api.js';

/**
 * The Reference Key label that marks the legacy table (docs/genesys-protocol.md#legacy-architect-data-table).
 *
 * @example
 * ```ts
 * tables.filter((t) => t.schema?.properties?.key?.title === LEGACY_REFERENCE_KEY);
 * ```
 */
export const LEGACY_REFERENCE_KEY = 'agentAssist';

/**
 * Options of {@link createGenesysTableBotSource}.
 *
 * @example
 * ```ts
 * createGenesysTableBotSource({ api, tableId: 'da7a7ab1-0000-4000-8000-000000000001' } satisfies GenesysTableBotSourceOptions);
 * ```
 */
export interface GenesysTableBotSourceOptions extends Omit<ParseLegacyBotConfigOptions, 'tableName'> {
  api: Pick<GenesysApi, 'listDataTables' | 'getDataTable'>;
  /**
   * `legacy.tableId` (docs/assumptions.md#legacy-genesys-data-table-lookup): the table id (or exact name) to read, skipping the scan for the table whose
   * Reference Key label is `agentAssist`.
   */
  tableId?: string;
}

type SchemaProperty = { title?: unknown; default?: unknown };

/**
 * The legacy single-bot Genesys data table as a core `BotSource` (kind `genesys-legacy-table`): finds the table
 * whose Reference Key label is `agentAssist` (or the configured `tableId`), reads the five field defaults by
 * label, then by property name (docs/assumptions.md#legacy-genesys-data-table-lookup), and returns a lookup whose `forQueue` gives the one record for every queue.
 * `load()` needs no queue, so it runs in parallel with the conversation read.
 *
 * @example
 * ```ts
 * const source = createGenesysTableBotSource({ api });
 * const [lookup, conversation] = await Promise.all([source.load(), api.getConversation(ctx.conversationId)]);
 * const record = await lookup.forQueue(queueOf(conversation, participant)); // same record for any queue
 * ```
 */
export function createGenesysTableBotSource(options: GenesysTableBotSourceOptions): BotSource {
  const { api, tableId, ...parseOptions } = options;
  return {
    kind: 'genesys-legacy-table',
    async load(loadOptions = {}): Promise<BotLookup> {
      const signal = loadOptions.signal;
      const call = signal ? { signal } : undefined;
      let table;
      if (tableId) {
        table = await api.getDataTable(tableId, { schema: true }, call);
      } else {
        const tables = await api.listDataTables({ expandSchema: true }, call);
        const matches = tables.filter((t) => keyTitle(t.schema?.properties) === LEGACY_REFERENCE_KEY);
        if (matches.length !== 1 || !matches[0]) {
          throw new KaaError(
            'E_LEGACY_TABLE_NOT_FOUND',
            matches.length === 0
              ? `No Architect data table visible to the signed-in user has the Reference Key label "${LEGACY_REFERENCE_KEY}" (${tables.length} tables checked). Create the table as the Kore guide describes, give the agent's role "Architect > DataTable > View" in its division, or set legacy.tableId.`
              : `${matches.length} Architect data tables have the Reference Key label "${LEGACY_REFERENCE_KEY}" (${matches.map((t) => `"${t.name ?? t.id}"`).join(', ')}). Keep one, or set legacy.tableId to the one to use.`,
            { details: { tablesChecked: tables.length, matches: matches.map((t) => ({ id: t.id, name: t.name })) } },
          );
        }
        table = matches[0];
      }
      const properties = (table.schema?.properties ?? {}) as Record<string, SchemaProperty>;
      const fields: Record<string, unknown> = {};
      for (const label of Object.values(LEGACY_FIELDS)) {
        const byTitle = Object.values(properties).find((p) => p && typeof p === 'object' && p.title === label);
        const property = byTitle ?? properties[label];
        if (property && typeof property === 'object' && 'default' in property) fields[label] = property.default;
      }
      const tableName = table.name ?? table.id;
      const record: BotRecord = parseLegacyBotConfig(fields, { ...parseOptions, tableName });
      return {
        description: `legacy Genesys data table "${tableName}"`,
        forQueue: () => record,
      };
    },
  };
}

function keyTitle(properties: unknown): unknown {
  if (!properties || typeof properties !== 'object') return undefined;
  const key = (properties as Record<string, unknown>).key;
  return key && typeof key === 'object' ? (key as { title?: unknown }).title : undefined;
}
