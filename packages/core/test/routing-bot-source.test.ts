import { describe, expect, it } from 'vitest';
import { expectOnlyKaaError } from '@kaa/test-support';
import fc from 'fast-check';
import {
  KaaError,
  botLookupFromRows,
  matchStaticMap,
  normaliseLegacyUrl,
  parseLegacyBotConfig,
  staticBotSource,
} from '@kaa/core';
import type { BotRow, BotSource } from '@kaa/core';
import { BOTS, KORE_DATA_TABLE, QUEUES } from '../../sandbox/src/seed.js';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const row = (bot: { botId: string; clientId: string; clientSecret: string }, q?: string): BotRow => ({
  ...(q !== undefined && { QueueIdentifier: q }),
  BotId: bot.botId,
  ClientId: bot.clientId,
  ClientSecret: bot.clientSecret,
  AgentAssistWidgetURL: WIDGET,
  AudiohookEnabled: 'false',
  JWEPublicKey: '',
});
const legacy = {
  'AgentAssist URL': 'https://agentassist.kore.ai',
  'Bot Id': BOTS.alpha.botId,
  'Client Id': BOTS.alpha.clientId,
  'Client Secret': BOTS.alpha.clientSecret,
  'is Audiohook Enabled': 'TRUE',
};

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<KaaError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof KaaError) return e;
    throw e;
  }
  throw new Error('expected a KaaError');
}

describe('botLookupFromRows', () => {
  const lookup = botLookupFromRows([row(BOTS.alpha, 'ALPHAINC'), row(BOTS.kore, 'Kore, KoreSupport')], {
    qDelimiter: '_',
    tableName: KORE_DATA_TABLE.name,
  });
  it('describes itself and resolves by queue name', async () => {
    expect(lookup.description).toBe('Kore data table "kaa_bots" (2 rows)');
    expect((await lookup.forQueue(QUEUES.alpha)).botId).toBe(BOTS.alpha.botId);
    expect((await lookup.forQueue({ name: QUEUES.koreSupport.name })).botId).toBe(BOTS.kore.botId);
  });
  it('raises E_NO_QUEUE for a queue without a name, and E_QUEUE_NOT_MAPPED for unknown queues', async () => {
    const noName = await rejection(() => lookup.forQueue({ id: 'q-1' }));
    expect(noName.code).toBe('E_NO_QUEUE');
    expect(noName.message).toContain('q-1');
    expect((await rejection(() => lookup.forQueue({}))).code).toBe('E_NO_QUEUE');
    expect((await rejection(() => lookup.forQueue(QUEUES.unmapped))).code).toBe('E_QUEUE_NOT_MAPPED');
  });
});

describe('botLookupFromRows with routing.noQueuePolicy = defaultRow', () => {
  it('uses the default row for an interaction without a queue, and still errors without the policy', async () => {
    const rows = [row(BOTS.alpha, 'ALPHAINC'), row(BOTS.kore, 'DEFAULT')];
    const lookup = botLookupFromRows(rows, { qDelimiter: '_', defaultRow: 'DEFAULT', noQueuePolicy: 'defaultRow' });
    expect((await lookup.forQueue({})).botId).toBe(BOTS.kore.botId);
    expect((await lookup.forQueue({ name: 'ZED_1' })).botId).toBe(BOTS.kore.botId);
    const strict = botLookupFromRows(rows, { qDelimiter: '_', defaultRow: null });
    expect((await rejection(() => strict.forQueue({ id: 'q' }))).code).toBe('E_NO_QUEUE');
    expect((await rejection(() => strict.forQueue({ name: 'ZED_1' }))).code).toBe('E_QUEUE_NOT_MAPPED');
  });
});

describe('staticBotSource', () => {
  const source: BotSource = staticBotSource({
    KoreSupport: row(BOTS.kore),
    ALPHAINC_CUSTOMERSERVICE_16092024: row(BOTS.alpha),
  });
  it('is a third-party source matching full queue names', async () => {
    expect(source.kind).toBe('third-party');
    const lookup = await source.load();
    const record = await lookup.forQueue({ name: 'KoreSupport' });
    expect(record.botId).toBe(BOTS.kore.botId);
    expect(record.queueIdentifiers).toEqual(['KoreSupport']);
    expect(record.origin.kind).toBe('third-party');
    expect((await lookup.forQueue(QUEUES.alpha)).botId).toBe(BOTS.alpha.botId);
    expect((await rejection(() => lookup.forQueue({ name: 'ALPHAINC' }))).code).toBe('E_QUEUE_NOT_MAPPED');
  });
  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(source.load({ signal: controller.signal }))).code).toBe('E_BOT_SOURCE_UNAVAILABLE');
  });
});

describe('parseLegacyBotConfig', () => {
  it('builds a record from the five field defaults and normalises the URL', () => {
    const record = parseLegacyBotConfig(legacy, { tableName: 'Kore Agent Assist' });
    expect(record).toMatchObject({
      botId: BOTS.alpha.botId,
      clientId: BOTS.alpha.clientId,
      audiohookEnabled: true,
      algorithm: 'HS256',
      agentAssistWidgetUrl: WIDGET,
    });
    expect(record.origin).toEqual({ kind: 'genesys-legacy-table', table: 'Kore Agent Assist' });
  });
  it.each([
    ['https://agentassist.kore.ai/', WIDGET],
    ['https://agentassist.kore.ai/custom/page.html', 'https://agentassist.kore.ai/custom/page.html'],
    ['https://onprem.example/kore', 'https://onprem.example/kore/koreagentassist-sdk-v3/UI/agentassist-iframe.html'],
    [
      'https://onprem.example/kore/?x=1',
      'https://onprem.example/kore/koreagentassist-sdk-v3/UI/agentassist-iframe.html?x=1',
    ],
  ])('normalises %s', (input, output) => {
    expect(normaliseLegacyUrl(input)).toBe(output);
  });
  it('defaults an empty audiohook flag to false and rejects missing ids without echoing the secret', async () => {
    expect(parseLegacyBotConfig({ ...legacy, 'is Audiohook Enabled': '' }).audiohookEnabled).toBe(false);
    const e = await rejection(() => parseLegacyBotConfig({ ...legacy, 'Bot Id': ' ', 'bot id': 'st-x' }));
    expect(e.code).toBe('E_BOT_ROW_INVALID');
    expect(e.details['field']).toBe('Bot Id');
    expect(e.message).toContain('case-sensitive');
    const url = await rejection(() =>
      parseLegacyBotConfig({ ...legacy, 'AgentAssist URL': `http://${BOTS.alpha.clientSecret}.example` }),
    );
    expect(url.message).toContain('https');
    expect(JSON.stringify(url.toJSON())).not.toContain(BOTS.alpha.clientSecret);
    expect(
      (await rejection(() => parseLegacyBotConfig({ ...legacy, 'is Audiohook Enabled': 'sometimes' }))).details[
        'field'
      ],
    ).toBe('is Audiohook Enabled');
  });
  it('throws only KaaError on arbitrary fields (fast-check)', () => {
    const key = fc.constantFrom(
      'AgentAssist URL',
      'Bot Id',
      'Client Id',
      'Client Secret',
      'is Audiohook Enabled',
      'bot id',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.dictionary(key, fc.oneof(fc.string(), fc.jsonValue(), fc.constant('https://a.example'))),
          fc.jsonValue(),
        ),
        (fields) => {
          expectOnlyKaaError(() => parseLegacyBotConfig(fields as Record<string, unknown>));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('matchStaticMap (the third-party matching rule)', () => {
  const a = { queueIdentifiers: ['Chat_Skill', 'Voice_Skill'] };
  const b = { queueIdentifiers: ['Voice_Skill'] };
  const identifiersOf = (r: { queueIdentifiers?: string[] }) => r.queueIdentifiers;

  it('matches the full, trimmed queue name by key or by listed identifier; no delimiter, no case folding', () => {
    expect(matchStaticMap({ KoreSupport: a, Other: b }, ' KoreSupport ')).toEqual([a]);
    expect(matchStaticMap({ KoreSupport: a }, 'koresupport')).toEqual([]);
    expect(matchStaticMap({ Kore: a }, 'Kore_Support')).toEqual([]);
    expect(matchStaticMap({ x: a, y: b }, 'Chat_Skill', { identifiersOf })).toEqual([a]);
    expect(matchStaticMap({ x: a, y: b }, 'Voice_Skill', { identifiersOf })).toEqual([a, b]);
    expect(matchStaticMap({ Voice_Skill: a, y: a }, 'Voice_Skill', { identifiersOf })).toEqual([a]);
    expect(matchStaticMap({ x: a }, 'Chat_Skill')).toEqual([]);
  });

  it('property: never throws, and every match carries the name as key or identifier', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.record({ queueIdentifiers: fc.array(fc.string()) })),
        fc.string(),
        (map, name) => {
          const found = matchStaticMap(map, name, { identifiersOf });
          for (const entry of found) {
            const key = Object.keys(map).find((k) => map[k] === entry);
            expect(key === name.trim() || (entry.queueIdentifiers ?? []).includes(name.trim())).toBe(true);
          }
          expect(new Set(found).size).toBe(found.length);
        },
      ),
    );
  });
});
