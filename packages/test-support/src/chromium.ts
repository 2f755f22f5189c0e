import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { chromiumPath, INSTALL_COMMAND } from './ensure-chromium.mjs';

/**
 * Where the Chromium the browser tests drive lives: Debian's `/usr/bin/chromium`, or `KAA_CHROMIUM_PATH`. The e2e
 * project's globalSetup (`ensure-chromium.mjs`) has made it available, or stopped the run, before any suite starts.
 *
 * @example
 * ```ts
 * await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
 * ```
 */
export const CHROMIUM_PATH = chromiumPath();

/**
 * The standard flags of every kaa browser test: headless, no sandbox, no GPU, no background traffic.
 *
 * @example
 * ```ts
 * await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Throws at once, naming the install command, when {@link CHROMIUM_PATH} is missing (a browser test started outside
 * the e2e project, whose globalSetup checks first).
 *
 * @example
 * ```ts
 * assertChromium(); // then launch
 * ```
 */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing; run: ${INSTALL_COMMAND}`);
}

/**
 * Options of {@link launchChromium}.
 *
 * @example
 * ```ts
 * const options: LaunchChromiumOptions = { profilePrefix: 'kaa-desktop-e2e-', viewport: { width: 1280, height: 900 } };
 * ```
 */
export interface LaunchChromiumOptions {
  /** Prefix of the fresh profile directory under `os.tmpdir()`; default `kaa-e2e-`. */
  profilePrefix?: string;
  viewport?: { width: number; height: number };
}

/**
 * A launched Chromium: its persistent context and a `close()` that also deletes the profile.
 *
 * @example
 * ```ts
 * const { context, close } = await launchChromium();
 * ```
 */
export interface LaunchedChromium {
  readonly context: BrowserContext;
  readonly profileDir: string;
  close(): Promise<void>;
}

/**
 * Launches {@link CHROMIUM_PATH} with {@link CHROMIUM_ARGS} on a fresh profile under `os.tmpdir()`. Throws at once,
 * with the install command, when the binary is missing (never waits for it).
 *
 * @example
 * ```ts
 * let browser: LaunchedChromium;
 * beforeAll(async () => { browser = await launchChromium({ profilePrefix: 'kaa-widget-e2e-' }); });
 * afterAll(() => browser?.close());
 * const page = await browser.context.newPage();
 * ```
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<LaunchedChromium> {
  assertChromium();
  const profileDir = await mkdtemp(join(tmpdir(), options.profilePrefix ?? 'kaa-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
  } catch (e) {
    await rm(profileDir, { recursive: true, force: true });
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    context,
    profileDir,
    close() {
      closing ??= (async () => {
        const browser = context.browser();
        await context.close();
        await browser?.close().catch(() => undefined);
        await rm(profileDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
