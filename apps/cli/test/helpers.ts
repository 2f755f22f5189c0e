import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));

/** What one run of the binary produced. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Builds the kaa binary with the package's tsup config into a fresh temp dir (so parallel test files never
 * race on dist/) and returns its path. `KAA_CLI_BIN` skips the build and uses that file.
 */
export async function buildKaa(): Promise<string> {
  if (process.env['KAA_CLI_BIN']) return process.env['KAA_CLI_BIN'];
  const out = await mkdtemp(join(tmpdir(), 'kaa-cli-build-'));
  const tsup = fileURLToPath(new URL('../../../node_modules/.bin/tsup', import.meta.url));
  const result = await run(tsup, ['--out-dir', out, '--no-sourcemap'], { cwd: cliDir, env: {} });
  if (result.code !== 0) throw new Error(`tsup failed:\n${result.stdout}\n${result.stderr}`);
  return join(out, 'kaa.js');
}

/** Runs a process without blocking the event loop (the sandbox serves from this process). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? cliDir,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs `node <bin> ...args`. */
export function kaa(
  bin: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return run(process.execPath, [bin, ...args], options);
}

/** A fresh temp dir with the given files. */
export async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kaa-cli-test-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, 'utf8');
  return dir;
}

/** Removes a binary built by {@link buildKaa} (never a `KAA_CLI_BIN` given from outside). */
export async function removeBuild(bin: string): Promise<void> {
  if (bin && bin !== process.env['KAA_CLI_BIN'] && dirname(bin).startsWith(join(tmpdir(), 'kaa-cli-build-')))
    await rm(dirname(bin), { recursive: true, force: true });
}

/** A valid Kore Data Table config with one bot; its secrets come from {@link GOOD_ENV}. */
export const GOOD_CONFIG = `version: 1
page:
  url: https://kaa.example.com/koreaiaa-genesys/
agentAi:
  url: https://platform.kore.ai
genesys:
  environment: https://apps.mypurecloud.ie
  oauthClientId: c1a00000-0000-4000-8000-00000000000b
dataTable:
  name: kaa_bots
  qDelimiter: "_"
  readApp:
    clientId: cs-da7a0000-0000-4000-8000-0000000000a1
    clientSecret: { env: KAA_TABLE_READ_SECRET }
bots:
  alpha:
    botId: st-a1fa0000-0000-4000-8000-000000000001
    clientId: cs-a1fa0000-0000-4000-8000-000000000001
    clientSecret: { env: KAA_ALPHA_SECRET }
    queues: [ALPHAINC]
`;
/** The environment that resolves {@link GOOD_CONFIG}'s secrets. */
export const GOOD_ENV = {
  KAA_TABLE_READ_SECRET: 'table-read-secret-for-tests',
  KAA_ALPHA_SECRET: 'alpha-secret-for-tests',
};
