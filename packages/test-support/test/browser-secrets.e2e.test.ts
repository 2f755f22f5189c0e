/**
 * The browser secret scan checked against itself: a page on one origin leaks planted secrets through every channel
 * the scan claims to cover, once where its policy allows it and once where it does not; each leak is found, each
 * allowed placement is not. A scan that missed a channel would pass every page test vacuously.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { findSecretLeaks, launchChromium, servePage, watchBrowser } from '@kaa/test-support';
import type { BrowserWatch, LaunchedChromium, SecretScanPolicy, ServedPage } from '@kaa/test-support';

const TOKEN = 'planted-api-token-0123456789'; // kind "api-token": may go to the other origin's API
const STORED = 'planted-stored-token-0123456789'; // kind "stored": may sit in sessionStorage "tok.*"
const FRAMED = 'planted-framed-token-0123456789'; // kind "framed": may be the frame's `token` parameter
const NEVER = 'planted-never-anywhere-0123456789'; // kind "never"

let page: ServedPage;
let other: ServedPage;
let chromium: LaunchedChromium;
let context: BrowserContext;
let watch: BrowserWatch;

beforeAll(async () => {
  page = await servePage((req, res) => {
    // /leaky.html is served without a referrer policy: a same-origin navigation from it carries its whole address
    const policy: Record<string, string> = req.url?.startsWith('/leaky.html')
      ? {}
      : { 'referrer-policy': 'no-referrer' };
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...policy })
      .end('<!doctype html><meta charset="utf-8"><title>page</title><body></body>');
  });
  other = await servePage((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/frame.html')
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>frame</title><p>frame</p>');
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'authorization',
      })
      .end('{}');
  });
  chromium = await launchChromium({ profilePrefix: 'kaa-scan-self-test-' });
  context = chromium.context;
  watch = await watchBrowser(context);
});

afterAll(async () => {
  await chromium?.close();
  await page?.close();
  await other?.close();
});

const policy = (): SecretScanPolicy => ({
  secrets: [
    { kind: 'api-token', value: TOKEN },
    { kind: 'stored', value: STORED },
    { kind: 'framed', value: FRAMED },
    { kind: 'never', value: NEVER },
  ],
  pageOrigin: page.origin,
  sendTo: { [other.origin]: ['api-token'] },
  storage: [{ area: 'sessionStorage', keyPrefix: 'tok.', kinds: ['stored'] }],
  addressParams: { [other.origin]: { token: ['framed'] } },
  printed: [/leaked-pattern-[0-9]+/],
});

async function open(): Promise<Page> {
  watch.clear();
  const tab = await context.newPage();
  await tab.goto(`${page.origin}/page.html`);
  return tab;
}

/** The findings, each reduced to its channel and the masked secret. */
const leaks = async () => (await findSecretLeaks(context, watch, policy())).sort();

describe('expectNoSecretsInBrowser finds a secret in every channel it covers', () => {
  it('finds nothing when every secret sits only where the policy allows it', async () => {
    const tab = await open();
    await tab.evaluate(
      async ({ token, stored, framed, other }) => {
        sessionStorage.setItem('tok.genesys', stored);
        const frame = document.createElement('iframe');
        frame.src = `${other}/frame.html?token=${encodeURIComponent(framed)}`;
        document.body.append(frame);
        await new Promise((r) => frame.addEventListener('load', r));
        await fetch(`${other}/api`, { headers: { authorization: `Bearer ${token}` } });
        frame.contentWindow?.postMessage({ hello: 'widget' }, other);
        console.info('nothing secret here');
      },
      { token: TOKEN, stored: STORED, framed: FRAMED, other: other.origin },
    );
    await expect.poll(() => watch.messages.length).toBeGreaterThan(0); // the message was recorded in the receiving frame
    expect(await leaks()).toEqual([]);
    await tab.close();
  });

  it('finds each leak, naming where it is', async () => {
    const tab = await open();
    await tab.evaluate(
      async ({ token, stored, framed, never, other }) => {
        console.info(`signed in with ${token}`); // console
        const p = document.createElement('p');
        p.textContent = `stored: ${stored} leaked-pattern-42`; // DOM, and a printed pattern
        document.body.append(p);
        history.pushState({}, '', `?debug=${encodeURIComponent(never)}`); // history (and then the address)
        history.pushState({}, '', location.pathname);
        localStorage.setItem('cache', stored); // storage where the kind is not allowed
        sessionStorage.setItem('other', token);
        const frame = document.createElement('iframe');
        frame.src = `${other}/frame.html?token=${encodeURIComponent(framed)}&x=${encodeURIComponent(stored)}`; // iframe src, a param not allowed
        document.body.append(frame);
        await new Promise((r) => frame.addEventListener('load', r));
        await fetch(`${other}/api?q=${encodeURIComponent(stored)}`); // a request carrying a kind not allowed there
        await fetch(`${location.origin}/log`, { method: 'POST', body: token }); // the API token to the wrong origin
        frame.contentWindow?.postMessage({ secret: framed }, other); // a message to another origin
      },
      { token: TOKEN, stored: STORED, framed: FRAMED, never: NEVER, other: other.origin },
    );
    await expect.poll(() => watch.messages.some((m) => m.data.includes(FRAMED))).toBe(true);
    // a Referer: from a page without a referrer policy whose address holds a secret, to the same origin
    const second = await context.newPage();
    await second.goto(`${page.origin}/leaky.html?session=${encodeURIComponent(NEVER)}`);
    await second.evaluate(() => void (location.href = '/page.html'));
    await second.waitForURL(`${page.origin}/page.html`);
    const found = (await leaks()).filter((l) => !l.startsWith(`navigation GET ${page.origin}/leaky.html:`)); // the test's own goto
    await second.close();
    const mask = (s: string, kind: string) => `${kind} "${s.slice(0, 6)}…"`;
    const expected = [
      `console line 1: ${mask(TOKEN, 'api-token')}`,
      `frame ${page.origin}/page.html DOM: ${mask(STORED, 'stored')}`,
      `frame ${page.origin}/page.html DOM: text matching /leaked-pattern-[0-9]+/ ("leaked-patte…")`,
      `frame ${page.origin}/page.html address: ${mask(NEVER, 'never')}`,
      `localStorage "cache": ${mask(STORED, 'stored')}`,
      `sessionStorage "other": ${mask(TOKEN, 'api-token')}`,
      `frame ${page.origin}/page.html iframe src ${other.origin}/frame.html: ${mask(STORED, 'stored')}`,
      `frame ${other.origin}/frame.html address: ${mask(STORED, 'stored')}`,
      `navigation GET ${other.origin}/frame.html: ${mask(STORED, 'stored')}`,
      `request GET ${other.origin}/api: ${mask(STORED, 'stored')}`,
      `request POST ${page.origin}/log: ${mask(TOKEN, 'api-token')}`,
      `message from the page to ${other.origin}/frame.html: ${mask(FRAMED, 'framed')}`,
      `navigation GET ${page.origin}/page.html header referer: ${mask(NEVER, 'never')}`,
    ].sort();
    expect(found).toEqual(expected);
    await tab.close();
  });
});
