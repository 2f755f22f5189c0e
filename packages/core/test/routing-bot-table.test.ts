import { describe, expect, it } from 'vitest';
import { errorOf, expectOnlyKaaError } from '@kaa/test-support';
import fc from 'fast-check';
import { KaaError, indexBotRows, lintBotTable, parseBotRow, queueIdentifierOf, resolveBotRecord } from '@kaa/core';
import type { BotRow } from '@kaa/core';
import { BOTS, KORE_DATA_TABLE, QUEUES, Q_DELIMITER } from '../../sandbox/src/seed.js';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const JWK = JSON.stringify({ kty: 'RSA', n: 'sXchbWQ0', e: 'AQAB', kid: 'k1' });
const GUIDE_KVP = '{"queueName": "participants[0].queueName", "callStatus": "participants[0].calls[0].state"}';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

function row(
  bot: { botId: string; clientId: string; clientSecret: string },
  queueIdentifier: string,
  extra: Record<string, unknown> = {},
): BotRow {
  return {
    QueueIdentifier: queueIdentifier,
    BotId: bot.botId,
    ClientId: bot.clientId,
    ClientSecret: bot.clientSecret,
    AgentAssistWidgetURL: WIDGET,
    AudiohookEnabled: 'true',
    JWEPublicKey: '',
    sys_Id: `sys-${queueIdentifier}`,
    _id: 'x',
    Created_On: '2024-01-01',
    ...extra,
  };
}
const ROWS: BotRow[] = [
  row(BOTS.alpha, 'ALPHAINC', { KvpConfig: GUIDE_KVP, JWEPublicKey: JWK }),
  row(BOTS.kore, 'Kore, KoreSupport', { AudiohookEnabled: 'False', isAgentAISDK: 'True' }),
  row(BOTS.dupe1, 'DUPE'),
  row(BOTS.dupe2, 'DUPE, OTHER'),
  row(BOTS.rs, 'RSA', { Algorithm: 'RS256', RSPrivatePem: PEM }),
];
const opts = { qDelimiter: Q_DELIMITER, tableName: KORE_DATA_TABLE.name };

describe('queueIdentifierOf', () => {
  it('follows the guide example and falls back to the whole name', () => {
    expect(queueIdentifierOf('ALPHAINC_CUSTOMERSERVICE_16092024', '_')).toBe('ALPHAINC');
    expect(queueIdentifierOf('KoreSupport', '_')).toBe('KoreSupport');
    expect(queueIdentifierOf('ALPHAINC_SALES')).toBe('ALPHAINC_SALES');
    expect(queueIdentifierOf('ALPHAINC_SALES', '')).toBe('ALPHAINC_SALES');
    expect(queueIdentifierOf('A::B', '::')).toBe('A');
    expect(errorOf(() => queueIdentifierOf('  ', '_')).code).toBe('E_NO_QUEUE');
  });
  it('returns a trimmed prefix without the delimiter (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string({ maxLength: 3 }), { nil: undefined }), (name, delimiter) => {
        try {
          const id = queueIdentifierOf(name, delimiter);
          expect(name.includes(id)).toBe(true);
          if (delimiter && name.includes(delimiter)) expect(name.slice(0, name.indexOf(delimiter)).trim()).toBe(id);
          else expect(id).toBe(name.trim());
        } catch (e) {
          expect((e as KaaError).code).toBe('E_NO_QUEUE');
          expect(name.trim()).toBe('');
        }
      }),
    );
  });
  it('cuts at the FIRST delimiter when a name holds it several times, multi-character delimiters included (fast-check)', () => {
    // a name built from ≥ 3 segments joined by the delimiter: the case plain fc.string() almost never reaches
    const delimiter = fc.oneof(
      fc.constantFrom('_', '-', '::', ' | ', '__'),
      fc.string({ minLength: 1, maxLength: 3 }).filter((d) => d.trim() !== ''),
    );
    const named = delimiter.chain((d) =>
      fc.record({
        delimiter: fc.constant(d),
        segments: fc.array(
          fc
            .string({ maxLength: 8 })
            .filter((x) => !x.includes(d) && !(d + x).slice(1).includes(d) && !(x + d).slice(0, -1).includes(d)),
          { minLength: 3, maxLength: 6 },
        ),
      }),
    );
    let ran = 0;
    let reached = 0;
    fc.assert(
      fc.property(named, ({ delimiter: d, segments }) => {
        const name = segments.join(d);
        fc.pre(name.trim() !== '' && name.indexOf(d) === segments[0]!.length); // the first occurrence is the first join
        ran += 1;
        if (name.split(d).length - 1 >= 2) reached += 1;
        expect(queueIdentifierOf(name, d)).toBe(segments[0]!.trim());
      }),
      { numRuns: 300 },
    );
    // the generator really produced names with the delimiter twice or more: over two thirds of the cases run (300 of
    // them here; fewer under mutation testing, which caps property runs)
    expect(ran).toBeGreaterThan(0);
    expect(reached / ran).toBeGreaterThan(2 / 3);
    expect(queueIdentifierOf('ALPHAINC_CUSTOMERSERVICE_16092024_EU', '_')).toBe('ALPHAINC');
    expect(queueIdentifierOf('A::B::C', '::')).toBe('A');
  });
});

describe('parseBotRow', () => {
  it('parses a guide row: comma list, case-insensitive booleans, empty Algorithm → HS256, KvpConfig compiled', () => {
    const alpha = parseBotRow(ROWS[0], { rowIndex: 0, tableName: 'kaa_bots' });
    expect(alpha).toMatchObject({
      queueIdentifiers: ['ALPHAINC'],
      botId: BOTS.alpha.botId,
      algorithm: 'HS256',
      audiohookEnabled: true,
      isAgentAISDK: false,
    });
    expect(alpha.kvpConfig?.entries.map((e) => e.key)).toEqual(['queueName', 'callStatus']);
    expect(alpha.jwePublicKey).toEqual({ kty: 'RSA', n: 'sXchbWQ0', e: 'AQAB', kid: 'k1' });
    expect(alpha.origin).toEqual({ kind: 'kore-data-table', rowIndex: 0, sysId: 'sys-ALPHAINC', table: 'kaa_bots' });
    const kore = parseBotRow(ROWS[1]);
    expect(kore.queueIdentifiers).toEqual(['Kore', 'KoreSupport']);
    expect(kore.audiohookEnabled).toBe(false);
    expect(kore.isAgentAISDK).toBe(true);
    expect(parseBotRow(ROWS[4])).toMatchObject({ algorithm: 'RS256', rsPrivatePem: PEM });
  });
  it.each([
    [{ ClientId: undefined }, 'ClientId', 'has no column'],
    [{ BotId: '  ' }, 'BotId', 'empty'],
    [{ AudiohookEnabled: 'yes' }, 'AudiohookEnabled', '"yes"'],
    [{ AgentAssistWidgetURL: 'http://agentassist.kore.ai/x.html' }, 'AgentAssistWidgetURL', 'https'],
    [{ AgentAssistWidgetURL: 'not a url' }, 'AgentAssistWidgetURL', 'not a URL'],
    [{ Algorithm: 'HS999' }, 'Algorithm', 'HS999'],
    [{ Algorithm: 'RS512' }, 'RSPrivatePem', 'no RSPrivatePem'],
    [{ JWEPublicKey: '-----BEGIN PUBLIC KEY-----' }, 'JWEPublicKey', 'not JSON'],
    [{ JWEPublicKey: '{"kty":"EC","x":"a"}' }, 'JWEPublicKey', 'RSA public JWK'],
    [{ KvpConfig: GUIDE_KVP }, 'JWEPublicKey', 'empty JWEPublicKey'],
    [{ QueueIdentifier: 7 }, 'QueueIdentifier', 'not text'],
  ])('rejects %j with E_BOT_ROW_INVALID naming %s and the row', (change, column, words) => {
    const bad: Record<string, unknown> = { ...row(BOTS.alpha, 'ALPHAINC'), ...change };
    if ('ClientId' in change && change.ClientId === undefined) delete bad['ClientId'];
    const e = errorOf(() => parseBotRow(bad, { rowIndex: 4, tableName: 'kaa_bots' }));
    expect(e.code).toBe('E_BOT_ROW_INVALID');
    expect(e.details['column']).toBe(column);
    expect(e.message).toContain(column);
    expect(e.message).toContain(words);
    expect(e.message).toMatch(/^Row 4 /);
    expect(e.message).toContain('kaa_bots');
  });
  it('names a column with the wrong case', () => {
    const bad: Record<string, unknown> = { ...row(BOTS.alpha, 'ALPHAINC'), clientSecret: 'zzzz-secret' };
    delete bad['ClientSecret'];
    const e = errorOf(() => parseBotRow(bad));
    expect(e.message).toContain('"clientSecret"');
    expect(e.message).toContain('case-sensitive');
  });
  it('reports KvpConfig problems with the KvpConfig codes', () => {
    expect(errorOf(() => parseBotRow(row(BOTS.alpha, 'A', { JWEPublicKey: JWK, KvpConfig: '{bad' }))).code).toBe(
      'E_KVP_CONFIG_INVALID',
    );
    const e = errorOf(() =>
      parseBotRow(row(BOTS.alpha, 'A', { JWEPublicKey: JWK, KvpConfig: '{"x": "participants["}' })),
    );
    expect(e.code).toBe('E_KVP_PATH_INVALID');
    expect(e.details['key']).toBe('x');
  });
  it('accepts http on loopback only behind allowHttpLoopback', () => {
    const local = row(BOTS.alpha, 'A', {
      AgentAssistWidgetURL: 'http://127.0.0.1:4010/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
    });
    expect(errorOf(() => parseBotRow(local)).message).toContain('allowHttpLoopback');
    expect(parseBotRow(local, { allowHttpLoopback: true }).agentAssistWidgetUrl).toBe(
      'http://127.0.0.1:4010/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
    );
    expect(
      errorOf(() =>
        parseBotRow(row(BOTS.alpha, 'A', { AgentAssistWidgetURL: 'http://evil.example/x.html' }), {
          allowHttpLoopback: true,
        }),
      ).code,
    ).toBe('E_BOT_ROW_INVALID');
  });
  it('throws only KaaError on arbitrary records (fast-check)', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom('true', 'FALSE', '', WIDGET, JWK, GUIDE_KVP, 'RS256', PEM),
      fc.jsonValue(),
    );
    const columns = fc.constantFrom(
      'QueueIdentifier',
      'BotId',
      'ClientId',
      'ClientSecret',
      'AgentAssistWidgetURL',
      'AudiohookEnabled',
      'JWEPublicKey',
      'KvpConfig',
      'Algorithm',
      'RSPrivatePem',
      'isAgentAISDK',
      'sys_Id',
      'clientsecret',
      '__proto__',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.dictionary(columns, cell),
          fc.record({
            QueueIdentifier: cell,
            BotId: cell,
            ClientId: cell,
            ClientSecret: cell,
            AgentAssistWidgetURL: fc.constant(WIDGET),
            AudiohookEnabled: cell,
          }),
          fc.jsonValue(),
        ),
        (value) => {
          expectOnlyKaaError(() => parseBotRow(value));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('resolveBotRecord', () => {
  it('resolves the guide examples (ALPHAINC/_ and "Kore, KoreSupport")', () => {
    expect(resolveBotRecord(QUEUES.alpha.name, ROWS, opts).botId).toBe(BOTS.alpha.botId);
    expect(resolveBotRecord(QUEUES.koreSupport.name, ROWS, opts).botId).toBe(BOTS.kore.botId);
    expect(resolveBotRecord('Kore', ROWS, opts).botId).toBe(BOTS.kore.botId);
    expect(resolveBotRecord(QUEUES.rsa.name, ROWS, opts).algorithm).toBe('RS256');
  });
  it('throws E_QUEUE_NOT_MAPPED with the admin message', () => {
    const e = errorOf(() => resolveBotRecord('ALPHAINC_SALES', [ROWS[1] as BotRow], opts));
    expect(e.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(e.message).toBe(
      'Queue "ALPHAINC_SALES" has no row in data table "kaa_bots" (QueueIdentifier "ALPHAINC", delimiter "_"). Add a row whose QueueIdentifier lists "ALPHAINC".',
    );
    expect(e.details).toMatchObject({ queueName: 'ALPHAINC_SALES', queueIdentifier: 'ALPHAINC', table: 'kaa_bots' });
    expect(errorOf(() => resolveBotRecord(QUEUES.unmapped.name, ROWS, opts)).code).toBe('E_QUEUE_NOT_MAPPED');
  });
  it('hints at case and full-name near misses', () => {
    const rows = [row(BOTS.alpha, 'alphainc'), row(BOTS.kore, 'BETA_SALES_2024')];
    expect(errorOf(() => resolveBotRecord('ALPHAINC_X', rows, opts)).message).toContain('different letter case');
    expect(errorOf(() => resolveBotRecord('BETA_SALES_2024', rows, opts)).message).toContain('fullNameFallback');
    expect(resolveBotRecord('ALPHAINC_X', rows, { ...opts, caseSensitive: false }).botId).toBe(BOTS.alpha.botId);
  });
  it('throws E_QUEUE_AMBIGUOUS naming every row by BotId and sys_Id, never picking the first', () => {
    const e = errorOf(() => resolveBotRecord(QUEUES.duplicate.name, ROWS, opts));
    expect(e.code).toBe('E_QUEUE_AMBIGUOUS');
    expect(e.message).toContain(BOTS.dupe1.botId);
    expect(e.message).toContain(BOTS.dupe2.botId);
    expect(e.message).toContain('row 2');
    expect(e.message).toContain('sys-DUPE, OTHER');
    expect(e.details['rows']).toEqual([
      { rowIndex: 2, botId: BOTS.dupe1.botId, sysId: 'sys-DUPE' },
      { rowIndex: 3, botId: BOTS.dupe2.botId, sysId: 'sys-DUPE, OTHER' },
    ]);
  });
  it('treats identical duplicate rows as one', () => {
    const twin = { ...row(BOTS.dupe1, 'DUPE'), sys_Id: 'other-sys' };
    expect(resolveBotRecord('DUPE_X', [row(BOTS.dupe1, 'DUPE'), twin], opts).botId).toBe(BOTS.dupe1.botId);
  });
  it('applies fullNameFallback first (more specific) and defaultRow last', () => {
    const rows = [row(BOTS.alpha, 'ALPHAINC'), row(BOTS.kore, 'ALPHAINC_SALES'), row(BOTS.rs, 'DEFAULT')];
    expect(resolveBotRecord('ALPHAINC_SALES', rows, opts).botId).toBe(BOTS.alpha.botId);
    expect(resolveBotRecord('ALPHAINC_SALES', rows, { ...opts, fullNameFallback: true }).botId).toBe(BOTS.kore.botId);
    expect(resolveBotRecord('ALPHAINC_OTHER', rows, { ...opts, fullNameFallback: true }).botId).toBe(BOTS.alpha.botId);
    expect(resolveBotRecord('ZED_1', rows, { ...opts, defaultRow: 'DEFAULT' }).botId).toBe(BOTS.rs.botId);
    expect(resolveBotRecord('ZED_1', rows, { ...opts, defaultRow: row(BOTS.dupe1, '*') }).origin.kind).toBe(
      'default-row',
    );
    expect(errorOf(() => resolveBotRecord('ZED_1', rows, { ...opts, defaultRow: 'NOPE' })).message).toContain(
      'routing.defaultRow',
    );
  });
  it('uses a prebuilt index, and a bad row fails only its own queues', () => {
    const rows = [...ROWS, row(BOTS.alpha, 'BROKEN', { AgentAssistWidgetURL: 'ftp://x' })];
    const index = indexBotRows(rows, { tableName: 'kaa_bots' });
    expect(resolveBotRecord(QUEUES.alpha.name, index, { qDelimiter: '_' }).botId).toBe(BOTS.alpha.botId);
    expect(resolveBotRecord(QUEUES.alpha.name, index, { qDelimiter: '_' })).toBe(
      resolveBotRecord(QUEUES.alpha.name, index, { qDelimiter: '_' }),
    );
    const e = errorOf(() => resolveBotRecord('BROKEN_1', index, { qDelimiter: '_' }));
    expect(e.code).toBe('E_BOT_ROW_INVALID');
    expect(e.details['rowIndex']).toBe(5);
    expect(e.message).toContain('kaa_bots');
  });
  it('the first lookup (scan) and later lookups (map) of an index agree (fast-check)', () => {
    const id = fc.constantFrom('A', 'AB', 'B', 'Kore', 'KoreSupport', ' A ', '');
    const cell = fc.array(id, { maxLength: 4 }).map((ids) => ids.join(','));
    fc.assert(
      fc.property(fc.array(fc.oneof(cell, fc.constant(undefined)), { maxLength: 8 }), id, (cells, probe) => {
        const rows = cells.map((c) => (c === undefined ? {} : { QueueIdentifier: c }));
        const key = probe.trim();
        const first = [...indexBotRows(rows).rowsFor(key)];
        const warm = indexBotRows(rows);
        warm.rowsFor('warm-up');
        expect([...warm.rowsFor(key)]).toEqual(first);
        const expected = cells.flatMap((c, i) =>
          c !== undefined &&
          c
            .split(',')
            .map((s) => s.trim())
            .includes(key) &&
          key !== ''
            ? [i]
            : [],
        );
        expect(first).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
  it('resolves in well under 1 ms on a 1,000-row table with a prebuilt index', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(BOTS.alpha, `Q${i}, Z${i}`));
    const index = indexBotRows(rows);
    resolveBotRecord('Z999_X', index, opts);
    const start = performance.now();
    for (let i = 0; i < 1000; i++) resolveBotRecord(`Z${i}_X`, index, opts);
    expect((performance.now() - start) / 1000).toBeLessThan(1);
  });
});

describe('secrets never leak', () => {
  it('no error message, details or lint finding contains ClientSecret or RSPrivatePem (fast-check)', () => {
    const secret = fc.string({ minLength: 6, maxLength: 30 }).map((s) => `S3CR3T-${s.replace(/\s/g, 'x')}`);
    const badChange = fc.constantFrom<Record<string, unknown>>(
      { AudiohookEnabled: 'maybe' },
      { Algorithm: 'RS256', RSPrivatePem: undefined },
      { AgentAssistWidgetURL: 'http://x.example' },
      { JWEPublicKey: '{"kty":"RSA","n":"a","e":"AQAB","d":"priv"}' },
      { KvpConfig: '{"a": "b[" }' },
      { BotId: '' },
      { Algorithm: 'XX' },
    );
    fc.assert(
      fc.property(secret, secret, badChange, fc.boolean(), (clientSecret, pem, change, echo) => {
        const pemText = `-----BEGIN PRIVATE KEY-----\n${pem}\n-----END PRIVATE KEY-----`;
        const planted: Record<string, unknown> = {
          ...row(BOTS.alpha, 'DUPE'),
          ClientSecret: clientSecret,
          RSPrivatePem: pemText,
          ...change,
        };
        // an admin pasting the secret into the wrong column must not leak it either
        if (echo) planted['Algorithm'] = clientSecret;
        const rows = [planted, { ...planted, BotId: 'st-other' }];
        const texts: string[] = [];
        for (const attempt of [
          () => parseBotRow(planted, { rowIndex: 0 }),
          () => resolveBotRecord('DUPE_1', rows, opts),
          () => resolveBotRecord('NONE_1', rows, opts),
        ]) {
          try {
            attempt();
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
            texts.push((e as KaaError).message, JSON.stringify((e as KaaError).toJSON()), String(e));
          }
        }
        for (const f of lintBotTable(rows, { qDelimiter: '_' })) texts.push(JSON.stringify(f));
        expect(texts.length).toBeGreaterThan(2);
        for (const t of texts) {
          expect(t).not.toContain(clientSecret);
          expect(t).not.toContain(pem);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('lintBotTable', () => {
  it('is clean for the guide rows', () => {
    expect(lintBotTable([ROWS[0], ROWS[1], ROWS[4]], { qDelimiter: '_' })).toEqual([]);
  });
  it('finds duplicates, unreachable and overlapping identifiers, case collisions and bad columns', () => {
    const rows: unknown[] = [
      ...ROWS,
      row(BOTS.alpha, 'ALPHAINC_SALES'),
      row(BOTS.kore, 'kore'),
      {
        ...row(BOTS.kore, 'X1', {
          JWEPublicKey: 'nope',
          KvpConfig: '{"a": "p[0"}',
          Algorithm: 'RS256',
          AgentAssistWidgetURL: 'http://x.example/a.html',
          Extra: 1,
        }),
      },
      'not a row',
    ];
    const findings = lintBotTable(rows, { qDelimiter: '_', tableName: 'kaa_bots' });
    const codes = findings.map((f) => `${f.rowIndex}:${f.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        '3:duplicate-identifier',
        '5:identifier-unreachable',
        '6:identifier-case-collision',
        '7:jwe-key-invalid',
        '7:kvp-path-invalid',
        '7:rs-private-pem-missing',
        '7:widget-url-not-https',
        '7:unknown-column',
        '8:row-not-object',
      ]),
    );
    expect(findings.find((f) => f.code === 'duplicate-identifier')).toMatchObject({
      severity: 'error',
      column: 'QueueIdentifier',
    });
    const overlap = lintBotTable(rows, { qDelimiter: '_', fullNameFallback: true }).map(
      (f) => `${f.rowIndex}:${f.code}`,
    );
    expect(overlap).toContain('5:identifier-overlap');
    expect(overlap).not.toContain('5:identifier-unreachable');
  });
  it('reports identical duplicate rows as a warning', () => {
    const findings = lintBotTable([row(BOTS.dupe1, 'DUPE'), { ...row(BOTS.dupe1, 'DUPE'), sys_Id: 'b' }]);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'duplicate-row', rowIndex: 1 })]);
  });
});
