/**
 * Node only: `pnpm demo`'s server half (started by scripts/demo.mjs after the build). Serves a copy of the built
 * page (`apps/iframe/dist`, never modified) with the sandbox's settings on its own origin beside the sandbox Genesys, Kore and agent desktop, prints the
 * desktop URL and runs until Ctrl-C. `KAA_DEMO_PORT_BASE` picks fixed ports (login = base … page = base+4;
 * default 4100, falling back to free ports when those are taken).
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONVERSATIONS, QUEUES } from '@kaa/sandbox';
import { startPageSandbox } from './page-sandbox.js';
import type { PageSandbox } from './page-sandbox.js';

const pageDir = process.env['KAA_DEMO_PAGE_DIR'] ?? fileURLToPath(new URL('../dist', import.meta.url));
if (!existsSync(`${pageDir}/index.html`)) {
  process.stderr.write(
    `The page is not built (${pageDir}/index.html is missing). Run: pnpm --filter @kaa/iframe build\n`,
  );
  process.exit(1);
}
const base = Number(process.env['KAA_DEMO_PORT_BASE'] ?? 4100);
const ports = { login: base, api: base + 1, apps: base + 2, kore: base + 3, page: base + 4 };

// the desktop behaves like an Interaction Widget with every advanced.lifecycle hook turned on
const desktop = { lifecycle: { bootstrap: true, focus: true, blur: true, stop: true } };
let running: PageSandbox;
try {
  running = await startPageSandbox({ pageDir, ports, desktop });
} catch {
  process.stdout.write(`Ports ${base}–${base + 4} are taken; using free ports instead.\n`);
  running = await startPageSandbox({ pageDir, desktop });
}
const o = running.sandbox.origins;
process.stdout.write(
  [
    '',
    'kaa demo is running on 127.0.0.1',
    `  Agent desktop   ${running.desktopUrl}`,
    `  kaa page        ${running.pageUrl}  (its own origin; a copy of apps/iframe/dist with the settings embedded, CSP served with it)`,
    `  Genesys API     ${o.api}   login ${o.login}`,
    `  Kore platform   ${o.kore}`,
    '',
    'Open the agent desktop, pick an interaction:',
    `  • "Call · … · ${QUEUES.alpha.name}" (${CONVERSATIONS.voiceAlpha}) → bot "Alpha Customer Service"; press "Play transcript" and watch the widget`,
    `  • "Message · … · ${QUEUES.koreSupport.name}" → bot "Kore Support"; type a customer message`,
    `  • "${QUEUES.unmapped.name}" / "${QUEUES.duplicate.name}" → the error panel naming the queue and the fix`,
    '  • "Close widget" sends the lifecycle stop hook: the page closes its socket and answers "stopped"',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);
let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  // a close that fails still ends the process, saying why (no unhandled rejection)
  void running.close().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`The demo did not close cleanly: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
