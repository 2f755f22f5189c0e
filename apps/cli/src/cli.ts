import { parseArgs } from 'node:util';
import { isKaaError, KaaError, redact, toKaaError } from '@kaa/core';
import type { Command, CommandContext } from './command.js';
import { audiohookCommand } from './commands/audiohook.js';
import { brokerCommand } from './commands/broker.js';
import { doctorCommand } from './commands/doctor.js';
import { initCommand } from './commands/init.js';
import { lintCommand } from './commands/lint.js';
import { tableCommand } from './commands/table.js';
import { tokenCommand } from './commands/token.js';
import { pageCommand } from './commands/page.js';
import { provisionCommand } from './commands/provision.js';
import { urlCommand } from './commands/url.js';
import { loadConfig } from './config/load-config.js';
import type { LoadedConfig } from './config/loaded-config.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { createOutput } from './output/output.js';

/**
 * Every command, in help order.
 *
 * @example
 * ```ts
 * COMMANDS.map((c) => c.name); // ['init', 'url', 'token', 'audiohook', 'table', 'provision', 'lint', 'doctor', 'page']
 * ```
 */
export const COMMANDS: readonly Command[] = [
  initCommand,
  urlCommand,
  tokenCommand,
  audiohookCommand,
  tableCommand,
  provisionCommand,
  lintCommand,
  doctorCommand,
  pageCommand,
  brokerCommand,
];

/**
 * `kaa --version`.
 *
 * @example
 * ```ts
 * VERSION; // '0.1.0'
 * ```
 */
export const VERSION = '0.1.0';

const GLOBAL_OPTIONS = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/**
 * The text of `kaa --help`: commands, global options, output and exit codes.
 *
 * @example
 * ```ts
 * process.stdout.write(MAIN_HELP);
 * ```
 */
export const MAIN_HELP = `kaa — the admin's tool for Kore.ai Agent AI in the Genesys Cloud CX agent desktop

Usage: kaa <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
  help       Show help for a command: kaa help <command>

Global options:
  -c, --config <file>  the config file, YAML or JSON (default $KAA_CONFIG, else kaa.yaml)
      --json           machine-readable output on stdout (one JSON document)
  -h, --help           help (also after a command: kaa table --help)
  -v, --version        print the version

Output is for people by default: tables, colours only when stdout is a terminal (NO_COLOR turns them
off), progress of network steps on stderr. Secrets are masked everywhere except where asked for:
"kaa token" and "--reveal".

Exit codes:
  0  success
  1  findings: lint found an error, doctor has a failed step, table apply refused an ambiguous table
  2  usage or configuration error (bad flag, bad config file — the message names file, line and field)
  3  a remote service failed (network, HTTP, login refused)
  4  a bug in kaa
Errors are printed as "kaa: <CODE>: <what failed and what to change>" on stderr (--json: {"error":{…}} on stdout).
`;

/**
 * Runs `kaa` with `argv` (without `node` and the script) and returns the exit code. Never throws.
 *
 * @example
 * ```ts
 * process.exitCode = await runKaa(process.argv.slice(2), nodeIo());
 * ```
 */
export async function runKaa(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const json = argv.includes('--json');
  let loaded: LoadedConfig | undefined;
  const out = createOutput(io, { json, secrets: () => loaded?.secrets ?? [] });
  try {
    const first = commandIndex(argv);
    const name = first < 0 ? undefined : argv[first];
    if (name === undefined || name === 'help') {
      const { values } = parseArgs({
        args: argv.filter((a) => a !== 'help'),
        options: GLOBAL_OPTIONS,
        allowPositionals: true,
        strict: false,
      });
      if (values.version === true) {
        io.stdout(`${VERSION}\n`);
        return EXIT.ok;
      }
      const topic = name === 'help' ? argv[first + 1] : undefined;
      const command = COMMANDS.find((c) => c.name === topic);
      if (topic !== undefined && command === undefined) throw unknownCommand(topic);
      io.stdout(command ? command.help : MAIN_HELP);
      return name === undefined && values.help !== true ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw unknownCommand(name);
    const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (cause) {
      throw new KaaError(
        'E_CLI_USAGE',
        `${(cause as Error).message.replace(/\. To specify.*$/s, '')}. Run "kaa ${command.name} --help" for its options.`,
        { details: { command: command.name } },
      );
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values['help'] === true) {
      io.stdout(command.help);
      return EXIT.ok;
    }
    const max = command.positionals?.max ?? 0;
    if (parsed.positionals.length > max) {
      throw new KaaError(
        'E_CLI_USAGE',
        `"kaa ${command.name}" does not take "${parsed.positionals.slice(max).join(' ')}". Run "kaa ${command.name} --help".`,
        { details: { command: command.name } },
      );
    }
    const configPath = typeof values['config'] === 'string' ? values['config'] : (io.env['KAA_CONFIG'] ?? 'kaa.yaml');
    const ctx: CommandContext = {
      io,
      out,
      values,
      positionals: parsed.positionals,
      configPath,
      load: async () => (loaded ??= await loadConfig(configPath, io)),
    };
    return await command.run(ctx);
  } catch (e) {
    const error = toKaaError(
      e,
      'E_INTERNAL',
      'kaa failed unexpectedly. This is a bug in kaa; please report it with the command you ran (not your secrets).',
      { secrets: loaded?.secrets ?? [] },
    );
    if (!isKaaError(e) && io.env['KAA_DEBUG'] === '1')
      io.stderr(`${redact(String((e as Error)?.stack ?? e), loaded?.secrets ?? [])}\n`);
    if (json) out.result({ error: error.toJSON() });
    else out.warn(`kaa: ${error.code}: ${error.message}`);
    return exitCodeFor(error);
  }
}

/**
 * Where the command name is: the first argument that is not an option, skipping the value of a global option that
 * takes one (`kaa -c x.yaml url`, `kaa --config x.yaml url`). -1 when there is none.
 */
function commandIndex(argv: readonly string[]): number {
  const takesValue = new Set(
    Object.entries(GLOBAL_OPTIONS).flatMap(([name, o]) =>
      o.type === 'string' ? [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])] : [],
    ),
  );
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (takesValue.has(a)) i++;
    else if (!a.startsWith('-')) return i;
  }
  return -1;
}

function unknownCommand(name: string): KaaError {
  return new KaaError(
    'E_CLI_USAGE',
    `Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. Run "kaa --help".`,
    { details: { command: name } },
  );
}
