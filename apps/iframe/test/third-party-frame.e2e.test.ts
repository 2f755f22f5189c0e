/**
 * The page on another site than the desktop, as in production (apps.mypurecloud.* frames your host), in a browser
 * that blocks third-party cookies and site data: Web Storage is denied to the frame.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATIONS } from '@kaa/sandbox';
import { expectWidgetConnected } from '@kaa/test-support';
import { buildPage, expectNoPageSecrets, openInteraction, popupClosed, startHarness, waitForPhase } from './browser.js';
import type { Harness } from './browser.js';

let pageDir: string;
let h: Harness;

beforeAll(async () => {
  pageDir = await buildPage();
  h = await startHarness(pageDir, { pageHost: 'localhost', thirdPartySiteData: 'blocked' });
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

describe('a cross-site frame without site data (third-party storage blocked)', () => {
  it('says why, signs in through the popup, and the widget loads: never a blank frame', async () => {
    expect(new URL(h.s.pageUrl).hostname).toBe('localhost');
    expect(new URL(h.s.desktopUrl).hostname).toBe('127.0.0.1');
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    // the browser really denies storage to this frame
    await frame.waitForSelector('#kaa-notice:not([hidden])');
    expect(
      await frame.evaluate(() => {
        try {
          void window.sessionStorage.length;
          return 'readable';
        } catch (e) {
          return (e as DOMException).name;
        }
      }),
    ).toBe('SecurityError');
    expect(await frame.locator('#kaa-notice').textContent()).toMatch(
      /blocks cookies and site data.*allow third-party cookies and site data for http:\/\/localhost:\d+/s,
    );
    const button = frame.getByRole('button', { name: 'Sign in to Genesys Cloud' });
    await button.waitFor();
    // the agent is told the panel waits for them, not that it is still starting
    expect(await frame.locator('#kaa-status').textContent()).toMatch(/^Waiting for you to sign in/);
    const popup = h.context.waitForEvent('page');
    await button.click();
    await popupClosed(await popup);
    const phase = await waitForPhase(frame, ['live', 'failed']);
    if (phase !== 'live') expect(await frame.locator('#kaa-error').textContent()).toBe('(no error panel)');
    await expectWidgetConnected(h.page, CONVERSATIONS.voiceAlpha);
    expect(h.console.some((l) => l.startsWith('pageerror'))).toBe(false);
    await expectNoPageSecrets(h);
  });
});
