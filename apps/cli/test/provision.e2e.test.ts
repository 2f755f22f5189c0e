/**
 * The provisioned path end to end (docs/deploy.md#provisioned-path): a sandbox Genesys org with none of kaa's objects
 * (no browser OAuth client, no Interaction Widget, no role, voice transcription off), the BUILT kaa binary run as the
 * admin runs it — kaa table apply → kaa page --dist → kaa provision apply — and then an agent desktop framing EXACTLY
 * the Application URL of the Interaction Widget integration that provisioning created, signing in with the OAuth
 * client it created. Chromium shows what the agent sees: the stand-in widget connected and the call's transcript
 * in order; and, for an agent without the page's role, the panel naming the permission and the fix; and, for a queue
 * whose voice transcription was switched off, the notice naming the queue.
 */
import { cp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRANSCRIPTION_VIEW_PERMISSION } from '@kaa/core';
import {
  BOTS,
  CONVERSATIONS,
  DEFAULT_TRANSCRIPT_SCRIPT,
  GROUPS,
  OAUTH_CLIENTS,
  QUEUES,
  startDesktop,
  startSandbox,
  type Desktop,
  type Sandbox,
} from '@kaa/sandbox';
import {
  expectWidgetConnected,
  expectWidgetTranscript,
  launchChromium,
  startStaticHost,
  type LaunchedChromium,
  type StaticHost,
} from '@kaa/test-support';
import { buildPage } from '../../iframe/test/browser.js';
import { buildKaa, kaa, removeBuild, tempDir, type Run } from './helpers.js';
import { SANDBOX_ENV, plantedSecrets, writeSandboxConfig } from './sandbox-config.js';

const ENV = { ...SANDBOX_ENV, KAA_ADMIN_SECRET: OAUTH_CLIENTS.admin.secret };
const PAGE_PATH = '/agents/kaa/';
const CONVERSATION = CONVERSATIONS.voiceAlpha;

let bin: string;
let dist: string;
let siteRoot: string;
let site: StaticHost;
let sandbox: Sandbox;
const desktopOrigins: string[] = [];
const runs: Run[] = [];
let open: { desktop?: Desktop; browser?: LaunchedChromium } = {};

beforeAll(async () => {
  [bin, dist] = await Promise.all([buildKaa(), buildPage()]);
  siteRoot = await tempDir();
  site = await startStaticHost({ dir: siteRoot });
  sandbox = await startSandbox({
    pageOrigin: site.origin,
    desktop: false,
    genesys: { org: 'empty', corsOrigins: () => desktopOrigins },
  });
  await cp(dist, join(siteRoot, PAGE_PATH), { recursive: true });
}, 240_000);

afterEach(async () => {
  await open.browser?.close();
  if (open.desktop) {
    desktopOrigins.splice(desktopOrigins.indexOf(open.desktop.origin), 1);
    await open.desktop.close();
  }
  open = {};
});

afterAll(async () => {
  await sandbox?.close();
  await site?.close();
  await removeBuild(bin);
  for (const dir of [dist, siteRoot]) if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * The admin's path on a fresh empty org: the config (no genesys.oauthClientId: provisioning creates the client), the
 * Kore Data Table, the page's settings, then "kaa provision apply"; returns the desktop framing the widget that
 * provisioning created.
 */
async function provisionAndOpenDesktop(
  options: { silenceHintSeconds?: number } = {},
): Promise<{ desktop: Desktop; dir: string }> {
  await sandbox.genesys.reset();
  sandbox.genesys.restoreOrg();
  sandbox.kore.setRows([]);
  const desktopPort = await freePort();
  const desktopOrigin = `http://127.0.0.1:${desktopPort}`;
  const dir = await tempDir();
  await writeSandboxConfig(dir, sandbox, (c) => {
    c['page'].url = `${site.origin}${PAGE_PATH}`;
    c['genesys'].environment = desktopOrigin;
    delete c['genesys'].oauthClientId;
    c['genesys'].adminClient = { clientId: OAUTH_CLIENTS.admin.id, clientSecret: { env: 'KAA_ADMIN_SECRET' } };
    c['settings'].genesys.environments[0].appsOrigin = desktopOrigin;
    if (options.silenceHintSeconds !== undefined)
      c['settings'].transcripts = { silenceHintSeconds: options.silenceHintSeconds };
    c['provision'] = { groups: [GROUPS.agents.name] };
  });
  const run = async (args: string[]) => {
    const r = await kaa(bin, args, { cwd: dir, env: ENV });
    runs.push(r);
    expect(r.code, `kaa ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    return r;
  };
  await run(['table', 'apply']);
  await run(['page', '--dist', join(siteRoot, PAGE_PATH)]);
  expect(sandbox.genesys.interactionWidgets()).toEqual([]);
  const applied = JSON.parse((await run(['provision', 'apply', '--json'])).stdout) as { oauthClientId: string };
  expect((JSON.parse((await run(['provision', 'plan', '--json'])).stdout) as { changes: unknown[] }).changes).toEqual(
    [],
  );

  // only objects provisioning created: the one browser client and the one widget
  const browserClients = [...sandbox.genesys.org.clients.values()].filter((c) =>
    c.grants.some((g) => g === 'pkce' || g === 'implicit'),
  );
  expect(browserClients.map((c) => c.id)).toEqual([applied.oauthClientId]);
  const [widget] = sandbox.genesys.interactionWidgets();
  expect(widget?.enabled).toBe(true);
  const url = String(widget?.config.properties['url']);
  expect(url).toContain(`genesysid=${applied.oauthClientId}`);
  const desktop = await startDesktop({
    port: desktopPort,
    apiOrigin: sandbox.origins.api,
    loginOrigin: sandbox.origins.login,
    koreOrigin: sandbox.origins.kore,
    widgetUrlTemplate: url,
    usePopupAuth: false,
    pollMs: 250,
    // the org's desktop names the environment the config names (not the Client-App-SDK default 'prod')
    targetEnv: 'sandbox',
    environmentDomain: '127.0.0.1',
  });
  open.desktop = desktop;
  desktopOrigins.push(desktop.origin);
  return { desktop, dir };
}

/** An agent opens the interaction in the desktop (a fresh browser profile); returns the tab and the page's frame. */
async function agentOpens(desktop: Desktop): Promise<{ tab: Page; frame: Frame }> {
  const browser = await launchChromium({
    profilePrefix: 'kaa-provision-e2e-',
    viewport: { width: 1280, height: 1000 },
  });
  open.browser = browser;
  const tab = browser.context.pages()[0] ?? (await browser.context.newPage());
  await tab.goto(desktop.url);
  const button = tab.locator(`#interactions li[data-conversation-id="${CONVERSATION}"] button`);
  await button.waitFor();
  await button.click();
  const handle = await tab.waitForSelector(`iframe[data-conversation-id="${CONVERSATION}"]`, { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no widget frame');
  return { tab, frame };
}

async function panel(frame: Frame): Promise<{ code: string | null; text: string }> {
  const el = frame.locator('#kaa-error');
  await el.waitFor({ state: 'visible', timeout: 30_000 });
  return { code: await el.getAttribute('data-code'), text: (await el.textContent()) ?? '' };
}

describe('provisioned path: an empty org → kaa provision apply → the widget loads from the integration it created', () => {
  it('the agent sees the widget connected and the call transcript in order', async () => {
    const { desktop } = await provisionAndOpenDesktop();
    const { tab, frame } = await agentOpens(desktop);
    await expectWidgetConnected(tab, CONVERSATION, { timeoutMs: 30_000 });
    expect(await frame.locator('#kaa-error').isVisible()).toBe(false);
    await tab.locator('#play-transcript').click();
    await expectWidgetTranscript(
      tab,
      CONVERSATION,
      DEFAULT_TRANSCRIPT_SCRIPT.map((l) => ({
        speaker: l.channel === 'EXTERNAL' ? 'Customer' : 'Agent',
        text: l.text,
      })),
    );
    expect((sandbox.kore.widgetState(CONVERSATION) as { botId?: string }).botId).toBe(BOTS.alpha.botId);
  });

  it('an agent without the role: the panel names "Conversation > Transcription > View" and the fix', async () => {
    const { desktop } = await provisionAndOpenDesktop();
    // an admin takes the page's role away from the agents' group
    sandbox.genesys.org.grants = sandbox.genesys.org.grants.filter((g) => g.subjectId !== GROUPS.agents.id);
    const { tab, frame } = await agentOpens(desktop);
    const shown = await panel(frame);
    expect(shown.code).toBe('E_PERMISSION_MISSING');
    expect(shown.text).toContain('Genesys Cloud refused the live transcript of this call');
    expect(shown.text).toContain(`"Conversation > Transcription > View" (${TRANSCRIPTION_VIEW_PERMISSION})`);
    expect(shown.text).toContain('"kaa provision apply" creates that role');
    // the widget itself still works: the panel explains why no transcript will come
    await expectWidgetConnected(tab, CONVERSATION, { timeoutMs: 30_000 });
  });

  it('a queue whose voice transcription was switched off: the notice names the queue and the setting', async () => {
    const { desktop } = await provisionAndOpenDesktop({ silenceHintSeconds: 2 });
    sandbox.genesys.setQueueTranscription(QUEUES.alpha.id, false);
    const { tab, frame } = await agentOpens(desktop);
    await expectWidgetConnected(tab, CONVERSATION, { timeoutMs: 30_000 });
    await tab.locator('#play-transcript').click();
    const notice = frame.locator('#kaa-notice');
    await expect
      .poll(async () => (await notice.textContent()) ?? '', { timeout: 30_000 })
      .toContain(`voice transcription is off for queue "${QUEUES.alpha.name}"`);
    expect(await notice.textContent()).toContain('"kaa provision apply" turns it on');
  });
});

afterAll(() => {
  const secrets = [
    ...plantedSecrets(sandbox),
    OAUTH_CLIENTS.admin.secret,
    ...sandbox.genesys.issuedSecrets().map((s) => s.value),
  ];
  expect(runs.length).toBeGreaterThan(0);
  for (const r of runs)
    for (const s of secrets) if (s.length >= 8) expect(r.stdout + r.stderr, 'kaa printed a secret').not.toContain(s);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
