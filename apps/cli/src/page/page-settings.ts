import { brokerUrlOf, explainThirdPartyLookup, parseSettings } from '@kaa/core';
import type { LoadedConfig } from '../config/loaded-config.js';
import { thirdPartyLookupUrl } from '../bot-source/config-bot-source.js';
import { genesysEnvironment, koreApiBase } from '../connections.js';

/**
 * The settings the deployed page needs, as `kaa page --dist` embeds them into `index.html`: the config's `settings`
 * section as written, plus what the CLI knows from the rest of the config — setting `kore.apiHost` = `koreApiBase`
 * (the page never guesses it, docs/assumptions.md#kore-data-table-api-host); with botSource `third-party` and `lookup: http` the
 * lookup (`thirdParty.source: http`, `thirdParty.http.url` = `botSource.url`); with `genesys-legacy-table` and a
 * `botSource.tableId`, setting `legacy.tableId` — neither in broker mode (`tokens.serverUrl`), where the page reads no
 * bot source; and, in both modes, the pins of setting `allow` (docs/deploy.md#pinning-what-a-link-may-choose): the
 * config's table name, account id, Genesys environment name and widget origins, added to any the config's
 * `settings.allow` lists, so the page serves only what this config names (in broker mode, the Kore host of the
 * broker's launch). No secret, and nothing the config does not name.
 *
 * @example
 * ```ts
 * const html = embedPageConfig(indexHtml, pageSettingsOf(loaded));
 * ```
 */
export function pageSettingsOf(loaded: LoadedConfig): Record<string, unknown> {
  const written = loaded.config.settings;
  const section = (key: string): Record<string, unknown> => {
    const value = written[key];
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  };
  const source = loaded.config.botSource;
  const out: Record<string, unknown> = { ...written, kore: { ...section('kore'), apiHost: koreApiBase(loaded) } };
  // the pins hold in broker mode too: the broker's launch chooses the widget's Kore host as a row would
  out['allow'] = pinsOf(loaded, section('allow'));
  // broker mode: the token broker reads the bot source; the page gets no lookup of its own
  if (brokerUrlOf(loaded.settings.tokens) !== undefined) return out;
  if (source.kind === 'third-party' && source.lookup === 'http') {
    const thirdParty = section('thirdParty');
    const http =
      typeof thirdParty['http'] === 'object' && thirdParty['http'] !== null
        ? (thirdParty['http'] as Record<string, unknown>)
        : {};
    out['thirdParty'] = { ...thirdParty, source: 'http', http: { ...http, url: thirdPartyLookupUrl(loaded) } };
  }
  if (source.kind === 'genesys-legacy-table' && source.tableId !== undefined)
    out['legacy'] = { ...section('legacy'), tableId: source.tableId };
  return out;
}

/** Setting `allow`: what the config names, added to what its `settings.allow` lists (each list deduplicated). */
function pinsOf(loaded: LoadedConfig, written: Record<string, unknown>): Record<string, unknown> {
  const { config } = loaded;
  const listed = (key: string): string[] =>
    Array.isArray(written[key]) ? (written[key] as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  const union = (key: string, add: readonly string[]) => [...new Set([...listed(key), ...add])];
  const origin = (url: string) => new URL(url).origin;
  const widgetUrls = [
    config.agentAi.widgetUrl,
    ...Object.values(config.bots).flatMap((bot) => (bot.widgetUrl !== undefined ? [bot.widgetUrl] : [])),
  ];
  return {
    ...written,
    tables: union(
      'tables',
      config.botSource.kind === 'kore-data-table' && config.dataTable ? [config.dataTable.name] : [],
    ),
    accountIds: union('accountIds', config.botSource.kind === 'third-party' ? [config.botSource.accountId] : []),
    genesysEnvironments: union('genesysEnvironments', [genesysEnvironment(loaded).name]),
    koreHosts: union('koreHosts', widgetUrls.map(origin)),
  };
}

/**
 * With botSource `third-party`, why the deployed page would refuse the Application URL: its settings
 * ({@link pageSettingsOf}) name no Third-Party lookup (`thirdParty.source: none`, the default; core's
 * `explainThirdPartyLookup`). Undefined when the page can serve the mode.
 *
 * @example
 * ```ts
 * const missing = thirdPartyLookupMissing(loaded);
 * if (missing) out.warn(missing);
 * ```
 */
export function thirdPartyLookupMissing(loaded: LoadedConfig): string | undefined {
  const source = loaded.config.botSource;
  if (source.kind !== 'third-party') return undefined;
  if (parseSettings(pageSettingsOf(loaded)).thirdParty.source !== 'none') return undefined;
  return explainThirdPartyLookup(source.accountId).message;
}
