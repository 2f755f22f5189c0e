import { encryptSecureCustomData, extractKvp, signPlatformJwt, signWidgetJwt } from '@kaa/core';
import { expectNoSecrets } from '@kaa/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKorePlatform, type KorePlatform } from '@kaa/sandbox';
import { BOTS, CONVERSATIONS, KORE_DATA_TABLE, QUEUES, THIRD_PARTY, USERS } from '@kaa/sandbox';
import {
  createDataTableClient,
  createKoreEventsClient,
  createKoreTableBotSource,
  createThirdPartyBotSource,
  exchangeWidgetToken,
  type ThirdPartyBotRecord,
} from '../src/index.js';
import { captureLogger } from './helpers.js';

/** One clock for the platform and the client: the client's sleeps advance it. */
const clock = { t: Date.UTC(2026, 10, 26, 9, 0, 0), waits: [] as number[] };
const now = () => clock.t;
const sleep = async (ms: number) => {
  clock.waits.push(ms);
  clock.t += ms;
};
const realFetch = (u: string, i: RequestInit) => fetch(u, i);

let kore: KorePlatform;
beforeAll(async () => {
  kore = await startKorePlatform({ now });
});
afterAll(async () => kore?.close());
beforeEach(() => {
  kore.reset();
  kore.settings.tableRateLimitPerMinute = 600;
  clock.waits.length = 0;
});

function rows250() {
  const seeded = kore.tableRows();
  const extra = Array.from({ length: 250 - seeded.length }, (_, i) => ({
    QueueIdentifier: `FILL${i}`,
    BotId: `st-fill-${i}`,
    ClientId: `cs-fill-${i}`,
    ClientSecret: `fill-secret-${i}`,
    AudiohookEnabled: 'false',
    AgentAssistWidgetURL: kore.widgetUrl,
    JWEPublicKey: '',
    Algorithm: 'HS256',
  }));
  kore.setRows([...seeded, ...extra]);
}

describe('Data Table client against the sandbox Kore platform', () => {
  it('pages through 250 rows with an x_metadata token, and the bot source resolves seeded queues', async () => {
    rows250();
    const token = await signPlatformJwt({ ...KORE_DATA_TABLE.readApp, now: new Date(now()), ttlSeconds: 3600 });
    const client = createDataTableClient({ baseUrl: kore.origin, token }, { fetch: realFetch, now, sleep });
    const rows = await client.queryAll(KORE_DATA_TABLE.name);
    expect(rows).toHaveLength(250);
    const calls = kore.recorded.tableQueries.filter((c) => c.op === 'query');
    expect(calls.map((c) => [c.status, c.limit, c.offset])).toEqual([
      [200, 100, 0],
      [200, 100, 100],
      [200, 100, 200],
    ]);
    const lookup = await createKoreTableBotSource({
      client,
      table: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      lookup: { allowHttpLoopback: true },
    }).load();
    expect((await lookup.forQueue({ name: QUEUES.alpha.name })).botId).toBe(BOTS.alpha.botId);
    expect(kore.recorded.tableQueries).toHaveLength(3); // served from the cache
  });

  it('mints Data-app JWTs from app credentials', async () => {
    const client = createDataTableClient(
      { baseUrl: kore.origin, ...KORE_DATA_TABLE.readApp },
      { fetch: realFetch, now, sleep, signPlatformJwt },
    );
    expect((await client.queryAll(KORE_DATA_TABLE.name)).length).toBeGreaterThan(0);
    expect(kore.recorded.tableQueries[0]?.appId).toBe(KORE_DATA_TABLE.readApp.appId);
  });

  it('keeps under the 600/min budget on its own: 650 queries, no 429, the 601st waits for the window', async () => {
    const client = createDataTableClient(
      { baseUrl: kore.origin, ...KORE_DATA_TABLE.readApp, ttlSeconds: 3600 },
      { fetch: realFetch, now, sleep, signPlatformJwt, cacheTtlMs: 0 },
    );
    const start = now();
    for (let i = 0; i < 650; i++) await client.query(KORE_DATA_TABLE.name, undefined, { limit: 1 });
    const statuses = kore.recorded.tableQueries.map((c) => c.status);
    expect(statuses).toHaveLength(650);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(kore.recorded.tableQueries[599]!.at - start).toBe(0);
    expect(kore.recorded.tableQueries[600]!.at - start).toBe(60_000);
  }, 60_000);

  it('backs off on the platform 429 with its Retry-After, and fails with E_RATE_LIMITED when retries run out', async () => {
    kore.settings.tableRateLimitPerMinute = 2;
    const logger = captureLogger();
    const client = createDataTableClient(
      { baseUrl: kore.origin, ...KORE_DATA_TABLE.readApp },
      { fetch: realFetch, now, sleep, signPlatformJwt, cacheTtlMs: 0, logger },
    );
    for (let i = 0; i < 3; i++) await client.query(KORE_DATA_TABLE.name);
    expect(kore.recorded.tableQueries.map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(clock.waits).toEqual([60_000]); // Retry-After: 60 s from the platform
    const impatient = createDataTableClient(
      { baseUrl: kore.origin, ...KORE_DATA_TABLE.readApp },
      { fetch: realFetch, now, sleep, signPlatformJwt, cacheTtlMs: 0, retry: { maxRetries: 3, maxDelayMs: 1_000 } },
    );
    await impatient.query(KORE_DATA_TABLE.name);
    await expect(impatient.query(KORE_DATA_TABLE.name)).rejects.toMatchObject({
      code: 'E_RATE_LIMITED',
      message: expect.stringContaining("You've exceeded the per-minute rate limit"),
    });
    const text = [...logger.lines].join('\n');
    expect(text).not.toContain(KORE_DATA_TABLE.readApp.clientSecret);
  });

  it('a rejected x_metadata token → E_HTTP_UNAUTHORIZED "x_metadata token rejected"', async () => {
    const forged = await signPlatformJwt({
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: 'not-the-secret',
      now: new Date(now()),
    });
    const client = createDataTableClient({ baseUrl: kore.origin, token: forged }, { fetch: realFetch, now, sleep });
    const e = await client.queryAll(KORE_DATA_TABLE.name).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'E_HTTP_UNAUTHORIZED',
      message: expect.stringMatching(/^x_metadata token rejected: .*Make a new Data app token with read access/),
    });
    expect(JSON.stringify(e)).not.toContain(forged);
  });
});

describe('hooks and Control Transcription against the sandbox', () => {
  it('posts NA/entry, NA/exit + END_OF_CONVERSATION once, and the hold sink calls', async () => {
    const events = createKoreEventsClient({
      baseUrl: kore.origin,
      ...BOTS.alpha,
      signPlatformJwt,
      fetch: realFetch,
      now,
      sleep,
      settings: {},
      conversationId: CONVERSATIONS.voiceAlpha,
      agent: { id: USERS.agent.id, name: USERS.agent.name },
      sendEventsToVG: true,
    });
    await events.apply({ kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'p1' });
    await events.apply({ kind: 'held', participantId: 'p1' });
    await events.apply({ kind: 'resumed', participantId: 'p1' });
    await events.endOfConversation();
    await events.endOfConversation();
    expect(kore.recorded.hooks.map((h) => h.status)).toEqual([200, 200]);
    const names = kore.recorded.hooks.map((h) =>
      (h.body as { events: { name: string; transfertype?: string; transition?: string }[] }).events.map((e) =>
        e.transfertype ? `${e.transfertype}/${e.transition}` : e.name,
      ),
    );
    expect(names).toEqual([['NA/entry'], ['NA/exit', 'END_OF_CONVERSATION']]);
    expect(kore.recorded.hooks[0]?.appId).toBe(BOTS.alpha.clientId);
    expect(kore.recorded.controls.map((c) => [c.status, (c.body as { action: string }).action])).toEqual([
      [200, 'pause'],
      [200, 'resume'],
      [200, 'end'],
    ]);
  });
});

/** The platform JWT the sandbox's Third-Party lookup requires (an app of the account granted Third-Party Configuration). */
const thirdPartyJwt = (): Promise<string> =>
  signPlatformJwt({
    appId: THIRD_PARTY.readApp.appId,
    clientSecret: THIRD_PARTY.readApp.clientSecret,
    now: new Date(now()),
    ttlSeconds: 300,
  });

describe('Third-Party Configuration against the sandbox lookup', () => {
  it("without the lookup credential, or with a Data app's JWT, the lookup is refused: E_HTTP_UNAUTHORIZED / E_HTTP_FORBIDDEN naming the setting; nothing secret printed", async () => {
    const logger = captureLogger();
    const lookupWith = async (auth?: string) =>
      (
        await createThirdPartyBotSource({
          accountId: THIRD_PARTY.accountId,
          mode: 'http',
          httpUrl: `${kore.origin}/agentassist/api/v1/thirdparty/{accountId}/config`,
          ...(auth ? { auth } : {}),
          fetch: realFetch,
          now,
          sleep,
          logger,
          allowHttpLoopback: true,
        }).load()
      ).forQueue({ name: QUEUES.koreSupport.name });
    const none = await Promise.resolve(lookupWith()).catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'E_HTTP_UNAUTHORIZED' });
    expect((none as Error).message).toContain('thirdParty.http.token');
    const dataApp = await signPlatformJwt({
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
      now: new Date(now()),
      ttlSeconds: 300,
    });
    const forbidden = await Promise.resolve(lookupWith(dataApp)).catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ code: 'E_HTTP_FORBIDDEN' });
    expect(kore.recorded.thirdPartyLookups.map((l) => l.status)).toEqual([401, 403]);
    expectNoSecrets([none, forbidden, logger.lines], [dataApp, BOTS.kore.clientSecret]);
  });

  it('resolves KoreSupport (BotLanguageCode) and the alpha queue (AppLanguageCode) by full name', async () => {
    const source = createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'http',
      httpUrl: `${kore.origin}/agentassist/api/v1/thirdparty/{accountId}/config`,
      auth: await thirdPartyJwt(),
      fetch: realFetch,
      now,
      sleep,
      allowHttpLoopback: true,
    });
    const lookup = await source.load();
    const koreRecord = (await lookup.forQueue({ name: QUEUES.koreSupport.name })) as ThirdPartyBotRecord;
    expect(koreRecord).toMatchObject({ botId: BOTS.kore.botId, languageCode: 'en', audiohookEnabled: false });
    await expect(lookup.forQueue({ name: QUEUES.unmapped.name })).rejects.toMatchObject({ code: 'E_QUEUE_NOT_MAPPED' });
    expect(kore.recorded.thirdPartyLookups.map((l) => [l.queueName, l.status])).toEqual([
      [QUEUES.koreSupport.name, 200],
      [QUEUES.unmapped.name, 404],
    ]);
  });
});

describe('exchangeWidgetToken against the sandbox jwtgrant', () => {
  it("a token signed with the bot's ClientSecret (HS256) or RSPrivatePem (RS256) is accepted: tokenType and accountId, no access token", async () => {
    const logger = captureLogger();
    const alpha = await signWidgetJwt({
      clientId: BOTS.alpha.clientId,
      clientSecret: BOTS.alpha.clientSecret,
      subject: USERS.agent.id,
      now: new Date(now()),
    });
    const grant = await exchangeWidgetToken({
      agentAssistUrl: kore.origin,
      token: alpha,
      botId: BOTS.alpha.botId,
      chatBot: BOTS.alpha.name,
      fetch: realFetch,
      now,
      sleep,
      logger,
    });
    expect(grant).toMatchObject({ tokenType: 'bearer', accountId: THIRD_PARTY.accountId });
    expect(grant).not.toHaveProperty('accessToken');
    expect(kore.recorded.jwtgrants.at(-1)).toMatchObject({
      status: 200,
      botId: BOTS.alpha.botId,
      clientId: BOTS.alpha.clientId,
      alg: 'HS256',
    });
    expectNoSecrets([grant, logger.lines], [alpha, BOTS.alpha.clientSecret]);

    const rs = kore.bots.rs;
    const rsToken = await signWidgetJwt({
      clientId: rs.clientId,
      algorithm: 'RS256',
      privateKeyPem: rs.rsPrivatePem,
      subject: USERS.agent.id,
      now: new Date(now()),
    });
    expect(
      await exchangeWidgetToken({
        agentAssistUrl: kore.origin,
        token: rsToken,
        botId: rs.botId,
        fetch: realFetch,
        now,
        sleep,
      }),
    ).toMatchObject({ tokenType: 'bearer' });
    expect(kore.recorded.jwtgrants.at(-1)).toMatchObject({ status: 200, alg: 'RS256' });
  });

  it('a token signed with a wrong ClientSecret → E_HTTP_UNAUTHORIZED "the widget token was rejected"; a bot id of another bot → E_HTTP_BAD_REQUEST', async () => {
    const logger = captureLogger();
    const wrongSecret = 'not-the-alpha-secret-0000';
    const forged = await signWidgetJwt({
      clientId: BOTS.alpha.clientId,
      clientSecret: wrongSecret,
      subject: USERS.agent.id,
      now: new Date(now()),
    });
    const e = await exchangeWidgetToken({
      agentAssistUrl: kore.origin,
      token: forged,
      botId: BOTS.alpha.botId,
      fetch: realFetch,
      now,
      sleep,
      logger,
    }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'E_HTTP_UNAUTHORIZED', details: { status: 401 } });
    expect((e as Error).message).toContain(
      `the widget token was rejected: check ClientId/ClientSecret (or RSPrivatePem) of bot "${BOTS.alpha.botId}"`,
    );
    expect((e as Error).message).toContain('error verifying the jwt');
    expect(kore.recorded.jwtgrants.at(-1)?.status).toBe(401);
    expectNoSecrets([e, logger.lines], [forged, wrongSecret, BOTS.alpha.clientSecret]);

    const good = await signWidgetJwt({
      clientId: BOTS.alpha.clientId,
      clientSecret: BOTS.alpha.clientSecret,
      subject: USERS.agent.id,
      now: new Date(now()),
    });
    const other = await exchangeWidgetToken({
      agentAssistUrl: kore.origin,
      token: good,
      botId: BOTS.kore.botId,
      fetch: realFetch,
      now,
      sleep,
    }).catch((x: unknown) => x);
    expect(other).toMatchObject({ code: 'E_HTTP_BAD_REQUEST' });
    expect((other as Error).message).toContain('taskBotId');
  });
});

describe('Third-Party Configuration: the alpha queue with secure custom data', () => {
  it('resolves the alpha record (JWE key, SecureCustomDataConfig, CustomDataConfig), encrypts the secure data and the bot decrypts it', async () => {
    const source = createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'http',
      httpUrl: `${kore.origin}/agentassist/api/v1/thirdparty/{accountId}/config`,
      auth: await thirdPartyJwt(),
      fetch: realFetch,
      now,
      sleep,
      allowHttpLoopback: true,
    });
    const record = (await (await source.load()).forQueue({ name: QUEUES.alpha.name })) as ThirdPartyBotRecord;
    expect(record).toMatchObject({
      botId: BOTS.alpha.botId,
      clientId: BOTS.alpha.clientId,
      languageCode: 'en',
      audiohookEnabled: false,
      origin: { kind: 'third-party' },
    });
    expect(record.jwePublicKey).toMatchObject({ kty: 'RSA', kid: kore.bots.alpha.jwePublicJwk.kid });
    expect(record.kvpConfig?.entries.map((e) => e.key)).toEqual(['state']);
    expect(record.customDataConfig?.entries.map((e) => e.key)).toEqual(['queue']);

    // step 6 with the resolved record: KVP → JWE with the record's key; the sandbox bot decrypts it
    const conversation = {
      participants: [{ purpose: 'agent', queueName: QUEUES.alpha.name, calls: [{ state: 'connected' }] }],
    };
    const secure = extractKvp(conversation, record.kvpConfig!);
    expect(secure.values).toEqual({ state: 'connected' });
    const jwe = await encryptSecureCustomData(secure.values, record.jwePublicKey!, {
      now: new Date(now()),
      issuer: record.clientId,
      subject: USERS.agent.id,
    });
    const token = await signWidgetJwt({
      clientId: record.clientId,
      clientSecret: record.clientSecret,
      subject: USERS.agent.id,
      now: new Date(now()),
    });
    const grant = await exchangeWidgetToken({
      agentAssistUrl: kore.origin,
      token,
      botId: record.botId,
      fetch: realFetch,
      now,
      sleep,
      includeAccessToken: true,
    });
    const decrypted = await realFetch(`${kore.origin}/sandbox/kore/v1/decrypt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `bearer ${grant.accessToken}` },
      body: JSON.stringify({ jwe }),
    });
    expect(decrypted.status).toBe(200);
    const { claims } = (await decrypted.json()) as { claims: Record<string, unknown> };
    expect(claims['secureCustomData']).toEqual({ state: 'connected' });
  });
});
