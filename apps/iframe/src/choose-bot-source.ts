import { KaaError } from '@kaa/core';
import type { BotSource, KaaSettings, WidgetContext } from '@kaa/core';
import type { GenesysApi } from '@kaa/genesys-adapter';
import { createDataTableClient, createKoreTableBotSource, koreApiHostFor } from '@kaa/kore-client';
import type { StorageLike } from '@kaa/kore-client';

/** What {@link chooseBotSource} needs from the page. */
export interface ChooseBotSourceInput {
  ctx: WidgetContext;
  settings: KaaSettings;
  api: GenesysApi;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  now: () => number;
  /** Shared by the page's instances (`localStorage`): the bot table is cached there for `routing.cacheTtlSeconds`. */
  sharedStorage: StorageLike;
  /** The page's own origin: the Kore API host when `kore.apiHost` is not set (Kore serves its page from the Agent AI host). */
  pageOrigin: string;
  /** Accept `http:` widget URLs on loopback hosts (only when the Genesys environment itself is loopback: the sandbox). */
  allowHttpLoopback: boolean;
}

/**
 * Picks the bot source the widget URL asks for (kore.md §2), in the guide's order:
 * `multibot=true&x_metadata=…` → the Kore Data Table; `accountId=…` → Third-Party Configuration
 * (`thirdParty.source` must be `static` or `http`, K1); otherwise the legacy Genesys data table.
 * `load()` is not called here: the page starts it beside `users/me` and the conversation. The two other
 * sources are separate chunks, fetched only when the URL selects them.
 *
 * Assumption (K20): without `kore.apiHost`, the Kore Data Table API host is derived from the page's own origin
 * with `koreApiHostFor` — Kore hosts this page on the Agent AI host. A page hosted anywhere else sets `kore.apiHost`.
 *
 * @example
 * ```ts
 * const source = await chooseBotSource({ ctx, settings, api, fetch, now: Date.now, sharedStorage: localStorage, pageOrigin: location.origin, allowHttpLoopback: false });
 * const lookup = await source.load();
 * ```
 */
export async function chooseBotSource(input: ChooseBotSourceInput): Promise<BotSource> {
  const { ctx, settings } = input;
  const routing = {
    caseSensitive: settings.routing.caseSensitive,
    fullNameFallback: settings.routing.fullNameFallback,
    ...(settings.routing.defaultRow !== null ? { defaultRow: settings.routing.defaultRow } : {}),
    allowHttpLoopback: input.allowHttpLoopback,
  };
  const selector = ctx.botSource;
  if (selector.kind === 'kore-data-table') {
    const client = createDataTableClient(
      { baseUrl: settings.kore.apiHost ?? koreApiHostFor(input.pageOrigin), token: selector.datatable.token },
      { fetch: input.fetch, now: input.now, storage: input.sharedStorage, cacheTtlMs: settings.routing.cacheTtlSeconds * 1000 },
    );
    return createKoreTableBotSource({
      client,
      table: selector.datatable.name,
      ...(selector.datatable.qDelimiter !== undefined ? { qDelimiter: selector.datatable.qDelimiter } : {}),
      lookup: routing,
    });
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
    return createThirdPartyBotSource({
      accountId: selector.accountId,
      mode,
      staticMap: settings.thirdParty.staticMap,
      ...(settings.thirdParty.http.url ? { httpUrl: settings.thirdParty.http.url } : {}),
      fetch: input.fetch,
      now: input.now,
      allowHttpLoopback: input.allowHttpLoopback,
    });
  }
  const { createGenesysTableBotSource } = await import('./other-bot-sources.js');
  return createGenesysTableBotSource({
    api: input.api,
    ...(settings.legacy.tableId ? { tableId: settings.legacy.tableId } : {}),
    allowHttpLoopback: input.allowHttpLoopback,
  });
}
