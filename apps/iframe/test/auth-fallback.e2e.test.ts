import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATIONS, OAUTH_CLIENTS } from '@kaa/sandbox';
import { expectWidgetConnected } from '@kaa/test-support';
import {
  buildPage,
  clearPageStorage,
  eventually,
  expectNoPageSecrets,
  freshTab,
  openInteraction,
  popupClosed,
  startHarness,
  waitForPhase,
} from './browser.js';
import type { Harness } from './browser.js';

let pageDir: string;
let h: Harness;
const configFetches: string[] = [];

beforeAll(async () => {
  pageDir = await buildPage();
  // this suite reads the settings from kaa.config.json; the page suite from the block embedded in index.html
  h = await startHarness(pageDir, { configDelivery: 'file' });
  h.context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/kaa.config.json')) configFetches.push(r.url());
  });
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

describe('auth.mode auto (docs/assumptions.md#popup-or-redirect-login): redirect first, popup after a framing failure', () => {
  it('the framed login is refused; re-opening the widget offers the popup sign-in (no second redirect) and the widget loads', async () => {
    await h.s.sandbox.genesys.reset();
    await clearPageStorage(h);
    h.s.sandbox.genesys.faults({ refuseFraming: true });
    await freshTab(h);
    const authorizeRequests: string[] = [];
    h.context.on('request', (r) => {
      const url = new URL(r.url());
      // the in-frame redirect comes back to the landing page, the popup to auth-callback.html
      if (url.pathname === '/oauth/authorize')
        authorizeRequests.push(
          url.searchParams.get('redirect_uri')?.endsWith('auth-callback.html') ? 'popup' : 'frame',
        );
    });
    const authorizeUrls = () => authorizeRequests;

    // 1. first load: the page redirects inside the frame, and the browser refuses to render the login page
    const frame = await openInteraction(
      h,
      CONVERSATIONS.voiceAlpha,
      h.s.appUrl({ genesysClientId: OAUTH_CLIENTS.pkce.id }),
    );
    await eventually(
      () => frame.url().startsWith('chrome-error://'),
      15_000,
      'the browser to refuse the framed login page',
    );
    expect(authorizeUrls()).toEqual(['frame']);
    const redirectedAt = Date.now();

    // 2. the agent re-opens the interaction after a while: the desktop loads the widget URL again
    await new Promise((r) => setTimeout(r, Math.max(0, 15_500 - (Date.now() - redirectedAt))));
    const handle = await h.page.waitForSelector(`iframe[data-conversation-id="${CONVERSATIONS.voiceAlpha}"]`);
    await handle.evaluate((f) => {
      const iframe = f as HTMLIFrameElement;
      iframe.src = iframe.getAttribute('src') ?? '';
    });
    const reloaded = await eventually(
      async () => {
        const f = await handle.contentFrame();
        return f && f.url().startsWith(h.s.pageUrl) ? f : null;
      },
      15_000,
      'the widget frame to load the page again',
    );
    const button = reloaded.getByRole('button', { name: 'Sign in to Genesys Cloud' });
    await button.waitFor({ timeout: 15_000 });
    expect(await reloaded.locator('body').textContent()).toMatch(/did not open inside this panel/);
    expect(authorizeUrls()).toEqual(['frame']); // no second in-frame redirect: no loop

    // 3. the popup (top level: framing rules do not apply) completes the login
    const popup = h.context.waitForEvent('page');
    await button.click();
    await popupClosed(await popup);
    const phase = await waitForPhase(reloaded, ['live', 'failed']);
    if (phase !== 'live') expect(await reloaded.locator('#kaa-error').textContent()).toBe('(no error panel)');
    await expectWidgetConnected(h.page, CONVERSATIONS.voiceAlpha);
    expect(authorizeUrls()).toEqual(['frame', 'popup']);
    expect(configFetches.length).toBeGreaterThan(0); // configDelivery 'file': the settings came from kaa.config.json
    expect(reloaded.url()).not.toMatch(/[?&#](code|access_token|state)=/);

    // nothing secret was printed, addressed, stored or sent on the way
    await expectNoPageSecrets(h);
  }, 90_000);
});
