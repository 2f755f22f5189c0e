#!/usr/bin/env node
// The one-command demo (`npx -y pnpm@10 demo`): install if needed, build the page when its sources changed since the
// last build, then start the sandbox (Genesys + Kore + agent desktop) with a copy of the built page on its own origin,
// print the agent-desktop URL and keep running until Ctrl-C. The demo runs the packages from their sources (tsx and
// vite resolve `@kaa/*` to `src`), so it never builds or rewrites a package's `dist`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// pnpm sets npm_execpath to its own entry when it runs this script; fall back to pnpm on PATH, then npx.
const execPath = process.env.npm_execpath;
const pnpm =
  execPath && /pnpm/.test(execPath)
    ? execPath.endsWith('.js') || execPath.endsWith('.cjs')
      ? [process.execPath, execPath]
      : [execPath]
    : ['pnpm'];

function run(args, { label } = {}) {
  process.stdout.write(`\n› ${label ?? ['pnpm', ...args].join(' ')}\n`);
  const result = spawnSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Newest modification time (ms) of the files under `paths` (directories walked; node_modules and dist skipped). */
function newest(paths) {
  let max = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && name !== 'dist') visit(join(path, name));
    } else max = Math.max(max, stat.mtimeMs);
  };
  paths.forEach(visit);
  return max;
}

if (!existsSync(`${root}/node_modules/.modules.yaml`)) run(['install']);
const page = join(root, 'apps/iframe');
const built = join(page, 'dist/index.html');
const inputs = [
  join(page, 'src'),
  join(page, 'public'),
  join(page, 'index.html'),
  join(page, 'auth-callback.html'),
  join(page, 'vite.config.ts'),
  join(root, 'packages/core/src'),
  join(root, 'packages/genesys-adapter/src'),
  join(root, 'packages/kore-client/src'),
];
if (existsSync(built) && statSync(built).mtimeMs >= newest(inputs))
  process.stdout.write('\n› the page is up to date (apps/iframe/dist)\n');
else run(['--filter', '@kaa/iframe', 'build'], { label: 'build the page (vite)' });

const tsx = `${root}/node_modules/.bin/tsx`;
const child = spawn(tsx, ['--tsconfig', 'tsconfig.json', 'apps/iframe/dev/demo.ts'], { cwd: root, stdio: 'inherit' });
const forward = (signal) => () => child.kill(signal);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 0));
