import type { Logger } from '@kaa/core';
import { botLookupOptions, explainThirdPartyLookup } from '@kaa/core';
import type { BotLookup, KaaSettings, WidgetContext } from '@kaa/core';
import type { GenesysApi } from '@kaa/genesys-adapter';
import { pageKoreApiHost } from '@kaa/kore-client';

/**
 * What step 4 read from the bot source: the lookup step 5 asks for the queue's bot record, and for the Kore Data
 * Table the API host it was read at (for the debug timeline).
 *
 * @example
 * ```ts
 * const read: BotSourceRead = { lookup, apiHost: 'https://bots.kore.ai' };
 * ```
 */
export interface BotSourceRead {
  readonly lookup: BotLookup;
  readonly apiHost?: string;
}

/** What {@link readBotSource} needs from the page. */
export interface ReadBotSourceInput {
  ctx: WidgetContext;
  settings: KaaSettings;
  api: GenesysApi;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  now: () => number;
  /** The page's logger (redacting): cache and read problems of the table client are reported there. */
  logger: Logger;
  /** Accept `http:` widget URLs on loopback hosts (only when the Genesys environment itself is loopback: the sandbox). */
  allowHttpLoopback: boolean;
}

/**
 * Step 4's bot-source read, for the source the widget URL asks for (docs/kore-protocol.md#bot-sources-and-modes), in the guide's order:
 * `multibot=true&x_metadata=…` → every row of the Kore Data Table, read with that token (kept in memory only, for
 * this page load: rows hold bot secrets, docs/assumptions.md#bot-table-reads-and-cache), through kore-client's
 * `createKoreTableBotSource` with the `routing` settings (core's
 * `botLookupOptions`: `caseSensitive`, `fullNameFallback`, `defaultRow`, `noQueuePolicy`); `accountId=…` → Third-Party Configuration (`thirdParty.source` must be `static` or `http`,
 * docs/assumptions.md#third-party-configuration-runtime-api); otherwise the legacy Genesys data table. Nothing here needs the queue, so the page runs it beside
 * `users/me` and the conversation. Each source's code is a chunk the page imports here (the Kore Data Table's is
 * modulepreloaded; the Third-Party and legacy sources load only when selected). The Third-Party and legacy lookups
 * take no routing settings: the legacy table has one bot for every queue, and Third-Party Configuration is keyed by
 * full queue name (an interaction without a queue stays `E_NO_QUEUE` there,
 * docs/assumptions.md#queue-name-availability).
 *
 * The Kore Data Table API host is setting `kore.apiHost` (kore-client's `pageKoreApiHost`), which `kaa page --dist`
 * embeds from the config's `agentAi.url`; without it the read fails with `E_CONFIG_INVALID` naming the command to run,
 * never guessing the page's own origin (docs/assumptions.md#kore-data-table-api-host).
 *
 * @example
 * ```ts
 * const read = await readBotSource({ ctx, settings, api, fetch, now: Date.now, logger: console, allowHttpLoopback: false });
 * const record = await read.lookup.forQueue(queueOf(conversation, participant)); // after the round trip
 * ```
 */
export async function readBotSource(input: ReadBotSourceInput): Promise<BotSourceRead> {
  const { ctx, settings } = input;
  const selector = ctx.botSource;
  if (selector.kind === 'kore-data-table') {
    const { name, token, qDelimiter } = selector.datatable;
    const baseUrl = pageKoreApiHost(settings);
    const { createDataTableClient, createKoreTableBotSource } = await import('./kore-table-source.js');
    const client = createDataTableClient(
      { baseUrl, token },
      { fetch: input.fetch, now: input.now, logger: input.logger, cacheTtlMs: settings.routing.cacheTtlSeconds * 1000 },
    );
    const source = createKoreTableBotSource({
      client,
      table: name,
      ...(qDelimiter !== undefined ? { qDelimiter } : {}),
      lookup: botLookupOptions(settings, { allowHttpLoopback: input.allowHttpLoopback }),
    });
    return { lookup: await source.load(), apiHost: client.baseUrl };
  }
  if (selector.kind === 'third-party') {
    const mode = settings.thirdParty.source;
    if (mode === 'none') throw explainThirdPartyLookup(selector.accountId);
    const { createThirdPartyBotSource } = await import('./third-party-and-legacy-sources.js');
    const source = createThirdPartyBotSource({
      accountId: selector.accountId,
      mode,
      staticMap: settings.thirdParty.staticMap,
      ...(settings.thirdParty.http.url ? { httpUrl: settings.thirdParty.http.url } : {}),
      ...(settings.thirdParty.http.token ? { auth: settings.thirdParty.http.token } : {}),
      fetch: input.fetch,
      now: input.now,
      allowHttpLoopback: input.allowHttpLoopback,
    });
    return { lookup: await source.load() };
  }
  const { createGenesysTableBotSource } = await import('./third-party-and-legacy-sources.js');
  const source = createGenesysTableBotSource({
    api: input.api,
    ...(settings.legacy.tableId ? { tableId: settings.legacy.tableId } : {}),
    allowHttpLoopback: input.allowHttpLoopback,
  });
  return { lookup: await source.load() };
}

/**
 * Plain words for the debug timeline (never secret), naming the Kore API host read: e.g.
 * `Kore data table "kaa_bots" (12 rows) at https://bots.kore.ai`.
 *
 * @example
 * ```ts
 * describeBotSourceRead({ lookup, apiHost: 'https://bots.kore.ai' }); // 'Kore data table "kaa_bots" (12 rows) at https://bots.kore.ai'
 * ```
 */
export function describeBotSourceRead(read: BotSourceRead): string {
  return read.apiHost === undefined ? read.lookup.description : `${read.lookup.description} at ${read.apiHost}`;
}
