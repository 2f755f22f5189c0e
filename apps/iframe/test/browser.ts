/**
 * End-to-end harness: builds the page once (vite, into a temp dir), starts the page sandbox and a fresh
 * Debian Chromium profile, and watches everything the page prints, addresses, stores and sends for the secret scan
 * ({@link expectNoPageSecrets}).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { build } from 'vite';
import {
  assertChromium,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  expectNoSecretsInBrowser,
  watchBrowser,
} from '@kaa/test-support';
import type { BrowserWatch, TrackedSecret } from '@kaa/test-support';
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
  /** Console lines of every page (`type: text`, `pageerror: …`). */
  console: string[];
  /** Every address any frame navigated to (login answers included: the page cleans them afterwards). */
  urls: string[];
  /** What the secret scan reads; undefined with `watch: false`. */
  watch?: BrowserWatch;
  close(): Promise<void>;
}

/** Harness options: the page sandbox's, plus the browser profile's third-party site-data setting. */
export interface HarnessOptions extends Omit<PageSandboxOptions, 'pageDir'> {
  /**
   * Chromium's "third-party cookies and site data" setting, written into the fresh profile: `blocked` denies Web
   * Storage to a cross-site frame (`pageHost: 'localhost'`). Default: the build's own default.
   */
  thirdPartySiteData?: 'blocked' | 'allowed';
  /**
   * Record requests, messages and sockets for the secret scan (default true). The benchmark turns it off: the
   * recording runs a listener in every frame.
   */
  watch?: boolean;
}

export async function startHarness(pageDir: string, options: HarnessOptions = {}): Promise<Harness> {
  assertChromium();
  const { thirdPartySiteData, watch: watching = true, ...sandboxOptions } = options;
  const s = await startPageSandbox({ pageDir, desktop: { pollMs: 250 }, ...sandboxOptions });
  const profile = mkdtempSync(join(tmpdir(), 'kaa-iframe-e2e-'));
  if (thirdPartySiteData) {
    const blocked = thirdPartySiteData === 'blocked';
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(
      join(profile, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: blocked ? 1 : 0, block_third_party_cookies: blocked } }),
    );
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    viewport: { width: 1280, height: 1000 },
    args: [...CHROMIUM_ARGS],
  });
  const watch = watching ? await watchBrowser(context) : undefined;
  const consoleLines: string[] = watch?.console ?? [];
  const urls: string[] = [];
  const track = (p: Page) => {
    if (!watch) {
      p.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      p.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    }
    p.on('framenavigated', (f: Frame) => urls.push(f.url()));
  };
  context.on('page', track);
  const page = context.pages()[0] ?? (await context.newPage());
  track(page);
  return {
    s,
    context,
    page,
    console: consoleLines,
    urls,
    ...(watch ? { watch } : {}),
    async close() {
      await context.close().catch(() => undefined);
      await s.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the desktop (optionally with another Interaction Widget URL) and selects an interaction. */
export async function openInteraction(
  h: Harness,
  conversationId: string,
  widgetUrlTemplate?: string,
  desktopConfig: Record<string, unknown> = {},
): Promise<Frame> {
  await h.page.unroute('**/desktop/config.json').catch(() => undefined);
  if (widgetUrlTemplate || Object.keys(desktopConfig).length > 0) {
    await h.page.route('**/desktop/config.json', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as Record<string, unknown>;
      await route.fulfill({
        response,
        json: { ...config, ...desktopConfig, ...(widgetUrlTemplate ? { widgetUrlTemplate } : {}) },
      });
    });
  }
  await h.page.goto(h.s.desktopUrl);
  const button = h.page.locator(`#interactions li[data-conversation-id="${conversationId}"] button`);
  await button.waitFor();
  await button.click();
  // attached, not visible: with the bootstrap hook the desktop keeps the frame hidden until the page answers
  const handle = await h.page.waitForSelector(`iframe[data-conversation-id="${conversationId}"]`, {
    state: 'attached',
  });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no widget frame');
  return frame;
}

/** Waits until the page reaches one of `phases` (body[data-kaa-phase]); returns it. */
export async function waitForPhase(frame: Frame, phases: readonly string[], timeoutMs = 20_000): Promise<string> {
  const handle = await frame.waitForFunction(
    (wanted) => {
      const p = document.body?.dataset['kaaPhase'];
      return p && wanted.includes(p) ? p : false;
    },
    phases,
    { timeout: timeoutMs, polling: 25 },
  ); // not requestAnimationFrame: a frame the desktop keeps hidden (until bootstrapped) paints nothing
  return (await handle.jsonValue()) as string;
}

/** Polls `probe` until it returns a truthy value. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
}

/** Forgets what the harness observed (console lines, requests, messages, sockets): each test scans its own. */
export function clearObservations(h: Harness): void {
  h.console.length = 0;
  h.watch?.clear();
}

/**
 * The page's secret scan: every secret that exists at runtime — what the sandbox issued or received
 * (`sandbox.issuedSecrets()`: Genesys access tokens, codes, PKCE verifiers; Kore table tokens, bot-app JWTs, widget
 * JWTs, jwtgrant tokens; ClientSecrets, private keys), the x_metadata token, and `planted` — checked against the
 * console, the DOM of every frame, every address (history included) and iframe `src`, the page origin's storage and
 * what the page sent. Allowed by design, and nowhere else:
 * - the Genesys token in `sessionStorage` `kaa.genesys.token.*` (the page's token store). Nothing secret in
 *   `localStorage`: the bot table is cached in memory only (docs/assumptions.md#bot-table-reads-and-cache);
 * - the x_metadata token in the page's own address (`x_metadata`, put there by the desktop), the widget JWT in the
 *   widget iframe's `token` parameter (Kore's widget protocol); the login answer (`code`) in the navigation the
 *   login server redirects to, which the page then cleans from its address;
 * - in requests: codes and verifiers to the login origin, the access token to the API origin, table tokens and
 *   bot-app JWTs to Kore. Messages to the widget and the desktop carry none.
 */
export async function expectNoPageSecrets(h: Harness, planted: readonly TrackedSecret[] = []): Promise<void> {
  if (!h.watch) throw new Error('this harness was started with watch: false; the secret scan needs its recordings');
  const o = h.s.sandbox.origins;
  const pageOrigin = new URL(h.s.pageUrl).origin;
  await expectNoSecretsInBrowser(h.context, h.watch, {
    secrets: [...h.s.sandbox.issuedSecrets(), { kind: 'kore-table-token', value: h.s.xMetadataToken }, ...planted],
    pageOrigin,
    sendTo: {
      [o.login]: ['genesys-authorization-code', 'genesys-pkce-verifier'],
      [o.api]: ['genesys-access-token'],
      [o.kore]: ['kore-table-token', 'kore-platform-jwt'],
    },
    storage: [{ area: 'sessionStorage', keyPrefix: 'kaa.genesys.token.', kinds: ['genesys-access-token'] }],
    addressParams: { [pageOrigin]: { x_metadata: ['kore-table-token'] }, [o.kore]: { token: ['kore-widget-jwt'] } },
    navigationParams: { [pageOrigin]: { code: ['genesys-authorization-code'] } },
    printed: [
      /[?&#](code|access_token|state|token)=(?!\[REDACTED\])[^&\s"'<]/,
      /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
    ],
    pageAddresses: [/[?&#](code|access_token|state)=/],
  });
}

/**
 * Waits until a login popup has closed itself. Polls `isClosed()`: a fast popup can close before a `close` listener
 * is attached, and then the event never comes.
 */
export async function popupClosed(popup: Page, timeoutMs = 15_000): Promise<void> {
  await eventually(() => popup.isClosed(), timeoutMs, 'the login popup to close');
}

/** A fresh tab (new sessionStorage: no Genesys token) that becomes `h.page`. */
export async function freshTab(h: Harness): Promise<Page> {
  await h.page.close().catch(() => undefined);
  h.page = await h.context.newPage();
  return h.page;
}

/** Clears the page origin's localStorage (END claim, hooks state, remembered grant). */
export async function clearPageStorage(h: Harness): Promise<void> {
  const tab = await h.context.newPage();
  await tab.goto(`${h.s.pageUrl}kaa.config.json`);
  await tab.evaluate(() => localStorage.clear());
  await tab.close();
}
