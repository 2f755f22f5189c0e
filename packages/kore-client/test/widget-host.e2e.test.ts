import { signWidgetJwt } from '@kaa/core';
import { startKorePlatform, type KorePlatform } from '@kaa/sandbox';
import { BOTS, CONVERSATIONS, USERS } from '@kaa/sandbox';
import {
  bundlePage,
  expectWidgetConnected,
  expectWidgetTranscript,
  launchChromium,
  servePage,
  type LaunchedChromium,
  type ServedPage,
} from '@kaa/test-support';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The fixture widget: records what it receives, announces agentassist_loaded after 400 ms, like widget v3 with target "*". */
const WIDGET_HTML = `<!doctype html><meta charset="utf-8"><title>fixture widget</title><script>
window.received = [];
addEventListener('message', (e) => received.push({ origin: e.origin, fromParent: e.source === parent, data: e.data }));
setTimeout(() => parent.postMessage({ method: 'agentassist_loaded', name: 'agent_assist' }, '*'), 400);
window.sendToHost = (payload) => parent.postMessage({ method: 'send', name: 'agentAssist.SendMessage', conversationId: 'c1', payload }, '*');
</script>`;
/** Same origin as the widget, but another window (a second iframe in the host page). */
const ROGUE_HTML = `<!doctype html><meta charset="utf-8"><script>
parent.postMessage({ method: 'send', name: 'agentAssist.SendMessage', conversationId: 'c1', payload: 'from-rogue-window' }, '*');
parent.postMessage({ method: 'agentassist_loaded', name: 'agent_assist' }, '*');
window.done = true;
</script>`;
/** Another origin, loaded into the widget's own iframe (so event.source matches but event.origin does not). */
const EVIL_HTML = `<!doctype html><meta charset="utf-8"><script>
window.received = [];
addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }));
parent.postMessage({ method: 'send', name: 'agentAssist.SendMessage', conversationId: 'c1', payload: 'from-evil-origin' }, '*');
window.done = true;
</script>`;

let pages: ServedPage[] = [];
let chromium: LaunchedChromium;
let context: BrowserContext;
let hostOrigin: string;
let widgetOrigin: string;
let evilOrigin: string;
let kore: KorePlatform;

beforeAll(async () => {
  const js = await bundlePage(new URL('./e2e-fixtures/host-entry.ts', import.meta.url));
  const host = await servePage({
    '/host.html': {
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><meta charset="utf-8"><div id="widget" style="height:300px"></div><script type="module" src="/host.js"></script>',
    },
    '/host.js': { type: 'text/javascript; charset=utf-8', body: js },
  });
  const widget = await servePage({
    '/widget.html': { type: 'text/html; charset=utf-8', body: WIDGET_HTML },
    '/rogue.html': { type: 'text/html; charset=utf-8', body: ROGUE_HTML },
  });
  const evil = await servePage({ '/evil.html': { type: 'text/html; charset=utf-8', body: EVIL_HTML } });
  pages = [host, widget, evil];
  [hostOrigin, widgetOrigin, evilOrigin] = [host.origin, widget.origin, evil.origin];
  kore = await startKorePlatform();
  chromium = await launchChromium({ profilePrefix: 'kaa-kore-client-e2e-' });
  context = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
  for (const page of pages) await page.close();
  await kore?.close();
});

async function open(): Promise<{ page: Page; widget: () => Frame }> {
  const page = await context.newPage();
  await page.goto(
    `${hostOrigin}/host.html?widget=${encodeURIComponent(`${widgetOrigin}/widget.html?token=t&botid=st-1`)}`,
  );
  await page.waitForFunction(
    () => (window as unknown as { kaa?: { loaded: boolean } }).kaa?.loaded === true,
    undefined,
    { timeout: 10_000 },
  );
  const widget = () => page.frames().find((f) => f.url().startsWith(widgetOrigin)) as Frame;
  return { page, widget };
}

type Received = { origin: string; fromParent?: boolean; data: { name?: string; value?: string } }[];

describe('mountAgentAssist in Chromium', () => {
  it('delivers messages queued before agentassist_loaded after it, info first, from the host origin', async () => {
    const { page, widget } = await open();
    const received = (await widget().evaluate(
      () => (window as unknown as { received: Received }).received,
    )) as Received;
    expect(received.map((r) => r.data.name)).toEqual([
      'setAgentInfo',
      'setUserInfo',
      'agentAssist.CustomerMessage',
      'agentAssist.AgentMessage',
    ]);
    expect(received[2]?.data.value).toBe('queued before load');
    expect(received.every((r) => r.origin === hostOrigin && r.fromParent)).toBe(true);
    await page.close();
  });

  it('ignores a message from another window of the widget origin and from another origin in the widget frame', async () => {
    const { page, widget } = await open();
    // another window, same origin as the widget
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.appendChild(f);
    }, `${widgetOrigin}/rogue.html`);
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
    await expect
      .poll(() =>
        page
          .frames()
          .find((f) => f.url().endsWith('/rogue.html'))
          ?.evaluate(() => (window as unknown as { done?: boolean }).done === true),
      )
      .toBe(true);
    // the real widget's message is accepted
    await widget().evaluate(() => (window as unknown as { sendToHost: (p: string) => void }).sendToHost('legit'));
    await page.waitForFunction(() =>
      (window as unknown as { kaa: { events: { text?: string }[] } }).kaa.events.some((e) => e.text === 'legit'),
    );
    // the widget frame navigates to another origin, which posts to the host
    await widget().evaluate((url) => void (location.href = url), `${evilOrigin}/evil.html`);
    const evilFrame = async () => page.frames().find((f) => f.url().startsWith(evilOrigin));
    await expect
      .poll(async () =>
        (await evilFrame())?.evaluate(() => (window as unknown as { done?: boolean }).done === true).catch(() => false),
      )
      .toBe(true);
    await page.waitForTimeout(200);
    const events = (await page.evaluate(
      () => (window as unknown as { kaa: { events: { type: string; text?: string }[] } }).kaa.events,
    )) as { type: string; text?: string }[];
    expect(events.filter((e) => e.type === 'send').map((e) => e.text)).toEqual(['legit']);
    expect(events.filter((e) => e.type === 'loaded')).toHaveLength(1); // the rogue "loaded" was ignored too
    await page.close();
  });

  it('never posts with targetOrigin "*": a frame that navigated to another origin receives nothing', async () => {
    const { page, widget } = await open();
    await widget().evaluate((url) => void (location.href = url), `${evilOrigin}/evil.html`);
    await expect
      .poll(async () =>
        page
          .frames()
          .find((f) => f.url().startsWith(evilOrigin))
          ?.evaluate(() => (window as unknown as { done?: boolean }).done === true)
          .catch(() => false),
      )
      .toBe(true);
    await page.evaluate(() => {
      const { host } = (
        window as unknown as {
          kaa: { host: { sendUtterance: (i: object) => void; setAgentInfo: (i: object) => void } };
        }
      ).kaa;
      host.sendUtterance({ speaker: 'customer', conversationId: 'c1', text: 'must not leak' });
      host.setAgentInfo({ agentId: 'a1', agentName: 'Ava Agent' });
    });
    await page.waitForTimeout(300);
    const evil = page.frames().find((f) => f.url().startsWith(evilOrigin)) as Frame;
    expect(await evil.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);
    // control: the same page posting with "*" would have reached it
    await page.evaluate(() => document.querySelector('iframe')?.contentWindow?.postMessage({ probe: true }, '*'));
    await expect
      .poll(() => evil.evaluate(() => (window as unknown as { received: unknown[] }).received.length))
      .toBe(1);
    await page.close();
  });
});

describe('mountAgentAssist with the sandbox stand-in widget', () => {
  it('the widget loads, renders the queued utterances in order, and its Send reaches the host', async () => {
    const conversationId = CONVERSATIONS.voiceAlpha;
    const token = await signWidgetJwt({
      clientId: BOTS.alpha.clientId,
      clientSecret: BOTS.alpha.clientSecret,
      subject: USERS.agent.id,
      now: new Date(),
    });
    const src = `${kore.widgetUrl}?${new URLSearchParams({ token, botid: BOTS.alpha.botId, agentassisturl: kore.origin, conversationid: conversationId, isCall: 'true', source: 'genesys', interactiveLanguage: 'en' })}`;
    const page = await context.newPage();
    await page.goto(`${hostOrigin}/host.html?conversation=${conversationId}&widget=${encodeURIComponent(src)}`);
    await page.waitForFunction(
      () => (window as unknown as { kaa?: { loaded: boolean } }).kaa?.loaded === true,
      undefined,
      { timeout: 15_000 },
    );
    await expectWidgetConnected(page, conversationId);
    const frame = await expectWidgetTranscript(page, conversationId, [
      { speaker: 'Customer', text: 'queued before load' },
      { speaker: 'Agent', text: 'agent line before load' },
    ]);
    const state = (await frame.evaluate(
      () => (window as unknown as { __kaaWidgetState: { agent: unknown } }).__kaaWidgetState,
    )) as { agent: unknown };
    expect(state.agent).toEqual({ id: 'a1', name: 'Ava Agent' });
    await frame.fill('#send-text', 'Your order ships tomorrow.');
    await frame.click('#send');
    await page.waitForFunction(() =>
      (window as unknown as { kaa: { events: { text?: string }[] } }).kaa.events.some(
        (e) => e.text === 'Your order ships tomorrow.',
      ),
    );
    await page.close();
  });
});
