/**
 * The README's commands as a person runs them: `pnpm demo` (= `node scripts/demo.mjs`, which builds the page when it is stale and
 * starts the demo under tsx) and `pnpm sandbox` (its package script: tsx on `packages/sandbox/src/cli.ts`), each a
 * child process whose printed desktop URL is opened in Chromium. What the agent sees is checked: the desktop, the kaa
 * page and the stand-in widget without a page error or console error, the Alpha call's widget connected, "Play
 * transcript" rendered in order in the widget, the unmapped queue's error panel naming the queue. Ctrl+C (SIGINT)
 * stops the command and frees every printed port, and the built page `apps/iframe/dist` is never modified.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleMessage, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOTS,
  CONVERSATIONS,
  DEFAULT_TRANSCRIPT_SCRIPT,
  KORE_DATA_TABLE,
  OAUTH_CLIENTS,
  QUEUES,
  WIDGET_PATH,
} from '@kaa/sandbox';
import { expectWidgetConnected, expectWidgetTranscript, launchChromium } from '@kaa/test-support';
import type { LaunchedChromium } from '@kaa/test-support';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = join(ROOT, 'apps/iframe/dist');
const SANDBOX_DIR = join(ROOT, 'packages/sandbox');
const SECRETS = [
  ...Object.values(BOTS).map((b) => b.clientSecret),
  KORE_DATA_TABLE.readApp.clientSecret,
  KORE_DATA_TABLE.adminApp.clientSecret,
  OAUTH_CLIENTS.credentials.secret,
];

/** The environment of a person's shell: this process's, without what vitest adds. */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST') && k !== 'TEST'),
  );
  return { ...env, ...extra };
}

/** A port base for fixed ports (base … base+4) below the ephemeral range, unlikely to be taken. */
const portBase = (): number => 12_000 + Math.floor(Math.random() * 3_000) * 5;

/** Every file under `dir` by relative path → sha256. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

/** Paths added, removed or changed between two snapshots. */
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Every origin the command printed. */
  origins: string[];
  desktopUrl: string;
  koreOrigin: string;
}

/** Starts `argv` and waits until it prints `Press Ctrl+C` (or fails with its output). */
async function start(argv: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<Running> {
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: shellEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = (): string => `${stdout}\n--- stderr ---\n${stderr}`;
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const check = (): void => {
      if (!stdout.includes('Press Ctrl+C')) return;
      clearTimeout(timer);
      resolve(true);
    };
    child.stdout!.on('data', check);
    void exited.then(() => (clearTimeout(timer), resolve(false)));
  });
  if (!ready) {
    child.kill('SIGINT');
    throw new Error(
      `${argv.join(' ')} did not print its desktop URL within ${timeoutMs} ms:\n${output().slice(-4000)}`,
    );
  }
  const desktopUrl = /(?:Agent desktop|Desktop URL)\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
  const koreOrigin = /Kore platform\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  if (!desktopUrl || !koreOrigin) {
    child.kill('SIGINT');
    throw new Error(`no desktop URL or Kore origin in the output:\n${stdout}`);
  }
  const origins = [...new Set([...stdout.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((m) => m[0]))];
  return { child, output, exited, origins, desktopUrl, koreOrigin };
}

/** True when nothing listens on the origin's port any more. */
function refused(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Ctrl+C: SIGINT to the command; it must exit 0 and free every port it printed. */
async function stop(r: Running): Promise<void> {
  r.child.kill('SIGINT');
  expect(await r.exited).toBe(0);
  for (const origin of r.origins) expect(await refused(origin), `${origin} still accepts connections`).toBe(true);
}

/** Polls `probe` on a timer (frames the desktop keeps hidden paint nothing) until it returns a value. */
async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: () => string,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every page error and console error of the tab and its frames, with the frame's address. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console error at ${m.location().url}: ${m.text()}`);
  });
  return errors;
}

/** Selects an interaction in the desktop; returns the frame of its Interaction Widget (the kaa page). */
async function open(page: Page, conversationId: string): Promise<Frame> {
  await page.locator(`#interactions li[data-conversation-id="${conversationId}"] button`).click();
  // attached, not visible: with the bootstrap lifecycle hook the desktop shows the frame once the page answers
  const handle = await page.waitForSelector(`iframe[data-conversation-id="${conversationId}"]`, { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no Interaction Widget frame');
  return frame;
}

/** What the agent sees, from the printed desktop URL. */
async function expectAgentSees(browser: LaunchedChromium, r: Running): Promise<void> {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(r.desktopUrl);
  const seen = (): string => `; errors so far: ${JSON.stringify(errors)}`;
  await until(
    async () => ((await page.locator('#connection').textContent()) === 'connected' ? true : undefined),
    () => `the desktop to show "connected"${seen()}`,
  );
  expect(await page.locator('#interactions li').count()).toBeGreaterThanOrEqual(5);

  // the Alpha call: the page loads the widget, which connects
  const alpha = await open(page, CONVERSATIONS.voiceAlpha);
  const widget = await expectWidgetConnected(page, CONVERSATIONS.voiceAlpha, { timeoutMs: 60_000 });
  expect(
    widget.url().startsWith(`${r.koreOrigin}${WIDGET_PATH}`),
    `the widget is served by the printed Kore origin${seen()}`,
  ).toBe(true);
  expect(alpha.childFrames()).toContain(widget);
  await expect.poll(() => widget.locator('#bot-name').textContent()).toBe(BOTS.alpha.name);

  // "Play transcript": the utterances appear in the widget's transcript, in order, once
  await page.locator('#play-transcript').click();
  await expectWidgetTranscript(
    page,
    CONVERSATIONS.voiceAlpha,
    DEFAULT_TRANSCRIPT_SCRIPT.map((u) => ({ speaker: u.channel === 'EXTERNAL' ? 'Customer' : 'Agent', text: u.text })),
    { timeoutMs: 60_000 },
  );
  expect(errors).toEqual([]);

  // the unmapped queue: the page's error panel names the queue
  const unmapped = await open(page, CONVERSATIONS.voiceUnmapped);
  const panel = unmapped.locator('#kaa-error');
  await panel.waitFor({ state: 'visible', timeout: 30_000 });
  expect(await panel.getAttribute('data-code')).toBe('E_QUEUE_NOT_MAPPED');
  expect(await panel.textContent()).toContain(QUEUES.unmapped.name);
  // the only error line is the page's own log of that failure
  expect(errors.filter((e) => !(e.includes('kaa: bot table failed') && e.includes('E_QUEUE_NOT_MAPPED')))).toEqual([]);
  await page.close();
}

/** The command's output names no seeded secret and no token. */
function expectNoSecretsIn(text: string): void {
  for (const secret of SECRETS)
    expect(text.includes(secret), `a secret starting "${secret.slice(0, 6)}" was printed`).toBe(false);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/);
}

let browser: LaunchedChromium;
let built: Map<string, string>;

beforeAll(async () => {
  // the page as `pnpm build` leaves it (the commands rebuild it; vite's output is the same bytes for the same sources)
  const vite = spawn(join(ROOT, 'apps/iframe/node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: join(ROOT, 'apps/iframe'),
    env: shellEnv({}),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  vite.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => vite.once('exit', resolve));
  if (code !== 0) throw new Error(`vite build failed: ${err}`);
  built = snapshot(DIST);
  browser = await launchChromium({ profilePrefix: 'kaa-readme-e2e-', viewport: { width: 1280, height: 1000 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe("the README's commands, run as a person runs them", () => {
  it('`pnpm demo` (node scripts/demo.mjs): the agent sees the widget, the transcript and the error panel; Ctrl+C frees the ports; apps/iframe/dist is untouched', async () => {
    const demo = await start(
      [process.execPath, 'scripts/demo.mjs'],
      ROOT,
      { KAA_DEMO_PORT_BASE: String(portBase()) },
      480_000,
    );
    try {
      expect(changes(built, snapshot(DIST)), 'files of apps/iframe/dist changed by the demo').toEqual([]);
      await expectAgentSees(browser, demo);
      expectNoSecretsIn(demo.output());
    } finally {
      await stop(demo);
    }
    expect(changes(built, snapshot(DIST)), 'files of apps/iframe/dist changed by the demo').toEqual([]);
  }, 600_000);

  it('`pnpm sandbox` (its package script, tsx src/cli.ts): the same agent checks on the built page it serves; Ctrl+C frees the ports', async () => {
    const script = (
      JSON.parse(readFileSync(join(SANDBOX_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    const [bin, ...args] = script.split(/\s+/);
    const sandbox = await start(
      [join(ROOT, 'node_modules/.bin', bin!), ...args],
      SANDBOX_DIR,
      { KAA_SANDBOX_PORT_BASE: String(portBase()) },
      60_000,
    );
    try {
      await expectAgentSees(browser, sandbox);
      expectNoSecretsIn(sandbox.output());
    } finally {
      await stop(sandbox);
    }
    expect(changes(built, snapshot(DIST)), 'files of apps/iframe/dist changed by the sandbox').toEqual([]);
  }, 180_000);
});
