/**
 * Node only (benchmark): opening an interaction in the sandbox desktop without running anything in the page's
 * renderer while it loads, for the time-to-widget benches.
 * @packageDocumentation
 */
import type { Frame } from 'playwright-core';
import type { Harness } from '../test/browser.js';

const SETTLE_MS = Number(process.env['KAA_BENCH_SETTLE_MS'] ?? 500);

/**
 * Opens the interaction like `openInteraction`, but waits from Node only, on DevTools frame-navigation events, until
 * the widget frame (Kore origin) navigates: nothing polls inside the desktop or the page while the page loads
 * (Playwright's `waitForSelector`/`waitForFunction` inject and run a script in the frame's renderer, which is the
 * desktop's renderer here, and would be timed as the page's own work). The page frame is inspected afterwards.
 */
export async function openWithoutProbing(
  h: Harness,
  conversationId: string,
  widgetUrlTemplate?: string,
): Promise<Frame> {
  await h.page.unroute('**/desktop/config.json').catch(() => undefined);
  if (widgetUrlTemplate) {
    await h.page.route('**/desktop/config.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), widgetUrlTemplate } });
    });
  }
  await h.page.goto(h.s.desktopUrl);
  const button = h.page.locator(`#interactions li[data-conversation-id="${conversationId}"] button`);
  await button.waitFor();
  // an agent's desktop has been open for a while when an interaction comes in: let the fresh desktop settle (its
  // first renders and polls share the frame's renderer here) before the widget frame is created
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const widgetOrigin = h.s.sandbox.origins.kore;
  const widgetNavigated = h.page.waitForEvent('framenavigated', {
    predicate: (f) => f.url().startsWith(`${widgetOrigin}/`),
    timeout: 30_000,
  });
  widgetNavigated.catch(() => undefined);
  await button.click();
  const pageFrame = () =>
    h.page.frames().find((f) => f.url().startsWith(h.s.pageUrl) && !f.url().includes('/floor-frame'));
  try {
    await widgetNavigated;
  } catch (e) {
    const error = await pageFrame()
      ?.locator('#kaa-error')
      .textContent()
      .catch(() => null);
    throw new Error(`the widget never loaded${error ? `: ${error}` : ''}`, { cause: e });
  }
  const frame = pageFrame();
  if (!frame) throw new Error('no page frame');
  return frame;
}
