import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOTS, CONVERSATIONS, KORE_CHAT, OAUTH_CLIENTS, THIRD_PARTY } from '@kaa/sandbox';
import { expectWidgetConnected, expectWidgetTranscript } from '@kaa/test-support';
import type { WidgetLine } from '@kaa/test-support';
import {
  ARTIFACTS,
  buildPage,
  clearObservations,
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
import { criticalPath } from '../bench/critical-path.js';
import { recordSandboxRequests } from '../bench/request-log.js';
import type { SandboxRequest } from '../bench/request-log.js';

let pageDir: string;
let h: Harness;

type WidgetState = {
  status?: string;
  transcript?: { speaker: string; text: string }[];
  lifecycle?: { event: string; detail?: string }[];
  customData?: unknown;
  secureCustomData?: { claims?: Record<string, unknown> };
  botId?: string;
  language?: string;
  agent?: { id?: string; name?: string };
  ended?: boolean;
};
const widgetState = (id: string) => h.s.sandbox.kore.widgetState(id) as WidgetState | undefined;
const recorded = () =>
  h.s.sandbox.kore.recorded as unknown as {
    hooks: { body: { events?: { name: string; transfertype?: string; transition?: string }[] } }[];
    controls: { body: { action?: string; handover?: boolean } }[];
    jwtgrants: { status: number; alg?: string; claims?: Record<string, unknown> }[];
  };
const hookNames = () =>
  recorded().hooks.flatMap((r) =>
    (r.body.events ?? []).map((e) =>
      e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name,
    ),
  );

/** Every secret that exists at runtime, everywhere the page could leak it (see expectNoPageSecrets). */
const expectNoSecrets = () => expectNoPageSecrets(h);

/** The seeded chat as the agent reads it in the widget. */
const SEEDED_CHAT: WidgetLine[] = KORE_CHAT.map((m) => ({
  speaker: m.direction === 'inbound' ? 'Customer' : 'Agent',
  text: m.text,
}));

async function errorPanel(
  frame: import('playwright-core').Frame,
): Promise<{ code: string | null; step: string | null; text: string }> {
  const panel = frame.locator('#kaa-error');
  await panel.waitFor({ state: 'visible', timeout: 20_000 });
  return {
    code: await panel.getAttribute('data-code'),
    step: await panel.getAttribute('data-step'),
    text: (await panel.textContent()) ?? '',
  };
}

beforeAll(async () => {
  pageDir = await buildPage();
  h = await startHarness(pageDir);
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

/**
 * Waits for the page's live phase (its notifications are subscribed, so the test may drive the conversation; on the
 * error panel, fails with its text), then for what the agent sees: the stand-in widget of `conversationId` connected.
 */
async function expectLive(frame: import('playwright-core').Frame, conversationId: string): Promise<void> {
  const phase = await waitForPhase(frame, ['live', 'failed']);
  if (phase !== 'live') expect(await frame.locator('#kaa-error').textContent()).toBe('(no error panel)');
  await expectWidgetConnected(h.page, conversationId);
}

beforeEach(async () => {
  await h.s.sandbox.genesys.reset();
  await clearPageStorage(h); // one conversation id is replayed by every test; in production ids are unique
  clearObservations(h);
});

// every test, whatever it checks, ends with the secret scan (some scan earlier too, at a moment of their own)
afterEach(async () => {
  await expectNoSecrets();
});

describe('the /koreaiaa-genesys/ page in the sandbox desktop', () => {
  it('voice with Genesys transcription: every final utterance arrives once, in order, customer/agent mapped', async () => {
    const configFetches: string[] = [];
    const onRequest = (r: import('playwright-core').Request) =>
      void (r.url().includes('kaa.config.json') && configFetches.push(r.url()));
    h.context.on('request', onRequest);
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    h.context.off('request', onRequest);
    expect(configFetches).toEqual([]); // the settings are embedded in index.html: no second page request before the Genesys reads
    const lines = [
      { channel: 'INTERNAL' as const, text: 'Thank you for calling Alpha Inc.', partials: true },
      { channel: 'EXTERNAL' as const, text: 'I want to check my balance.', partials: true },
      { channel: 'INTERNAL' as const, text: 'Sure, one moment please.' },
      { channel: 'EXTERNAL' as const, text: 'My account number is one two three.', partials: true },
    ];
    await h.s.sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, lines, 20);
    // what the agent reads: every final line once, in speaking order, nothing more 500 ms after the last
    await expectWidgetTranscript(
      h.page,
      CONVERSATIONS.voiceAlpha,
      lines.map((l) => ({ speaker: l.channel === 'EXTERNAL' ? 'Customer' : 'Agent', text: l.text })),
      { quietMs: 500 },
    );
    // the secret scan reads what the page sent: the lines it posted to the widget, its bearer requests to Genesys
    const pageOrigin = new URL(h.s.pageUrl).origin;
    expect(
      h.watch?.messages.some(
        (m) => m.from === pageOrigin && m.to.startsWith(h.s.sandbox.origins.kore) && m.data.includes(lines[1]!.text),
      ),
    ).toBe(true);
    const sent = await Promise.all(
      (h.watch?.requests ?? [])
        .filter((r) => r.initiator === pageOrigin && r.url.startsWith(h.s.sandbox.origins.api))
        .map((r) => r.headers),
    );
    expect(sent.some((headers) => /^bearer \S+/i.test(headers['authorization'] ?? ''))).toBe(true);
    // the state the widget published to the sandbox agrees
    await eventually(
      () => widgetState(CONVERSATIONS.voiceAlpha)?.transcript?.length === lines.length,
      10_000,
      'the published widget state',
    );
    const state = widgetState(CONVERSATIONS.voiceAlpha);
    expect(state?.status).toBe('connected');
    expect(state?.botId).toBe(BOTS.alpha.botId);
    expect(state?.language).toBe('en');
    expect(state?.agent?.name).toBe('Ava Agent');
    // the widget JWT was verified by jwtgrant; the JWE was decrypted by the bot's key (KvpConfig of the alpha row)
    expect(
      recorded().jwtgrants.some(
        (g) => g.status === 200 && g.claims?.['sub'] === 'a9e00000-0000-4000-8000-000000000001',
      ),
    ).toBe(true);
    expect(state?.secureCustomData?.claims?.['secureCustomData']).toEqual({
      queue: 'ALPHAINC_CUSTOMERSERVICE_16092024',
      state: 'connected',
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await h.page.screenshot({ path: join(ARTIFACTS, 'iframe-desktop-widget.png') });
    await expectNoSecrets();
    expect(h.console.filter((l) => /Content Security Policy|preload/i.test(l))).toEqual([]);
  });
});

describe('the built page', () => {
  it('is static files with relative asset URLs, no inline script, a callback page, csp.txt, and initial JS ≤ 60 KB gzipped', () => {
    for (const html of ['index.html', 'auth-callback.html']) {
      const text = readFileSync(join(pageDir, html), 'utf8');
      // every script has a src; the one exception is the settings data block (type application/json: never executed)
      expect(text.replace(/<script type="application\/json" id="kaa-config">[^<]*<\/script>/, '')).not.toMatch(
        /<script(?![^>]*\ssrc=)[^>]*>/,
      );
      expect(text).not.toMatch(/\sstyle=|\son[a-z]+=/); // no inline style or handler
      expect(text).not.toMatch(/(src|href)="\/(?!\/)/); // no absolute paths: servable at any base path
    }
    expect(readFileSync(join(pageDir, 'index.html'), 'utf8')).not.toContain('id="kaa-config"'); // the build is never modified…
    expect(readFileSync(join(h.s.servedDir, 'index.html'), 'utf8')).toContain(
      '<script type="application/json" id="kaa-config">',
    ); // …the harness embeds the settings in the copy it serves
    const csp = readFileSync(join(pageDir, 'csp.txt'), 'utf8');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const entry = /src="\.\/assets\/(index-[^"]+\.js)"/.exec(readFileSync(join(pageDir, 'index.html'), 'utf8'))?.[1];
    expect(entry).toBeDefined();
    const gz = gzipSync(readFileSync(join(pageDir, 'assets', entry as string)), { level: 9 }).length;
    console.info(
      `initial JS ${entry}: ${(gz / 1024).toFixed(1)} KB gzipped; chunks: ${readdirSync(join(pageDir, 'assets')).join(', ')}`,
    );
    expect(gz).toBeLessThanOrEqual(60 * 1024);
    // jose (its error codes are kept by the minifier) is loaded only with the token code after step 4's requests
    expect(readFileSync(join(pageDir, 'assets', entry as string), 'utf8')).not.toMatch(/ERR_JOSE|ERR_JWS_/);
  });

  it('signs the widget token with RS256 when the row says so (RSPrivatePem)', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceRsa);
    await expectLive(frame, CONVERSATIONS.voiceRsa);
    expect(
      recorded()
        .jwtgrants.filter((g) => g.status === 200)
        .map((g) => g.alg),
    ).toEqual(['RS256']);
    await eventually(
      () => widgetState(CONVERSATIONS.voiceRsa)?.status === 'connected',
      10_000,
      'the published widget state',
    );
    expect(widgetState(CONVERSATIONS.voiceRsa)?.botId).toBe(BOTS.rs.botId);
    await expectNoSecrets();
  });
});

describe('time to widget with 100 ms latency on every Genesys and Kore route', () => {
  /**
   * Proven on the sandbox's own request log (one clock, no browser timing): the Genesys and Kore requests the
   * sandbox received between the page document's request and the widget page's request, and how many of them ran
   * one after another (depth). Two requests in sequence are ≥ 100 ms apart here, parallel ones overlap by ~100 ms: the
   * depth does not depend on how fast the machine is. The live feed's requests (`/api/v2/notifications/…`: the
   * stored channel's HEAD check, step 8) start while the widget is being prepared and are not waited for; on a slow
   * machine one may finish before the src is set, so they are not counted.
   */
  it('warm (token cached; bot table read beside users/me and the conversation): one round trip before the widget src; cold: the login comes first', async () => {
    const log = recordSandboxRequests();
    const o = h.s.sandbox.origins;
    const portOf = (origin: string) => Number(new URL(origin).port);
    const remote = new Map([
      [portOf(o.login), 'login'],
      [portOf(o.api), 'api'],
      [portOf(o.kore), 'kore'],
    ]);
    const pagePort = portOf(h.s.pageUrl);
    const widgetPath = new URL(h.s.sandbox.kore.widgetUrl).pathname;
    const load = async () => {
      log.clear();
      const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
      await expectLive(frame, CONVERSATIONS.voiceAlpha);
      const entries = [...log.entries];
      const documentRequest = entries.find(
        (e) => e.port === pagePort && e.method === 'GET' && e.path === '/koreaiaa-genesys/',
      );
      const widgetRequest = entries.find(
        (e) => e.port === portOf(o.kore) && e.method === 'GET' && e.path === widgetPath,
      );
      if (!documentRequest || !widgetRequest)
        throw new Error(`the sandbox saw no ${documentRequest ? 'widget page' : 'page document'} request`);
      // the desktop's polling and the stand-in widget's reports (/sandbox/…) are not the page's
      const before = entries.filter(
        (e) =>
          e !== widgetRequest &&
          remote.has(e.port) &&
          !e.path.startsWith('/sandbox/') &&
          !e.path.startsWith('/api/v2/notifications/') &&
          e.receivedAt >= documentRequest.receivedAt &&
          e.receivedAt <= widgetRequest.receivedAt,
      );
      const path = criticalPath(
        before.map((e) => ({ start: e.receivedAt, end: e.answeredAt ?? Number.POSITIVE_INFINITY })),
        widgetRequest.receivedAt,
      );
      const named = (e: SandboxRequest) =>
        `${remote.get(e.port)} ${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`;
      const done = (name: string) =>
        before.find((e) => named(e) === name && e.answeredAt !== undefined && e.answeredAt <= widgetRequest.receivedAt);
      return { path, requests: before.map(named), done, ms: widgetRequest.receivedAt - documentRequest.receivedAt };
    };
    h.s.sandbox.genesys.faults({ latencyMs: 100 });
    try {
      await freshTab(h);
      const cold = await load();
      const warm = await load();
      console.info(
        `time-to-widget @100 ms (sandbox clock, page request → widget request): warm ${warm.ms.toFixed(0)} ms, depth ${warm.path.depth} [${warm.requests.join(', ')}]; cold ${cold.ms.toFixed(0)} ms, depth ${cold.path.depth} [${cold.requests.join(', ')}]`,
      );
      // warm: users/me ∥ conversation, both answered before the src, and nothing in sequence with them
      expect(warm.done('api GET /api/v2/users/me')).toBeDefined();
      expect(warm.done('api GET /api/v2/conversations/{id}')).toBeDefined();
      expect(warm.requests.filter((r) => r.startsWith('login '))).toEqual([]); // the token came from sessionStorage
      // the bot table is read again (rows hold secrets: memory only, docs/assumptions.md#bot-table-reads-and-cache), beside the Genesys reads
      expect(warm.done('kore POST /api/public/tables/kaa_bots/query')).toBeDefined();
      expect(warm.path).toMatchObject({ depth: 1 });
      // cold: the PKCE exchange is answered before the first read goes out; so at least two round trips in sequence
      const token = cold.done('login POST /oauth/token');
      const me = cold.done('api GET /api/v2/users/me');
      expect(token && me && token.answeredAt! <= me.receivedAt).toBe(true);
      expect(cold.done('kore POST /api/public/tables/kaa_bots/query')).toBeDefined();
      expect(cold.path.depth).toBeGreaterThanOrEqual(2);
    } finally {
      h.s.sandbox.genesys.faults({ latencyMs: 0 });
      log.stop();
    }
  });
});

describe('web messaging, bot sources, custom data, lang', () => {
  it('relays web-messaging chat text, fetched by message id, once', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.chatKore, undefined, { lang: 'de-de' });
    await expectLive(frame, CONVERSATIONS.chatKore);
    await expectWidgetTranscript(h.page, CONVERSATIONS.chatKore, SEEDED_CHAT); // the chat so far, fetched by message id
    h.s.sandbox.genesys.customerMessage(CONVERSATIONS.chatKore, 'Where is my parcel?');
    await expectWidgetTranscript(h.page, CONVERSATIONS.chatKore, [
      ...SEEDED_CHAT,
      { speaker: 'Customer', text: 'Where is my parcel?' },
    ]);
    h.s.sandbox.genesys.agentMessage(CONVERSATIONS.chatKore, 'Let me look it up.');
    await expectWidgetTranscript(
      h.page,
      CONVERSATIONS.chatKore,
      [
        ...SEEDED_CHAT,
        { speaker: 'Customer', text: 'Where is my parcel?' },
        { speaker: 'Agent', text: 'Let me look it up.' },
      ],
      { quietMs: 400 },
    );
    await eventually(() => widgetState(CONVERSATIONS.chatKore)?.language, 10_000, 'the published widget state');
    const state = widgetState(CONVERSATIONS.chatKore);
    expect(state?.botId).toBe(BOTS.kore.botId);
    expect(state?.language).toBe('de');
    await expectNoSecrets();
  });

  it('resolves the bot through Third-Party Configuration (accountId)', async () => {
    // the KoreSupport record (the alpha record lists SecureCustomDataConfig without a JWE key: see the report)
    const frame = await openInteraction(
      h,
      CONVERSATIONS.chatKore,
      h.s.appUrl({ botSource: { kind: 'third-party', accountId: THIRD_PARTY.accountId } }),
    );
    await expectLive(frame, CONVERSATIONS.chatKore);
    await eventually(
      () => widgetState(CONVERSATIONS.chatKore)?.status === 'connected',
      10_000,
      'the published widget state',
    );
    expect(widgetState(CONVERSATIONS.chatKore)?.botId).toBe(BOTS.kore.botId);
    await expectNoSecrets();
  });

  it('resolves the bot through the legacy Genesys data table', async () => {
    const frame = await openInteraction(
      h,
      CONVERSATIONS.voiceAlpha,
      h.s.appUrl({ botSource: { kind: 'genesys-legacy-table' } }),
    );
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    await eventually(
      () => widgetState(CONVERSATIONS.voiceAlpha)?.status === 'connected',
      10_000,
      'the published widget state',
    );
    expect(widgetState(CONVERSATIONS.voiceAlpha)?.botId).toBe(BOTS.alpha.botId);
    await expectNoSecrets();
  });

  it('forwards x_passthru_metadata as customData.internalMetaData and sends secure custom data the widget decrypts', async () => {
    const passthru = '{"crmId":"42","tier":"gold"}';
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, h.s.appUrl({ passthruMetadata: passthru }));
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    await eventually(
      () => widgetState(CONVERSATIONS.voiceAlpha)?.status === 'connected',
      10_000,
      'the published widget state',
    );
    expect(widgetState(CONVERSATIONS.voiceAlpha)?.customData).toEqual({ internalMetaData: passthru });
    await h.s.sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'Hello there.' }], 10);
    await expectWidgetTranscript(h.page, CONVERSATIONS.voiceAlpha, [{ speaker: 'Customer', text: 'Hello there.' }]);
    const claims = await eventually(
      () => widgetState(CONVERSATIONS.voiceAlpha)?.secureCustomData?.claims,
      10_000,
      'decrypted secure custom data',
    );
    expect(claims['secureCustomData']).toEqual({ queue: 'ALPHAINC_CUSTOMERSERVICE_16092024', state: 'connected' });
    expect(claims['iss']).toBe(BOTS.alpha.clientId);
    await expectNoSecrets();
  });
});

describe('lifecycle: hold/resume, transfers, end', () => {
  it('hold and resume pause and resume transcription (Control Transcription API) when sendEventsToVG=true', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, h.s.appUrl({ sendEventsToVG: true }));
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    h.s.sandbox.genesys.hold(CONVERSATIONS.voiceAlpha);
    await eventually(() => recorded().controls.some((c) => c.body.action === 'pause'), 10_000, 'pause');
    h.s.sandbox.genesys.resume(CONVERSATIONS.voiceAlpha);
    await eventually(() => recorded().controls.some((c) => c.body.action === 'resume'), 10_000, 'resume');
    expect(recorded().controls.map((c) => c.body)).toEqual([
      expect.objectContaining({ action: 'pause', handover: false }),
      expect.objectContaining({ action: 'resume' }),
    ]);
  });

  it('without sendEventsToVG, hold calls nothing (once the page has applied the hold)', async () => {
    const frame = await openInteraction(
      h,
      CONVERSATIONS.voiceAlpha,
      h.s.appUrl({ sendEventsToVG: false, debug: true }),
    );
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    const applied = (kind: string) =>
      h.console.some((l) => l.includes('kaa: conversation event applied') && l.includes(`"kind":"${kind}"`));
    h.s.sandbox.genesys.hold(CONVERSATIONS.voiceAlpha);
    // the page logs an event after the Kore calls it makes for it have been answered: a pause would be recorded by now
    await eventually(() => applied('held'), 10_000, 'the page to apply the hold');
    h.s.sandbox.genesys.resume(CONVERSATIONS.voiceAlpha);
    await eventually(() => applied('resumed'), 10_000, 'the page to apply the resume');
    expect(recorded().controls).toEqual([]);
  });

  it.each([
    { kind: 'cold', showWidget: false },
    { kind: 'cold', showWidget: true },
    { kind: 'warm', showWidget: false },
    { kind: 'warm', showWidget: true },
  ] as const)(
    '$kind transfer with showWidget=$showWidget: ordered exit event; the widget closes or stays for the agent who left',
    async ({ kind, showWidget }) => {
      const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, h.s.appUrl({ showWidget }));
      await expectLive(frame, CONVERSATIONS.voiceAlpha);
      await eventually(() => hookNames().includes('NA/entry'), 10_000, 'NA/entry');
      if (kind === 'cold') h.s.sandbox.genesys.transferCold(CONVERSATIONS.voiceAlpha);
      else {
        h.s.sandbox.genesys.transferWarm(CONVERSATIONS.voiceAlpha);
        h.s.sandbox.genesys.completeWarm(CONVERSATIONS.voiceAlpha);
      }
      const exit = await eventually(
        () => hookNames().find((n) => n.endsWith('/exit') && n !== 'NA/exit'),
        10_000,
        'transfer exit',
      );
      expect(exit).toBe(`${kind}/exit`);
      await frame
        .locator('#kaa-notice')
        .getByText(showWidget ? 'stays open' : 'closed for you')
        .waitFor();
      // the whole sequence, in order: the entry, then this agent's transfer exit; no end (the last agent's instance owns it)
      expect(hookNames()).toEqual(['NA/entry', `${kind}/exit`]);
      expect(await frame.locator('#kaa-widget iframe').count()).toBe(showWidget ? 1 : 0);
    },
  );

  it('end of conversation: NA/exit then END_OF_CONVERSATION exactly once, everything closed', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    await eventually(() => hookNames().includes('NA/entry'), 10_000, 'NA/entry');
    h.s.sandbox.genesys.end(CONVERSATIONS.voiceAlpha);
    expect(await waitForPhase(frame, ['ended'])).toBe('ended');
    await eventually(() => hookNames().includes('END_OF_CONVERSATION'), 10_000, 'END_OF_CONVERSATION');
    await new Promise((r) => setTimeout(r, 1000)); // a second END would have been posted by now
    // the whole sequence, in order, each once (presence and order in one assertion)
    expect(hookNames()).toEqual(['NA/entry', 'NA/exit', 'END_OF_CONVERSATION']);
  });
});

describe('login: PKCE and implicit, redirect and popup', () => {
  it('implicit grant by in-iframe redirect (an existing Kore-style client)', async () => {
    await freshTab(h);
    const frame = await openInteraction(
      h,
      CONVERSATIONS.voiceAlpha,
      h.s.appUrl({ genesysClientId: OAUTH_CLIENTS.implicit.id, grant: 'implicit' }),
    );
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    await expectNoSecrets();
  });

  it('PKCE by in-iframe redirect, with the debug timeline redacted', async () => {
    await freshTab(h);
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, h.s.appUrl({ debug: true }));
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    const timeline = (await frame.locator('#kaa-timeline').textContent()) ?? '';
    for (const step of [
      '1 context',
      '2 environment',
      '3 login',
      '4 users/me',
      '4 conversation',
      '4 bot source',
      '5 bot record',
      '6 token',
      '7 widget',
      '8 live feed',
    ])
      expect(timeline).toContain(step);
    expect(timeline).toMatch(/token=\[REDACTED\]/);
    await expectNoSecrets();
  });

  it.each([
    { grant: 'pkce', clientId: OAUTH_CLIENTS.pkce.id },
    { grant: 'implicit', clientId: OAUTH_CLIENTS.implicit.id },
  ] as const)(
    '$grant through a popup (usePopupAuth=true) after the agent clicks Sign in',
    async ({ grant, clientId }) => {
      await freshTab(h);
      const frame = await openInteraction(
        h,
        CONVERSATIONS.voiceAlpha,
        h.s.appUrl({ genesysClientId: clientId, grant }),
        { usePopupAuth: true },
      );
      const button = frame.getByRole('button', { name: 'Sign in to Genesys Cloud' });
      await button.waitFor();
      const popup = h.context.waitForEvent('page');
      await button.click();
      await popupClosed(await popup);
      await expectLive(frame, CONVERSATIONS.voiceAlpha);
      await expectNoSecrets();
    },
  );
});

describe('failure paths: the right error panel, or recovery; never a secret', () => {
  it('missing parameter → parameters step', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, h.s.appUrl().replace(/&genesysid=[^&]*/, ''));
    const panel = await errorPanel(frame);
    expect(panel).toMatchObject({ code: 'E_PARAM_MISSING', step: 'parameters' });
    expect(panel.text).toContain('genesysid');
    await expectNoSecrets();
  });

  it('unknown environment → environment step', async () => {
    const frame = await openInteraction(
      h,
      CONVERSATIONS.voiceAlpha,
      h.s
        .appUrl()
        .replace('environment={{gcHostOrigin}}', 'environment=https://apps.example.com')
        .replace('&gcTargetEnv={{gcTargetEnv}}', ''),
    );
    const panel = await errorPanel(frame);
    expect(panel).toMatchObject({ code: 'E_ENVIRONMENT_UNKNOWN', step: 'environment' });
    await expectNoSecrets();
  });

  it('queue not mapped → bot table step naming the queue and identifier', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceUnmapped);
    const panel = await errorPanel(frame);
    expect(panel).toMatchObject({ code: 'E_QUEUE_NOT_MAPPED', step: 'bot table' });
    expect(panel.text).toContain('BETA_SALES_2024');
    expect(panel.text).toContain('BETA');
    await expectNoSecrets();
  });

  it('duplicate rows → bot table step', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceDuplicate);
    const panel = await errorPanel(frame);
    expect(panel).toMatchObject({ code: 'E_QUEUE_AMBIGUOUS', step: 'bot table' });
    expect(panel.text).toContain('DUPE');
    await expectNoSecrets();
  });

  it('bad KvpConfig and bad JWEPublicKey in the row → bot table / token step', async () => {
    const rows = h.s.sandbox.kore.tableRows();
    const alpha = (i: number) => rows.findIndex((r) => r['QueueIdentifier'] === 'ALPHAINC') === i;
    h.s.sandbox.kore.setRows(
      rows.map((r, i) => (alpha(i) ? { ...r, KvpConfig: '{"queue": participants[0].queueName' } : r)),
    );
    await clearPageStorage(h);
    let frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    let panel = await errorPanel(frame);
    expect(['E_KVP_CONFIG_INVALID', 'E_BOT_ROW_INVALID']).toContain(panel.code);
    expect(panel.step).toBe('bot table');
    expect(panel.text).toContain('KvpConfig');
    await expectNoSecrets();

    h.s.sandbox.kore.setRows(rows.map((r, i) => (alpha(i) ? { ...r, JWEPublicKey: '{"kty":"RSA","n":"x"}' } : r)));
    await clearPageStorage(h);
    frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    panel = await errorPanel(frame);
    expect(['E_JWE_KEY_INVALID', 'E_BOT_ROW_INVALID']).toContain(panel.code);
    expect(panel.text).toContain('JWEPublicKey');
    await expectNoSecrets();
    await clearPageStorage(h);
  });

  it('429 on the conversation read → retried after Retry-After, the widget still loads', async () => {
    h.s.sandbox.genesys.faults({
      failNext: {
        method: 'GET',
        pathPrefix: `/api/v2/conversations/${CONVERSATIONS.voiceAlpha}`,
        status: 429,
        times: 1,
      },
    });
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    expect(h.console.some((l) => l.includes('genesys rate limit; waiting'))).toBe(true);
    await expectNoSecrets();
  });

  it('WebSocket drop → reconnects, marks the gap, and later utterances still arrive once', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    h.s.sandbox.genesys.faults({ dropSockets: true });
    await frame.locator('#kaa-notice').getByText('interrupted').waitFor({ timeout: 20_000 });
    await h.s.sandbox.genesys.transcribe(
      CONVERSATIONS.voiceAlpha,
      [{ channel: 'EXTERNAL', text: 'Are you still there?' }],
      10,
    );
    await expectWidgetTranscript(
      h.page,
      CONVERSATIONS.voiceAlpha,
      [{ speaker: 'Customer', text: 'Are you still there?' }],
      { quietMs: 500 },
    );
    await expectNoSecrets();
  });

  it('401 mid-call → signs in again (redirect) and the widget comes back', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.chatKore);
    await expectLive(frame, CONVERSATIONS.chatKore);
    const logins = () => h.urls.filter((u) => u.startsWith(h.s.pageUrl) && /[?&]code=/.test(u)).length; // login answers landing on the page
    const before = logins();
    h.s.sandbox.genesys.faults({
      failNext: {
        method: 'GET',
        pathPrefix: `/api/v2/conversations/messages/${CONVERSATIONS.chatKore}/messages/`,
        status: 401,
        times: 1,
      },
    });
    h.s.sandbox.genesys.customerMessage(CONVERSATIONS.chatKore, 'After the token expired');
    // the page signs in again and starts over: the new widget shows the whole chat, the new message once
    await expectWidgetTranscript(
      h.page,
      CONVERSATIONS.chatKore,
      [...SEEDED_CHAT, { speaker: 'Customer', text: 'After the token expired' }],
      { timeoutMs: 30_000 },
    );
    const again = h.page.frames().find((f) => f.url().startsWith(h.s.pageUrl));
    expect(again && (await waitForPhase(again, ['live', 'failed']))).toBe('live');
    expect(h.console.some((l) => l.includes('genesys answered 401; signing in again once'))).toBe(true);
    expect(logins()).toBeGreaterThan(before);
    await expectNoSecrets();
  });

  /** Counts the page's token exchanges (`POST /oauth/token`); `onFirst` runs when the first one answers. */
  const watchTokens = (onFirst: () => void = () => undefined) => {
    const statuses: number[] = [];
    const onResponse = (r: import('playwright-core').Response) => {
      if (!new URL(r.url()).pathname.endsWith('/oauth/token') || r.request().method() !== 'POST') return;
      statuses.push(r.status());
      if (statuses.length === 1) onFirst();
    };
    h.context.on('response', onResponse);
    return { statuses, stop: () => h.context.off('response', onResponse) };
  };

  /** The page is live again, and its new widget shows an utterance published now, once, and nothing else. */
  async function expectWidgetBack(text: string): Promise<void> {
    const again = await eventually(
      () => h.page.frames().find((f) => f.url().startsWith(h.s.pageUrl)),
      10_000,
      'the page frame',
    );
    await expectLive(again, CONVERSATIONS.voiceAlpha);
    await h.s.sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text }], 10);
    await expectWidgetTranscript(h.page, CONVERSATIONS.voiceAlpha, [{ speaker: 'Customer', text }], { quietMs: 500 });
  }

  it('the token expires on the server while the page holds it (nothing injected): the socket closes, a real 401, one re-login, the widget comes back', async () => {
    await freshTab(h); // no token kept in this tab's sessionStorage by an earlier test
    const tokens = watchTokens();
    try {
      const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
      await expectLive(frame, CONVERSATIONS.voiceAlpha);
      expect(tokens.statuses).toEqual([200]);
      expect(h.s.sandbox.genesys.state().openSockets).toBe(1);
      h.s.sandbox.genesys.faults({ expireTokens: true });
      // expiredTokenSockets 'close': the server ends the socket; the page's reconnect meets a genuine 401
      await eventually(() => tokens.statuses.length >= 2, 30_000, 'a second sign-in after the token expired');
      expect(h.s.sandbox.genesys.state().faults.pendingFailures).toEqual([]);
      await expectWidgetBack('Still there after the expiry?');
      expect(h.console.some((l) => l.includes('genesys answered 401; signing in again once'))).toBe(true);
      expect(tokens.statuses).toEqual([200, 200]); // one re-login, no loop
      await expectNoSecrets();
    } finally {
      tokens.stop();
    }
  });

  it('a token that lives 2 s (nothing injected): the page signs in again by itself once, and the widget works', async () => {
    // only the first token is short: tokens issued after it (the re-login's) live a day
    await freshTab(h);
    const tokens = watchTokens(() => h.s.sandbox.genesys.faults({ tokenTtlSeconds: 86_400 }));
    try {
      h.s.sandbox.genesys.faults({ tokenTtlSeconds: 2 });
      await openInteraction(h, CONVERSATIONS.voiceAlpha);
      await eventually(() => tokens.statuses.length >= 2, 30_000, 'a second sign-in after the first token expired');
      await expectWidgetBack('Is my token still good?');
      expect(tokens.statuses).toEqual([200, 200]);
      expect(h.s.sandbox.genesys.state().faults.pendingFailures).toEqual([]);
      await expectNoSecrets();
    } finally {
      tokens.stop();
    }
  });
});

describe('Genesys lifecycle hooks (advanced.lifecycle: bootstrap, focus, blur, stop)', () => {
  const LIFECYCLE = { bootstrap: true, focus: true, blur: true, stop: true };
  const desktopLog = async () =>
    (
      await h.page.evaluate(() =>
        (
          window as unknown as { __kaaDesktop: { lifecycle(): { conversationId: string; event: string }[] } }
        ).__kaaDesktop.lifecycle(),
      )
    ).map((r) => `${r.conversationId} ${r.event}`);
  const frameOf = (id: string) => h.page.locator(`iframe[data-conversation-id="${id}"]`);
  const pick = (id: string) => h.page.locator(`#interactions li[data-conversation-id="${id}"] button`).click();

  it('bootstrap: the frame is shown on bootstrapped; focus and blur reach the page; stop closes the socket, removes the topics, answers stopped', async () => {
    const first = CONVERSATIONS.voiceAlpha;
    const second = CONVERSATIONS.chatKore;
    const frame = await openInteraction(h, first, undefined, { lifecycle: LIFECYCLE });
    await expectLive(frame, first);
    await eventually(async () => (await desktopLog()).includes(`${first} bootstrapped`), 10_000, 'bootstrapped');
    expect(await frameOf(first).getAttribute('data-lifecycle')).toBe('bootstrapped');
    expect(await desktopLog()).not.toContain(`${first} bootstrap timeout`);

    // switching interactions: the hidden frame gets blur, the one shown again gets focus (not on first show)
    await pick(second);
    const secondFrame = await (await h.page.waitForSelector(`iframe[data-conversation-id="${second}"]`)).contentFrame();
    if (!secondFrame) throw new Error('no second frame');
    await expectLive(secondFrame, second);
    await pick(first);
    await eventually(async () => (await desktopLog()).includes(`${first} sent focus`), 10_000, 'focus sent');
    const log = await desktopLog();
    expect(log).toContain(`${first} sent blur`);
    expect(log).toContain(`${second} sent blur`);
    expect(log).not.toContain(`${second} sent focus`);
    await eventually(
      () => h.console.some((l) => l.includes('genesys lifecycle hook') && l.includes('"focus"')),
      10_000,
      'the page saw focus',
    );
    expect(h.console.some((l) => l.includes('genesys lifecycle hook') && l.includes('"blur"'))).toBe(true);

    // stop: the page closes its socket and deletes its topics, then answers stopped; the desktop removes the frame
    const before = h.s.sandbox.genesys.state();
    await h.page.locator('#close-widget').click();
    await eventually(async () => (await desktopLog()).includes(`${first} removed`), 10_000, 'frame removed');
    const after = await desktopLog();
    expect(after).toContain(`${first} stopped`);
    expect(after).not.toContain(`${first} stop timeout`);
    const state = h.s.sandbox.genesys.state();
    expect(state.openSockets).toBe(before.openSockets - 1);
    expect(state.subscribedTopics).toBeLessThan(before.subscribedTopics);
    expect(await frameOf(first).count()).toBe(0);
    expect(await frameOf(second).count()).toBe(1); // the other interaction's widget is untouched
    await expectNoSecrets();
  });

  it('stop while the page is still loading: answered at once, and no widget, socket or topic is left behind', async () => {
    const id = CONVERSATIONS.voiceAlpha;
    const before = h.s.sandbox.genesys.state();
    const grants = recorded().jwtgrants.length;
    h.s.sandbox.genesys.faults({ latencyMs: 1_500 }); // the page is mid-request when the agent closes the panel
    try {
      const frame = await openInteraction(h, id, undefined, { lifecycle: LIFECYCLE });
      await waitForPhase(frame, ['fetch']);
      await h.page.locator('#close-widget').click();
      await eventually(async () => (await desktopLog()).includes(`${id} removed`), 10_000, 'frame removed');
      const log = await desktopLog();
      expect(log).toContain(`${id} stopped`);
      expect(log).not.toContain(`${id} stop timeout`);
      expect(log).not.toContain(`${id} bootstrapped`); // nothing was on screen yet
    } finally {
      h.s.sandbox.genesys.faults({ latencyMs: 0 });
    }
    await new Promise((r) => setTimeout(r, 2_000)); // the page's requests would have been answered by now
    const after = h.s.sandbox.genesys.state();
    expect(after.openSockets).toBe(before.openSockets);
    expect(after.subscribedTopics).toBe(before.subscribedTopics);
    expect(recorded().jwtgrants.length).toBe(grants);
  });

  it('an error panel answers bootstrap too: the admin sees what to fix instead of a frame hidden until the timeout', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, h.s.appUrl().replace(/&genesysid=[^&]*/, ''), {
      lifecycle: LIFECYCLE,
    });
    const panel = await errorPanel(frame);
    expect(panel.code).toBe('E_PARAM_MISSING');
    await eventually(
      async () => (await desktopLog()).includes(`${CONVERSATIONS.voiceAlpha} bootstrapped`),
      10_000,
      'bootstrapped',
    );
    expect(await frameOf(CONVERSATIONS.voiceAlpha).getAttribute('data-lifecycle')).toBe('bootstrapped');
  });

  it('without the hooks configured the desktop sends nothing and the page sends nothing unasked', async () => {
    const posted: unknown[] = [];
    await h.page.exposeFunction('__kaaSeenByDesktop', (d: unknown) => void posted.push(d)).catch(() => undefined);
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    await h.page.evaluate(() =>
      window.addEventListener(
        'message',
        (e) => void (window as unknown as { __kaaSeenByDesktop(d: unknown): void }).__kaaSeenByDesktop(e.data),
      ),
    );
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    expect(await desktopLog()).toEqual([]);
    expect(posted.filter((d) => JSON.stringify(d).includes('purecloud-client-apps'))).toEqual([]);
  });
});
