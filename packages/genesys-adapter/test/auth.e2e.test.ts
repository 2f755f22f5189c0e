/**
 * Browser test: the auth code, bundled with esbuild into a tiny page on its own 127.0.0.1 origin, framed
 * cross-origin (with the Interaction Widget's sandbox flags) by a second origin, logs in against the sandbox login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { bundlePage, expectNoSecretsInBrowser, launchChromium, servePage, watchBrowser } from '@kaa/test-support';
import type { BrowserWatch, LaunchedChromium, ServedPage } from '@kaa/test-support';
import { encodeAuthState } from '@kaa/core';
import { CONVERSATIONS, OAUTH_CLIENTS, USERS, startSandbox } from '@kaa/sandbox';
import type { Sandbox } from '@kaa/sandbox';

let sandbox: Sandbox;
let pageServer: ServedPage;
let parentServer: ServedPage;
let pageOrigin = '';
let parentOrigin = '';
let chromium: LaunchedChromium;
let context: BrowserContext;
let watch: BrowserWatch;
let bundle = '';

beforeAll(async () => {
  bundle = await bundlePage(new URL('./e2e/auth-page.ts', import.meta.url));

  pageServer = await servePage((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/koreaiaa-genesys/app.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    if (path === '/koreaiaa-genesys/' || path === '/koreaiaa-genesys/auth-callback.html') {
      const env = JSON.stringify(sandbox.environment);
      return res
        .writeHead(200, { 'content-type': 'text/html', 'referrer-policy': 'no-referrer' }) // as the kaa page is served: the login answer never leaves in a Referer
        .end(
          `<!doctype html><meta charset="utf-8"><script>window.__ENV=${env}</script><button id="login">Sign in</button><pre id="result"></pre><script type="module" src="/koreaiaa-genesys/app.js"></script>`,
        );
    }
    res.writeHead(404).end();
  });
  pageOrigin = pageServer.origin;
  parentServer = await servePage((req, res) => {
    const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><title>desktop</title><iframe id="widget" sandbox="allow-scripts allow-same-origin allow-popups allow-forms allow-modals" src="${src.replace(/"/g, '&quot;')}" width="600" height="400"></iframe>`,
      );
  });
  parentOrigin = parentServer.origin;
  sandbox = await startSandbox({ pageOrigin, desktop: false });

  chromium = await launchChromium({ profilePrefix: 'kaa-e2e-auth-' });
  context = chromium.context;
  watch = await watchBrowser(context);
});

/**
 * Every code, PKCE verifier and token the sandbox issued or saw, checked against what the browser shows, addresses,
 * stores and sends: the token only in sessionStorage (the token store) and to the API, codes and verifiers only to
 * the login origin, the login answer only in the navigation that lands on the page (which cleans it away).
 */
async function expectNoSecrets(): Promise<void> {
  const findings = expectNoSecretsInBrowser(context, watch, {
    secrets: sandbox.issuedSecrets(),
    pageOrigin,
    sendTo: {
      [sandbox.origins.login]: ['genesys-authorization-code', 'genesys-pkce-verifier'],
      [sandbox.origins.api]: ['genesys-access-token'],
    },
    storage: [{ area: 'sessionStorage', keyPrefix: 'kaa.genesys.token.', kinds: ['genesys-access-token'] }],
    navigationParams: { [pageOrigin]: { code: ['genesys-authorization-code'] } },
    printed: [/[?&#](code|access_token)=[^&\s"'<]/],
    pageAddresses: [/[?&#](code|access_token|state)=/],
  });
  await findings.finally(() => watch.clear());
}

afterAll(async () => {
  await chromium?.close();
  await sandbox?.close();
  await pageServer?.close();
  await parentServer?.close();
});

function widgetUrl(params: Record<string, string>) {
  const q = new URLSearchParams({
    conversationid: CONVERSATIONS.voiceAlpha,
    environment: sandbox.environment.appsOrigin,
    ...params,
  });
  return `${pageOrigin}/koreaiaa-genesys/?${q}`;
}

async function openDesktop(src: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${parentOrigin}/?src=${encodeURIComponent(src)}`);
  return page;
}

async function result(page: Page, status: string): Promise<Record<string, any>> {
  const frame = page.frameLocator('#widget');
  let value: Record<string, any> = {};
  await expect
    .poll(
      async () => {
        const text =
          (await frame
            .locator('#result')
            .textContent({ timeout: 1000 })
            .catch(() => '')) ?? '';
        value = text ? JSON.parse(text) : {};
        if (value.status === 'error' && status !== 'error') throw new Error(`page reported ${text}`);
        return value.status;
      },
      { timeout: 20_000 },
    )
    .toBe(status);
  return value;
}

describe('browser login in a cross-origin iframe against the sandbox login', () => {
  it('PKCE by redirect: token, original query restored, URL cleaned; replaying the answer is rejected', async () => {
    const callbacks: string[] = [];
    context.on('request', (r) => void (r.url().includes('/koreaiaa-genesys/?code=') && callbacks.push(r.url())));
    const page = await openDesktop(widgetUrl({ genesysid: OAUTH_CLIENTS.pkce.id }));
    await result(page, 'ready');
    await page.frameLocator('#widget').locator('#login').click();
    const r = await result(page, 'token');
    expect(r).toMatchObject({
      grant: 'pkce',
      me: USERS.agent.id,
      stored: true,
      ctx: { conversationId: CONVERSATIONS.voiceAlpha },
    });
    expect(new URLSearchParams(r.originalQuery).get('genesysid')).toBe(OAUTH_CLIENTS.pkce.id);
    expect(r.urlAfter).toBe(`${pageOrigin}/koreaiaa-genesys/`);
    expect(callbacks).toHaveLength(1);
    await page.frames()[1]!.goto(callbacks[0]!);
    const replay = await result(page, 'error');
    expect(replay.code).toBe('E_AUTH_STATE_INVALID');
    expect(replay.urlAfter).not.toContain('code=');
    await expectNoSecrets();
    await page.close();
  });

  it('implicit by redirect (explicit grant=implicit)', async () => {
    const page = await openDesktop(widgetUrl({ genesysid: OAUTH_CLIENTS.implicit.id, grant: 'implicit' }));
    await result(page, 'ready');
    await page.frameLocator('#widget').locator('#login').click();
    const r = await result(page, 'token');
    expect(r).toMatchObject({ grant: 'implicit', me: USERS.agent.id });
    expect(r.urlAfter).not.toContain('access_token');
    await expectNoSecrets();
    await page.close();
  });

  it('implicit-only client without a grant: PKCE refused (unauthorized_client) → falls back to implicit once', async () => {
    const page = await openDesktop(widgetUrl({ genesysid: OAUTH_CLIENTS.implicit.id }));
    await result(page, 'ready');
    await page.frameLocator('#widget').locator('#login').click();
    expect(await result(page, 'token')).toMatchObject({ grant: 'implicit', me: USERS.agent.id });
    await expectNoSecrets();
    await page.close();
  });

  for (const [name, client, grant] of [
    ['PKCE', OAUTH_CLIENTS.pkce.id, 'pkce'],
    ['implicit', OAUTH_CLIENTS.implicit.id, 'implicit'],
  ] as const) {
    it(`${name} by popup: the callback posts back to the framed page, which accepts it and gets a token`, async () => {
      const page = await openDesktop(widgetUrl({ genesysid: client, grant, usePopupAuth: 'true' }));
      await result(page, 'ready');
      const popup = context.waitForEvent('page');
      await page.frameLocator('#widget').locator('#login').click();
      const opened = await popup;
      expect(await result(page, 'token')).toMatchObject({ grant, me: USERS.agent.id });
      await expect.poll(() => opened.isClosed(), { timeout: 10_000 }).toBe(true);
      await expectNoSecrets();
      await page.close();
    });
  }

  it('a forged state is rejected with E_AUTH_STATE_INVALID and no token', async () => {
    const forged = encodeAuthState({
      nonce: 'Zm9yZ2VkLW5vbmNlLTEyMzQ1Ng',
      ctx: { conversationId: CONVERSATIONS.voiceAlpha, hostOrigin: 'https://apps.mypurecloud.ie' },
    });
    const page = await openDesktop(`${pageOrigin}/koreaiaa-genesys/?code=stolen-code&state=${forged}`);
    const r = await result(page, 'error');
    expect(r.code).toBe('E_AUTH_STATE_INVALID');
    expect(r.urlAfter).toBe(`${pageOrigin}/koreaiaa-genesys/`);
    await expectNoSecrets();
    await page.close();
  });
});
