#!/usr/bin/env node
// The one-command demo (`npx -y pnpm@10 demo`): install if needed, build the packages and the page, then start
// the sandbox (Genesys + Kore + agent desktop) with the built page on its own origin, print the agent-desktop
// URL and keep running until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// pnpm sets npm_execpath to its own entry when it runs this script; fall back to pnpm on PATH, then npx.
const execPath = process.env.npm_execpath;
const pnpm = execPath && /pnpm/.test(execPath) ? (execPath.endsWith('.js') || execPath.endsWith('.cjs') ? [process.execPath, execPath] : [execPath]) : ['pnpm'];

function run(args, { optional = false, label } = {}) {
  process.stdout.write(`\n› ${label ?? ['pnpm', ...args].join(' ')}\n`);
  const result = spawnSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: 'inherit' });
  if (result.error && !optional) throw result.error;
  if (result.status !== 0) {
    if (optional) process.stdout.write(`  (continuing: "${args.join(' ')}" failed; the page is built from the packages' sources)\n`);
    else process.exit(result.status ?? 1);
  }
}

if (!existsSync(`${root}/node_modules/.modules.yaml`)) run(['install']);
run(['-r', '--filter', './packages/**', 'run', 'build'], { optional: true, label: 'build the packages' });
run(['--filter', '@kaa/iframe', 'build'], { label: 'build the page (vite)' });

const tsx = `${root}/node_modules/.bin/tsx`;
const child = spawn(tsx, ['--tsconfig', 'tsconfig.json', 'apps/iframe/dev/demo.ts'], { cwd: root, stdio: 'inherit' });
const forward = (signal) => () => child.kill(signal);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 0));
