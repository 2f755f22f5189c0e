import { readFile, writeFile, access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createNodeFetch, type NodeFetch } from '@kaa/broker/node';

/**
 * Everything `kaa` takes from the outside world, injected so commands run the same in tests.
 *
 * @example
 * ```ts
 * const io: CliIo = nodeIo();
 * await io.readFile('kaa.yaml');
 * ```
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): Promise<string>;
  /** Writes a new file; `exclusive` refuses to overwrite. */
  writeFile(path: string, text: string, options?: { exclusive?: boolean }): Promise<void>;
  exists(path: string): Promise<boolean>;
  dirname(path: string): string;
  resolve(...parts: string[]): string;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /**
   * A pooled fetch for a long-running server's calls upstream (`kaa broker serve` → Genesys and Kore): `createNodeFetch`
   * of `@kaa/broker/node`, closed on shutdown. Absent: such a server uses {@link CliIo.fetch}.
   */
  upstreamFetch?(): NodeFetch;
  /** Epoch milliseconds. */
  now(): number;
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal: colours and tables for people. */
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  /**
   * Calls `listener` once on SIGTERM or SIGINT (long-running commands: `kaa broker serve`); returns a function that
   * removes it. Absent: the command does not wait for a signal.
   */
  onShutdown?(listener: (signal: string) => void): () => void;
}

/**
 * The real {@link CliIo} of the Node process.
 *
 * @example
 * ```ts
 * const code = await runKaa(process.argv.slice(2), nodeIo());
 * ```
 */
export function nodeIo(): CliIo {
  return {
    env: process.env,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text, options) =>
      writeFile(path, text, { encoding: 'utf8', flag: options?.exclusive ? 'wx' : 'w', mode: 0o600 }),
    exists: (path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    dirname,
    resolve,
    fetch: (url, init) => globalThis.fetch(url, init),
    upstreamFetch: () => createNodeFetch(),
    now: () => Date.now(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    onShutdown: (listener) => {
      const on = (signal: NodeJS.Signals) => listener(signal);
      process.once('SIGTERM', on);
      process.once('SIGINT', on);
      return () => {
        process.off('SIGTERM', on);
        process.off('SIGINT', on);
      };
    },
  };
}
