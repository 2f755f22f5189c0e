import type { KeyObject } from 'node:crypto';
import { compactDecrypt, exportJWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, testRsaKeys } from '@kaa/test-support';
import {
  DEFAULT_SETTINGS,
  encryptSecureCustomData,
  mintWidgetLaunch,
  parseBotRow,
  parseKvpConfig,
  parseSettings,
  type BotRecord,
} from '@kaa/core';
import { BOTS, USERS } from '../../sandbox/src/seed.js';

const NOW = 1_767_225_600;
const CONVERSATION = {
  id: 'c0a00000-0000-4000-8000-000000000001',
  participants: [
    { purpose: 'customer', queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024', calls: [{ state: 'connected' }] },
  ],
};
const CONTEXT = {
  conversationId: CONVERSATION.id,
  lang: 'en-us',
  passthruMetadata: '%7B%22accountId%22%3A%2242%22%7D',
};

let privateKey: KeyObject;
let record: BotRecord;

beforeAll(async () => {
  const pair = testRsaKeys();
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'jwe-1' };
  record = parseBotRow({
    QueueIdentifier: 'ALPHAINC',
    BotId: BOTS.alpha.botId,
    ClientId: BOTS.alpha.clientId,
    ClientSecret: BOTS.alpha.clientSecret,
    AgentAssistWidgetURL: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
    AudiohookEnabled: 'false',
    JWEPublicKey: JSON.stringify(jwk),
    KvpConfig:
      '{"queueName":"participants[0].queueName","callStatus":"participants[0].calls[0].state","missing":"participants[5].name"}',
  });
});

const launch = (overrides: Partial<Parameters<typeof mintWidgetLaunch>[0]> = {}) =>
  mintWidgetLaunch({
    record,
    context: CONTEXT,
    settings: DEFAULT_SETTINGS,
    userId: USERS.agent.id,
    conversation: CONVERSATION,
    media: 'call',
    now: NOW,
    encrypt: encryptSecureCustomData,
    ...overrides,
  });

describe('mintWidgetLaunch', () => {
  it('mints the widget JWT, customData, the JWE of the KvpConfig values and the widget URL', async () => {
    const out = await launch();
    const { payload } = await jwtVerify(out.token, new TextEncoder().encode(BOTS.alpha.clientSecret), {
      algorithms: ['HS256'],
      currentDate: new Date(NOW * 1000),
    });
    expect(payload).toMatchObject({ iss: BOTS.alpha.clientId, sub: USERS.agent.id, iat: NOW, exp: NOW + 900 });
    expect(out.customData).toEqual({ internalMetaData: CONTEXT.passthruMetadata });
    expect(out.isCall).toBe(true);
    expect(out.missingSecureKeys).toEqual(['missing']);
    const { plaintext } = await compactDecrypt(out.secureCustomData as string, privateKey);
    expect(JSON.parse(new TextDecoder().decode(plaintext)).secureCustomData).toEqual({
      queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024',
      callStatus: 'connected',
    });
    const url = new URL(out.url);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      token: out.token,
      botid: BOTS.alpha.botId,
      agentassisturl: 'https://agentassist.kore.ai',
      conversationid: CONVERSATION.id,
      isCall: 'true',
      source: 'genesys',
      interactiveLanguage: 'en',
    });
    expect(url.searchParams.has('secureCustomData')).toBe(false);
  });

  it('chat media is not a call; jwe.transport urlParam adds the JWE to the URL; Third-Party extras are honoured', async () => {
    const settings = parseSettings({ jwe: { transport: 'urlParam' } });
    const out = await launch({
      media: 'message',
      settings,
      record: {
        ...record,
        languageCode: 'de',
        customDataConfig: parseKvpConfig('{"queue":"participants[0].queueName"}'),
      },
    });
    expect(out.isCall).toBe(false);
    expect(out.customData).toEqual({
      internalMetaData: CONTEXT.passthruMetadata,
      queue: 'ALPHAINC_CUSTOMERSERVICE_16092024',
    });
    const url = new URL(out.url);
    expect(url.searchParams.get('secureCustomData')).toBe(out.secureCustomData);
    expect(url.searchParams.get('interactiveLanguage')).toBe('de');
  });

  it('refuses what Kore has not published (docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport) and a KvpConfig without a key, naming the fix', async () => {
    const nested = await rejectionOf(
      launch({ settings: parseSettings({ jwe: { mode: 'nested' } }) }),
      'E_CONFIG_INVALID',
    );
    expect(nested.message).toMatch(/jwe\.mode/);
    await rejectionOf(launch({ settings: parseSettings({ jwe: { transport: 'token' } }) }), 'E_CONFIG_INVALID');
    const { jwePublicKey: _omit, ...withoutKey } = record;
    const noKey = await rejectionOf(launch({ record: withoutKey as BotRecord }), 'E_JWE_KEY_INVALID');
    expect(noKey.message).toMatch(/JWEPublicKey/);
    expect(JSON.stringify(noKey.toJSON())).not.toContain(BOTS.alpha.clientSecret);
  });

  it('an AudioHook call carries the JWE in the widget URL (the page relays no utterance); its chat and a non-AudioHook call keep jwe.transport', async () => {
    const audio = { ...record, audiohookEnabled: true };
    const call = await launch({ record: audio });
    expect(call.audiohook).toBe(true);
    expect(call.secureTransport).toBe('urlParam');
    expect(new URL(call.url).searchParams.get('secureCustomData')).toBe(call.secureCustomData);
    const chat = await launch({ record: audio, media: 'message' });
    expect(chat.audiohook).toBe(false);
    expect(chat.secureTransport).toBe('message');
    expect(new URL(chat.url).searchParams.has('secureCustomData')).toBe(false);
    const plain = await launch();
    expect(plain.audiohook).toBe(false);
    expect(plain.secureTransport).toBe('message');
  });

  it('says when to mint again: jwe.refreshBeforeSeconds before exp, at most half the lifetime (docs/assumptions.md#secure-custom-data-lifetime-and-refresh)', async () => {
    const byDefault = await launch();
    expect(byDefault.secureRefreshAt).toBe((NOW + 900 - 60) * 1000);
    const short = await launch({ settings: parseSettings({ jwe: { ttlSeconds: 10 } }) });
    expect(short.secureRefreshAt).toBe((NOW + 5) * 1000);
    const { plaintext } = await compactDecrypt(short.secureCustomData as string, privateKey);
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toMatchObject({ iat: NOW, exp: NOW + 10 });
    const { kvpConfig: _omit, ...plain } = record;
    expect((await launch({ record: plain as BotRecord })).secureRefreshAt).toBeUndefined();
  });

  it('a KvpConfig but no JWEPublicKey is refused before anything is encrypted, naming the bot and the column; a refused jwe setting names itself', async () => {
    const { jwePublicKey: _omit, ...withoutKey } = record;
    const encrypt = () => Promise.reject(new Error('encrypt must not be called without a JWEPublicKey'));
    const noKey = await rejectionOf(launch({ record: withoutKey as BotRecord, encrypt }), 'E_JWE_KEY_INVALID');
    expect(noKey.message).toBe(
      `The bot row for bot "${BOTS.alpha.botId}" has a KvpConfig but an empty JWEPublicKey, so the secure custom data cannot be encrypted. Paste the public key from Agent AI › Web/Mobile Client › JWT App Details into the JWEPublicKey column, or empty KvpConfig.`,
    );
    expect(noKey.details).toEqual({ column: 'JWEPublicKey', botId: BOTS.alpha.botId });
    const token = await rejectionOf(
      launch({ settings: parseSettings({ jwe: { transport: 'token' } }) }),
      'E_CONFIG_INVALID',
    );
    expect(token.details).toEqual({ key: 'jwe', mode: 'claims', transport: 'token' });
    expect(
      token.message.startsWith('Secure custom data with jwe.mode "claims" and jwe.transport "token" is not supported'),
    ).toBe(true);
  });

  it('a KvpConfig without entries asks for no JWE: no key needed, no jwe setting checked', async () => {
    const empty = { ...record, kvpConfig: parseKvpConfig('{}'), jwePublicKey: undefined } as unknown as BotRecord;
    expect(empty.kvpConfig?.entries).toEqual([]);
    const out = await launch({ record: empty, settings: parseSettings({ jwe: { mode: 'nested' } }) });
    expect(out.secureCustomData).toBeUndefined();
    expect(out.missingSecureKeys).toEqual([]);
  });

  it('a callback is a call; without a media kind the channel follows isCall (chat)', async () => {
    const callback = await launch({ media: 'callback' });
    expect(callback.isCall).toBe(true);
    expect(new URL(callback.url).searchParams.get('isCall')).toBe('true');
    expect(new URL(callback.url).searchParams.get('channel')).toBe('voice');
    const unknown = await launch({ media: undefined });
    expect(unknown.isCall).toBe(false);
    expect(new URL(unknown.url).searchParams.get('channel')).toBe('chat');
  });

  it('no KvpConfig: no JWE', async () => {
    const { kvpConfig: _omit, ...plain } = record;
    const out = await launch({ record: plain as BotRecord });
    expect(out.secureCustomData).toBeUndefined();
    expect(out.missingSecureKeys).toEqual([]);
    // the secure fields are absent, not present as undefined (a caller spreading the launch would send them)
    expect(Object.keys(out).sort()).toEqual(['audiohook', 'customData', 'isCall', 'missingSecureKeys', 'token', 'url']);
  });
});
