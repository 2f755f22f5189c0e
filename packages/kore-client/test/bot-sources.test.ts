import { decodeBase64Text, isKaaError, KaaError } from '@kaa/core';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { mockHttp } from '@kaa/test-support';
import { BOTS, QUEUES, THIRD_PARTY } from '@kaa/sandbox';
import {
  createDataTableClient,
  createKoreTableBotSource,
  createThirdPartyBotSource,
  type ThirdPartyBotRecord,
} from '../src/index.js';

const BASE = 'https://bots.kore.ai';
const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const { server } = mockHttp();

const row = (
  queue: string,
  bot: { botId: string; clientId: string; clientSecret: string },
  extra: Record<string, unknown> = {},
) => ({
  QueueIdentifier: queue,
  BotId: bot.botId,
  ClientId: bot.clientId,
  ClientSecret: bot.clientSecret,
  AgentAssistWidgetURL: WIDGET,
  AudiohookEnabled: 'true',
  JWEPublicKey: '',
  Algorithm: 'HS256',
  sys_Id: `sys-${bot.botId}`,
  ...extra,
});

const ROWS = [
  row('ALPHAINC', BOTS.alpha),
  row('Kore, KoreSupport', BOTS.kore, { isAgentAISDK: 'True', AudiohookEnabled: 'False' }),
  row('DUPE', BOTS.dupe1),
  row('DUPE', BOTS.dupe2),
];

describe('createKoreTableBotSource', () => {
  it('loads all rows before the queue is known and resolves queues with the delimiter rule', async () => {
    let reads = 0;
    server.use(
      http.post(
        `${BASE}/api/public/tables/kaa_bots/query`,
        () => (reads++, HttpResponse.json({ hasMore: false, total: ROWS.length, queryResult: ROWS })),
      ),
    );
    const client = createDataTableClient(
      { baseUrl: BASE, token: 'xmeta-token-123456' },
      { fetch: (u, i) => fetch(u, i), now: Date.now },
    );
    const source = createKoreTableBotSource({ client, table: 'kaa_bots', qDelimiter: '_' });
    expect(source.kind).toBe('kore-data-table');
    const lookup = await source.load();
    expect(reads).toBe(1);
    expect(lookup.description).toContain('kaa_bots');
    expect((await lookup.forQueue({ name: QUEUES.alpha.name })).botId).toBe(BOTS.alpha.botId);
    const kore = await lookup.forQueue({ id: QUEUES.koreSupport.id, name: QUEUES.koreSupport.name });
    expect(kore).toMatchObject({
      botId: BOTS.kore.botId,
      isAgentAISDK: true,
      audiohookEnabled: false,
      queueIdentifiers: ['Kore', 'KoreSupport'],
    });
    expect(() => lookup.forQueue({ name: QUEUES.unmapped.name })).toThrow(
      expect.objectContaining({ code: 'E_QUEUE_NOT_MAPPED' }),
    );
    expect(() => lookup.forQueue({ name: QUEUES.duplicate.name })).toThrow(
      expect.objectContaining({ code: 'E_QUEUE_AMBIGUOUS' }),
    );
    await source.load();
    expect(reads).toBe(1); // cached by the client
  });

  it('passes the client error through (401 on the x_metadata token)', async () => {
    server.use(
      http.post(`${BASE}/api/public/tables/kaa_bots/query`, () =>
        HttpResponse.json({ errors: [{ msg: 'error verifying the jwt', code: 401 }] }, { status: 401 }),
      ),
    );
    const client = createDataTableClient(
      { baseUrl: BASE, token: 'xmeta-token-123456' },
      { fetch: (u, i) => fetch(u, i), now: Date.now },
    );
    await expect(createKoreTableBotSource({ client, table: 'kaa_bots', qDelimiter: '_' }).load()).rejects.toMatchObject(
      { code: 'E_HTTP_UNAUTHORIZED' },
    );
  });
});

const record = (
  queues: string[],
  bot: { botId: string; clientId: string; clientSecret: string },
  keys: Record<string, string>,
) => ({
  recordId: `tpc-${bot.botId}`,
  name: `Record ${bot.botId}`,
  accountId: THIRD_PARTY.accountId,
  queueIdentifiers: queues,
  botId: bot.botId,
  clientId: bot.clientId,
  clientSecret: bot.clientSecret,
  agentAssistWidgetUrl: WIDGET,
  keys: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, b64(v)])),
});

describe('createThirdPartyBotSource (static)', () => {
  const staticMap = {
    Chat_Skill: record(['Chat_Skill'], BOTS.alpha, {
      CustomDataConfig: JSON.stringify({ queue: 'participants[0].queueName' }),
      SecureCustomDataConfig: JSON.stringify({ state: 'participants[0].calls[0].state' }),
      AudiohookEnabled: 'true',
      AppLanguageCode: 'de',
    }),
    KoreSupport: record(['KoreSupport'], BOTS.kore, { AudiohookEnabled: 'false', BotLanguageCode: 'fr' }),
  };

  it('resolves the full queue name and decodes base64 keys (AppLanguageCode and BotLanguageCode)', async () => {
    const source = createThirdPartyBotSource({ accountId: THIRD_PARTY.accountId, mode: 'static', staticMap });
    expect(source.kind).toBe('third-party');
    const lookup = await source.load();
    const kore = (await lookup.forQueue({ name: 'KoreSupport' })) as ThirdPartyBotRecord;
    expect(kore).toMatchObject({
      botId: BOTS.kore.botId,
      clientSecret: BOTS.kore.clientSecret,
      audiohookEnabled: false,
      languageCode: 'fr',
      recordId: `tpc-${BOTS.kore.botId}`,
    });
    expect(kore.origin.kind).toBe('third-party');
    // SecureCustomDataConfig needs JWEPublicKey; without it the record is refused with a row error
    await expect(Promise.resolve().then(() => lookup.forQueue({ name: 'Chat_Skill' }))).rejects.toSatisfy(
      (e: unknown) => isKaaError(e),
    );
  });

  it('maps CustomDataConfig and SecureCustomDataConfig when the record has a JWK', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid: 'k1' });
    const source = createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'static',
      staticMap: { Chat_Skill: { ...staticMap.Chat_Skill, jwePublicKey: jwk } },
    });
    const alpha = (await (await source.load()).forQueue({ name: 'Chat_Skill' })) as ThirdPartyBotRecord;
    expect(alpha.languageCode).toBe('de');
    expect(alpha.audiohookEnabled).toBe(true);
    expect(alpha.kvpConfig?.raw).toEqual({ state: 'participants[0].calls[0].state' });
    expect(alpha.customDataConfig?.raw).toEqual({ queue: 'participants[0].queueName' });
  });

  it('errors: not mapped (no delimiter in this mode), ambiguous, no queue, bad base64, bad map', async () => {
    const lookup = await createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'static',
      staticMap,
    }).load();
    expect(() => lookup.forQueue({ name: 'Chat' })).toThrow(
      expect.objectContaining({
        code: 'E_QUEUE_NOT_MAPPED',
        message: expect.stringContaining('Add "Chat" to the Queue Identifiers'),
      }),
    );
    const twice = await createThirdPartyBotSource({
      accountId: 'acc',
      mode: 'static',
      staticMap: { X: record(['X'], BOTS.dupe1, {}), Y: record(['X'], BOTS.dupe2, {}) },
    }).load();
    expect(() => twice.forQueue({ name: 'X' })).toThrow(expect.objectContaining({ code: 'E_QUEUE_AMBIGUOUS' }));
    expect(() => lookup.forQueue({ id: 'q1' })).toThrow(expect.objectContaining({ code: 'E_NO_QUEUE' }));
    const bad = await createThirdPartyBotSource({
      accountId: 'acc',
      mode: 'static',
      staticMap: { X: { ...record(['X'], BOTS.alpha, {}), keys: { AudiohookEnabled: 'true!' } } },
    }).load();
    expect(() => bad.forQueue({ name: 'X' })).toThrow(/Key "AudiohookEnabled" .* is not base64-encoded/);
    expect(() =>
      createThirdPartyBotSource({
        accountId: 'acc',
        mode: 'static',
        staticMap: { X: { botId: 1, clientSecret: 'planted-secret-value' } },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG_INVALID',
        message: expect.not.stringContaining('planted-secret-value'),
      }),
    );
    expect(() => createThirdPartyBotSource({ accountId: '', mode: 'static', staticMap })).toThrow(
      expect.objectContaining({ code: 'E_PARAM_INVALID' }),
    );
    expect(() => createThirdPartyBotSource({ accountId: 'acc', mode: 'other' as 'static' })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
  });
});

describe('createThirdPartyBotSource (http)', () => {
  const TEMPLATE = 'https://platform.kore.ai/agentassist/api/v1/thirdparty/{accountId}/config';
  const URL_ = `https://platform.kore.ai/agentassist/api/v1/thirdparty/${THIRD_PARTY.accountId}/config`;

  it('calls the URL template with queueName and decodes the answer', async () => {
    const seen: string[] = [];
    const auths: (string | null)[] = [];
    server.use(
      http.get(URL_, ({ request }) => {
        seen.push(request.url);
        auths.push(request.headers.get('auth'));
        const q = new URL(request.url).searchParams.get('queueName');
        if (q === 'KoreSupport')
          return HttpResponse.json(
            record(['KoreSupport'], BOTS.kore, { AudiohookEnabled: 'false', BotLanguageCode: 'en' }),
          );
        if (q === 'Twice') return HttpResponse.json({ code: 409, message: 'twice' }, { status: 409 });
        return HttpResponse.json({ errors: [{ msg: 'no record' }] }, { status: 404 });
      }),
    );
    const source = createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'http',
      httpUrl: TEMPLATE,
      fetch: (u, i) => fetch(u, i),
      auth: 'lookup-token-abcdef',
    });
    const lookup = await source.load();
    const kore = (await lookup.forQueue({ name: 'KoreSupport' })) as ThirdPartyBotRecord;
    expect(kore).toMatchObject({ botId: BOTS.kore.botId, languageCode: 'en' });
    expect(seen[0]).toBe(`${URL_}?queueName=KoreSupport`);
    expect(auths[0]).toBe('lookup-token-abcdef');
    await expect(lookup.forQueue({ name: 'Nope' })).rejects.toMatchObject({ code: 'E_QUEUE_NOT_MAPPED' });
    await expect(lookup.forQueue({ name: 'Twice' })).rejects.toMatchObject({ code: 'E_QUEUE_AMBIGUOUS' });
  });

  it('a refused lookup (401) is E_HTTP_UNAUTHORIZED naming thirdParty.http.token, without the token even when Kore echoes it', async () => {
    server.use(
      http.get(URL_, ({ request }) =>
        HttpResponse.json(
          { errors: [{ msg: `error verifying the jwt: ${request.headers.get('auth')} is expired`, code: 401 }] },
          { status: 401 },
        ),
      ),
    );
    const lookup = await createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'http',
      httpUrl: TEMPLATE,
      fetch: (u, i) => fetch(u, i),
      auth: 'lookup-token-zyxwvu',
    }).load();
    const e = (await Promise.resolve(lookup.forQueue({ name: 'KoreSupport' })).catch((x: unknown) => x)) as KaaError;
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.message).toContain('thirdParty.http.token');
    expect(JSON.stringify(e.toJSON()) + e.message).not.toContain('lookup-token-zyxwvu');
  });

  it('malformed answers → E_RESPONSE_INVALID without the secret; missing URL → E_CONFIG_INVALID', async () => {
    server.use(
      http.get(URL_, () =>
        HttpResponse.json({ botId: 'st-1', clientSecret: 'leaky-secret-123', agentAssistWidgetUrl: 5 }),
      ),
    );
    const lookup = await createThirdPartyBotSource({
      accountId: THIRD_PARTY.accountId,
      mode: 'http',
      httpUrl: TEMPLATE,
      fetch: (u, i) => fetch(u, i),
    }).load();
    const e = (await Promise.resolve(lookup.forQueue({ name: 'KoreSupport' })).catch((x: unknown) => x)) as KaaError;
    expect(e.code).toBe('E_RESPONSE_INVALID');
    expect(JSON.stringify(e.toJSON())).not.toContain('leaky-secret-123');
    expect(() => createThirdPartyBotSource({ accountId: 'acc', mode: 'http', fetch })).toThrow(/thirdParty\.http\.url/);
    expect(() =>
      createThirdPartyBotSource({ accountId: 'acc', mode: 'http', httpUrl: 'ftp://x/{accountId}', fetch }),
    ).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
  });
});

describe('properties', () => {
  it('decodeBase64Text round-trips UTF-8 and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeBase64Text(b64(text))).toBe(text);
        expect(decodeBase64Text(b64(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))).toBe(text); // url alphabet, unpadded
      }),
    );
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const out = decodeBase64Text(junk);
        expect(out === undefined || typeof out === 'string').toBe(true);
      }),
    );
    expect(decodeBase64Text('//79')).toBeUndefined(); // bytes ff fe fd: not UTF-8
  });

  it('a static map of anything gives a source or a KaaError; lookups throw only KaaErrors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.dictionary(
            fc.string(),
            fc.record({
              botId: fc.string(),
              clientId: fc.string(),
              clientSecret: fc.string(),
              agentAssistWidgetUrl: fc.oneof(fc.webUrl(), fc.string()),
              keys: fc.dictionary(fc.string(), fc.string()),
            }),
          ),
        ),
        fc.string(),
        async (map, queue) => {
          try {
            const lookup = await createThirdPartyBotSource({
              accountId: 'acc',
              mode: 'static',
              staticMap: map as Record<string, unknown>,
            }).load();
            await lookup.forQueue({ name: queue });
          } catch (e) {
            if (!isKaaError(e)) throw e;
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
