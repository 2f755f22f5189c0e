import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { botLookupFromRows, indexBotRows, queueIdentifierOf, resolveBotRecord, staticBotSource } from '@kaa/core';
import type { BotRow, QueueRef } from '@kaa/core';

// Edges of choosing a bot for a queue: the exact words and details of E_QUEUE_NOT_MAPPED / E_QUEUE_AMBIGUOUS /
// E_NO_QUEUE, which setting wins, and secrets planted in the rows those messages name.
const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const row = (queueIdentifier: string | undefined, botId: unknown, extra: Record<string, unknown> = {}): BotRow => ({
  ...(queueIdentifier !== undefined && { QueueIdentifier: queueIdentifier }),
  BotId: botId as string,
  ClientId: `cs-${String(botId)}`,
  ClientSecret: `secret-of-${String(botId)}`,
  AgentAssistWidgetURL: WIDGET,
  AudiohookEnabled: 'false',
  JWEPublicKey: '',
  ...extra,
});
const TAIL =
  'A QueueIdentifier may be listed in only one row: remove it from all rows but the one whose bot should assist this queue.';

describe('resolveBotRecord: E_QUEUE_NOT_MAPPED', () => {
  it('names the table, identifier and delimiter, then one hint per near miss (capitalised, space-separated)', () => {
    const rows = [row('alpha', 'st-1', { sys_Id: 's1' }), row('ALPHA_SALES', 'st-2')];
    const e = errorOf(() => resolveBotRecord('ALPHA_SALES', rows, { qDelimiter: '_', fullNameFallback: false }));
    expect(e.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(e.message).toBe(
      'Queue "ALPHA_SALES" has no row in data table "the Kore data table" (QueueIdentifier "ALPHA", delimiter "_"). ' +
        'Add a row whose QueueIdentifier lists "ALPHA". ' +
        'Row 0 (QueueIdentifier "alpha", sys_Id "s1") lists "ALPHA" in a different letter case; matching is case-sensitive (routing.caseSensitive), so fix the case in the row. ' +
        'Row 1 (QueueIdentifier "ALPHA_SALES") lists the full queue name "ALPHA_SALES", which only matches with routing.fullNameFallback on; list "ALPHA" instead.',
    );
    expect(e.details).toEqual({
      queueName: 'ALPHA_SALES',
      queueIdentifier: 'ALPHA',
      table: 'the Kore data table',
      qDelimiter: '_',
      rows: 2,
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('says "no delimiter" when qDelimiter is %s, and details.qDelimiter is null only when absent', (_, qDelimiter) => {
    const e = errorOf(() =>
      resolveBotRecord('ZED_1', [row('A', 'st-1')], {
        ...(qDelimiter !== undefined && { qDelimiter }),
        tableName: 't',
      }),
    );
    expect(e.message).toBe(
      'Queue "ZED_1" has no row in data table "t" (QueueIdentifier "ZED_1", no delimiter). Add a row whose QueueIdentifier lists "ZED_1".',
    );
    expect(e.details['qDelimiter']).toBe(qDelimiter ?? null);
  });

  it('redacts the ClientSecret of a hinted row (a secret pasted into its QueueIdentifier cell)', () => {
    const caseRow = row('alpha, secret-of-st-1', 'st-1');
    const fullRow = row('ALPHA_SALES, secret-of-st-2', 'st-2');
    const e = errorOf(() => resolveBotRecord('ALPHA_SALES', [caseRow, fullRow], { qDelimiter: '_' }));
    expect(e.message).toContain('Row 0 (QueueIdentifier');
    expect(e.message).toContain('Row 1 (QueueIdentifier');
    expect(e.message).not.toContain('secret-of-st-1');
    expect(e.message).not.toContain('secret-of-st-2');
  });

  it('hints at a full-name row when routing.fullNameFallback is explicitly false, and not when it is on', () => {
    const rows = [row('ALPHA_SALES', 'st-2')];
    const off = errorOf(() => resolveBotRecord('ALPHA_SALES', rows, { qDelimiter: '_', fullNameFallback: false }));
    expect(off.message).toContain('only matches with routing.fullNameFallback on; list "ALPHA" instead.');
    expect(resolveBotRecord('ALPHA_SALES', rows, { qDelimiter: '_', fullNameFallback: true }).botId).toBe('st-2');
  });

  it('a default row that no QueueIdentifier lists is its own E_QUEUE_NOT_MAPPED', () => {
    const e = errorOf(() =>
      resolveBotRecord('ZED_1', [row('A', 'st-1')], { qDelimiter: '_', defaultRow: 'DEFAULT', tableName: 'kaa_bots' }),
    );
    expect(e.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(e.message).toBe(
      'Queue "ZED_1" has no row in data table "kaa_bots" (QueueIdentifier "ZED", delimiter "_"), and the default row "DEFAULT" (routing.defaultRow) is not listed in any QueueIdentifier either. Add a row for "ZED", or fix routing.defaultRow.',
    );
    expect(e.details).toEqual({ queueName: 'ZED_1', queueIdentifier: 'ZED', table: 'kaa_bots', defaultRow: 'DEFAULT' });
  });
});

describe('resolveBotRecord: which row wins', () => {
  const rows = [row('ALPHA', 'st-alpha'), row('ALPHA_SALES', 'st-full'), row('DEFAULT', 'st-default')];

  it('the default row only when nothing matches; its name is trimmed', () => {
    const options = { qDelimiter: '_', defaultRow: ' DEFAULT ' };
    expect(resolveBotRecord('ALPHA_X', rows, options).botId).toBe('st-alpha');
    expect(resolveBotRecord('ZED_X', rows, options).botId).toBe('st-default');
  });

  it('the full queue name is trimmed before it is looked up', () => {
    expect(resolveBotRecord('  ALPHA_SALES  ', rows, { qDelimiter: '_', fullNameFallback: true }).botId).toBe(
      'st-full',
    );
  });

  it('the table name of the options wins over the prebuilt index, which wins over the default words', () => {
    const index = indexBotRows([row('A', 'st-1')], { tableName: 'from_index' });
    expect(errorOf(() => resolveBotRecord('B', index, { tableName: 'from_options' })).details['table']).toBe(
      'from_options',
    );
    expect(errorOf(() => resolveBotRecord('B', index)).details['table']).toBe('from_index');
  });
});

describe('resolveBotRecord: E_QUEUE_AMBIGUOUS', () => {
  it.each([
    {
      how: 'by QueueIdentifier (queue name with a delimiter)',
      queue: 'ALPHA_SALES',
      listed: 'ALPHA',
      options: { qDelimiter: '_' },
      words: 'by QueueIdentifier "ALPHA"',
    },
    {
      how: 'by QueueIdentifier (full name = identifier, fullNameFallback on)',
      queue: 'ALPHA',
      listed: 'ALPHA',
      options: { qDelimiter: '_', fullNameFallback: true },
      words: 'by QueueIdentifier "ALPHA"',
    },
    {
      how: 'by full queue name',
      queue: 'ALPHA_SALES',
      listed: 'ALPHA_SALES',
      options: { qDelimiter: '_', fullNameFallback: true },
      words: 'by full queue name "ALPHA_SALES"',
    },
    {
      how: 'by default row',
      queue: 'ZED_1',
      listed: 'DEFAULT',
      options: { qDelimiter: '_', defaultRow: 'DEFAULT' },
      words: 'by default row "DEFAULT"',
    },
  ])('says which setting matched: $how', ({ queue, listed, options, words }) => {
    const rows = [row(listed, 'st-1', { sys_Id: 's1' }), row(listed, 'st-2', { sys_Id: 's2' })];
    const e = errorOf(() => resolveBotRecord(queue, rows, options));
    expect(e.code).toBe('E_QUEUE_AMBIGUOUS');
    expect(e.message).toBe(
      `Queue "${queue}" matches 2 rows of data table "the Kore data table" ${words}: ` +
        `row 0 (QueueIdentifier "${listed}", sys_Id "s1") with BotId "st-1"; row 1 (QueueIdentifier "${listed}", sys_Id "s2") with BotId "st-2". ${TAIL}`,
    );
  });

  it('names each row by trimmed BotId (cut after 77 characters when over 80, "(none)" when missing) and sys_Id or _id', () => {
    const id80 = `st-${'a'.repeat(77)}`;
    const id81 = `st-${'b'.repeat(78)}`;
    const rows = [
      row('DUPE', ' st-spaced ', { sys_Id: 7 }),
      row('DUPE', id80, { _id: 'mongo-1' }),
      row('DUPE', id81),
      row('DUPE', undefined),
    ];
    const e = errorOf(() => resolveBotRecord('DUPE', rows));
    expect(e.details['rows']).toStrictEqual([
      { rowIndex: 0, botId: 'st-spaced', sysId: '7' },
      { rowIndex: 1, botId: id80, sysId: 'mongo-1' },
      { rowIndex: 2, botId: `${id81.slice(0, 77)}…`, sysId: undefined },
      { rowIndex: 3, botId: '(none)', sysId: undefined },
    ]);
    expect(e.details['matchedRows']).toBe(4);
    expect(e.message).toContain(`with BotId "${id80}";`);
    expect(e.message).toContain('row 3 (QueueIdentifier "DUPE") with BotId "(none)"');
  });

  it('redacts the ClientSecret of a named row, even when it was pasted into the BotId cell', () => {
    const leaky = { ...row('DUPE', 'st-1'), BotId: 'pasted-secret-value', ClientSecret: 'pasted-secret-value' };
    const e = errorOf(() => resolveBotRecord('DUPE', [leaky, row('DUPE', 'st-2')]));
    expect(e.code).toBe('E_QUEUE_AMBIGUOUS');
    expect(JSON.stringify({ message: e.message, details: e.details })).not.toContain('pasted-secret-value');
  });
});

describe('queueIdentifierOf edges', () => {
  it('an empty or absent delimiter is no delimiter, whatever the name holds', () => {
    expect(queueIdentifierOf(' ALPHA_SALES ', '')).toBe('ALPHA_SALES');
    expect(queueIdentifierOf('QUEUE_undefined_1')).toBe('QUEUE_undefined_1');
  });
  it.each([
    ['a blank name', '  ', '  '],
    ['a name that is not a string', 42, null],
  ])('%s is E_NO_QUEUE with the admin remedy', (_, name, detail) => {
    const e = errorOf(() => queueIdentifierOf(name as string, '_'));
    expect(e.code).toBe('E_NO_QUEUE');
    expect(e.message).toBe(
      'The interaction has no queue name, so no bot row can be chosen. Route the interaction through a queue, or configure a default bot row (routing.defaultRow).',
    );
    expect(e.details).toEqual({ queueName: detail });
  });
});

describe('botLookupFromRows edges', () => {
  const rows = [row('A', 'st-a'), row('DEFAULT', 'st-default')];

  it('describes itself by the table of the options, else of the prebuilt index, else without a name', () => {
    const index = indexBotRows(rows, { tableName: 'from_index' });
    expect(botLookupFromRows(index).description).toBe('Kore data table "from_index" (2 rows)');
    expect(botLookupFromRows(index, { tableName: 'kaa_bots' }).description).toBe('Kore data table "kaa_bots" (2 rows)');
    expect(botLookupFromRows(rows).description).toBe('Kore data table (2 rows)');
    expect(botLookupFromRows(rows, { description: 'cached kaa_bots' }).description).toBe('cached kaa_bots');
  });

  it('uses the default row for a queue without a (non-blank) name only under noQueuePolicy "defaultRow"', () => {
    const policy = botLookupFromRows(rows, { defaultRow: 'DEFAULT', noQueuePolicy: 'defaultRow' });
    expect(policy.forQueue({ name: '   ' })).toMatchObject({ botId: 'st-default' });
    expect(policy.forQueue(undefined as unknown as QueueRef)).toMatchObject({ botId: 'st-default' });
    expect(policy.forQueue({ name: 'A' })).toMatchObject({ botId: 'st-a' });

    const noPolicy = botLookupFromRows(rows, { defaultRow: 'DEFAULT' });
    const e = errorOf(() => noPolicy.forQueue({ id: 'q-1' }));
    expect(e.code).toBe('E_NO_QUEUE');
    expect(e.message).toBe(
      'The interaction\'s queue "q-1" has no name in the conversation, and the Kore data table (2 rows) is keyed by queue name. Check that the agent participant carries queueName, or set routing.noQueuePolicy to "defaultRow" with routing.defaultRow.',
    );
    // the policy without a default row still raises E_NO_QUEUE
    const noDefault = botLookupFromRows(rows, { noQueuePolicy: 'defaultRow' });
    expect(errorOf(() => noDefault.forQueue({})).code).toBe('E_NO_QUEUE');
  });

  it('the default row for a nameless queue keeps the routing settings (case-insensitive) and takes no delimiter', () => {
    const lookup = botLookupFromRows([row('A', 'st-a'), row('DEFAULT_ROW', 'st-default')], {
      qDelimiter: '_',
      caseSensitive: false,
      defaultRow: 'default_row',
      noQueuePolicy: 'defaultRow',
    });
    expect(lookup.forQueue({})).toMatchObject({ botId: 'st-default' });
  });

  it('a literal default row is parsed as a default row', () => {
    const lookup = botLookupFromRows(rows, { defaultRow: row('X', 'st-literal'), noQueuePolicy: 'defaultRow' });
    expect(lookup.forQueue({})).toMatchObject({ botId: 'st-literal', origin: { kind: 'default-row' } });
  });
});

describe('staticBotSource edges', () => {
  const LOOPBACK = 'http://127.0.0.1:8080/widget.html';

  it('a trimmed, unknown name is E_QUEUE_NOT_MAPPED naming the source and the key to add', async () => {
    const lookup = await staticBotSource({ K: row(undefined, 'st-k') }).load({});
    const e = errorOf(() => lookup.forQueue({ name: ' Nope ' }));
    expect(e.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(e.message).toBe(
      'Queue "Nope" has no entry in the static bot mapping (1 queues). Add an entry keyed by the full queue name "Nope".',
    );
    expect(e.details).toEqual({ queueName: 'Nope', source: 'third-party' });
  });

  it('a nameless or missing queue is E_NO_QUEUE with the queue id, if any', async () => {
    const lookup = await staticBotSource({ K: row(undefined, 'st-k') }).load();
    const blank = errorOf(() => lookup.forQueue({ id: 'q-9', name: '  ' }));
    expect(blank.code).toBe('E_NO_QUEUE');
    expect(blank.message).toBe(
      'The interaction\'s queue "q-9" has no name in the conversation, and the static bot mapping (1 queues) is keyed by queue name. Check that the agent participant carries queueName, or configure routing.defaultRow.',
    );
    expect(blank.details).toEqual({ queueId: 'q-9' });
    const none = errorOf(() => lookup.forQueue(undefined as unknown as QueueRef));
    expect(none.message).toBe(
      'The interaction has no queue (a direct or outbound interaction), so the static bot mapping (1 queues) cannot choose a bot. Route it through a queue, or configure routing.defaultRow.',
    );
    expect(none.details).toEqual({ queueId: null });
  });

  it("keeps an entry's own QueueIdentifier, parses it once, and reports an entry that is not a row as a bad row", async () => {
    const lookup = await staticBotSource({
      KoreSupport: row('Kore, KoreSupport', 'st-k'),
      Plain: row(undefined, 'st-p'),
      Broken: null as unknown as BotRow,
      BareBotId: 'st-bare' as unknown as BotRow,
    }).load();
    const first = await lookup.forQueue({ name: 'KoreSupport' });
    expect(first.queueIdentifiers).toEqual(['Kore', 'KoreSupport']);
    expect(await lookup.forQueue({ name: ' KoreSupport ' })).toBe(first);
    expect((await lookup.forQueue({ name: 'Plain' })).queueIdentifiers).toEqual(['Plain']);
    expect(errorOf(() => lookup.forQueue({ name: 'Broken' })).code).toBe('E_BOT_ROW_INVALID');
    // a bare BotId where a row belongs: the message says the entry is not a row, not which columns it lacks
    const bare = errorOf(() => lookup.forQueue({ name: 'BareBotId' }));
    expect(bare.code).toBe('E_BOT_ROW_INVALID');
    expect(bare.message).toContain('is not an object of columns (got string)');
  });

  it('accepts an http loopback widget URL only with allowHttpLoopback', async () => {
    const map = { Local: { ...row(undefined, 'st-l'), AgentAssistWidgetURL: LOOPBACK } };
    const allowed = await staticBotSource(map, { allowHttpLoopback: true }).load();
    expect((await allowed.forQueue({ name: 'Local' })).agentAssistWidgetUrl).toBe(LOOPBACK);
    for (const options of [{}, { allowHttpLoopback: false }]) {
      const strict = await staticBotSource(map, options).load();
      expect(errorOf(() => strict.forQueue({ name: 'Local' })).code).toBe('E_BOT_ROW_INVALID');
    }
  });

  it('a cancelled load says so', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await staticBotSource({}, { description: 'map X' })
      .load({ signal: controller.signal })
      .then(
        () => undefined,
        (err: unknown) => err as { code: string; message: string; details: unknown },
      );
    expect(e).toMatchObject({
      code: 'E_BOT_SOURCE_UNAVAILABLE',
      message: 'Loading the map X was cancelled.',
      details: { reason: 'aborted' },
    });
  });
});
