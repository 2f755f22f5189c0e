import {
  brokerUrlOf,
  WIDGET_COMMUNICATION_TYPES,
  WIDGET_COMMUNICATION_TYPES_WHY,
  WIDGET_PERMISSIONS,
  WIDGET_SANDBOX_FLAGS,
} from '@kaa/core';
import { legacyTableSetup } from '../bot-source/legacy-table-setup.js';
import { thirdPartyKeys } from '../bot-source/third-party-records.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { formatTable } from '../output/output.js';
import { thirdPartyLookupMissing } from '../page/page-settings.js';
import { agentsOAuthClientId } from '../provision/org-reads.js';
import { pageOAuthClient, widgetAppUrl } from '../widget-app.js';

/**
 * `kaa url`: the Interaction Widget Application URL (core's `buildWidgetAppUrl` in the config's bot-source mode:
 * `x_metadata`, `accountId`, or nothing for the legacy table), the iFrame sandbox and permission strings, the
 * OAuth redirect URIs and scopes to register, and the Third-Party records or legacy table fields to create.
 * Secrets (x_metadata token, passthru value, legacy Client Secret) are masked unless `--reveal`.
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

Prints what to enter in Genesys Cloud (and, per mode, in Agent AI):
  - Admin > Integrations > Interaction Widget > Configuration:
      Application URL, iFrame Sandbox Options, iFrame Feature/Permission Policy, Communication Type Filtering
  - Admin > Integrations > OAuth (the client genesys.oauthClientId, grant Code Authorization/PKCE):
      Authorized redirect URIs (the page URL and auth-callback.html next to it, used by the popup sign-in,
      which the page also falls back to) and Scopes

The Application URL selects the bot source (botSource.kind in the config):
  kore-data-table        &multibot=true&x_metadata=… (built and URL-encoded). The x_metadata token (a Data
                         app JWT; dataTable.token, or minted from dataTable.readApp for dataTable.tokenTtlSeconds
                         seconds) is masked
  third-party            &accountId=… (botSource.accountId); also lists the Agent AI Third Party Configuration
                         record of each bot: Queue Identifiers (full queue names) and the base64 keys
  genesys-legacy-table   no bot-source parameter; also lists the legacy Architect data table: Reference Key
                         label "agentAssist" and its five String custom fields with their default values
                         (Client Secret masked); the OAuth scopes include architect:readonly
With a token broker (settings tokens.serverUrl; "kaa broker serve") the URL has no bot-source parameter in any
mode: the broker reads the bot source with its own credentials.
Add --reveal to print the exact URL to paste (and the legacy Client Secret).

Options:
  --reveal        print the URL with its secrets (stdout only; do not paste it into tickets or chats)
  --json          one JSON object: {url, revealed, botSource, sandboxOptions, permissions, communicationTypes,
                  oauth, thirdPartyRecords?, legacyTable?}
`,
  async run(ctx) {
    const loaded = await ctx.load();
    const { config, settings } = loaded;
    const source = config.botSource;
    const reveal = ctx.values['reveal'] === true;
    const brokerUrl = brokerUrlOf(settings.tokens);
    const genesysClientId = await agentsOAuthClientId(loaded, ctx.io, '"kaa url"');
    const url = await widgetAppUrl(loaded, ctx.io, { genesysClientId });
    const passthru =
      config.widget.passthruMetadata === undefined
        ? undefined
        : await loaded.secret(config.widget.passthruMetadata, ['widget', 'passthruMetadata']);
    const { redirectUris, scopes, grant } = pageOAuthClient(loaded);
    const thirdPartyRecords =
      source.kind === 'third-party'
        ? Object.entries(config.bots).map(([name, bot]) => ({
            bot: name,
            botId: bot.botId,
            clientId: bot.clientId,
            queueIdentifiers: [...bot.queues],
            keys: thirdPartyKeys(bot),
          }))
        : undefined;
    const legacyTable = source.kind === 'genesys-legacy-table' ? await legacyTableSetup(loaded, reveal) : undefined;
    const result = {
      url,
      revealed: reveal,
      botSource:
        source.kind === 'third-party' ? { kind: source.kind, accountId: source.accountId } : { kind: source.kind },
      ...(brokerUrl !== undefined && { broker: brokerUrl }),
      sandboxOptions: WIDGET_SANDBOX_FLAGS.join(','),
      permissions: WIDGET_PERMISSIONS.join(','),
      communicationTypes: WIDGET_COMMUNICATION_TYPES.join(','),
      communicationTypesWhy: WIDGET_COMMUNICATION_TYPES_WHY,
      oauth: { clientId: genesysClientId, grant, redirectUris, scopes },
      ...(thirdPartyRecords && { thirdPartyRecords }),
      ...(thirdPartyRecords && { thirdPartyLookupMissing: thirdPartyLookupMissing(loaded) ?? null }),
      ...(legacyTable && { legacyTable }),
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
    const masked =
      source.kind === 'kore-data-table' && brokerUrl === undefined
        ? 'x_metadata token'
        : passthru !== undefined
          ? 'x_passthru_metadata'
          : undefined;
    if (!reveal && masked) out.line(c.dim(`  (${masked} masked; run "kaa url --reveal" for the URL to paste)`));
    if (brokerUrl !== undefined)
      out.line(
        `Broker mode: the page asks the token broker at ${brokerUrl} for each widget launch (settings tokens.serverUrl); the URL carries no bot-table token and no secret.`,
      );
    out.line();
    out.table(
      ['Setting', 'Value'],
      [
        ['iFrame Sandbox Options', result.sandboxOptions],
        ['iFrame Feature/Permission Policy', result.permissions],
        ['Communication Type Filtering', result.communicationTypes],
      ],
    );
    out.line(c.dim(`  ${WIDGET_COMMUNICATION_TYPES_WHY}`));
    out.line();
    out.line(
      c.bold(
        `OAuth client ${genesysClientId} (grant: ${result.oauth.grant === 'pkce' ? 'Code Authorization with PKCE' : 'Token Implicit Grant'})`,
      ),
    );
    out.line(
      redirectUris.length > 1
        ? 'Authorized redirect URIs (register both, exactly; the second is the popup sign-in):'
        : 'Authorized redirect URIs (register it exactly):',
    );
    for (const u of redirectUris) out.line(`  ${u}`);
    out.line(`Scopes: ${scopes.join(', ')}`);
    if (thirdPartyRecords) {
      out.line();
      out.line(
        c.bold(
          `Agent AI › Configuration › System Setup › Third Party Configuration (account ${source.kind === 'third-party' ? source.accountId : ''}): one record per bot`,
        ),
      );
      out.table(
        ['Bot', 'BotId', 'Queue Identifiers (full queue names)', 'Keys (values base64)'],
        thirdPartyRecords.map((r) => [
          r.bot,
          r.botId,
          r.queueIdentifiers.join(', '),
          Object.entries(r.keys)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
        ]),
      );
      out.line('Enable "Third Party Configuration" in Agent AI › Widget Settings › Agent AI General Settings.');
      const missing = thirdPartyLookupMissing(loaded);
      if (missing) {
        out.line();
        out.line(c.bold('What the page still needs for this mode'));
        out.line(missing);
        out.line('In kaa.yaml: botSource.lookup: http with botSource.url (kaa page --dist embeds it).');
      }
    }
    if (legacyTable) {
      out.line();
      out.line(
        c.bold(
          `Admin › Architect › Data Tables: one table with Reference Key label "${legacyTable.referenceKey}" and five String custom fields`,
        ),
      );
      const rows = legacyTable.fields.map((f) => [f.label, f.value]);
      if (reveal) out.secretLine(formatTable(['Field label (exact case)', 'Default value'], rows, c));
      else out.table(['Field label (exact case)', 'Default value'], rows);
      if (!reveal) out.line(c.dim('  (Client Secret masked; run "kaa url --reveal" to print it)'));
    }
    return EXIT.ok;
  },
};
