import { parseArgs } from 'node:util';
import { KaaError, parseXMetadata } from '@kaa/core';
import type { KaaSettingsInput, XMetadataDatatable } from '@kaa/core';
import { z } from 'zod';
import type { ResolveBotForConversationOptions } from './resolve-bot-for-conversation.js';

/**
 * The command line of `resolve-bot-server/main.ts`. Secrets are read from the environment only, never from flags
 * (flags show up in `ps` and shell history).
 *
 * @example
 * ```ts
 * console.log(RESOLVE_BOT_USAGE);
 * ```
 */
export const RESOLVE_BOT_USAGE = `Usage: tsx examples/resolve-bot-server/main.ts --conversation <id> --agent <userId> --environment <gcHostOrigin> [options]

Resolves the Kore bot for a Genesys conversation server-side (client credentials) and prints a redacted summary.

Flags:
  --conversation <id>        Genesys conversation id (required)
  --agent <userId>           the agent's Genesys user id (required: client credentials have no users/me)
  --environment <origin>     {{gcHostOrigin}}, e.g. https://apps.mypurecloud.ie (required)
  --target-env <name>        {{gcTargetEnv}}, e.g. prod-euw1
  --genesys-client-id <id>   Client Credentials OAuth client (or GENESYS_CLIENT_ID)
  --table <name>             Kore Data Table name (with KAA_TABLE_TOKEN); or set KAA_X_METADATA
  --q-delimiter <char>       queue delimiter of the table (default: whole queue name)
  --kore-api-host <origin>   Kore Data Table API origin (setting kore.apiHost, e.g. https://bots.kore.ai)
  --config <file.json>       kaa settings (same schema as the page), e.g. {"genesys":{"environments":[…]}}
  --lang <tag>               gcLangTag, e.g. en-us
  --passthru <value>         x_passthru_metadata
  --verbose                  log each step to stderr (redacted)
  --help                     this text

Environment (secrets):
  GENESYS_CLIENT_SECRET      the OAuth client's secret (required)
  KAA_X_METADATA             the x_metadata value ({"datatable":{"name","token","qDelimiter"}}, encoded or raw)
  KAA_TABLE_TOKEN            the Data Table token, when --table is used instead of KAA_X_METADATA

Exit codes: 0 resolved; 1 the conversation could not be resolved (queue, table, token); 2 usage or configuration; 3 a remote service failed.`;

/**
 * The parsed command line: the options of `resolveBotForConversation` without the injected IO, or a help request.
 *
 * @example
 * ```ts
 * const parsed: CliOptions = readCliOptions(process.argv.slice(2), process.env, (p) => readFileSync(p, 'utf8'));
 * ```
 */
export type CliOptions =
  | { help: true }
  | { help: false; verbose: boolean; options: Omit<ResolveBotForConversationOptions, 'fetch' | 'now' | 'logger'> };

const flags = {
  conversation: { type: 'string' },
  agent: { type: 'string' },
  environment: { type: 'string' },
  'target-env': { type: 'string' },
  'genesys-client-id': { type: 'string' },
  table: { type: 'string' },
  'q-delimiter': { type: 'string' },
  'kore-api-host': { type: 'string' },
  config: { type: 'string' },
  lang: { type: 'string' },
  passthru: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

const settingsFile = z.record(z.string(), z.unknown());

function usage(problem: string, secrets: string[] = []): KaaError {
  return new KaaError('E_CLI_USAGE', `${problem} Run with --help for the flags.`, { secrets });
}

function parseFlags(argv: readonly string[], secrets: string[]) {
  try {
    return parseArgs({ args: [...argv], options: flags, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw usage(`Could not read the command line: ${(e as Error).message}.`, secrets);
  }
}

/**
 * Reads flags and environment into resolver options. Missing or unknown flags are `E_CLI_USAGE`; an unreadable or
 * malformed `--config` file is `E_CONFIG_INVALID`; a bad `KAA_X_METADATA` is `E_XMETADATA_INVALID`. No message
 * ever echoes a secret.
 *
 * @example
 * ```ts
 * const parsed = readCliOptions(['--conversation', 'c1', '--agent', 'u1', '--environment', 'mypurecloud.ie', '--table', 'kaa_bots'],
 *   { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's', KAA_TABLE_TOKEN: 't' }, () => '{}');
 * ```
 */
export function readCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string,
): CliOptions {
  const secrets = [env.GENESYS_CLIENT_SECRET, env.KAA_TABLE_TOKEN, env.KAA_X_METADATA].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  const values = parseFlags(argv, secrets);
  if (values.help) return { help: true };

  const required = (value: string | undefined, name: string): string => {
    if (value === undefined || value.trim() === '') throw usage(`The flag --${name} is required.`, secrets);
    return value.trim();
  };
  const conversationId = required(values.conversation, 'conversation');
  const agentUserId = required(values.agent, 'agent');
  const hostOrigin = required(values.environment, 'environment');
  const genesysClientId = values['genesys-client-id'] ?? env.GENESYS_CLIENT_ID;
  if (!genesysClientId)
    throw usage(
      'No Genesys OAuth client: pass --genesys-client-id or set GENESYS_CLIENT_ID (a client with the Client Credentials grant).',
      secrets,
    );
  const genesysClientSecret = env.GENESYS_CLIENT_SECRET;
  if (!genesysClientSecret)
    throw usage(
      'Set GENESYS_CLIENT_SECRET to the secret of the Client Credentials OAuth client (secrets are never read from flags).',
      secrets,
    );

  let datatable: XMetadataDatatable;
  if (values.table !== undefined) {
    if (!env.KAA_TABLE_TOKEN)
      throw usage(`--table "${values.table}" needs the Data Table token in KAA_TABLE_TOKEN.`, secrets);
    datatable = { name: values.table, token: env.KAA_TABLE_TOKEN, qDelimiter: values['q-delimiter'] ?? '' };
  } else if (env.KAA_X_METADATA) {
    datatable = parseXMetadata(env.KAA_X_METADATA);
    if (values['q-delimiter'] !== undefined) datatable = { ...datatable, qDelimiter: values['q-delimiter'] };
  } else {
    throw usage(
      'No bot table: set KAA_X_METADATA to the x_metadata value, or pass --table <name> with KAA_TABLE_TOKEN.',
      secrets,
    );
  }

  let settings: Record<string, unknown> = {};
  if (values.config !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFile(values.config));
    } catch (e) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `Could not read the settings file "${values.config}": ${(e as Error).message}. Pass a JSON file with kaa settings.`,
        {
          details: { key: 'config', path: values.config },
          secrets,
        },
      );
    }
    const checked = settingsFile.safeParse(raw);
    if (!checked.success) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The settings file "${values.config}" must hold a JSON object of kaa settings.`,
        { details: { key: 'config', path: values.config } },
      );
    }
    settings = checked.data;
  }
  if (values['kore-api-host'] !== undefined) {
    const kore =
      typeof settings.kore === 'object' && settings.kore !== null ? (settings.kore as Record<string, unknown>) : {};
    settings = { ...settings, kore: { ...kore, apiHost: values['kore-api-host'] } };
  }

  return {
    help: false,
    verbose: values.verbose === true,
    options: {
      conversationId,
      agentUserId,
      hostOrigin,
      ...(values['target-env'] !== undefined ? { targetEnv: values['target-env'] } : {}),
      genesysClientId,
      genesysClientSecret,
      datatable,
      ...(values.lang !== undefined ? { lang: values.lang } : {}),
      ...(values.passthru !== undefined ? { passthruMetadata: values.passthru } : {}),
      settings: settings as KaaSettingsInput,
    },
  };
}
