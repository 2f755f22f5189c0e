import { lintBotTable } from '@kaa/core';
import type { Command } from '../command.js';
import type { LoadedConfig } from '../config/loaded-config.js';
import { isInlineSecret, type SecretRef } from '../config/secret-ref.js';
import { botSourceLabel } from '../config/bot-source-label.js';
import { koreApiBase, requireDataTable, tableClient } from '../connections.js';
import { EXIT } from '../exit-codes.js';
import { desiredRows } from '../table/desired-rows.js';
import { lintOptions } from '../table/lint-options.js';
import { planTable } from '../table/plan-table.js';

/**
 * One finding of `kaa lint`.
 *
 * @example
 * ```ts
 * const f: LintFinding = { source: 'table', severity: 'error', code: 'duplicate-identifier', where: 'row 4', message: '…' };
 * ```
 */
export interface LintFinding {
  readonly source: 'config' | 'table';
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  /** `kaa.yaml:31:5` for config findings, `row 3` for live rows. */
  readonly where: string;
  readonly message: string;
}

/**
 * `kaa lint`: every finding of core's `lintBotTable` over the rows the config describes and over the live
 * table, plus inline secrets and pending drift. Exit 1 when any finding is an error.
 *
 * @example
 * ```sh
 * kaa lint --json | jq '.findings[] | select(.severity == "error")'
 * ```
 */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check the config and the live Kore Data Table for routing problems',
  options: { offline: { type: 'boolean' } },
  help: `Usage: kaa lint [--offline] [--json]

Checks, with the same rules the page routes by (core's lintBotTable, settings routing.*):
  config   the Kore API host the page will call (warning when it is page.url's own origin); the rows the bots describe: duplicate or overlapping QueueIdentifiers, identifiers containing
           dataTable.qDelimiter (they can never match), KvpConfig that is not JSON or whose paths do not
           compile, JWEPublicKey that is not an RSA public JWK, unsupported Algorithm, RS256/RS512 without
           RSPrivatePem, non-https widget URLs; secrets written inline instead of { env } / { file }
  table    the live rows of dataTable.name (read with dataTable.adminApp, else readApp): the same rules,
           plus "drift" when the table differs from the config ("kaa table plan" shows how). Only with
           botSource kind "kore-data-table"; the other modes match full queue names (no delimiter) and
           have no table to compare ("kaa doctor" checks them)

Options:
  --offline   check the config only (no network)
Exit 0 when no finding is an error, 1 otherwise.
`,
  async run(ctx) {
    const loaded = await ctx.load();
    const findings: LintFinding[] = [...inlineSecrets(loaded), ...koreHostFindings(loaded)];
    const desired = await desiredRows(loaded);
    const options = lintOptions(loaded);
    for (const f of lintBotTable(
      desired.map((d) => d.row),
      options,
    )) {
      const bot = desired[f.rowIndex]?.bot ?? '';
      findings.push({
        source: 'config',
        severity: f.severity,
        code: f.code,
        where: loaded.where(['bots', bot, columnField(f.column)]),
        message: f.message.replace(/^Row (\d+)/, `Bot "${bot}" (row $1)`),
      });
    }
    const kind = loaded.config.botSource.kind;
    if (ctx.values['offline'] !== true && kind !== 'kore-data-table') {
      findings.push({
        source: 'config',
        severity: 'info',
        code: 'no-live-table',
        where: loaded.where(['botSource', 'kind']),
        message: `botSource kind "${kind}" has no Kore Data Table to compare with; only the config was checked. Run "kaa doctor --conversation <id>" to check ${botSourceLabel(loaded.config.botSource)} for a real conversation.`,
      });
    } else if (ctx.values['offline'] !== true) {
      const table = requireDataTable(loaded, '"kaa lint"').name;
      const client = await tableClient(loaded, ctx.io, 'admin');
      const done = ctx.out.progress(`reading Kore Data Table "${table}"`);
      const live = await client.queryAll(table, undefined, { fresh: true }).finally(done);
      for (const f of lintBotTable(live, options))
        findings.push({
          source: 'table',
          severity: f.severity,
          code: f.code,
          where: `${table} row ${f.rowIndex}`,
          message: f.message,
        });
      const drift = planTable(desired, live).changes.length;
      if (drift > 0)
        findings.push({
          source: 'table',
          severity: 'warning',
          code: 'drift',
          where: table,
          message: `Table "${table}" differs from the config by ${drift} change(s). Run "kaa table plan" to see them and "kaa table apply" to fix.`,
        });
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const { out } = ctx;
    if (out.json) out.result({ findings, errors, warnings });
    else if (findings.length === 0) out.line(out.colour.green('No findings.'));
    else {
      const c = out.colour;
      out.table(
        ['Severity', 'Source', 'Code', 'Where'],
        findings.map((f) => [
          f.severity === 'error' ? c.red(f.severity) : f.severity === 'warning' ? c.yellow(f.severity) : f.severity,
          f.source,
          f.code,
          f.where,
        ]),
      );
      out.line();
      for (const f of findings) out.line(`${f.where}: ${f.message}`);
      out.line();
      out.line(`${errors} error(s), ${warnings} warning(s).`);
    }
    return errors > 0 ? EXIT.findings : EXIT.ok;
  },
};

const FIELD_OF_COLUMN: Readonly<Record<string, string>> = {
  QueueIdentifier: 'queues',
  BotId: 'botId',
  ClientId: 'clientId',
  ClientSecret: 'clientSecret',
  AgentAssistWidgetURL: 'widgetUrl',
  AudiohookEnabled: 'audiohookEnabled',
  JWEPublicKey: 'jwePublicKey',
  KvpConfig: 'kvpConfig',
  Algorithm: 'algorithm',
  RSPrivatePem: 'rsPrivatePem',
  isAgentAISDK: 'isAgentAISDK',
};

function columnField(column: string | undefined): string {
  return column === undefined ? '' : (FIELD_OF_COLUMN[column] ?? column);
}

/**
 * The Kore API host the page will call (kore-client's `resolveKoreApiHost`, as `kaa page --dist` embeds it): a
 * warning when it is the page's own origin — a static host answers the Data Table API with 404/405/501, so every
 * interaction fails (docs/assumptions.md#kore-data-table-api-host).
 */
function koreHostFindings(loaded: LoadedConfig): LintFinding[] {
  const host = koreApiBase(loaded);
  const page = new URL(loaded.config.page.url).origin;
  if (new URL(host).origin !== page) return [];
  const field =
    loaded.config.agentAi.apiHost !== undefined
      ? ['agentAi', 'apiHost']
      : loaded.settings.kore.apiHost !== undefined
        ? ['settings', 'kore', 'apiHost']
        : ['agentAi', 'url'];
  return [
    {
      source: 'config',
      severity: 'warning',
      code: 'kore-host-is-page',
      where: loaded.where(field),
      message: `The page would call the Kore API on its own origin ${page} ("${field.join('.')}" gives ${host}). Unless Kore hosts your page, that origin is a static host that does not answer the Kore Data Table API: set agentAi.url to your Agent AI URL (e.g. https://platform.kore.ai) or agentAi.apiHost to the Kore API host, then run "kaa page --dist" again.`,
    },
  ];
}

function inlineSecrets(loaded: LoadedConfig): LintFinding[] {
  const { config } = loaded;
  const refs: [readonly PropertyKey[], SecretRef | undefined][] = [
    [['genesys', 'clientCredentials', 'clientSecret'], config.genesys.clientCredentials?.clientSecret],
    [['dataTable', 'token'], config.dataTable?.token],
    [['dataTable', 'readApp', 'clientSecret'], config.dataTable?.readApp?.clientSecret],
    [['dataTable', 'adminApp', 'clientSecret'], config.dataTable?.adminApp?.clientSecret],
    [['audiohook', 'token'], config.audiohook?.token],
    ...Object.entries(config.bots).flatMap(([name, bot]): [readonly PropertyKey[], SecretRef | undefined][] => [
      [['bots', name, 'clientSecret'], bot.clientSecret],
      [['bots', name, 'rsPrivatePem'], bot.rsPrivatePem],
    ]),
  ];
  return refs
    .filter((r): r is [readonly PropertyKey[], string] => r[1] !== undefined && isInlineSecret(r[1]))
    .map(([path]) => ({
      source: 'config' as const,
      severity: 'warning' as const,
      code: 'inline-secret',
      where: loaded.where(path),
      message: `"${path.map(String).join('.')}" holds a secret inline. Move it to an environment variable ({ env: NAME }) or a file ({ file: path }) so the config can be shared and committed.`,
    }));
}
