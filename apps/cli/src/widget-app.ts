import {
  brokerUrlOf,
  buildWidgetAppUrl,
  KaaError,
  oauthScopesFor,
  pageRedirectUris,
  type AppUrlBotSource,
} from '@kaa/core';
import type { LoadedConfig } from './config/loaded-config.js';
import { requireDataTable, xMetadataToken } from './connections.js';
import type { CliIo } from './io.js';

/**
 * Which scope list and role the config's bot source needs (core's `oauthScopesFor` / `pageRolePermissions` mode).
 *
 * @example
 * ```ts
 * oauthScopesFor(sourceMode(loaded), { diagnosis: true });
 * ```
 */
export function sourceMode(loaded: LoadedConfig): 'koreDataTable' | 'thirdParty' | 'legacy' {
  // with a token broker (settings tokens.*) the page reads no bot source: the broker does, with its own credentials
  if (brokerUrlOf(loaded.settings.tokens) !== undefined) return 'koreDataTable';
  const kind = loaded.config.botSource.kind;
  return kind === 'genesys-legacy-table' ? 'legacy' : kind === 'third-party' ? 'thirdParty' : 'koreDataTable';
}

/**
 * What the agents' browser OAuth client must have: its grant, exactly the redirect URIs the page uses (core's
 * `pageRedirectUris`) and the scopes (core's `oauthScopesFor`, with the page's diagnosis scope). `kaa url` prints
 * it, `kaa provision` registers it.
 *
 * @example
 * ```ts
 * const { grant, redirectUris, scopes } = pageOAuthClient(loaded);
 * ```
 */
export function pageOAuthClient(loaded: LoadedConfig): {
  grant: 'pkce' | 'implicit';
  redirectUris: string[];
  scopes: string[];
} {
  const uris = pageRedirectUris(loaded.config.page.url, loaded.settings.auth);
  return {
    grant: loaded.config.widget.grant ?? loaded.settings.auth.grant,
    redirectUris: [...new Set([uris.redirect, uris.popup])],
    scopes: [...oauthScopesFor(sourceMode(loaded), { diagnosis: true })],
  };
}

/**
 * `genesys.oauthClientId`, or `E_CONFIG_INVALID` saying where the id comes from.
 *
 * @example
 * ```ts
 * const genesysClientId = requireOAuthClientId(loaded, '"kaa url"');
 * ```
 */
export function requireOAuthClientId(loaded: LoadedConfig, who: string): string {
  const id = loaded.config.genesys.oauthClientId;
  if (id !== undefined) return id;
  throw new KaaError(
    'E_CONFIG_INVALID',
    `${loaded.where(['genesys'])}: ${who} needs "genesys.oauthClientId". "kaa provision apply" creates the agents' OAuth client "${loaded.config.provision?.oauthClient.name ?? loaded.config.provision?.name ?? 'Kore Agent AI'}" and prints its id: put that id into genesys.oauthClientId, or add genesys.adminClient so that kaa finds it by name.`,
    {
      details: { file: loaded.file, ...loaded.locate(['genesys']), field: 'genesys.oauthClientId' },
    },
  );
}

/**
 * The Interaction Widget Application URL of the config (core's `buildWidgetAppUrl` in the config's bot-source mode),
 * exactly as `kaa url --reveal` prints it. `reuseToken`: the x_metadata token of the URL Genesys already holds, kept
 * while it still verifies (see {@link reusablePlatformJwt}), so an unchanged config gives an unchanged URL.
 *
 * @example
 * ```ts
 * const url = await widgetAppUrl(loaded, io, { genesysClientId: '…' });
 * ```
 */
export async function widgetAppUrl(
  loaded: LoadedConfig,
  io: CliIo,
  options: { genesysClientId: string; reuseToken?: string | undefined },
): Promise<string> {
  const { config } = loaded;
  const source = config.botSource;
  // broker mode: no bot-source parameter (the broker reads the bot source)
  const botSource: AppUrlBotSource =
    brokerUrlOf(loaded.settings.tokens) !== undefined
      ? { kind: 'genesys-legacy-table' }
      : source.kind === 'kore-data-table'
        ? {
            kind: 'kore-data-table',
            datatable: {
              name: requireDataTable(loaded, 'The widget URL').name,
              token: await xMetadataToken(loaded, io, options.reuseToken),
              qDelimiter: requireDataTable(loaded, 'The widget URL').qDelimiter,
            },
          }
        : source.kind === 'third-party'
          ? { kind: 'third-party', accountId: source.accountId }
          : { kind: 'genesys-legacy-table' };
  const passthru =
    config.widget.passthruMetadata === undefined
      ? undefined
      : await loaded.secret(config.widget.passthruMetadata, ['widget', 'passthruMetadata']);
  return buildWidgetAppUrl({
    pageUrl: config.page.url,
    genesysClientId: options.genesysClientId,
    botSource,
    ...(passthru !== undefined && { passthruMetadata: passthru }),
    ...(config.widget.showWidget !== undefined && { showWidget: config.widget.showWidget }),
    ...(config.widget.sendEventsToVG !== undefined && { sendEventsToVG: config.widget.sendEventsToVG }),
    includeTargetEnv: config.widget.includeTargetEnv,
    includeUsePopupAuth: config.widget.usePopupAuth,
    ...(config.widget.grant !== undefined && { grant: config.widget.grant }),
    debug: config.widget.debug,
  });
}
