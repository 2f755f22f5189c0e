/**
 * End-to-end harness: builds the page once (vite, into a temp dir), starts the page sandbox and a fresh
 * Debian Chromium profile, and collects every console line, page URL and frame URL for the secret scan.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { build } from 'vite';
import { assertChromium, CHROMIUM_ARGS, CHROMIUM_PATH } from '@kaa/test-support';
import { startPageSandbox } from '../dev/page-sandbox.js';
import type { PageSandbox, PageSandboxOptions } from '../dev/page-sandbox.js';

export const ARTIFACTS = fileURLToPath(new URL('../../../.artifacts/', import.meta.url));
const CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** Builds the page into a fresh temp dir; returns the dir. */
export async function buildPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'kaa-iframe-dist-'));
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** One browser with its sandbox, and everything observed for the secret scan. */
export interface Harness {
  s: PageSandbox;
  context: BrowserContext;
  page: Page;
  console: string[];
  urls: string[];
  close(): Promise<void>;
}

/** Harness options: the page sandbox's, plus the browser profile's third-party site-data setting. */
export interface HarnessOptions extends Omit<PageSandboxOptions, 'pageDir'> {
  /**
   * Chromium's "third-party cookies and site data" setting, written into the fresh profile: `blocked` denies Web
   * Storage to a cross-site frame (`pageHost: 'localhost'`). Default: the build's own default.
   */
  thirdPartySiteData?: 'blocked' | 'allowed';
}

export async function startHarness(pageDir: string, options: HarnessOptions = {}): Promise<Harness> {
  assertChromium();
  const { thirdPartySiteData, ...sandboxOptions } = options;
  const s = await startPageSandbox({ pageDir, desktop: { pollMs: 250 }, ...sandboxOptions });
  const profile = mkdtempSync(join(tmpdir(), 'kaa-iframe-e2e-'));
  if (thirdPartySiteData) {
    const blocked = thirdPartySiteData === 'blocked';
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: blocked ? 1 : 0, block_third_party_cookies: blocked } }));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    viewport: { width: 1280, height: 1000 },
    args: [...CHROMIUM_ARGS],
  });
  const consoleLines: string[] = [];
  const urls: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    p.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    p.on('framenavigated', (f: Frame) => urls.push(f.url()));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    s,
    context,
    page,
    console: consoleLines,
    urls,
    async close() {
      await context.close().catch(() => undefined);
      await s.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the desktop (optionally with another Interaction Widget URL) and selects an interaction. */
export async function openInteraction(h: Harness, conversationId: string, widgetUrlTemplate?: string, desktopConfig: Record<string, unknown> = {}): Promise<Frame> {
  await h.page.unroute('**/desktop/config.json').catch(() => undefined);
  if (widgetUrlTemplate || Object.keys(desktopConfig).length > 0) {
    await h.page.route('**/desktop/config.json', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...config, ...desktopConfig, ...(widgetUrlTemplate ? { widgetUrlTemplate } : {}) } });
    });
  }
  await h.page.goto(h.s.desktopUrl);
  const button = h.page.locator(`#interactions li[data-conversation-id="${conversationId}"] button`);
  await button.waitFor();
  await button.click();
  // attached, not visible: with the bootstrap hook the desktop keeps the frame hidden until the page answers
  const handle = await h.page.waitForSelector(`iframe[data-conversation-id="${conversationId}"]`, { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no widget frame');
  return frame;
}

/** Waits until the page reaches one of `phases` (body[data-kaa-phase]); returns it. */
export async function waitForPhase(frame: Frame, phases: readonly string[], timeoutMs = 20_000): Promise<string> {
  const handle = await frame.waitForFunction((wanted) => {
    const p = document.body?.dataset['kaaPhase'];
    return p && wanted.includes(p) ? p : false;
  }, phases, { timeout: timeoutMs, polling: 25 }); // not requestAnimationFrame: a frame the desktop keeps hidden (until bootstrapped) paints nothing
  return (await handle.jsonValue()) as string;
}

/** Polls `probe` until it returns a truthy value. */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
}

/** Everything visible to a person or a log: the DOM of every frame of the page's origin, console lines and URLs. */
export async function observable(h: Harness): Promise<{ printed: string; addresses: string[] }> {
  const pageOrigin = new URL(h.s.pageUrl).origin;
  const doms: string[] = [];
  for (const frame of h.page.frames()) {
    if (!frame.url().startsWith(pageOrigin)) continue;
    // the widget iframe's src carries the widget token by Kore's protocol (docs/kore-protocol.md#widget-url-kaa-builds); it is not printed by the page
    const html = await frame.content().catch(() => '');
    doms.push(html.replace(/(<iframe[^>]*title="Kore\.ai Agent AI"[^>]*\ssrc=")[^"]*"/g, '$1[widget src]"'));
  }
  // the address of every page frame as it stands (the login answer must have been cleaned from it)
  const addresses = h.page.frames().map((f) => f.url()).filter((u) => u.startsWith(pageOrigin));
  return { printed: [...doms, ...h.console].join('\n'), addresses };
}

/** A fresh tab (new sessionStorage: no Genesys token) that becomes `h.page`. */
export async function freshTab(h: Harness): Promise<Page> {
  await h.page.close().catch(() => undefined);
  h.page = await h.context.newPage();
  return h.page;
}

/** Clears the page origin's localStorage (bot table cache, END claim, remembered grant). */
export async function clearPageStorage(h: Harness): Promise<void> {
  const tab = await h.context.newPage();
  await tab.goto(`${h.s.pageUrl}kaa.config.json`);
  await tab.evaluate(() => localStorage.clear());
  await tab.close();
}
