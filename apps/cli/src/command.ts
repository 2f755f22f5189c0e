import type { LoadedConfig } from './config/loaded-config.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import type { Output } from './output/output.js';

/**
 * What every command receives: the IO, its parsed flags and positionals, the output, and the config loader.
 *
 * @example
 * ```ts
 * export async function runLint(ctx: CommandContext): Promise<ExitCode> { const loaded = await ctx.load(); … }
 * ```
 */
export interface CommandContext {
  readonly io: CliIo;
  readonly out: Output;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  /** `--config`, else `$KAA_CONFIG`, else `kaa.yaml`. */
  readonly configPath: string;
  /** Loads and validates the config (once). */
  load(): Promise<LoadedConfig>;
}

/**
 * A `kaa` command: its flags (for `util.parseArgs`), its help text and its run function.
 *
 * @example
 * ```ts
 * const lint: Command = { name: 'lint', summary: 'Check config and live table', options: {}, help: '…', run: runLint };
 * ```
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;
  /** Positionals allowed (e.g. `widget|platform`). */
  readonly positionals?: { readonly min: number; readonly max: number };
  readonly help: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}
