/**
 * Integration against @kaa/sandbox on 127.0.0.1: real HTTP, real WebSockets (ws), real timers.
 */
import type { WebSocketLike } from '@kaa/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets } from '@kaa/test-support';
import WebSocket from 'ws';
import { BOTS, CONVERSATIONS, LEGACY_TABLE, OAUTH_CLIENTS, QUEUES, USERS, startSandbox } from '@kaa/sandbox';
import type { Sandbox } from '@kaa/sandbox';
import {
  createClientCredentialsAuth,
  createGenesysApi,
  createGenesysTableBotSource,
  createNotifications,
} from '../src/index.js';
import type { NotificationEvent } from '../src/index.js';
import { capturingLogger, memoryStorage } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    desktop: false,
    genesys: { heartbeatIntervalMs: 1_000, socketClosingGraceMs: 2_000 },
  });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

const faults = (body: unknown) =>
  fetch(`${sandbox.origins.api}/sandbox/v1/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => {
    expect(r.status).toBeLessThan(300);
  });

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('@kaa/genesys-adapter against the sandbox', () => {
  it('client credentials → getConversation → legacy data table record; the secret never shows', async () => {
    const logger = capturingLogger();
    const requests: string[] = [];
    const fetchSpy = (url: string, init?: RequestInit) => {
      requests.push(`${init?.method ?? 'GET'} ${url}`);
      return fetch(url, init);
    };
    const auth = createClientCredentialsAuth({
      clientId: OAUTH_CLIENTS.credentials.id,
      clientSecret: OAUTH_CLIENTS.credentials.secret,
      environment: sandbox.environment,
      fetch: fetchSpy,
      logger,
    });
    const api = createGenesysApi({ environment: sandbox.environment, auth, fetch: fetchSpy, logger });
    const conversation = await api.getConversation(CONVERSATIONS.voiceAlpha);
    expect(conversation.id).toBe(CONVERSATIONS.voiceAlpha);
    expect(conversation.participants.some((p) => p.userId === USERS.agent.id && p.purpose === 'agent')).toBe(true);
    expect(conversation.participants.some((p) => p.queueName === QUEUES.alpha.name)).toBe(true);

    const lookup = await createGenesysTableBotSource({ api, allowHttpLoopback: true }).load();
    expect(lookup.description).toContain(LEGACY_TABLE.name);
    const record = await lookup.forQueue({ name: QUEUES.unmapped.name });
    expect(record).toMatchObject({
      botId: BOTS.alpha.botId,
      clientId: BOTS.alpha.clientId,
      origin: { kind: 'genesys-legacy-table' },
    });
    expect(record.agentAssistWidgetUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*\.html$/);

    const missing = await api.getConversation('c0a00000-0000-4000-8000-0000000000ff').catch((e) => e);
    expect(missing.code).toBe('E_CONVERSATION_NOT_FOUND');
    const token = await auth.getToken();
    const out = [...requests, ...logger.lines, missing.message, JSON.stringify(missing)].join('\n');
    expectNoSecrets(out, [OAUTH_CLIENTS.credentials.secret, token]);
  });

  it('5xx from failNext is retried for GET (real retry path)', async () => {
    const token = sandbox.genesys.issueToken();
    const api = createGenesysApi({
      environment: sandbox.environment,
      auth: { getToken: () => token },
      backoffBaseMs: 10,
    });
    await faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 2 } });
    expect((await api.getMe()).id).toBe(USERS.agent.id);
  });

  it('notifications: an event published right after `await start()` is received (start resolves on an open socket)', async () => {
    const token = sandbox.genesys.issueToken();
    const api = createGenesysApi({ environment: sandbox.environment, auth: { getToken: () => token } });
    const got: string[] = [];
    const notifications = createNotifications({
      api,
      WebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      topics: [`v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`],
      heartbeatIntervalMs: 1_000,
    });
    notifications.on('transcription', (e) => got.push(JSON.stringify(e.notification.eventBody)));
    let connected = 0;
    notifications.on('connected', () => (connected += 1));
    await notifications.start();
    expect(connected).toBe(1);
    await sandbox.genesys.transcribe(
      CONVERSATIONS.voiceAlpha,
      [{ channel: 'EXTERNAL', text: 'published right after start' }],
      0,
    );
    await until('the first transcription', () => got.find((t) => t.includes('published right after start')));
    await notifications.close({ deleteSubscriptions: true });
  }, 20_000);

  it('notifications: start() rejects with E_NOTIFICATIONS_SOCKET when the socket cannot open', async () => {
    const token = sandbox.genesys.issueToken();
    const api = createGenesysApi({ environment: sandbox.environment, auth: { getToken: () => token } });
    const notifications = createNotifications({
      api,
      // a channel the streaming server does not know: the upgrade is refused (404)
      WebSocket: (url) => new WebSocket(url.replace(/[^/]+$/, 'no-such-channel')) as unknown as WebSocketLike,
      topics: [`v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`],
      reconnectBaseMs: 20,
      startAttempts: 2,
    });
    const error = await notifications.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_NOTIFICATIONS_SOCKET', details: { attempts: 2 } });
    await notifications.close({ deleteSubscriptions: true });
  }, 20_000);

  it('notifications: transcription and hold events; survives a dropped socket and a socket_closing, reporting each gap', async () => {
    let token = sandbox.genesys.issueToken();
    const api = createGenesysApi({
      environment: sandbox.environment,
      auth: { getToken: () => token, relogin: async () => void (token = sandbox.genesys.issueToken()) },
    });
    const events: NotificationEvent[] = [];
    const sockets: WebSocket[] = [];
    const notifications = createNotifications({
      api,
      WebSocket: (url) => {
        const ws = new WebSocket(url);
        sockets.push(ws);
        return ws as unknown as WebSocketLike;
      },
      storage: memoryStorage(),
      topics: [
        `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`,
        `v2.users.${USERS.agent.id}.conversations`,
      ],
      heartbeatIntervalMs: 1_000,
      reconnectBaseMs: 50,
    });
    for (const type of ['transcription', 'userConversation', 'gap', 'connected', 'system', 'error'] as const)
      notifications.on(type, (e) => events.push(e));
    await notifications.start();
    await until('connected', () => events.find((e) => e.type === 'connected'));

    await sandbox.genesys.transcribe(
      CONVERSATIONS.voiceAlpha,
      [{ channel: 'EXTERNAL', text: 'My card was declined' }],
      0,
    );
    const t = await until('transcription', () => events.find((e) => e.type === 'transcription'));
    expect(t.type === 'transcription' && t.notification.conversationId).toBe(CONVERSATIONS.voiceAlpha);
    expect(JSON.stringify(t)).toContain('My card was declined');

    sandbox.genesys.hold(CONVERSATIONS.voiceAlpha);
    await until('hold', () =>
      events.find(
        (e) =>
          e.type === 'userConversation' &&
          e.notification.conversationId === CONVERSATIONS.voiceAlpha &&
          JSON.stringify(e.notification.eventBody.participants ?? []).includes('"held":true'),
      ),
    );

    await faults({ dropSockets: true });
    const gap1 = await until('gap after drop', () => events.find((e) => e.type === 'gap'));
    expect(gap1).toMatchObject({ type: 'gap', reason: expect.stringMatching(/socket-dropped|heartbeat-lost/) });

    const before = sockets.length;
    await faults({ socketClosing: true });
    const gap2 = await until('gap after socket_closing', () => events.filter((e) => e.type === 'gap')[1]);
    expect(gap2).toMatchObject({ reason: 'socket-closing' });
    expect(events.some((e) => e.type === 'system' && e.kind === 'socketClosing')).toBe(true);
    expect(sockets.length).toBe(before + 1);

    // still delivering on the new socket
    await sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'INTERNAL', text: 'Let me check that' }], 0);
    await until('transcription after reconnects', () =>
      events.find((e) => e.type === 'transcription' && JSON.stringify(e).includes('Let me check that')),
    );
    expect(events.filter((e) => e.type === 'error')).toEqual([]);

    await notifications.close({ deleteSubscriptions: true });
    await until(
      'sockets closed',
      () => sockets.every((w) => w.readyState === WebSocket.CLOSED || w.readyState === WebSocket.CLOSING) || undefined,
    );
  }, 40_000);
  it('notifications: token_revoked → event, re-auth, new channel; expired token → renew() re-logs in on 401 and delivery resumes', async () => {
    let token = sandbox.genesys.issueToken();
    let logins = 0;
    const relogin = async () => {
      logins += 1;
      token = sandbox.genesys.issueToken();
    };
    const api = createGenesysApi({ environment: sandbox.environment, auth: { getToken: () => token, relogin } });
    const events: NotificationEvent[] = [];
    const notifications = createNotifications({
      api,
      WebSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      topics: [`v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`],
      heartbeatIntervalMs: 1_000,
      reconnectBaseMs: 50,
      reauth: relogin,
    });
    for (const type of ['transcription', 'gap', 'connected', 'tokenRevoked', 'error'] as const)
      notifications.on(type, (e) => events.push(e));
    await notifications.start();
    await until('connected', () => events.find((e) => e.type === 'connected'));
    const first = notifications.channel()!.id;

    await faults({ revokeTokens: true });
    await until('tokenRevoked', () => events.find((e) => e.type === 'tokenRevoked'));
    await until('reconnected on a new channel', () => events.filter((e) => e.type === 'connected')[1]);
    expect(logins).toBe(1);
    const second = notifications.channel()!.id;
    expect(second).not.toBe(first);
    expect(events.some((e) => e.type === 'gap' && e.reason === 'token-revoked')).toBe(true);

    await faults({ expireTokens: true });
    await notifications.renew('token-renewed');
    await until('connected after renewal', () => events.filter((e) => e.type === 'connected')[2]);
    expect(logins).toBe(2);
    expect(notifications.channel()!.id).not.toBe(second);
    await sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'after renewal' }], 0);
    await until('transcription after renewal', () =>
      events.find((e) => e.type === 'transcription' && JSON.stringify(e).includes('after renewal')),
    );
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    await notifications.close();
  }, 40_000);
});
