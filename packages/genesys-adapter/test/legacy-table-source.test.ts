import { describe, expect, it } from 'vitest';
import { expectOnlyKaaError } from '@kaa/test-support';
import fc from 'fast-check';
import { KaaError } from '@kaa/core';
import { createGenesysTableBotSource } from '../src/index.js';
import type { GenesysApi } from '../src/index.js';
import { rejectionOf } from './helpers.js';

const SECRET = 'legacy-client-secret-PLANTED-77';
const prop = (title: string, def: unknown, name = title.replace(/\s+/g, '')) =>
  [name, { title, type: 'string', $id: `/properties/${name}`, default: def }] as const;
const legacySchema = (defaults: Partial<Record<string, unknown>> = {}) => ({
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['key'],
  properties: Object.fromEntries([
    ['key', { title: 'agentAssist', type: 'string', $id: '/properties/key' }],
    prop('AgentAssist URL', defaults['AgentAssist URL'] ?? 'https://agentassist.kore.ai'),
    prop('Bot Id', defaults['Bot Id'] ?? 'st-1234'),
    prop('Client Id', defaults['Client Id'] ?? 'cs-5678'),
    prop('Client Secret', defaults['Client Secret'] ?? SECRET),
    prop('is Audiohook Enabled', defaults['is Audiohook Enabled'] ?? 'false'),
  ]),
});

function fakeApi(tables: { id: string; name: string; schema?: unknown }[]) {
  const calls: string[] = [];
  const api: Pick<GenesysApi, 'listDataTables' | 'getDataTable'> = {
    listDataTables: async (q) => {
      calls.push(`list ${q?.expandSchema}`);
      return tables as never;
    },
    getDataTable: async (id, q) => {
      calls.push(`get ${id} ${q?.schema}`);
      const t = tables.find((x) => x.id === id);
      if (!t) throw new KaaError('E_HTTP_NOT_FOUND', 'no table');
      return t as never;
    },
  };
  return { api, calls };
}

describe('createGenesysTableBotSource', () => {
  it('scans for the table whose Reference Key label is agentAssist and serves one record for every queue', async () => {
    const { api, calls } = fakeApi([
      { id: 't1', name: 'Other', schema: { properties: { key: { title: 'queue' } } } },
      { id: 't2', name: 'Kore Agent Assist', schema: legacySchema() },
    ]);
    const source = createGenesysTableBotSource({ api });
    expect(source.kind).toBe('genesys-legacy-table');
    const lookup = await source.load();
    expect(calls).toEqual(['list true']);
    expect(lookup.description).toContain('Kore Agent Assist');
    const a = await lookup.forQueue({ name: 'ALPHAINC_SALES' });
    const b = await lookup.forQueue({ id: 'q2' });
    expect(a).toBe(b);
    expect(a).toMatchObject({
      botId: 'st-1234',
      clientId: 'cs-5678',
      clientSecret: SECRET,
      agentAssistWidgetUrl: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
      audiohookEnabled: false,
      origin: { kind: 'genesys-legacy-table', table: 'Kore Agent Assist' },
    });
  });

  it('a configured tableId skips the scan (docs/assumptions.md#legacy-genesys-data-table-lookup); fields are found by title, then by property name', async () => {
    const schema = legacySchema();
    // a field whose title is blank but whose property name is the label
    (schema.properties as Record<string, unknown>)['Bot Id'] = { type: 'string', default: 'st-by-name' };
    delete (schema.properties as Record<string, unknown>)['BotId'];
    const { api, calls } = fakeApi([{ id: 'da7a', name: 'Custom', schema }]);
    const record = await (await createGenesysTableBotSource({ api, tableId: 'da7a' }).load()).forQueue({ name: 'Q' });
    expect(calls).toEqual(['get da7a true']);
    expect(record.botId).toBe('st-by-name');
  });

  it('no table / two tables → E_LEGACY_TABLE_NOT_FOUND naming the fix', async () => {
    const none = await rejectionOf(createGenesysTableBotSource({ api: fakeApi([{ id: 't1', name: 'x' }]).api }).load());
    expect(none.code).toBe('E_LEGACY_TABLE_NOT_FOUND');
    expect(none.message).toContain('legacy.tableId');
    const two = await rejectionOf(
      createGenesysTableBotSource({
        api: fakeApi([
          { id: 'a', name: 'A', schema: legacySchema() },
          { id: 'b', name: 'B', schema: legacySchema() },
        ]).api,
      }).load(),
    );
    expect(two.code).toBe('E_LEGACY_TABLE_NOT_FOUND');
    expect(two.message).toContain('"A"');
  });

  it('an empty field default → E_BOT_ROW_INVALID naming the field, never the secret', async () => {
    const { api } = fakeApi([{ id: 't', name: 'T', schema: legacySchema({ 'Bot Id': '' }) }]);
    const e = await rejectionOf(createGenesysTableBotSource({ api }).load());
    expect(e.code).toBe('E_BOT_ROW_INVALID');
    expect(e.message).toContain('Bot Id');
    expect(JSON.stringify(e) + e.message).not.toContain(SECRET);
  });

  it('API errors pass through as coded KaaErrors', async () => {
    const api = {
      listDataTables: async () => {
        throw new KaaError('E_HTTP_FORBIDDEN', 'needs architect:readonly');
      },
      getDataTable: async () => {
        throw new Error('unused');
      },
    };
    expect(await rejectionOf(createGenesysTableBotSource({ api }).load())).toMatchObject({ code: 'E_HTTP_FORBIDDEN' });
  });

  it('property: any schema content gives a lookup or a KaaError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.dictionary(fc.string(), fc.anything()), async (properties, extra) => {
        const { api } = fakeApi([
          {
            id: 't',
            name: 'T',
            schema: {
              properties: {
                key: { title: 'agentAssist' },
                ...(typeof properties === 'object' && properties ? properties : {}),
                ...extra,
              },
            },
          },
        ]);
        await expectOnlyKaaError(async () =>
          (await createGenesysTableBotSource({ api }).load()).forQueue({ name: 'Q' }),
        );
      }),
      { numRuns: 300 },
    );
  });
});
