import { mkdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, servePage, type LaunchedChromium, type ServedPage } from '@kaa/test-support';
import { startSandbox } from '../src/sandbox.js';
import type { Sandbox } from '../src/sandbox.js';
import { substituteWidgetUrl } from '../src/desktop/index.js';
import { CONVERSATIONS, QUEUES, USERS } from '../src/seed.js';

const ARTIFACTS = fileURLToPath(new URL('../../../.artifacts/', import.meta.url));

/** A stand-in for the Interaction Widget app on its own origin: shows the query it was framed with. */
const ECHO_HTML =
  '<!doctype html><html><body><p id="query"></p><script>document.getElementById("query").textContent = location.search;</script></body></html>';

let sandbox: Sandbox;
let echo: ServedPage;
let chromium: LaunchedChromium;
let context: BrowserContext;
let page: Page;
let template: string;

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

beforeAll(async () => {
  echo = await servePage((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ECHO_HTML);
  });
  template = `${echo.origin}/widget/?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}&usePopupAuth={{gcUsePopupAuth}}&future={{gcInteractionId}}`;
  sandbox = await startSandbox({ desktop: { widgetUrlTemplate: template, pollMs: 300 } });
  chromium = await launchChromium({ profilePrefix: 'kaa-desktop-e2e-', viewport: { width: 1280, height: 900 } });
  context = chromium.context;
  page = await context.newPage();
});

afterAll(async () => {
  await chromium?.close();
  await sandbox?.close();
  await echo?.close();
});

const agentOf = async (id: string) => {
  const state = (await (await fetch(`${sandbox.origins.api}/sandbox/v1/state`)).json()) as {
    conversations: { id: string; participants: { purpose: string; userId?: string; held: boolean; state: string }[] }[];
  };
  return state.conversations
    .find((c) => c.id === id)
    ?.participants.find((p) => p.purpose === 'agent' && p.userId === USERS.agent.id);
};

describe('sandbox agent desktop', () => {
  it('serves its config', async () => {
    const config = (await (await fetch(`${sandbox.origins.apps}/desktop/config.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      apiOrigin: sandbox.origins.api,
      loginOrigin: sandbox.origins.login,
      hostOrigin: sandbox.origins.apps,
      widgetUrlTemplate: template,
      lang: 'en-us',
      targetEnv: 'prod',
      usePopupAuth: false,
    });
  });

  it('lists the seeded interactions with the signed-in agent, and a screenshot shows them', async () => {
    await page.goto(sandbox.desktopUrl!);
    await page.waitForFunction(
      (n) => document.querySelectorAll('#interactions li').length >= n,
      Object.keys(CONVERSATIONS).length,
    );
    expect(await page.textContent('#agent')).toBe(USERS.agent.name);
    const items = await page.$$eval('#interactions li', (lis) =>
      lis.map((li) => ({ id: (li as HTMLElement).dataset['conversationId'], text: li.textContent })),
    );
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining(Object.values(CONVERSATIONS)));
    expect(items.find((i) => i.id === CONVERSATIONS.voiceAlpha)?.text).toContain(QUEUES.alpha.name);
    expect(await page.isVisible('#interactions')).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'desktop-interactions.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5_000);
  });

  it('frames the Interaction Widget with Genesys placeholders substituted and the Genesys sandbox flags', async () => {
    await page.click(`#interactions li[data-conversation-id="${CONVERSATIONS.voiceAlpha}"] button`);
    const frame = await page.waitForSelector(`#widgets iframe[data-conversation-id="${CONVERSATIONS.voiceAlpha}"]`);
    const expected = `${echo.origin}/widget/?conversationid=${CONVERSATIONS.voiceAlpha}&lang=en-us&environment=${sandbox.origins.apps}&gcTargetEnv=prod&usePopupAuth=false&future={{gcInteractionId}}`;
    expect(await frame.getAttribute('src')).toBe(expected);
    expect(
      substituteWidgetUrl(template, {
        gcConversationId: CONVERSATIONS.voiceAlpha,
        gcLangTag: 'en-us',
        gcHostOrigin: sandbox.origins.apps!,
        gcTargetEnv: 'prod',
        gcUsePopupAuth: 'false',
      }),
    ).toBe(expected);
    expect(await frame.getAttribute('sandbox')).toBe(
      'allow-scripts allow-same-origin allow-popups allow-forms allow-modals',
    );
    expect(await frame.getAttribute('allow')).toBe('clipboard-write');
    const content = await frame.contentFrame();
    await content!.waitForFunction(() => document.getElementById('query')?.textContent !== '');
    expect(await content!.textContent('#query')).toContain(`conversationid=${CONVERSATIONS.voiceAlpha}`);
    await content!.evaluate(() => ((window as unknown as { __alive: string }).__alive = 'first load'));
  });

  it('keeps one iframe per interaction alive when switching', async () => {
    await page.click(`#interactions li[data-conversation-id="${CONVERSATIONS.chatKore}"] button`);
    await page.waitForSelector(`#widgets iframe[data-conversation-id="${CONVERSATIONS.chatKore}"]`);
    expect(await page.isHidden(`#widgets iframe[data-conversation-id="${CONVERSATIONS.voiceAlpha}"]`)).toBe(true);
    await page.click(`#interactions li[data-conversation-id="${CONVERSATIONS.voiceAlpha}"] button`);
    const first = await (await page.$(
      `#widgets iframe[data-conversation-id="${CONVERSATIONS.voiceAlpha}"]`,
    ))!.contentFrame();
    expect(await first!.evaluate(() => (window as unknown as { __alive?: string }).__alive)).toBe('first load');
    expect(await page.$$eval('#widgets iframe', (f) => f.length)).toBe(2);
  });

  it('drives the conversation through the control API: hold, resume, customer message', async () => {
    await page.click('#actions button[data-action="hold"]');
    await expect.poll(async () => (await agentOf(CONVERSATIONS.voiceAlpha))?.held).toBe(true);
    await page.waitForSelector('#participants li:has-text("(held)")');
    await page.click('#actions button[data-action="resume"]');
    await expect.poll(async () => (await agentOf(CONVERSATIONS.voiceAlpha))?.held).toBe(false);
    await page.click(`#interactions li[data-conversation-id="${CONVERSATIONS.chatKore}"] button`);
    await page.fill('#message-text', 'Where is my parcel?');
    await page.click('#message-form button');
    await page.waitForSelector('#action-status:has-text("Customer message: done")');
  });

  it('plays the transcript script and cold-transfers to the second agent', async () => {
    await page.click(`#interactions li[data-conversation-id="${CONVERSATIONS.voiceRsa}"] button`);
    await page.click('#play-transcript');
    await page.waitForSelector('#action-status:has-text("Play transcript: done")');
    await page.click('#actions button[data-action="transferCold"]');
    await page.waitForSelector('#action-status:has-text("Cold transfer: done")');
    const state = (await (await fetch(`${sandbox.origins.api}/sandbox/v1/state`)).json()) as {
      conversations: { id: string; participants: { purpose: string; userId?: string; disconnectType?: string }[] }[];
    };
    const agents = state.conversations
      .find((c) => c.id === CONVERSATIONS.voiceRsa)!
      .participants.filter((p) => p.purpose === 'agent');
    expect(agents.find((p) => p.userId === USERS.agent.id)?.disconnectType).toBe('transfer');
    expect(agents.some((p) => p.userId === USERS.agent2.id)).toBe(true);
  });

  it('without a template, builds the kaa page URL in Kore Data Table mode with a read-app x_metadata token', async () => {
    const { startDesktop } = await import('../src/desktop/index.js');
    const { jwtVerify } = await import('jose');
    const { KORE_DATA_TABLE, OAUTH_CLIENTS } = await import('../src/seed.js');
    const d = await startDesktop({
      apiOrigin: sandbox.origins.api,
      loginOrigin: sandbox.origins.login,
      pageOrigin: 'http://127.0.0.1:4999',
    });
    try {
      const config = (await (await fetch(`${d.origin}/desktop/config.json`)).json()) as { widgetUrlTemplate: string };
      const url = new URL(config.widgetUrlTemplate);
      expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:4999/koreaiaa-genesys/');
      expect(url.searchParams.get('conversationid')).toBe('{{gcConversationId}}');
      expect(url.searchParams.get('environment')).toBe('{{gcHostOrigin}}');
      expect(url.searchParams.get('genesysid')).toBe(OAUTH_CLIENTS.pkce.id);
      expect(url.searchParams.get('multibot')).toBe('true');
      const meta = JSON.parse(url.searchParams.get('x_metadata')!) as {
        datatable: { name: string; token: string; qDelimiter: string };
      };
      expect(meta.datatable).toMatchObject({ name: KORE_DATA_TABLE.name, qDelimiter: '_' });
      const { payload } = await jwtVerify(
        meta.datatable.token,
        new TextEncoder().encode(KORE_DATA_TABLE.readApp.clientSecret),
        { algorithms: ['HS256'] },
      );
      expect(payload['appId']).toBe(KORE_DATA_TABLE.readApp.appId);
    } finally {
      await d.close();
    }
    expect(await refused(d.port)).toBe('ECONNREFUSED');
  });

  it('close() leaves no port open', async () => {
    const ports = [sandbox.origins.apps, sandbox.origins.kore, sandbox.origins.api, sandbox.origins.login].map((o) =>
      Number(new URL(o!).port),
    );
    await page.close();
    await sandbox.close();
    for (const port of ports) expect(await refused(port)).toBe('ECONNREFUSED');
  });
});
