import { buildWidgetAppUrl, oauthScopesFor, WIDGET_COMMUNICATION_TYPES, WIDGET_PERMISSIONS, WIDGET_SANDBOX_FLAGS } from '@kaa/core';
import type { Command } from '../command.js';
import { xMetadataToken } from '../connections.js';
import { EXIT } from '../exit-codes.js';

/**
 * `kaa url`: the Interaction Widget Application URL (core's `buildWidgetAppUrl` with `x_metadata` from
 * `buildXMetadata`), the iFrame sandbox and permission strings, and the OAuth redirect URIs and scopes to register.
 * The x_metadata token is masked unless `--reveal`.
 *
 * @example
 * ```sh
 * kaa url --reveal | head -1   # the exact URL to paste
 * ```
 */
export const urlCommand: Command = {
  name: 'url',
  summary: 'Print the Interaction Widget Application URL and the Genesys settings to register',
  options: { reveal: { type: 'boolean' } },
  help: `Usage: kaa url [--reveal] [--json] [--config <file>]

Prints what to enter in Genesys Cloud:
  - Admin > Integrations > Interaction Widget > Configuration:
      Application URL (with x_metadata built and URL-encoded), iFrame Sandbox Options,
      iFrame Feature/Permission Policy, Communication Type Filtering
  - Admin > Integrations > OAuth (the client genesys.oauthClientId, grant Code Authorization/PKCE):
      Authorized redirect URIs and Scopes

The x_metadata token (a Data app JWT; dataTable.token, or minted from dataTable.readApp for
dataTable.tokenTtlSeconds seconds, at most one day) is masked. Add --reveal to print the exact URL to paste.

Options:
  --reveal        print the URL with its token (stdout only; do not paste it into tickets or chats)
  --json          one JSON object: {url, revealed, sandboxOptions, permissions, communicationTypes, oauth}
`,
  async run(ctx) {
    const loaded = await ctx.load();
    const { config, settings } = loaded;
    const token = await xMetadataToken(loaded, ctx.io);
    const passthru = config.widget.passthruMetadata === undefined ? undefined : await loaded.secret(config.widget.passthruMetadata, ['widget', 'passthruMetadata']);
    const url = buildWidgetAppUrl({
      pageUrl: config.page.url,
      genesysClientId: config.genesys.oauthClientId,
      botSource: { kind: 'kore-data-table', datatable: { name: config.dataTable.name, token, qDelimiter: config.dataTable.qDelimiter } },
      ...(passthru !== undefined && { passthruMetadata: passthru }),
      ...(config.widget.showWidget !== undefined && { showWidget: config.widget.showWidget }),
      ...(config.widget.sendEventsToVG !== undefined && { sendEventsToVG: config.widget.sendEventsToVG }),
      includeTargetEnv: config.widget.includeTargetEnv,
      includeUsePopupAuth: config.widget.usePopupAuth,
      ...(config.widget.grant !== undefined && { grant: config.widget.grant }),
      debug: config.widget.debug,
    });
    const redirect = settings.auth.redirectUri ?? pageWithoutQuery(config.page.url);
    const redirectUris = [...new Set([redirect, settings.auth.popupRedirectUri ?? redirect])];
    const scopes = oauthScopesFor('koreDataTable');
    const reveal = ctx.values['reveal'] === true;
    const result = {
      url,
      revealed: reveal,
      sandboxOptions: WIDGET_SANDBOX_FLAGS.join(','),
      permissions: WIDGET_PERMISSIONS.join(','),
      communicationTypes: WIDGET_COMMUNICATION_TYPES.join(','),
      oauth: { clientId: config.genesys.oauthClientId, grant: config.widget.grant ?? settings.auth.grant, redirectUris, scopes: [...scopes] },
    };
    const { out } = ctx;
    if (out.json) {
      if (reveal) out.secretLine(JSON.stringify(result, null, 2));
      else out.result(result);
      return EXIT.ok;
    }
    const c = out.colour;
    out.line(c.bold('Interaction Widget › Configuration › Application URL'));
    if (reveal) out.secretLine(url);
    else out.line(url);
    if (!reveal) out.line(c.dim('  (x_metadata token masked; run "kaa url --reveal" for the URL to paste)'));
    out.line();
    out.table(['Setting', 'Value'], [
      ['iFrame Sandbox Options', result.sandboxOptions],
      ['iFrame Feature/Permission Policy', result.permissions],
      ['Communication Type Filtering', result.communicationTypes],
    ]);
    out.line();
    out.line(c.bold(`OAuth client ${config.genesys.oauthClientId} (grant: ${result.oauth.grant === 'pkce' ? 'Code Authorization with PKCE' : 'Token Implicit Grant'})`));
    out.line('Authorized redirect URIs:');
    for (const u of redirectUris) out.line(`  ${u}`);
    out.line(`Scopes: ${scopes.join(', ')}`);
    return EXIT.ok;
  },
};

function pageWithoutQuery(page: string): string {
  const u = new URL(page);
  return `${u.origin}${u.pathname}`;
}
