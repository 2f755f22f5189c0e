#!/usr/bin/env node
// Plain Node (no dependencies, runs before `pnpm install`): makes sure the Debian Chromium the browser tests drive is
// there, once, before any browser suite starts. Three callers share it:
// - `pnpm test`'s first step (`node packages/test-support/src/ensure-chromium.mjs`);
// - the vitest e2e project's globalSetup (any `vitest run` that selects an e2e file);
// - `.ci/run` (with KAA_INSTALL_BROWSER=1).
// When Chromium is missing it runs the install step (`apt-get update` + `apt-get install -y chromium`) only when that
// is allowed: KAA_INSTALL_BROWSER=1, or running as root with apt-get present (a fresh Debian container) unless
// KAA_INSTALL_BROWSER=0. Otherwise it stops at once with one line naming the command to run.
// KAA_CHROMIUM_PATH points the tests at another Chromium binary (never installed automatically).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Where Debian's chromium package puts the browser. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The command a person runs to install it. */
export const INSTALL_COMMAND = 'sudo apt-get install -y chromium';

/** @param {Record<string, string | undefined>} env */
export function chromiumPath(env = process.env) {
  return env.KAA_CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
}

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** @param {string} command */
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** @param {string[]} argv */
function runQuietly(argv) {
  const [command = 'true', ...args] = argv;
  return (
    spawnSync(command, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0
  );
}

/**
 * @typedef {object} EnsureOptions
 * @property {Record<string, string | undefined>} [env]
 * @property {(line: string) => void} [log]
 * @property {(path: string) => boolean} [isExecutable]
 * @property {(command: string) => boolean} [onPath]
 * @property {boolean} [isRoot]
 * @property {(argv: string[]) => boolean} [run] runs a command, output discarded but errors shown; true on exit 0
 */

/**
 * Makes Chromium available or says in one line why it is not.
 * @param {EnsureOptions} [options]
 * @returns {{ ok: true, path: string, installed: boolean } | { ok: false, path: string, message: string }}
 */
export function ensureChromium(options = {}) {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const executable = options.isExecutable ?? isExecutable;
  const has = options.onPath ?? onPath;
  const run = options.run ?? runQuietly;
  const root = options.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  const path = chromiumPath(env);
  if (executable(path)) return { ok: true, path, installed: false };
  const custom = path !== DEFAULT_CHROMIUM_PATH;
  const wanted = env.KAA_INSTALL_BROWSER === '1' || (env.KAA_INSTALL_BROWSER !== '0' && root);
  if (!custom && wanted && has('apt-get') && (root || has('sudo'))) {
    log(`kaa tests: ${path} is missing; installing Debian chromium (apt-get install -y chromium)`);
    const apt = root ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
    if (run([...apt, 'update', '-qq']) && run([...apt, 'install', '-y', '-qq', 'chromium']) && executable(path))
      return { ok: true, path, installed: true };
    return {
      ok: false,
      path,
      message: `kaa tests: installing chromium failed and ${path} is still missing; run: ${INSTALL_COMMAND}`,
    };
  }
  const where = custom ? `${path} (KAA_CHROMIUM_PATH)` : path;
  return {
    ok: false,
    path,
    message: `kaa tests: the browser tests need Chromium at ${where}; run: ${INSTALL_COMMAND} (or KAA_INSTALL_BROWSER=1 to let the tests run it)`,
  };
}

/** vitest globalSetup of the e2e project: no browser suite starts without the browser. */
export default function setup() {
  const result = ensureChromium();
  if (!result.ok) {
    // one line, not an error with a stack: the run stops here, before any suite and its hooks
    process.stderr.write(`${result.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = ensureChromium();
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    process.exit(1);
  }
}
