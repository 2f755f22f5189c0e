import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/**
 * Where the Debian Chromium the browser tests drive lives.
 *
 * @example
 * ```ts
 * describe.skipIf(!existsSync(CHROMIUM_PATH))('in a browser', () => { … });
 * ```
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The standard flags of every kaa browser test: headless, no sandbox, no GPU, no background traffic.
 *
 * @example
 * ```ts
 * await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

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
  /** How long to wait for {@link CHROMIUM_PATH} to appear (it may still be installing); default 0 ms. */
  waitForBinaryMs?: number;
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
 * Launches {@link CHROMIUM_PATH} with {@link CHROMIUM_ARGS} on a fresh profile under `os.tmpdir()`. Throws a
 * plain message when the binary is missing (after `waitForBinaryMs`).
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
  const deadline = Date.now() + (options.waitForBinaryMs ?? 0);
  while (!existsSync(CHROMIUM_PATH) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing; install Debian chromium before running browser tests`);
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
