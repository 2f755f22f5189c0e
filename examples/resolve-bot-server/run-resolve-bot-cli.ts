import type { Logger } from '@kaa/core';
import { KaaError, isKaaError, redact, toKaaError } from '@kaa/core';
import { RESOLVE_BOT_USAGE, readCliOptions } from './read-cli-options.js';
import { resolveBotForConversation } from './resolve-bot-for-conversation.js';

/**
 * The IO of {@link runResolveBotCli}: the real process in `main.ts`, fakes in tests.
 *
 * @example
 * ```ts
 * const io: ResolveBotCliIo = { argv: process.argv.slice(2), env: process.env, fetch, now: Date.now,
 *   readFile: (p) => readFileSync(p, 'utf8'), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
 * ```
 */
export interface ResolveBotCliIo {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  now: () => number;
  readFile: (path: string) => string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit codes: 0 resolved, 1 not resolvable (queue, table, token, conversation), 2 usage/configuration, 3 remote failure. */
function exitCodeFor(error: KaaError): number {
  if (error.step === 'parameters' || error.step === 'configuration' || error.step === 'environment') return 2;
  if (
    error.step === 'network' ||
    error.step === 'login' ||
    error.code.startsWith('E_HTTP_') ||
    error.code === 'E_RATE_LIMITED' ||
    error.code === 'E_RESPONSE_INVALID'
  )
    return 3;
  if (error.step === 'internal') return 4;
  return 1;
}

/**
 * The command: reads flags and environment, resolves the bot, prints the redacted summary as JSON on stdout, or
 * `error <code> (<step>): <message>` on stderr. Every line written is also passed through core's `redact` with the
 * secrets from the environment, so nothing secret reaches the terminal even through a bug upstream.
 *
 * @example
 * ```ts
 * process.exitCode = await runResolveBotCli({ argv: process.argv.slice(2), env: process.env, fetch: (u, i) => fetch(u, i),
 *   now: Date.now, readFile: (p) => readFileSync(p, 'utf8'), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
 * ```
 */
export async function runResolveBotCli(io: ResolveBotCliIo): Promise<number> {
  const secrets = [io.env.GENESYS_CLIENT_SECRET, io.env.KAA_TABLE_TOKEN, io.env.KAA_X_METADATA].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  const out = (text: string) => io.stdout(redact(text, secrets));
  const err = (text: string) => io.stderr(redact(text, secrets));
  try {
    const parsed = readCliOptions(io.argv, io.env, io.readFile);
    if (parsed.help) {
      out(`${RESOLVE_BOT_USAGE}\n`);
      return 0;
    }
    const line = (level: string) => (message: string, data?: Record<string, unknown>) =>
      err(`${level} ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`);
    const quiet = () => {};
    const logger: Logger = parsed.verbose
      ? { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
      : { debug: quiet, info: quiet, warn: line('warn'), error: line('error') };
    const resolved = await resolveBotForConversation({ ...parsed.options, fetch: io.fetch, now: io.now, logger });
    out(`${JSON.stringify(resolved.summary, null, 2)}\n`);
    return 0;
  } catch (e) {
    const error = isKaaError(e)
      ? e
      : toKaaError(e, 'E_INTERNAL', 'The example failed unexpectedly. Run with --verbose and report the output.');
    err(`error ${error.code} (${error.step}): ${error.message}\n`);
    if (error.details && Object.keys(error.details).length > 0) err(`details ${JSON.stringify(error.details)}\n`);
    return exitCodeFor(error);
  }
}
