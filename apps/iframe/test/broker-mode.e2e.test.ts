/**
 * Broker mode end to end: the built page in Chromium inside the sandbox desktop, with settings `tokens.serverUrl`
 * naming a token broker (`@kaa/broker` on node:http, in this process) that holds the bot-table credentials and
 * the bot secrets. The agent sees the widget connect and the conversation arrive; hold, resume and the end go
 * through the broker; and nothing the browser holds, prints, stores, sends or RECEIVES (every response body) contains
 * a ClientSecret, an RS or JWE private key, a Data-app secret or a table token.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame, Response as PwResponse } from 'playwright-core';
import { createBroker, type Broker, type BrokerLimits } from '@kaa/broker';
import { serveFetch, type NodeFetchServer } from '@kaa/broker/node';
import { BROKER_PATHS, parseSettings, signPlatformJwt } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { BOTS, CONVERSATIONS, KORE_CHAT, KORE_DATA_TABLE, ORG, QUEUES } from '@kaa/sandbox';
import type { SandboxSecret } from '@kaa/sandbox';
import {
  expectNoSecrets,
  expectNoSecretsInBrowser,
  expectWidgetConnected,
  expectWidgetTranscript,
} from '@kaa/test-support';
import {
  buildPage,
  clearObservations,
  clearPageStorage,
  eventually,
  openInteraction,
  startHarness,
  waitForPhase,
} from './browser.js';
import type { Harness } from './browser.js';

let pageDir: string;
let h: Harness;
let server: NodeFetchServer;
let broker: Broker | undefined;
const brokerLogs: unknown[] = [];
/** Every response body any frame of the browser received, with its URL. */
const received: { url: string; body: string }[] = [];

/** What must never reach the browser in broker mode. */
const NEVER_IN_BROWSER = new Set([
  'bot-client-secret',
  'bot-rs-private-key',
  'bot-jwe-private-key',
  'data-app-secret',
  'kore-table-token',
  'genesys-client-secret',
  'kore-platform-jwt',
]);

beforeAll(async () => {
  pageDir = await buildPage();
  // the broker's port first (the page's settings and CSP name it), its handler once the sandbox's origins are known
  server = await serveFetch(
    (r) => (broker ? broker.fetch(r) : Promise.resolve(new Response('not yet', { status: 503 }))),
    { host: '127.0.0.1', port: 0 },
  );
  // broker mode needs no lookup credential in the page: the sandbox's Third-Party reader token is left out
  h = await startHarness(pageDir, {
    settings: { tokens: { minter: 'server', serverUrl: server.url }, thirdParty: { source: 'none', http: {} } },
    connectOrigins: [server.url],
  });
  broker = makeBroker();
  h.context.on('response', (r: PwResponse) => {
    void r.body().then(
      (b) => received.push({ url: r.url(), body: b.toString('utf8') }),
      () => undefined, // redirects and aborted requests have no body
    );
  });
}, 180_000);

/** The token broker over the sandbox, with the page's own settings. */
function makeBroker(limits: BrokerLimits = {}): Broker {
  const sandbox = h.s.sandbox;
  const client = createDataTableClient(
    {
      baseUrl: sandbox.origins.kore,
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
    },
    { fetch: (u, i) => fetch(u, i), now: () => Date.now(), signPlatformJwt, cacheTtlMs: 0, tokenOrigin: 'config' },
  );
  return createBroker({
    settings: parseSettings(h.s.settings), // the page's own settings
    served: [{ environment: { ...sandbox.environment, domain: '' }, orgIds: [ORG.id] }],
    allowedOrigins: [new URL(h.s.pageUrl).origin],
    botSource: createKoreTableBotSource({
      client,
      table: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      lookup: { allowHttpLoopback: true },
    }),
    fetch: (u, i) => fetch(u, i),
    now: () => Date.now(),
    logger: recordingLogger(brokerLogs),
    secrets: () => [KORE_DATA_TABLE.readApp.clientSecret],
    limits,
  });
}

afterAll(async () => {
  await h?.close();
  await server?.close(1_000);
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await h.s.sandbox.genesys.reset();
  await clearPageStorage(h);
  clearObservations(h);
  received.length = 0;
});

/** The Application URL of broker mode: no x_metadata, no multibot, no accountId — nothing secret. */
const brokerAppUrl = (o: { sendEventsToVG?: boolean } = {}) =>
  h.s.appUrl({ botSource: { kind: 'genesys-legacy-table' }, ...o });

async function expectLive(frame: Frame, conversationId: string): Promise<void> {
  const phase = await waitForPhase(frame, ['live', 'failed']);
  if (phase !== 'live') expect(await frame.locator('#kaa-error').textContent()).toBe('(no error panel)');
  await expectWidgetConnected(h.page, conversationId);
}

/**
 * The strict scan of broker mode: the page may hold the agent's Genesys token (its token store; sent to Genesys and
 * to the broker) and the widget JWT (the widget's `token` parameter, and the broker's answer), nothing else; and no
 * response body the browser received holds a bot secret, a key, a Data-app secret or a table token.
 */
async function expectNoBrowserSecrets(): Promise<void> {
  const secrets: SandboxSecret[] = [
    ...h.s.sandbox.issuedSecrets(),
    { kind: 'kore-table-token', value: h.s.xMetadataToken },
  ];
  const pageOrigin = new URL(h.s.pageUrl).origin;
  const o = h.s.sandbox.origins;
  await expectNoSecretsInBrowser(h.context, h.watch!, {
    secrets,
    pageOrigin,
    sendTo: {
      [o.login]: ['genesys-authorization-code', 'genesys-pkce-verifier'],
      [o.api]: ['genesys-access-token'],
      [server.url]: ['genesys-access-token'],
    },
    storage: [{ area: 'sessionStorage', keyPrefix: 'kaa.genesys.token.', kinds: ['genesys-access-token'] }],
    addressParams: { [o.kore]: { token: ['kore-widget-jwt'] } },
    navigationParams: { [pageOrigin]: { code: ['genesys-authorization-code'] } },
    printed: [
      /[?&#](code|access_token|state|token)=(?!\[REDACTED\])[^&\s"'<]/,
      /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
    ],
    pageAddresses: [/[?&#](code|access_token|state|x_metadata)=/],
  });
  const forbidden = secrets.filter((s) => NEVER_IN_BROWSER.has(s.kind));
  expect(forbidden.filter((s) => s.kind === 'bot-client-secret').length).toBeGreaterThan(0); // the scan knows what to look for
  expect(received.length).toBeGreaterThan(0);
  const leaks = received.flatMap((r) =>
    forbidden.filter((s) => r.body.includes(s.value)).map((s) => `${s.kind} in the body of ${r.url.split('?')[0]}`),
  );
  expect(leaks).toEqual([]);
}

describe('broker mode: the page in the sandbox desktop with a token broker', () => {
  it('voice: the widget connects, the transcript arrives in order, hold/resume/end go through the broker; no secret anywhere in the browser', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha, brokerAppUrl({ sendEventsToVG: true }));
    await expectLive(frame, CONVERSATIONS.voiceAlpha);
    expect(frame.url()).not.toContain('x_metadata');
    const pageOrigin = new URL(h.s.pageUrl).origin;
    const requests = h.watch!.requests.filter((r) => r.initiator === pageOrigin);
    // the launch came from the broker, with the agent's bearer token; the page read no bot table
    expect(requests.some((r) => r.url === `${server.url}${BROKER_PATHS.launch}` && r.method === 'POST')).toBe(true);
    expect(requests.filter((r) => r.url.startsWith(`${h.s.sandbox.origins.kore}/api/public/tables`))).toEqual([]);
    expect(h.s.sandbox.kore.recorded.jwtgrants.some((g) => g.status === 200 && g.botId === BOTS.alpha.botId)).toBe(
      true,
    );

    const lines = [
      { channel: 'INTERNAL' as const, text: 'Thank you for calling Alpha Inc.', partials: true },
      { channel: 'EXTERNAL' as const, text: 'I want to check my balance.', partials: true },
      { channel: 'INTERNAL' as const, text: 'Sure, one moment please.' },
    ];
    await h.s.sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, lines, 20);
    await expectWidgetTranscript(
      h.page,
      CONVERSATIONS.voiceAlpha,
      lines.map((l) => ({ speaker: l.channel === 'EXTERNAL' ? 'Customer' : 'Agent', text: l.text })),
      { quietMs: 300 },
    );

    const kore = h.s.sandbox.kore.recorded;
    h.s.sandbox.genesys.hold(CONVERSATIONS.voiceAlpha);
    await eventually(
      () => kore.controls.some((c) => (c.body as { action?: string }).action === 'pause'),
      10_000,
      'pause through the broker',
    );
    h.s.sandbox.genesys.resume(CONVERSATIONS.voiceAlpha);
    await eventually(
      () => kore.controls.some((c) => (c.body as { action?: string }).action === 'resume'),
      10_000,
      'resume through the broker',
    );
    expect(kore.controls.map((c) => [c.status, c.appId, (c.body as { action?: string }).action])).toEqual([
      [200, BOTS.alpha.clientId, 'pause'],
      [200, BOTS.alpha.clientId, 'resume'],
    ]);
    h.s.sandbox.genesys.end(CONVERSATIONS.voiceAlpha);
    expect(await waitForPhase(frame, ['ended'])).toBe('ended');
    const names = () =>
      kore.hooks
        .filter((r) => r.status === 200)
        .flatMap((r) => ((r.body as { events?: { name: string }[] }).events ?? []).map((e) => e.name));
    await eventually(() => names().includes('END_OF_CONVERSATION'), 10_000, 'END_OF_CONVERSATION through the broker');
    expect(names().filter((n) => n === 'END_OF_CONVERSATION')).toHaveLength(1);
    // every Kore hooks/control call was signed by the broker: the page itself called Kore for nothing (the widget's
    // own calls, with its own jwtgrant token, are the widget's)
    expect(
      h
        .watch!.requests.filter(
          (r) => r.initiator === pageOrigin && !r.navigation && r.url.startsWith(h.s.sandbox.origins.kore),
        )
        .map((r) => r.url),
    ).toEqual([]);

    await expectNoBrowserSecrets();
    expectNoSecrets(
      brokerLogs,
      h.s.sandbox.issuedSecrets().map((s) => s.value),
    );
  });

  it('chat: the widget connects and shows the conversation so far; no secret anywhere in the browser', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.chatKore, brokerAppUrl());
    await expectLive(frame, CONVERSATIONS.chatKore);
    const seeded = KORE_CHAT.map((m) => ({
      speaker: m.direction === 'inbound' ? ('Customer' as const) : ('Agent' as const),
      text: m.text,
    }));
    await expectWidgetTranscript(h.page, CONVERSATIONS.chatKore, seeded);
    h.s.sandbox.genesys.customerMessage(CONVERSATIONS.chatKore, 'Where is my parcel?');
    await expectWidgetTranscript(
      h.page,
      CONVERSATIONS.chatKore,
      [...seeded, { speaker: 'Customer', text: 'Where is my parcel?' }],
      { quietMs: 300 },
    );
    await expectNoBrowserSecrets();
  });

  it('a call longer than the JWE the broker minted: the page asks the broker for a fresh launch before each expires, and the widget always holds a valid one', async () => {
    // the broker mints JWEs of 10 s (jwe.refreshBeforeSeconds is then cut to half of that): a long call takes seconds
    const TTL = 10;
    broker = makeBroker({ widgetTokenTtlSeconds: TTL });
    try {
      const id = CONVERSATIONS.voiceAudiohook; // AudiohookEnabled: the JWE rides in the widget URL, a refresh reloads it
      type SecureState = { claims?: { iat?: number; exp?: number; secureCustomData?: unknown }; error?: string };
      const secureState = () =>
        (h.s.sandbox.kore.widgetState(id) as { secureCustomData?: SecureState } | undefined)?.secureCustomData;
      const frame = await openInteraction(h, id, brokerAppUrl());
      await expectLive(frame, id);
      const first = await eventually(
        () => secureState()?.claims,
        10_000,
        'the widget to decrypt the secure custom data',
      );
      expect(first.secureCustomData).toEqual({ queue: QUEUES.audiohook.name, state: 'connected' });
      expect(first.exp! - first.iat!).toBe(TTL);
      const held: { iat: number; exp: number; seenAt: number }[] = [];
      const errors: string[] = [];
      await eventually(
        () => {
          const s = secureState();
          if (s?.error) errors.push(s.error);
          const c = s?.claims;
          if (c?.iat !== undefined && c.exp !== undefined && !held.some((x) => x.iat === c.iat))
            held.push({ iat: c.iat, exp: c.exp, seenAt: Date.now() });
          return errors.length > 0 || (held.length >= 3 && Date.now() > first.exp! * 1000 + 1_000);
        },
        6 * TTL * 1000,
        'the widget to receive fresh JWEs from the broker for longer than one JWE lifetime',
      );
      expect(errors).toEqual([]);
      for (let i = 1; i < held.length; i++) {
        expect(held[i]!.iat, `JWE ${i + 1} is newer`).toBeGreaterThan(held[i - 1]!.iat);
        expect(held[i]!.seenAt, `JWE ${i + 1} reached the widget before JWE ${i} expired`).toBeLessThan(
          held[i - 1]!.exp * 1000,
        );
      }
      // every JWE came from a broker launch: the first one and one per refresh
      const pageOrigin = new URL(h.s.pageUrl).origin;
      const launches = h.watch!.requests.filter(
        (r) => r.initiator === pageOrigin && r.method === 'POST' && r.url === `${server.url}${BROKER_PATHS.launch}`,
      );
      expect(launches.length).toBeGreaterThanOrEqual(held.length);
      await expectWidgetConnected(h.page, id);
      await expectNoBrowserSecrets();
    } finally {
      broker = makeBroker();
    }
  }, 120_000);

  it("an unmapped queue: the error panel shows the broker's coded error (the same code as the page's own)", async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceUnmapped, brokerAppUrl());
    expect(await waitForPhase(frame, ['live', 'failed'])).toBe('failed');
    const panel = frame.locator('#kaa-error');
    expect(await panel.getAttribute('data-code')).toBe('E_QUEUE_NOT_MAPPED');
    await expectNoBrowserSecrets();
  });
});

/** A core Logger that keeps every line (level, message, data) for the secret scan. */
function recordingLogger(into: unknown[]): import('@kaa/core').Logger {
  const keep = (level: string) => (message: string, data?: Readonly<Record<string, unknown>>) =>
    void into.push({ level, message, ...data });
  return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}
