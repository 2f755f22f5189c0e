import { redact } from '@kaa/core';
import type { CliIo } from '../io.js';

/**
 * How a command prints: for people (tables, colours only on a TTY, progress on stderr) or `--json` for
 * scripts. Everything goes through core's `redact` with every secret the command resolved, except
 * {@link Output.secretLine}, used only where the user asked for a secret (`kaa token`, `kaa url --reveal`).
 *
 * @example
 * ```ts
 * const out = createOutput(io, { json: false, secrets: () => loaded.secrets });
 * out.table(['Step', 'Outcome'], [['token', 'ok']]);
 * ```
 */
export interface Output {
  readonly json: boolean;
  /** A line for people (ignored in `--json` mode). */
  line(text?: string): void;
  /** An aligned table for people (ignored in `--json` mode). */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void;
  /** The one JSON document of `--json` mode (redacted). */
  result(value: unknown): void;
  /** A secret the user asked for, printed unredacted on stdout. */
  secretLine(text: string): void;
  /** A network step starting; shown on stderr when it is a terminal. Returns a function ending it. */
  progress(label: string): () => void;
  /** A warning or error for people, on stderr (also in `--json` mode). */
  warn(text: string): void;
  readonly colour: Colours;
}

/**
 * Colour helpers; identity functions when colours are off.
 *
 * @example
 * ```ts
 * out.line(out.colour.red('FAIL'));
 * ```
 */
export interface Colours {
  red(t: string): string;
  green(t: string): string;
  yellow(t: string): string;
  dim(t: string): string;
  bold(t: string): string;
}

/**
 * Creates the {@link Output} of one command run.
 *
 * @example
 * ```ts
 * const out = createOutput(io, { json: args.json, secrets: () => [] });
 * out.line('ok');
 * ```
 */
export function createOutput(io: CliIo, options: { json: boolean; secrets: () => readonly string[] }): Output {
  const clean = (text: string) => redact(text, options.secrets());
  const useColour = io.stdoutIsTty && io.env['NO_COLOR'] === undefined && io.env['TERM'] !== 'dumb';
  const paint = (code: string) => (t: string) => (useColour ? `\u001b[${code}m${t}\u001b[0m` : t);
  const colour: Colours = {
    red: paint('31'),
    green: paint('32'),
    yellow: paint('33'),
    dim: paint('2'),
    bold: paint('1'),
  };
  return {
    json: options.json,
    colour,
    line(text = '') {
      if (!options.json) io.stdout(`${clean(text)}\n`);
    },
    table(headers, rows) {
      if (options.json) return;
      io.stdout(`${clean(formatTable(headers, rows, colour))}\n`);
    },
    result(value) {
      io.stdout(`${clean(JSON.stringify(value, null, 2))}\n`);
    },
    secretLine(text) {
      io.stdout(`${text}\n`);
    },
    progress(label) {
      if (options.json || !io.stderrIsTty) return () => undefined;
      io.stderr(`${colour.dim(`… ${clean(label)}`)}`);
      return () => io.stderr('\r\u001b[2K');
    },
    warn(text) {
      io.stderr(`${clean(text)}\n`);
    },
  };
}

/**
 * Left-aligned columns separated by two spaces; ANSI colour codes do not count towards widths.
 *
 * @example
 * ```ts
 * formatTable(['A', 'B'], [['x', 'y']], colour); // 'A  B\nx  y'
 * ```
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], colour: Colours): string {
  // eslint-disable-next-line no-control-regex -- the ESC of an ANSI colour sequence, which takes no column
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const fmt = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visible(c)))))
      .join('  ')
      .trimEnd();
  return [colour.bold(fmt(headers)), ...rows.map(fmt)].join('\n');
}
