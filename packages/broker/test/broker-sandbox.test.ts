import {
  BrokerErrorBodySchema,
  BrokerLaunchResponseSchema,
  BROKER_PATHS,
  parseSettings,
  signPlatformJwt,
} from '@kaa/core';
import type { KaaSettings } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource, exchangeWidgetToken } from '@kaa/kore-client';
import {
  BOTS,
  CONVERSATIONS,
  KORE_DATA_TABLE,
  OAUTH_CLIENTS,
  ORG,
  OTHER_ORG_CONVERSATIONS,
  OTHER_ORG_USERS,
  USERS,
  startSandbox,
} from '@kaa/sandbox';
import type { Sandbox } from '@kaa/sandbox';
import { expectNoSecrets } from '@kaa/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBroker, createBrokerClient } from '../src/index.js';
import type { Broker, BrokerOptions } from '../src/index.js';

// The handler against the sandbox's Genesys and Kore servers on 127.0.0.1: real users/me, conversation reads,
// Data Table reads, jwtgrant-verifiable widget JWTs, and Kore hooks / Control Transcription calls.

const PAGE_ORIGIN = 'https://kaa.example.com';
let sandbox: Sandbox;
let settings: KaaSettings;
const logs: unknown[] = [];

function brokerOptions(overrides: Partial<BrokerOptions> = {}): BrokerOptions {
  const koreBase = sandbox.origins.kore;
  const client = createDataTableClient(
    { baseUrl: koreBase, appId: KORE_DATA_TABLE.readApp.appId, clientSecret: KORE_DATA_TABLE.readApp.clientSecret },
    {
      fetch: (u, i) => fetch(u, i),
      now: () => Date.now(),
      signPlatformJwt,
      cacheTtlMs: 0,
      retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 10 },
      tokenOrigin: 'config',
    },
  );
  return {
    settings,
    served: [{ environment: { ...sandbox.environment, domain: '' }, orgIds: [ORG.id] }],
    allowedOrigins: [PAGE_ORIGIN],
    botSource: createKoreTableBotSource({
      client,
      table: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      lookup: { allowHttpLoopback: true },
    }),
    fetch: (u, i) => fetch(u, i),
    now: () => Date.now(),
    logger: recordingLogger(logs),
    secrets: () => [KORE_DATA_TABLE.readApp.clientSecret],
    ...overrides,
  };
}

let broker: Broker;

beforeAll(async () => {
  sandbox = await startSandbox({ desktop: false });
  settings = parseSettings({ kore: { apiHost: sandbox.origins.kore } });
});
afterAll(async () => {
  // no log record of any test holds a secret the sandbox issued or planted (tokens, bot secrets, keys, JWTs)
  expectNoSecrets(logs, secretsOf(sandbox));
  await sandbox?.close();
});
beforeEach(async () => {
  await sandbox.genesys.reset();
  broker = createBroker(brokerOptions());
});

function secretsOf(s: Sandbox): string[] {
  const pem = s.kore.bots.rs.rsPrivatePem ?? '';
  const pemLines = pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  return [
    ...Object.values(BOTS).map((b) => b.clientSecret),
    KORE_DATA_TABLE.readApp.clientSecret,
    KORE_DATA_TABLE.adminApp.clientSecret,
    ...pemLines,
    ...s.issuedSecrets().map((x) => x.value),
  ];
}

/** Exchanges the widget JWT at the sandbox's jwtgrant, as the widget does; the verified claims Kore recorded. */
async function grantClaims(
  token: string,
  bot: { botId: string; agentAssistWidgetUrl: string },
): Promise<Record<string, unknown>> {
  const before = sandbox.kore.recorded.jwtgrants.length;
  await exchangeWidgetToken({
    agentAssistUrl: new URL(bot.agentAssistWidgetUrl).origin,
    token,
    botId: bot.botId,
    fetch: (u, i) => fetch(u, i),
  });
  const grant = sandbox.kore.recorded.jwtgrants.slice(before).find((g) => g.status === 200);
  expect(grant?.claims).toBeDefined();
  return grant?.claims ?? {};
}

function post(
  path: string,
  body: unknown,
  init: { token?: string; origin?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.headers ?? {}) };
  if (init.token !== undefined) headers['authorization'] = `Bearer ${init.token}`;
  if (init.origin !== undefined) headers['origin'] = init.origin;
  return broker.fetch(
    new Request(`http://broker.test${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const launch = (
  token: string | undefined,
  conversationId: string = CONVERSATIONS.voiceAlpha,
  extra: { origin?: string; environment?: string } = {},
) =>
  post(
    BROKER_PATHS.launch,
    { conversationId, environment: extra.environment ?? 'sandbox' },
    { ...(token !== undefined ? { token } : {}), origin: extra.origin ?? PAGE_ORIGIN },
  );

async function expectError(response: Response, status: number, code: string): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(BrokerErrorBodySchema.parse(JSON.parse(text)).error.code).toBe(code);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expectNoSecrets(text, secretsOf(sandbox));
}

describe('POST /v1/launch', () => {
  it('mints the widget launch for the agent of a live voice interaction: a JWT signed with the bot secret, the JWE, no secret in the answer', async () => {
    const token = sandbox.genesys.issueToken();
    const response = await launch(token);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN);
    const answer = BrokerLaunchResponseSchema.parse(JSON.parse(text));
    expect(answer.bot.botId).toBe(BOTS.alpha.botId);
    expect(answer.agent.id).toBe(USERS.agent.id);
    expect(answer.widget.isCall).toBe(true);
    expect(answer.widget.url).toContain(sandbox.kore.widgetUrl.split('?')[0]);
    expect(answer.widget.secureCustomData).toMatch(/^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/); // compact JWE
    // when the page asks again for a fresh JWE: jwe.refreshBeforeSeconds (60) before the JWE's 300 s run out
    expect(Math.abs((answer.widget.secureRefreshAt ?? 0) - (answer.widget.expiresAt - 60) * 1000)).toBeLessThanOrEqual(
      1_000,
    );
    // the widget's own first call: Kore's jwtgrant accepts the JWT (signed with the bot's ClientSecret)
    const payload = await grantClaims(answer.widget.token, answer.bot);
    expect(payload['appId']).toBe(BOTS.alpha.clientId);
    // short lifetime: the default 300 s
    expect(Number(payload['exp']) - Number(payload['iat'])).toBe(300);
    expectNoSecrets(text, [
      ...Object.values(BOTS).map((b) => b.clientSecret),
      KORE_DATA_TABLE.readApp.clientSecret,
      token,
      sandbox.kore.bots.rs.rsPrivatePem ?? '',
    ]);
  });

  it('uses the configured widget token lifetime', async () => {
    broker = createBroker(brokerOptions({ limits: { widgetTokenTtlSeconds: 60 } }));
    const answer = BrokerLaunchResponseSchema.parse(await (await launch(sandbox.genesys.issueToken())).json());
    const payload = await grantClaims(answer.widget.token, answer.bot);
    expect(Number(payload['exp']) - Number(payload['iat'])).toBe(60);
  });

  it('mints an RS256 launch without the private key in the answer', async () => {
    const response = await launch(sandbox.genesys.issueToken(), CONVERSATIONS.voiceRsa);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const answer = BrokerLaunchResponseSchema.parse(JSON.parse(text));
    expect(answer.bot.botId).toBe(BOTS.rs.botId);
    expect((await grantClaims(answer.widget.token, answer.bot))['appId']).toBe(BOTS.rs.clientId);
    expectNoSecrets(
      text.replace(answer.widget.token, '').replaceAll(encodeURIComponent(answer.widget.token), ''),
      secretsOf(sandbox),
    );
  });

  it('401: no token, a forged token, an expired token, a revoked token — nothing minted', async () => {
    await expectError(await launch(undefined), 401, 'E_HTTP_UNAUTHORIZED');
    await expectError(await launch('forged-token-that-genesys-never-issued'), 401, 'E_HTTP_UNAUTHORIZED');
    const expired = sandbox.genesys.issueToken();
    sandbox.genesys.faults({ expireTokens: true });
    const r1 = await launch(expired);
    expect(r1.status).toBe(401);
    expect(r1.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const revoked = sandbox.genesys.issueToken();
    sandbox.genesys.revokeToken(revoked);
    expect((await launch(revoked)).status).toBe(401);
    expect(sandbox.kore.recorded.jwtgrants).toHaveLength(0);
  });

  it('401 for a token without a user (client credentials): it is not an agent sign-in', async () => {
    await expectError(
      await launch(sandbox.genesys.issueToken({ clientId: OAUTH_CLIENTS.credentials.id })),
      401,
      'E_HTTP_UNAUTHORIZED',
    );
  });

  it("502, not 401, when Kore refuses the broker's own table credentials: the agent's sign-in is fine", async () => {
    const client = createDataTableClient(
      { baseUrl: sandbox.origins.kore, appId: KORE_DATA_TABLE.readApp.appId, clientSecret: 'not-the-data-app-secret' },
      { fetch: (u, i) => fetch(u, i), now: () => Date.now(), signPlatformJwt, cacheTtlMs: 0, tokenOrigin: 'config' },
    );
    broker = createBroker(
      brokerOptions({ botSource: createKoreTableBotSource({ client, table: KORE_DATA_TABLE.name, qDelimiter: '_' }) }),
    );
    const response = await launch(sandbox.genesys.issueToken());
    expect(response.status).toBe(502);
    expect(BrokerErrorBodySchema.parse(await response.json()).error.message).toMatch(/broker's configuration/);
  });

  it('403: a user of another organisation, an environment the broker does not serve, a page origin not configured', async () => {
    await expectError(
      await launch(sandbox.genesys.issueToken({ userId: OTHER_ORG_USERS.outsider.id })),
      403,
      'E_ORG_NOT_ALLOWED',
    );
    await expectError(
      await launch(sandbox.genesys.issueToken(), CONVERSATIONS.voiceAlpha, { environment: 'prod-euw1' }),
      403,
      'E_ORG_NOT_ALLOWED',
    );
    const foreign = await launch(sandbox.genesys.issueToken(), CONVERSATIONS.voiceAlpha, {
      origin: 'https://evil.example.com',
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    await expectError(foreign, 403, 'E_ORIGIN_NOT_ALLOWED');
  });

  it('403: an agent who has left the interaction (the leg ended) gets nothing', async () => {
    sandbox.genesys.disconnect(CONVERSATIONS.voiceAlpha, USERS.agent.id);
    await expectError(await launch(sandbox.genesys.issueToken()), 403, 'E_AGENT_NOT_PARTICIPANT');
  });

  it('403: a conversation the agent cannot see (not a participant, or none by that id), one answer for both', async () => {
    const notOn = await launch(sandbox.genesys.issueToken({ userId: USERS.agent2.id }));
    const notOnText = await notOn.clone().text();
    await expectError(notOn, 403, 'E_AGENT_NOT_PARTICIPANT');
    const missingId = 'c0a00000-0000-4000-8000-0000000000ff';
    const missing = await launch(sandbox.genesys.issueToken({ userId: USERS.agent2.id }), missingId);
    const missingText = await missing.clone().text();
    await expectError(missing, 403, 'E_AGENT_NOT_PARTICIPANT');
    // nothing in the answer tells an existing conversation from an id that does not exist
    expect(missingText.replaceAll(missingId, '<id>')).toBe(notOnText.replaceAll(CONVERSATIONS.voiceAlpha, '<id>'));
  });

  it("403 when Genesys refuses the conversation read (HTTP 403): Genesys's permission error, coded", async () => {
    sandbox.genesys.faults({
      failNext: {
        method: 'GET',
        pathPrefix: `/api/v2/conversations/${CONVERSATIONS.voiceAlpha}`,
        status: 403,
        times: 1,
      },
    });
    await expectError(await launch(sandbox.genesys.issueToken()), 403, 'E_HTTP_FORBIDDEN');
  });

  it("another organisation's conversation: the served org's agent is refused 403 as for an id that does not exist, its own agent by the org allow-list — nothing minted, no secret in the answers or the logs", async () => {
    const from = logs.length;
    const beta = OTHER_ORG_CONVERSATIONS.voiceBeta;
    // an agent of the served org, with the other org's conversation id (its queue name would map to the alpha bot)
    const served = await launch(sandbox.genesys.issueToken(), beta);
    const servedText = await served.clone().text();
    await expectError(served, 403, 'E_AGENT_NOT_PARTICIPANT');
    const missingId = 'c0b00000-0000-4000-8000-0000000000ff';
    const missing = await launch(sandbox.genesys.issueToken(), missingId);
    expect((await missing.text()).replaceAll(missingId, '<id>')).toBe(servedText.replaceAll(beta, '<id>'));
    // the other org's agent, on their own live call: refused by the organisation allow-list
    await expectError(
      await launch(sandbox.genesys.issueToken({ userId: OTHER_ORG_USERS.agent.id }), beta),
      403,
      'E_ORG_NOT_ALLOWED',
    );
    // hold and hooks for it: refused the same way, nothing sent to Kore
    const event = {
      name: 'END_OF_CONVERSATION',
      reason: 'agent_initiated',
      experience: 'voice',
      participant: { identity: USERS.agent.id, name: USERS.agent.name, type: 'agent' },
    };
    await expectError(
      await post(
        BROKER_PATHS.transcription(beta),
        { environment: 'sandbox', action: 'pause', handover: false },
        { token: sandbox.genesys.issueToken(), origin: PAGE_ORIGIN },
      ),
      403,
      'E_AGENT_NOT_PARTICIPANT',
    );
    await expectError(
      await post(
        BROKER_PATHS.events(beta),
        { environment: 'sandbox', events: [event] },
        { token: sandbox.genesys.issueToken(), origin: PAGE_ORIGIN },
      ),
      403,
      'E_AGENT_NOT_PARTICIPANT',
    );
    // nothing minted or sent: no launch record, no widget token exchanged, no Kore call
    const records = logs.slice(from) as { message: string; status?: number; code?: string }[];
    expect(
      records.filter(
        (r) =>
          r.message === 'launch minted' || r.message === 'hooks sent' || r.message === 'transcription control sent',
      ),
    ).toEqual([]);
    expect(records.filter((r) => r.message === 'request').map((r) => [r.status, r.code])).toEqual([
      [403, 'E_AGENT_NOT_PARTICIPANT'],
      [403, 'E_AGENT_NOT_PARTICIPANT'],
      [403, 'E_ORG_NOT_ALLOWED'],
      [403, 'E_AGENT_NOT_PARTICIPANT'],
      [403, 'E_AGENT_NOT_PARTICIPANT'],
    ]);
    expectNoSecrets(records, secretsOf(sandbox));
    expect(sandbox.kore.recorded.jwtgrants).toHaveLength(0);
    expect(sandbox.kore.recorded.hooks).toHaveLength(0);
    expect(sandbox.kore.recorded.controls).toHaveLength(0);
  });

  it('422: an unmapped queue and an ambiguous one, with the codes the page shows', async () => {
    await expectError(
      await launch(sandbox.genesys.issueToken(), CONVERSATIONS.voiceUnmapped),
      422,
      'E_QUEUE_NOT_MAPPED',
    );
    await expectError(
      await launch(sandbox.genesys.issueToken(), CONVERSATIONS.voiceDuplicate),
      422,
      'E_QUEUE_AMBIGUOUS',
    );
  });

  it('503 with Retry-After when Genesys or Kore is down', async () => {
    sandbox.genesys.faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 5 } });
    const genesysDown = await launch(sandbox.genesys.issueToken());
    expect(genesysDown.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectError(genesysDown, 503, 'E_HTTP_SERVER');

    sandbox.kore.failNext({ pathPrefix: '/api/public/tables', status: 503, times: 5 });
    const koreDown = await launch(sandbox.genesys.issueToken());
    expect(koreDown.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(koreDown.status).toBe(503);
  });

  it('400 malformed JSON and bodies, 413 oversized, 415 not JSON', async () => {
    const token = sandbox.genesys.issueToken();
    await expectError(await post(BROKER_PATHS.launch, '{"conversationId":', { token }), 400, 'E_PARAM_INVALID');
    await expectError(
      await post(BROKER_PATHS.launch, { conversationId: '../x', environment: 'sandbox' }, { token }),
      400,
      'E_PARAM_INVALID',
    );
    await expectError(
      await post(
        BROKER_PATHS.launch,
        { conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox', extra: 1 },
        { token },
      ),
      400,
      'E_PARAM_INVALID',
    );
    const big = {
      conversationId: CONVERSATIONS.voiceAlpha,
      environment: 'sandbox',
      passthruMetadata: 'x'.repeat(20_000),
    };
    const r = await post(BROKER_PATHS.launch, big, { token });
    expect(r.status).toBe(413);
    await expectError(
      await post(BROKER_PATHS.launch, 'a=b', {
        token,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'E_PARAM_INVALID',
    );
  });

  it('429 past the per-agent limit, shared by every endpoint', async () => {
    broker = createBroker(brokerOptions({ limits: { requestsPerMinute: 2 } }));
    const token = sandbox.genesys.issueToken();
    expect((await launch(token)).status).toBe(200);
    expect((await launch(token)).status).toBe(200);
    const limited = await launch(token);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectError(limited, 429, 'E_RATE_LIMITED');
  });

  it('caches the verification by token hash: a second launch makes no users/me call', async () => {
    const token = sandbox.genesys.issueToken();
    await launch(token);
    sandbox.genesys.faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 5 } });
    expect((await launch(token)).status).toBe(200);
  });
});

describe('CORS and plumbing', () => {
  it('answers a preflight for a configured origin only, never *', async () => {
    const ok = await broker.fetch(
      new Request(`http://broker.test${BROKER_PATHS.launch}`, {
        method: 'OPTIONS',
        headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST' },
      }),
    );
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const bad = await broker.fetch(
      new Request(`http://broker.test${BROKER_PATHS.launch}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.com' },
      }),
    );
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    expect(() => createBroker(brokerOptions({ allowedOrigins: ['*'] }))).toThrow(/never allows every origin/);
  });

  it('healthz, readyz, and a coded 404 for an unknown route', async () => {
    expect((await broker.fetch(new Request('http://broker.test/healthz'))).status).toBe(200);
    expect((await broker.fetch(new Request('http://broker.test/readyz'))).status).toBe(200);
    await expectError(
      await broker.fetch(new Request('http://broker.test/v1/nothing', { method: 'POST' })),
      404,
      'E_HTTP_NOT_FOUND',
    );
  });
});

describe('hold and hooks signed server-side', () => {
  it('pause/resume go to Kore Control Transcription signed with the bot app; the page never holds the secret', async () => {
    const token = sandbox.genesys.issueToken();
    const pause = await post(
      BROKER_PATHS.transcription(CONVERSATIONS.voiceAlpha),
      { environment: 'sandbox', action: 'pause', handover: false },
      { token, origin: PAGE_ORIGIN },
    );
    expect(pause.status, await pause.clone().text()).toBe(200);
    const resume = await post(
      BROKER_PATHS.transcription(CONVERSATIONS.voiceAlpha),
      { environment: 'sandbox', action: 'resume' },
      { token, origin: PAGE_ORIGIN },
    );
    expect(resume.status).toBe(200);
    const controls = sandbox.kore.recorded.controls.filter((c) => c.conversationId === CONVERSATIONS.voiceAlpha);
    expect(controls.map((c) => [c.status, c.botId, c.appId])).toEqual([
      [200, BOTS.alpha.botId, BOTS.alpha.clientId],
      [200, BOTS.alpha.botId, BOTS.alpha.clientId],
    ]);
  });

  it('END_OF_CONVERSATION is sent once per bot and conversation, however many times it is asked for', async () => {
    const token = sandbox.genesys.issueToken();
    const event = {
      name: 'END_OF_CONVERSATION',
      reason: 'agent_initiated',
      experience: 'voice',
      participant: { identity: USERS.agent.id, name: USERS.agent.name, type: 'agent' },
    };
    const first = await post(
      BROKER_PATHS.events(CONVERSATIONS.voiceAlpha),
      { environment: 'sandbox', events: [event] },
      { token, origin: PAGE_ORIGIN },
    );
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toEqual({ sent: ['END_OF_CONVERSATION'], skipped: [] });
    const second = await post(
      BROKER_PATHS.events(CONVERSATIONS.voiceAlpha),
      { environment: 'sandbox', events: [event] },
      { token, origin: PAGE_ORIGIN },
    );
    expect(await second.json()).toEqual({ sent: [], skipped: ['END_OF_CONVERSATION'] });
    expect(sandbox.kore.recorded.hooks.filter((h) => h.status === 200 && h.botId === BOTS.alpha.botId)).toHaveLength(1);
  });

  it('refuses an event naming another agent, and hold calls from an agent who is not on the interaction', async () => {
    const token = sandbox.genesys.issueToken();
    const other = {
      name: 'END_OF_CONVERSATION',
      reason: 'agent_initiated',
      experience: 'voice',
      participant: { identity: USERS.agent2.id, name: USERS.agent2.name, type: 'agent' },
    };
    await expectError(
      await post(
        BROKER_PATHS.events(CONVERSATIONS.voiceAlpha),
        { environment: 'sandbox', events: [other] },
        { token, origin: PAGE_ORIGIN },
      ),
      403,
      'E_AGENT_NOT_PARTICIPANT',
    );
    await expectError(
      await post(
        BROKER_PATHS.transcription(CONVERSATIONS.voiceAlpha),
        { environment: 'sandbox', action: 'pause', handover: false },
        { token: sandbox.genesys.issueToken({ userId: USERS.agent2.id }), origin: PAGE_ORIGIN },
      ),
      403,
      'E_AGENT_NOT_PARTICIPANT',
    );
    expect(sandbox.kore.recorded.hooks).toHaveLength(0);
    expect(sandbox.kore.recorded.controls).toHaveLength(0);
  });
});

describe("createBrokerClient (the page's side) against the handler", () => {
  const clientFor = (getToken: () => string | null, relogin?: () => Promise<unknown>) =>
    createBrokerClient({
      serverUrl: 'http://broker.test/',
      environment: 'sandbox',
      fetch: (u, i) =>
        broker.fetch(
          new Request(u, { ...i, headers: { ...(i.headers as Record<string, string>), origin: PAGE_ORIGIN } }),
        ),
      getToken,
      ...(relogin ? { relogin } : {}),
    });

  it('launches, and sends hold and hooks through the broker', async () => {
    const token = sandbox.genesys.issueToken();
    const client = clientFor(() => token);
    expect((await client.launch({ conversationId: CONVERSATIONS.voiceAlpha })).bot.botId).toBe(BOTS.alpha.botId);
    await client
      .koreTransport()
      .hold({ action: 'pause', handover: true }, { conversationId: CONVERSATIONS.voiceAlpha, agentId: USERS.agent.id });
    expect(
      sandbox.kore.recorded.controls.map((c) => (c.body as { action?: string; handover?: boolean }).handover),
    ).toEqual([true]);
  });

  it('a 401 signs in again once and repeats the call; a second 401 is the coded error', async () => {
    let token = 'revoked-or-forged';
    const client = clientFor(
      () => token,
      async () => void (token = sandbox.genesys.issueToken()),
    );
    expect((await client.launch({ conversationId: CONVERSATIONS.voiceAlpha })).agent.id).toBe(USERS.agent.id);
    const stuck = clientFor(
      () => 'forged',
      async () => undefined,
    );
    await expect(stuck.launch({ conversationId: CONVERSATIONS.voiceAlpha })).rejects.toMatchObject({
      code: 'E_HTTP_UNAUTHORIZED',
    });
  });

  it("the broker's coded errors arrive as they are (the page's panel shows the same code)", async () => {
    const client = clientFor(() => sandbox.genesys.issueToken());
    await expect(client.launch({ conversationId: CONVERSATIONS.voiceUnmapped })).rejects.toMatchObject({
      code: 'E_QUEUE_NOT_MAPPED',
    });
    const offline = createBrokerClient({
      serverUrl: 'http://127.0.0.1:9',
      environment: 'sandbox',
      fetch: (u, i) => fetch(u, i),
      getToken: () => 'x',
    });
    await expect(offline.launch({ conversationId: CONVERSATIONS.voiceAlpha })).rejects.toMatchObject({
      code: 'E_NETWORK',
    });
  });
});

/** A core Logger that keeps every line (level, message, data) for the secret scan. */
function recordingLogger(into: unknown[]): import('@kaa/core').Logger {
  const keep = (level: string) => (message: string, data?: Readonly<Record<string, unknown>>) =>
    void into.push({ level, message, ...data });
  return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}
