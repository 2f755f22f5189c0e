/**
 * In-process tests of the config parser and the table planner (pure parts), with fast-check properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKaaError } from '@kaa/core';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import type { CliIo } from '../src/io.js';
import { MASK, planTable } from '../src/table/plan-table.js';
import type { DesiredRow } from '../src/table/desired-rows.js';

const GOOD = {
  version: 1,
  page: { url: 'https://kaa.example.com/koreaiaa-genesys/' },
  agentAi: { url: 'https://platform.kore.ai' },
  genesys: { environment: 'https://apps.mypurecloud.ie', oauthClientId: 'c1a00000-0000-4000-8000-00000000000b' },
  dataTable: { name: 'kaa_bots', qDelimiter: '_', readApp: { clientId: 'cs-1', clientSecret: { env: 'S' } } },
  bots: { alpha: { botId: 'st-1', clientId: 'cs-2', clientSecret: { env: 'S' }, queues: ['ALPHAINC'] } },
};

function fakeIo(files: Record<string, string>, env: Record<string, string> = {}): CliIo {
  return {
    env,
    readFile: async (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return text;
    },
    writeFile: async () => undefined,
    exists: async (p) => p in files,
    dirname: () => '.',
    resolve: (...parts) => parts[parts.length - 1] ?? '',
    fetch: async () => {
      throw new Error('no network in this test');
    },
    now: () => 1_795_000_000_000,
    stdout: () => undefined,
    stderr: () => undefined,
    stdoutIsTty: false,
    stderrIsTty: false,
  };
}

async function outcome(text: string): Promise<'ok' | 'kaa-error'> {
  try {
    await loadConfig('kaa.yaml', fakeIo({ 'kaa.yaml': text }));
    return 'ok';
  } catch (e) {
    if (isKaaError(e, 'E_CONFIG_INVALID')) return 'kaa-error';
    throw e;
  }
}

describe('loadConfig', () => {
  it('accepts the minimal config and fills defaults', async () => {
    const loaded = await loadConfig('kaa.yaml', fakeIo({ 'kaa.yaml': stringify(GOOD) }, { S: 'secret-value' }));
    expect(loaded.config.agentAi.widgetUrl).toBe(
      'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
    );
    expect(loaded.config.bots['alpha']?.algorithm).toBe('HS256');
    expect(loaded.settings.routing.cacheTtlSeconds).toBe(300);
    expect(await loaded.secret({ env: 'S' }, ['dataTable', 'readApp', 'clientSecret'])).toBe('secret-value');
    expect(loaded.secrets).toContain('secret-value');
  });

  it('property: any text gives a config or E_CONFIG_INVALID, never another throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        expect(['ok', 'kaa-error']).toContain(await outcome(text));
      }),
      { numRuns: 300 },
    );
  });

  it('property: any JSON value, and any mutation of a good config, gives a config or E_CONFIG_INVALID with a line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expect(['ok', 'kaa-error']).toContain(await outcome(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
    const good = stringify(GOOD);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: good.length - 1 }),
        fc.nat({ max: 40 }),
        fc.string({ maxLength: 8 }),
        async (at, cut, insert) => {
          const text = good.slice(0, at) + insert + good.slice(at + cut);
          try {
            await loadConfig('kaa.yaml', fakeIo({ 'kaa.yaml': text }));
          } catch (e) {
            expect(isKaaError(e, 'E_CONFIG_INVALID')).toBe(true);
            if (isKaaError(e)) expect(e.message).toMatch(/^kaa\.yaml(:\d+:\d+)?: /);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: any botSource (known kinds with random fields, or anything) gives a config or E_CONFIG_INVALID', async () => {
    const kinds = fc.constantFrom('kore-data-table', 'third-party', 'genesys-legacy-table', 'thirdparty', '');
    const field = fc.oneof(
      fc.string(),
      fc.constant('6a1c0000-0000-4000-8000-0000000000ac'),
      fc.constant('https://kore.example.com/{accountId}/config'),
      fc.integer(),
      fc.boolean(),
    );
    const source = fc.oneof(
      fc.record(
        {
          kind: kinds,
          accountId: field,
          lookup: fc.oneof(fc.constantFrom('static', 'http'), field),
          url: field,
          tableId: field,
        },
        { requiredKeys: ['kind'] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(source, fc.boolean(), async (botSource, dropTable) => {
        const config: Record<string, unknown> = { ...GOOD, botSource };
        if (dropTable) delete config['dataTable'];
        expect(await outcome(stringify(config))).toMatch(/^(ok|kaa-error)$/);
      }),
      { numRuns: 300 },
    );
    const loaded = await loadConfig(
      'kaa.yaml',
      fakeIo({
        'kaa.yaml': stringify({
          ...GOOD,
          dataTable: undefined,
          botSource: { kind: 'third-party', accountId: '6a1c0000-0000-4000-8000-0000000000ac' },
        }),
      }),
    );
    expect(loaded.config.botSource).toEqual({
      kind: 'third-party',
      accountId: '6a1c0000-0000-4000-8000-0000000000ac',
      lookup: 'static',
    });
    expect((await loadConfig('kaa.yaml', fakeIo({ 'kaa.yaml': stringify(GOOD) }))).config.botSource).toEqual({
      kind: 'kore-data-table',
    });
  });

  it('a secret value is never echoed in a config error', async () => {
    const config = { ...GOOD, bots: { alpha: { ...GOOD.bots.alpha, botId: 'planted-secret-9f8e7d' } } };
    const e = await loadConfig('kaa.yaml', fakeIo({ 'kaa.yaml': stringify(config) })).catch((x: unknown) => x);
    expect(isKaaError(e, 'E_CONFIG_INVALID')).toBe(true);
    expect(JSON.stringify(e) + String((e as Error).message)).not.toContain('planted-secret-9f8e7d');
  });
});

describe('planTable', () => {
  const row = (q: string, bot: string, secret = 's3cr3t-value'): Record<string, string> => ({
    QueueIdentifier: q,
    BotId: bot,
    ClientId: `cs-${bot}`,
    ClientSecret: secret,
    AgentAssistWidgetURL: 'https://agentassist.kore.ai/x.html',
    AudiohookEnabled: 'false',
    JWEPublicKey: '',
    KvpConfig: '',
    Algorithm: 'HS256',
    RSPrivatePem: '',
    isAgentAISDK: 'false',
  });

  it('deletes strays and duplicates, updates changed rows, inserts new ones; masks secrets', () => {
    const desired: DesiredRow[] = [
      { bot: 'a', row: row('A', 'st-a', 'new-secret-aaaa') },
      { bot: 'b', row: row('B', 'st-b') },
    ];
    const live = [
      { ...row('A', 'st-a', 'old-secret-aaaa'), sys_Id: '1' },
      { ...row('X', 'st-x'), sys_Id: '2' },
      { ...row('A', 'st-a', 'old-secret-aaaa'), sys_Id: '3' },
    ];
    const plan = planTable(desired, live);
    expect(plan.changes.map((c) => `${c.action}:${c.botId}:${c.sysId ?? ''}`)).toEqual([
      'delete:st-x:2',
      'delete:st-a:3',
      'update:st-a:1',
      'insert:st-b:',
    ]);
    expect(plan.changes[2]?.changed).toEqual(['ClientSecret']);
    expect(plan.changes[2]?.body?.['ClientSecret']).toBe(MASK);
    expect(JSON.stringify(plan.changes)).not.toContain('new-secret-aaaa');
    expect(plan.data.get(2)?.['ClientSecret']).toBe('new-secret-aaaa');
  });

  it('boolean columns compare in any letter case: a live "true"/"false" needs no rewrite to the guide\'s "True"/"False"', () => {
    const want = { ...row('A', 'st-a'), isAgentAISDK: 'True', AudiohookEnabled: 'false' };
    expect(
      planTable(
        [{ bot: 'a', row: want }],
        [{ ...row('A', 'st-a'), isAgentAISDK: 'true', AudiohookEnabled: 'FALSE', sys_Id: '1' }],
      ).changes,
    ).toEqual([]);
    const flipped = planTable([{ bot: 'a', row: want }], [{ ...row('A', 'st-a'), isAgentAISDK: 'false', sys_Id: '1' }]);
    expect(flipped.changes.map((c) => c.changed)).toEqual([['isAgentAISDK']]);
  });

  it('property: applying the plan to the live rows converges (a second plan is empty)', () => {
    const botIds = fc.constantFrom('st-a', 'st-b', 'st-c', 'st-d');
    const liveRow = fc.record({
      q: fc.constantFrom('A', 'B', 'C, D'),
      bot: botIds,
      secret: fc.constantFrom('s1-xxxx', 's2-yyyy'),
      sys: fc.uuid(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ q: fc.constantFrom('A', 'B', 'E'), bot: botIds, secret: fc.constantFrom('s1-xxxx', 's3-zzzz') }),
          { selector: (d) => d.bot },
        ),
        fc.array(liveRow, { maxLength: 6 }),
        (want, have) => {
          const desired = want.map((d) => ({ bot: d.bot, row: row(d.q, d.bot, d.secret) }));
          let live: Record<string, unknown>[] = have.map((l) => ({ ...row(l.q, l.bot, l.secret), sys_Id: l.sys }));
          const plan = planTable(desired, live);
          plan.changes.forEach((c, i) => {
            const match = (r: Record<string, unknown>) =>
              c.query?.expressions.every((e) => String(r[e.field]) === e.value) ?? false;
            if (c.action === 'delete') live = live.filter((r) => !match(r));
            if (c.action === 'update') live = live.map((r) => (match(r) ? { ...r, ...plan.data.get(i) } : r));
            if (c.action === 'insert') live.push({ ...plan.data.get(i), sys_Id: `new-${i}` });
          });
          expect(planTable(desired, live).changes).toEqual([]);
          expect(live.length).toBe(desired.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
