import type { Logger } from '@kaa/core';
import { KaaError } from '@kaa/core';
import type { BotLookup, KaaSettings, WidgetContext } from '@kaa/core';
import type { GenesysApi } from '@kaa/genesys-adapter';
import { createDataTableClient, pageKoreApiHost } from '@kaa/kore-client';
import type { DataTableRow } from '@kaa/kore-client';

/**
 * What step 4 read from the bot source. The Kore Data Table answer stays raw rows: parsing and routing them
 * (core's `botLookupFromRows`) runs after the round trip, in the `after-reads` chunk ({@link botLookupOf}), so
 * that code is not in the first chunk. The Third-Party and legacy sources come as lookups (their chunks load
 * only when the widget URL selects them).
 *
 * @example
 * ```ts
 * const read: BotSourceRead = { kind: 'kore-data-table', table: 'kaa_bots', qDelimiter: '_', rows };
 * ```
 */
export type BotSourceRead =
  | { readonly kind: 'kore-data-table'; readonly table: string; readonly qDelimiter?: string; readonly rows: readonly DataTableRow[]; readonly apiHost: string }
  | { readonly kind: 'third-party' | 'genesys-legacy-table'; readonly lookup: BotLookup };

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
 * `multibot=true&x_metadata=…` → every row of the Kore Data Table, read with that token (cached in memory only,
 * for this page load: rows hold bot secrets, docs/assumptions.md#bot-table-reads-and-cache); `accountId=…` → Third-Party Configuration (`thirdParty.source` must be `static` or `http`,
 * docs/assumptions.md#third-party-configuration-runtime-api); otherwise the legacy Genesys data table. Nothing here needs the queue, so the page runs it beside
 * `users/me` and the conversation.
 *
 * The Kore Data Table API host is setting `kore.apiHost` (kore-client's `pageKoreApiHost`), which `kaa page --dist`
 * embeds from the config's `agentAi.url`; without it the read fails with `E_CONFIG_INVALID` naming the command to run,
 * never guessing the page's own origin (docs/assumptions.md#kore-data-table-api-host).
 *
 * @example
 * ```ts
 * const read = await readBotSource({ ctx, settings, api, fetch, now: Date.now, logger: console, allowHttpLoopback: false });
 * const lookup = botLookupOf(read, settings, false); // after the round trip
 * ```
 */
export async function readBotSource(input: ReadBotSourceInput): Promise<BotSourceRead> {
  const { ctx, settings } = input;
  const selector = ctx.botSource;
  if (selector.kind === 'kore-data-table') {
    const { name, token, qDelimiter } = selector.datatable;
    const client = createDataTableClient(
      { baseUrl: pageKoreApiHost(settings), token },
      { fetch: input.fetch, now: input.now, logger: input.logger, cacheTtlMs: settings.routing.cacheTtlSeconds * 1000 },
    );
    const rows = await client.queryAll(name);
    return { kind: 'kore-data-table', table: name, ...(qDelimiter !== undefined ? { qDelimiter } : {}), rows, apiHost: client.baseUrl };
  }
  if (selector.kind === 'third-party') {
    const mode = settings.thirdParty.source;
    if (mode === 'none') {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The widget URL names accountId "${selector.accountId}" (Third-Party Configuration), but the page has no way to read that configuration: Kore has not published its runtime API. Set "thirdParty.source" to "static" (with "thirdParty.staticMap") or "http" (with "thirdParty.http.url") in kaa.config.json, or use multibot=true&x_metadata=… instead.`,
        { details: { key: 'thirdParty.source', accountId: selector.accountId } },
      );
    }
    const { createThirdPartyBotSource } = await import('./other-bot-sources.js');
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
    return { kind: 'third-party', lookup: await source.load() };
  }
  const { createGenesysTableBotSource } = await import('./other-bot-sources.js');
  const source = createGenesysTableBotSource({
    api: input.api,
    ...(settings.legacy.tableId ? { tableId: settings.legacy.tableId } : {}),
    allowHttpLoopback: input.allowHttpLoopback,
  });
  return { kind: 'genesys-legacy-table', lookup: await source.load() };
}

/**
 * Plain words for the debug timeline (never secret), naming the Kore API host read: e.g.
 * `Kore data table "kaa_bots" (12 rows) at https://bots.kore.ai`.
 *
 * @example
 * ```ts
 * describeBotSourceRead({ kind: 'kore-data-table', table: 'kaa_bots', rows: [], apiHost: 'https://bots.kore.ai' }); // 'Kore data table "kaa_bots" (0 rows) at https://bots.kore.ai'
 * ```
 */
export function describeBotSourceRead(read: BotSourceRead): string {
  return read.kind === 'kore-data-table' ? `Kore data table "${read.table}" (${read.rows.length} rows) at ${read.apiHost}` : read.lookup.description;
}
