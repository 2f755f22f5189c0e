import { botLookupFromRows } from '@kaa/core';
import type { BotLookup, KaaSettings } from '@kaa/core';
import type { BotSourceRead } from './read-bot-source.js';

/**
 * Step 5's lookup over what step 4 read. Kore Data Table rows go through core's `botLookupFromRows` with the
 * `routing` settings, exactly as `@kaa/kore-client`'s `createKoreTableBotSource` and the server-side resolver
 * (`examples/resolve-bot-server`) pass them: `caseSensitive`, `fullNameFallback`, `defaultRow`, and
 * `noQueuePolicy` (docs/assumptions.md#queue-name-availability: an interaction without a queue — direct or outbound — raises `E_NO_QUEUE` by default,
 * or uses `defaultRow` with `noQueuePolicy: "defaultRow"`). The Third-Party and legacy lookups are used as read:
 * the legacy table has one bot for every queue, and Third-Party Configuration is keyed by full queue name, so
 * neither takes these settings (an interaction without a queue stays `E_NO_QUEUE` there).
 *
 * @example
 * ```ts
 * const lookup = botLookupOf(read, settings, false);
 * const record = await lookup.forQueue(queueOf(conversation, participant));
 * ```
 */
export function botLookupOf(read: BotSourceRead, settings: Pick<KaaSettings, 'routing'>, allowHttpLoopback: boolean): BotLookup {
  if (read.kind !== 'kore-data-table') return read.lookup;
  const { routing } = settings;
  return botLookupFromRows(read.rows, {
    caseSensitive: routing.caseSensitive,
    fullNameFallback: routing.fullNameFallback,
    ...(routing.defaultRow !== null ? { defaultRow: routing.defaultRow } : {}),
    noQueuePolicy: routing.noQueuePolicy,
    allowHttpLoopback,
    ...(read.qDelimiter !== undefined ? { qDelimiter: read.qDelimiter } : {}),
    tableName: read.table,
  });
}
