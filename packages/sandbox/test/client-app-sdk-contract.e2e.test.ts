/**
 * Contract test of the sandbox desktop's lifecycle hooks against Genesys's own Client App SDK
 * (`purecloud-client-app-sdk`): one client app built on the SDK, one on kaa's lifecycle module
 * (`createClientAppLifecycle`), each framed by the sandbox desktop with every hook on (bootstrap, focus, blur, stop)
 * and its default placeholders. Driven through the same interaction switches, both must produce the same hook log:
 * the hooks each app received and what the desktop sent and got back. If the desktop spoke a dialect only kaa
 * understands (or its defaults made the SDK throw), the SDK's log would differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage, launchChromium, servePage, type LaunchedChromium, type ServedPage } from '@kaa/test-support';
import { startSandbox, type Sandbox } from '../src/sandbox.js';
import { CONVERSATIONS } from '../src/seed.js';

const FIRST = CONVERSATIONS.voiceAlpha;
const SECOND = CONVERSATIONS.chatKore;
const html = (script: string) =>
  `<!doctype html><meta charset="utf-8"><title>client app</title><p>client app</p><script type="module" src="/${script}"></script>`;

let apps: ServedPage;
let chromium: LaunchedChromium;
const sandboxes: Sandbox[] = [];

beforeAll(async () => {
  const [sdkJs, kaaJs] = await Promise.all([
    bundlePage(new URL('./e2e-fixtures/sdk-app.ts', import.meta.url)),
    bundlePage(new URL('./e2e-fixtures/kaa-app.ts', import.meta.url)),
  ]);
  apps = await servePage({
    '/sdk.html': { type: 'text/html; charset=utf-8', body: html('sdk.js') },
    '/sdk.js': { type: 'text/javascript; charset=utf-8', body: sdkJs },
    '/kaa.html': { type: 'text/html; charset=utf-8', body: html('kaa.js') },
    '/kaa.js': { type: 'text/javascript; charset=utf-8', body: kaaJs },
  });
  chromium = await launchChromium({ profilePrefix: 'kaa-client-app-sdk-' });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  for (const s of sandboxes) await s.close();
  await apps?.close();
});

type Desktop = { __kaaDesktop: { lifecycle(): { conversationId: string; event: string }[] } };

/** Runs the scenario with the app at `path` framed by a fresh sandbox desktop; returns the hook log. */
async function run(path: 'sdk.html' | 'kaa.html'): Promise<string[]> {
  const sandbox = await startSandbox({
    desktop: {
      pollMs: 250,
      // the Interaction Widget URL as Genesys documents it for the Client App SDK; every other desktop default kept
      widgetUrlTemplate: `${apps.origin}/${path}?conversationid={{gcConversationId}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}`,
      lifecycle: { bootstrap: true, focus: true, blur: true, stop: true },
    },
  });
  sandboxes.push(sandbox);
  const page = await chromium.context.newPage();
  const name = (id: string) => (id === FIRST ? 'A' : 'B');
  const desktopLog = async () =>
    (await page.evaluate(() => (window as unknown as Desktop).__kaaDesktop.lifecycle())).map(
      (r) => `desktop ${name(r.conversationId)} ${r.event}`,
    );
  const appHooks = async (id: string) => {
    const frame = await (
      await page.waitForSelector(`iframe[data-conversation-id="${id}"]`, { state: 'attached' })
    ).contentFrame();
    if (!frame) throw new Error('no app frame');
    const error = await frame
      .evaluate(() => (window as unknown as { __error?: string }).__error)
      .catch(() => undefined);
    if (error) throw new Error(`the client app threw: ${error}`);
    return (
      (await frame
        .evaluate(() => (window as unknown as { __hooks?: string[] }).__hooks ?? [])
        .catch(() => [])) as string[]
    ).map((h) => `app ${name(id)} ${h}`);
  };
  const until = async (what: string, probe: () => Promise<boolean>) => {
    const end = Date.now() + 15_000;
    while (!(await probe())) {
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}; desktop log: ${(await desktopLog()).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const pick = (id: string) => page.locator(`#interactions li[data-conversation-id="${id}"] button`).click();
  await page.goto(sandbox.desktopUrl ?? '');
  await pick(FIRST);
  await until('A bootstrapped', async () => (await desktopLog()).includes('desktop A bootstrapped'));
  await pick(SECOND);
  await until('B bootstrapped', async () => (await desktopLog()).includes('desktop B bootstrapped'));
  await pick(FIRST);
  await until('A saw focus', async () => (await appHooks(FIRST)).includes('app A focus'));
  await until('B saw blur', async () => (await appHooks(SECOND)).includes('app B blur'));
  const hooks = [...(await appHooks(FIRST)), ...(await appHooks(SECOND))];
  await page.locator('#close-widget').click();
  await until('A removed', async () => (await desktopLog()).includes('desktop A removed'));
  const log = [...(await desktopLog()), ...hooks];
  await page.close();
  return log;
}

describe("the sandbox desktop and Genesys's Client App SDK", () => {
  it('an SDK app and a kaa app, framed alike with every hook on, produce the same hook log', async () => {
    const sdk = await run('sdk.html');
    const kaa = await run('kaa.html');
    expect(sdk).toEqual(kaa);
    // and the log is the whole conversation: bootstrap answered, blur and focus received, stop answered
    expect(sdk).toEqual([
      'desktop A sent bootstrap',
      'desktop A bootstrapped',
      'desktop A sent blur',
      'desktop B sent bootstrap',
      'desktop B bootstrapped',
      'desktop A sent focus',
      'desktop B sent blur',
      'desktop A sent stop',
      'desktop A stopped',
      'desktop A removed',
      'app A bootstrap',
      'app A blur',
      'app A focus',
      'app B bootstrap',
      'app B blur',
    ]);
  }, 120_000);
});
