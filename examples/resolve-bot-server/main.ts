/**
 * Server-side bot resolution for one Genesys conversation, with client credentials: the same steps as the kaa page,
 * in Node. Run `tsx examples/resolve-bot-server/main.ts --help`. The work is in `resolveBotForConversation`;
 * this file only wires the real process (argv, environment, fetch, clock, stdout/stderr) into `runResolveBotCli`.
 */
import { readFileSync } from 'node:fs';
import { runResolveBotCli } from './run-resolve-bot-cli.js';

process.exitCode = await runResolveBotCli({
  argv: process.argv.slice(2),
  env: process.env,
  fetch: (url, init) => fetch(url, init),
  now: () => Date.now(),
  readFile: (path) => readFileSync(path, 'utf8'),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
