import { KaaError, type BotSource } from '@kaa/core';
import { createGenesysTableBotSource, type GenesysApi } from '@kaa/genesys-adapter';
import { createThirdPartyBotSource } from '@kaa/kore-client';
import type { LoadedConfig } from '../config/loaded-config.js';
import { allowHttpLoopback } from '../connections.js';
import type { CliIo } from '../io.js';
import { thirdPartyStaticMap } from './third-party-records.js';

/**
 * The bot source of a `third-party` or `genesys-legacy-table` config, built as the page builds it:
 * kore-client's `createThirdPartyBotSource` (`lookup: static` → the config's bots as records; `http` →
 * `botSource.url`, else setting `thirdParty.http.url`, authenticated with setting `thirdParty.http.token`) or genesys-adapter's `createGenesysTableBotSource`
 * with the Genesys API (`botSource.tableId`, else setting `legacy.tableId`, else the scan for Reference Key
 * `agentAssist`). Mode `kore-data-table` is read through the Data Table client instead. `allowHttpLoopback`: core's
 * `allowsHttpLoopback` for the Genesys environment in use (default: the config's, {@link allowHttpLoopback}).
 *
 * @example
 * ```ts
 * const lookup = await (await configBotSource(loaded, io, api)).load();
 * const record = await lookup.forQueue({ id: queueId, name: queueName });
 * ```
 */
export async function configBotSource(
  loaded: LoadedConfig,
  io: CliIo,
  api: GenesysApi,
  loopback: boolean = allowHttpLoopback(loaded),
): Promise<BotSource> {
  const source = loaded.config.botSource;
  if (source.kind === 'third-party') {
    const fetch = (u: string, i: RequestInit) => io.fetch(u, i);
    if (source.lookup === 'static') {
      return createThirdPartyBotSource({
        accountId: source.accountId,
        mode: 'static',
        staticMap: await thirdPartyStaticMap(loaded),
        allowHttpLoopback: loopback,
        fetch,
        now: () => io.now(),
      });
    }
    const httpUrl = thirdPartyLookupUrl(loaded);
    // the lookup's credential is the page's own setting: doctor asks as the page asks
    const auth = loaded.settings.thirdParty.http.token;
    return createThirdPartyBotSource({
      accountId: source.accountId,
      mode: 'http',
      httpUrl,
      ...(auth ? { auth } : {}),
      fetch,
      now: () => io.now(),
      allowHttpLoopback: loopback,
      retry: { maxRetries: 1, baseDelayMs: 500, maxDelayMs: 5_000 },
    });
  }
  if (source.kind === 'genesys-legacy-table') {
    const tableId = source.tableId ?? loaded.settings.legacy.tableId;
    return createGenesysTableBotSource({ api, ...(tableId !== undefined && { tableId }), allowHttpLoopback: loopback });
  }
  throw new KaaError('E_INTERNAL', 'configBotSource was called for the Kore Data Table mode. This is a bug in kaa.');
}

/**
 * The Third-Party Configuration lookup URL template of `lookup: http`: `botSource.url`, else setting
 * `thirdParty.http.url`; neither is `E_CONFIG_INVALID` naming `botSource.url`.
 *
 * @example
 * ```ts
 * thirdPartyLookupUrl(loaded); // 'https://platform.kore.ai/agentassist/api/v1/thirdparty/{accountId}/config'
 * ```
 */
export function thirdPartyLookupUrl(loaded: LoadedConfig): string {
  const source = loaded.config.botSource;
  const url = source.kind === 'third-party' ? (source.url ?? loaded.settings.thirdParty.http.url) : undefined;
  if (url === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(['botSource'])}: "botSource.url" is missing: lookup "http" needs the Third-Party Configuration lookup URL (Kore has not published one, docs/assumptions.md#third-party-configuration-runtime-api). Add url: https://…/{accountId}/config, or set lookup: static to check the config's bots as the records.`,
      {
        details: { file: loaded.file, ...loaded.locate(['botSource']), field: 'botSource.url' },
      },
    );
  }
  return url;
}
