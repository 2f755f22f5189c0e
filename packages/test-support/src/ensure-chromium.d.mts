/** Where Debian's chromium package puts the browser. */
export declare const DEFAULT_CHROMIUM_PATH: string;
/** The command a person runs to install it. */
export declare const INSTALL_COMMAND: string;
/**
 * The Chromium the browser tests drive: `KAA_CHROMIUM_PATH`, else {@link DEFAULT_CHROMIUM_PATH}.
 *
 * @example
 * ```ts
 * chromiumPath({}); // '/usr/bin/chromium'
 * ```
 */
export declare function chromiumPath(env?: Record<string, string | undefined>): string;
/**
 * Makes Chromium available (installing it only when allowed) or says in one line why it is not.
 *
 * @example
 * ```ts
 * const r = ensureChromium({ env: { KAA_CHROMIUM_PATH: '/nowhere' } }); // { ok: false, message: '… run: sudo apt-get install -y chromium …' }
 * ```
 */
export declare function ensureChromium(options?: {
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Injected for tests; default: the file exists and is executable. */
  isExecutable?: (path: string) => boolean;
  /** Injected for tests; default: `command -v`. */
  onPath?: (command: string) => boolean;
  /** Injected for tests; default: uid 0. */
  isRoot?: boolean;
  /** Injected for tests; runs a command (stdout discarded, stderr shown), true on exit 0. */
  run?: (argv: string[]) => boolean;
}): { ok: true; path: string; installed: boolean } | { ok: false; path: string; message: string };
/** vitest globalSetup of the e2e project: stops the run with one line when the browser is missing. */
export default function setup(): void;
