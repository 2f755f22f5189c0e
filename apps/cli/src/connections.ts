import {
  allowsHttpLoopback,
  resolveEnvironment,
  signPlatformJwt,
  KaaError,
  type GenesysEnvironment,
  type KaaSettings,
} from '@kaa/core';
import { createDataTableClient, resolveKoreApiHost, type DataTableClient } from '@kaa/kore-client';
import type { LoadedConfig } from './config/loaded-config.js';
import type { DataTableConfig } from './config/schema.js';
import type { CliIo } from './io.js';
import { reusablePlatformJwt } from './reuse-platform-jwt.js';

/**
 * The Kore public-API host of the config, through kore-client's `resolveKoreApiHost` (the rule the page uses too):
 * `agentAi.apiHost`, else setting `kore.apiHost`, else derived from `agentAi.url` (docs/assumptions.md#kore-data-table-api-host).
 * `kaa page --dist` embeds this value into the page as setting `kore.apiHost`.
 *
 * @example
 * ```ts
 * koreApiBase(loaded); // 'https://platform.kore.ai'
 * ```
 */
export function koreApiBase(loaded: LoadedConfig): string {
  return resolveKoreApiHost({
    apiHost: loaded.config.agentAi.apiHost ?? loaded.settings.kore.apiHost,
    agentAiUrl: loaded.config.agentAi.url,
  });
}

/**
 * Whether http widget and bot URLs on a loopback host are accepted for this config: core's `allowsHttpLoopback` on
 * the config's Genesys environment ({@link genesysEnvironment}), the page's own decision — so a local Agent AI
 * with a production Genesys org keeps the https rule, as on the page (docs/architecture.md#plain-http-on-loopback).
 *
 * @example
 * ```ts
 * lintBotTable(rows, { allowHttpLoopback: allowHttpLoopback(loaded) });
 * ```
 */
export function allowHttpLoopback(loaded: LoadedConfig): boolean {
  return allowsHttpLoopback(genesysEnvironment(loaded));
}

/**
 * The config's Kore Data Table, for commands that only make sense in mode `kore-data-table` (`kaa table`,
 * `kaa token platform --app`). Another mode, or no `dataTable`, is `E_CONFIG_INVALID` naming the field.
 *
 * @example
 * ```ts
 * const table = requireDataTable(loaded, '"kaa table"');
 * ```
 */
export function requireDataTable(loaded: LoadedConfig, who: string): DataTableConfig {
  const { botSource, dataTable } = loaded.config;
  if (botSource.kind === 'kore-data-table' && dataTable !== undefined) return dataTable;
  const field = botSource.kind === 'kore-data-table' ? 'dataTable' : 'botSource';
  const why =
    botSource.kind === 'kore-data-table'
      ? `"dataTable" is missing. Add dataTable { name, qDelimiter, readApp, adminApp }`
      : `"botSource.kind" is "${botSource.kind}", so there is no Kore Data Table to work on. ${who} needs botSource kind "kore-data-table" with "dataTable"; for this mode use "kaa url" and "kaa doctor"`;
  throw new KaaError('E_CONFIG_INVALID', `${loaded.where([field])}: ${why}.`, {
    details: { file: loaded.file, ...loaded.locate([field]), field },
  });
}

/**
 * The `x_metadata` read token: `dataTable.token`, else a JWT minted from `dataTable.readApp` that lives
 * `dataTable.tokenTtlSeconds` (the token sits in the Genesys widget config, docs/assumptions.md#data-table-read-token-lifetime). `reuse`: the token
 * Genesys already holds, kept while it verifies and has a quarter of its lifetime left (`reusablePlatformJwt`).
 *
 * @example
 * ```ts
 * const token = await xMetadataToken(loaded, io);
 * ```
 */
export async function xMetadataToken(loaded: LoadedConfig, io: CliIo, reuse?: string): Promise<string> {
  const table = requireDataTable(loaded, 'The x_metadata token');
  if (table.token !== undefined) return loaded.secret(table.token, ['dataTable', 'token']);
  if (table.readApp === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(['dataTable'])}: "dataTable" has neither "token" nor "readApp", so kaa cannot make the x_metadata token. Add readApp { clientId, clientSecret } of a Data app with read access to table "${table.name}", or token { env: NAME }.`,
      {
        details: { file: loaded.file, ...loaded.locate(['dataTable']), field: 'dataTable.readApp' },
      },
    );
  }
  const clientSecret = await loaded.secret(table.readApp.clientSecret, ['dataTable', 'readApp', 'clientSecret']);
  const kept = await reusablePlatformJwt(reuse, {
    appId: table.readApp.clientId,
    clientSecret,
    nowMs: io.now(),
    ttlSeconds: table.tokenTtlSeconds,
    secretEncoding: loaded.settings.kore.jwt.secretEncoding,
  });
  if (kept !== undefined) {
    (loaded.secrets as string[]).push(kept);
    return kept;
  }
  const token = await signPlatformJwt({
    appId: table.readApp.clientId,
    clientSecret,
    now: new Date(io.now()),
    ttlSeconds: table.tokenTtlSeconds,
    secretEncoding: loaded.settings.kore.jwt.secretEncoding,
  });
  (loaded.secrets as string[]).push(token);
  return token;
}

/**
 * A Kore Data Table client for the config's table: `admin` uses `dataTable.adminApp` (else `readApp`) for
 * plan/apply; `read` uses the x_metadata token, exactly as the page reads the table. No cache. `baseUrlOverride`:
 * another Kore API host (doctor passes the one the deployed page uses).
 *
 * @example
 * ```ts
 * const client = await tableClient(loaded, io, 'admin');
 * await client.queryAll(loaded.config.dataTable.name, undefined, { fresh: true });
 * ```
 */
export async function tableClient(
  loaded: LoadedConfig,
  io: CliIo,
  role: 'admin' | 'read',
  baseUrlOverride?: string,
): Promise<DataTableClient> {
  const table = requireDataTable(loaded, 'Reading the Kore Data Table');
  const deps = {
    fetch: (u: string, i: RequestInit) => io.fetch(u, i),
    now: () => io.now(),
    cacheTtlMs: 0,
    retry: { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 10_000 },
  };
  const baseUrl = baseUrlOverride ?? koreApiBase(loaded);
  if (role === 'read')
    return createDataTableClient(
      { baseUrl, token: await xMetadataToken(loaded, io) },
      { ...deps, tokenOrigin: 'x_metadata' },
    );
  const app = table.adminApp ?? table.readApp;
  const key = table.adminApp ? 'adminApp' : 'readApp';
  if (app === undefined) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(['dataTable'])}: "dataTable.adminApp" is missing. Add adminApp { clientId, clientSecret } of a Data app with read, write and delete access to table "${table.name}".`,
      {
        details: { file: loaded.file, ...loaded.locate(['dataTable']), field: 'dataTable.adminApp' },
      },
    );
  }
  const clientSecret = await loaded.secret(app.clientSecret, ['dataTable', key, 'clientSecret']);
  return createDataTableClient(
    { baseUrl, appId: app.clientId, clientSecret },
    { ...deps, tokenOrigin: 'config', signPlatformJwt },
  );
}

/**
 * The Genesys environment of the config, through core's `resolveEnvironment` with the settings' extra
 * environments (the sandbox is one). `settings`: another settings document than the config's (kaa doctor passes the
 * deployed page's, to resolve as that page resolves).
 *
 * @example
 * ```ts
 * genesysEnvironment(loaded).apiBase; // 'https://api.mypurecloud.com'
 * ```
 */
export function genesysEnvironment(loaded: LoadedConfig, settings: KaaSettings = loaded.settings): GenesysEnvironment {
  const g = loaded.config.genesys;
  return resolveEnvironment(
    { hostOrigin: g.environment, ...(g.targetEnv !== undefined && { targetEnv: g.targetEnv }) },
    settings.genesys.environments,
    { enable: settings.genesys.enableEnvironments },
  );
}
