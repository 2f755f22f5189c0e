import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOTS, CONVERSATIONS, USERS, startKorePlatform, type KorePlatform } from '@kaa/sandbox';
import {
  assertChromium,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  expectNoSecretsInBrowser,
  expectWidgetConnected,
  expectWidgetTranscript,
  watchBrowser,
  type BrowserWatch,
} from '@kaa/test-support';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintWidgetSession } from '../embed-widget-host/mint-widget-session.js';
import { startEmbedWidgetHost, type EmbedWidgetHost } from '../embed-widget-host/start-embed-widget-host.js';

const CONVERSATION = CONVERSATIONS.voiceAlpha;
const UTTERANCES = [
  { speaker: 'customer', text: 'I want to check my balance' },
  { speaker: 'agent', text: 'Sure, can you confirm your account number?' },
  { speaker: 'customer', text: 'It is 4 5 1 2.' },
] as const;

interface WidgetState {
  status: string;
  botId?: string;
  conversationId?: string;
  agent?: { id?: string; name?: string };
  user?: { id?: string; name?: string };
  transcript: { speaker: string; text: string }[];
  origins: string[];
}
interface PageState {
  loaded: boolean;
  sent: { speaker: string; text: string }[];
  events: string[];
  errors: string[];
}

let kore: KorePlatform;
let host: EmbedWidgetHost;
let context: BrowserContext;
let watch: BrowserWatch;
let profile: string;
const minted: string[] = [];

async function widgetState(): Promise<WidgetState | undefined> {
  const response = await fetch(`${kore.origin}/sandbox/kore/v1/widget-state?conversationId=${CONVERSATION}`);
  return response.status === 200 ? ((await response.json()) as WidgetState) : undefined;
}

beforeAll(async () => {
  assertChromium();
  kore = await startKorePlatform();
  host = await startEmbedWidgetHost({
    widgetOrigin: kore.origin,
    session: async () => {
      const session = await mintWidgetSession({
        bot: BOTS.alpha,
        agentAssistWidgetUrl: kore.widgetUrl,
        conversationId: CONVERSATION,
        agent: { id: USERS.agent.id, name: USERS.agent.name },
        customer: { id: 'customer-1', name: 'Carla Customer' },
        utterances: UTTERANCES.map((u) => ({ ...u })),
        now: () => Date.now(),
      });
      minted.push(new URL(session.widgetUrl).searchParams.get('token') ?? '');
      return session;
    },
  });
  profile = mkdtempSync(join(tmpdir(), 'kaa-examples-embed-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  watch = await watchBrowser(context);
});

afterAll(async () => {
  await context?.close();
  await host?.close();
  await kore?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('examples/embed-widget-host in Chromium', () => {
  it('mounts the stand-in widget with a server-minted token; agent info and utterances arrive in order; Send comes back', async () => {
    kore.reset();
    watch.clear();
    const page: Page = await context.newPage();
    await page.goto(host.url);
    await page.waitForFunction(
      () => (window as unknown as { __embedExample?: PageState }).__embedExample?.loaded === true,
      undefined,
      { timeout: 20_000 },
    );
    expect(new URL(page.url()).origin).not.toBe(kore.origin); // the host page and the widget are different origins

    // What the agent sees in the widget frame: connected (jwtgrant accepted the token), the lines in order, once.
    const frame = await expectWidgetConnected(page, CONVERSATION);
    await expectWidgetTranscript(page, CONVERSATION, [
      { speaker: 'Customer', text: UTTERANCES[0].text },
      { speaker: 'Agent', text: UTTERANCES[1].text },
      { speaker: 'Customer', text: UTTERANCES[2].text },
    ]);
    // The widget's own report to the platform (GET {kore}/sandbox/kore/v1/widget-state) agrees.
    await expect.poll(async () => (await widgetState())?.transcript.length ?? 0, { timeout: 15_000 }).toBe(3);
    const state = (await widgetState())!;
    expect(state.status).toBe('connected');
    expect(state.botId).toBe(BOTS.alpha.botId);
    expect(state.conversationId).toBe(CONVERSATION);
    expect(state.agent).toEqual({ id: USERS.agent.id, name: USERS.agent.name });
    expect(state.user).toEqual({ id: 'customer-1', name: 'Carla Customer' });
    expect(state.transcript.map((l) => [l.speaker, l.text])).toEqual([
      ['Customer', UTTERANCES[0].text],
      ['Agent', UTTERANCES[1].text],
      ['Customer', UTTERANCES[2].text],
    ]);
    expect(state.origins).toEqual([host.origin]);

    // One more, typed into the page's form, lands after the others.
    await page.selectOption('#speaker', 'agent');
    await page.fill('#utterance-text', 'Your balance is 120 euros.');
    await page.click('button[type=submit]');
    await expectWidgetTranscript(page, CONVERSATION, [{ speaker: 'Agent', text: 'Your balance is 120 euros.' }], {
      after: UTTERANCES.length,
    });

    // The agent presses Send in the widget: the page lists the "send" event.
    await frame.fill('#send-text', 'Please hold while I check.');
    await frame.click('#send');
    await page.waitForFunction(() =>
      (window as unknown as { __embedExample: PageState }).__embedExample.events.includes('Please hold while I check.'),
    );
    expect(await page.$$eval('#events li', (lis) => lis.map((li) => li.textContent))).toEqual([
      'Please hold while I check.',
    ]);
    expect(await page.$$eval('#sent li', (lis) => lis.length)).toBe(4);

    // Nothing secret in what the host page prints, stores, addresses or sends: the widget token sits only in the
    // widget iframe's `token` parameter, by design; the ClientSecret and Kore's access token nowhere.
    const pageState = (await page.evaluate(
      () => (window as unknown as { __embedExample: PageState }).__embedExample,
    )) as PageState;
    expect(pageState.errors).toEqual([]);
    expect(minted.length).toBeGreaterThan(0);
    await expectNoSecretsInBrowser(context, watch, {
      secrets: [...kore.issuedSecrets(), ...minted.map((value) => ({ kind: 'kore-widget-jwt', value }))],
      pageOrigin: host.origin,
      addressParams: { [kore.origin]: { token: ['kore-widget-jwt'] } },
      printed: [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
    });
    expect(JSON.stringify(pageState)).not.toContain(minted[0]);
    await page.close();
  });

  it('serves the page with a CSP that frames only the widget origin, and the session without the ClientSecret', async () => {
    const response = await fetch(host.url);
    expect(response.headers.get('content-security-policy')).toContain(`frame-src ${kore.origin}`);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const session = await (await fetch(`${host.origin}/session.json`)).text();
    expect(session).not.toContain(BOTS.alpha.clientSecret);
    expect(JSON.parse(session)).toMatchObject({ conversationId: CONVERSATION, agent: { id: USERS.agent.id } });
  });

  it('a token signed with the wrong secret is rejected by the widget: it shows an error and takes no utterance', async () => {
    kore.reset();
    const bad = await startEmbedWidgetHost({
      widgetOrigin: kore.origin,
      session: () =>
        mintWidgetSession({
          bot: { ...BOTS.alpha, clientSecret: 'not-the-alpha-secret' },
          agentAssistWidgetUrl: kore.widgetUrl,
          conversationId: CONVERSATION,
          agent: { id: USERS.agent.id, name: USERS.agent.name },
          customer: { id: 'customer-1', name: 'Carla Customer' },
          utterances: [{ speaker: 'customer', text: 'hello' }],
          now: () => Date.now(),
        }),
    });
    try {
      const page = await context.newPage();
      await page.goto(bad.url);
      await expect.poll(async () => (await widgetState())?.status, { timeout: 15_000 }).toBe('error');
      expect((await widgetState())?.transcript).toEqual([]); // a rejected token: later messages are ignored
      await page.close();
    } finally {
      await bad.close();
    }
  });

  it('shows the error panel when the server cannot mint a session, without the secret', async () => {
    const failing = await startEmbedWidgetHost({
      widgetOrigin: kore.origin,
      session: () =>
        mintWidgetSession({
          bot: { ...BOTS.alpha, algorithm: 'none' },
          agentAssistWidgetUrl: kore.widgetUrl,
          conversationId: CONVERSATION,
          agent: { id: USERS.agent.id, name: USERS.agent.name },
          customer: { id: 'customer-1', name: 'Carla Customer' },
          utterances: [],
          now: () => Date.now(),
        }),
    });
    try {
      const page = await context.newPage();
      await page.goto(failing.url);
      await page.waitForSelector('#error:not([hidden])');
      const text = (await page.textContent('#error')) ?? '';
      expect(text).toMatch(
        /^E_HTTP_SERVER \(.+\): The example server could not mint a widget session \(HTTP 500\): .*Algorithm/,
      );
      expect(text).not.toContain(BOTS.alpha.clientSecret);
      expect(await page.$$('iframe')).toHaveLength(0);
      await page.close();
    } finally {
      await failing.close();
    }
  });
});
