import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { indexBotRows } from '@kaa/core';

// Edges of the bot-table index: rows that are not objects, the cost contract (one scan, one map build, then map
// reads), the order of case-folded matches, and fingerprints (the settings two rows share).

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';

/** An array whose element reads are counted (Array.isArray is true for a proxy of an array). */
function counted(rows: unknown[]): { rows: unknown[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(rows, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { rows: proxy, reads: () => reads };
}

describe('indexBotRows lookups', () => {
  it('skips rows that are not objects or whose QueueIdentifier is not text, in the scan and in the map', () => {
    const rows = [
      null,
      undefined,
      'Kore',
      7,
      { QueueIdentifier: 5 },
      { QueueIdentifier: ' Kore ' },
      { QueueIdentifier: 'A,Kore' },
    ];
    const index = indexBotRows(rows);
    expect(index.rowsFor('Kore')).toEqual([5, 6]); // first lookup: a scan
    expect(index.rowsFor('Kore')).toEqual([5, 6]); // second: the map, keyed by the trimmed identifier
    expect(index.rowsFor('A')).toEqual([6]);
    expect(index.rowsFor(' Kore ')).toEqual([]);
    expect(index.rowsFor('kore', false)).toEqual([5, 6]);
  });

  it('is case-sensitive unless told otherwise', () => {
    const index = indexBotRows([{ QueueIdentifier: 'Kore' }]);
    expect(index.rowsFor('kore')).toEqual([]);
    expect(index.rowsFor('kore')).toEqual([]);
    expect(index.rowsFor('KORE', false)).toEqual([0]);
  });

  it('reads the rows for the first lookup and to build the map on the second; later lookups read no row', () => {
    const table = counted(Array.from({ length: 20 }, (_, i) => ({ QueueIdentifier: `Q${i}` })));
    const index = indexBotRows(table.rows);
    const readsOf = (id: string) => {
      const before = table.reads();
      const found = index.rowsFor(id);
      return { found, reads: table.reads() - before };
    };
    expect(readsOf('Q3')).toEqual({ found: [3], reads: 20 });
    expect(readsOf('Q4')).toEqual({ found: [4], reads: 20 });
    expect(readsOf('Q5')).toEqual({ found: [5], reads: 0 });
    expect(readsOf('Q6')).toEqual({ found: [6], reads: 0 });
  });

  it('lists case-folded matches in row order, each row once, past ten rows', () => {
    const ids = ['kore', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'KORE, Kore', 'Kore', 'y, kore'];
    const index = indexBotRows(ids.map((QueueIdentifier) => ({ QueueIdentifier })));
    expect(index.rowsFor('Kore', false)).toEqual([0, 11, 12, 13]);
    expect(index.rowsFor('kore')).toEqual([0, 13]);
  });

  it('an argument that is not an array indexes nothing', () => {
    const index = indexBotRows(null as unknown as unknown[]);
    expect(index.rows).toEqual([]);
    expect(index.rowsFor('Kore')).toEqual([]);
  });
});

describe('indexBotRows records', () => {
  it('memoises the parse of a bad row and throws the same error each time, with the row index', () => {
    const index = indexBotRows([{ QueueIdentifier: 'Q' }], { tableName: 'kaa_bots' });
    const first = errorOf(() => index.record(0));
    expect(first.details['rowIndex']).toBe(0);
    expect(errorOf(() => index.record(0))).toBe(first);
  });
});

describe('indexBotRows fingerprints', () => {
  const settings = {
    BotId: 'st-1',
    ClientId: 'cs-1',
    ClientSecret: 'zz-secret',
    AgentAssistWidgetURL: WIDGET,
    AudiohookEnabled: 'true',
    JWEPublicKey: '',
    Algorithm: 'HS256',
  };
  const shuffled = (order: number[]) => {
    const entries = Object.entries(settings);
    return Object.fromEntries(order.map((i) => entries[i] as [string, string]));
  };

  it('equal for the same settings whatever the column order, queue and system columns, or padding', () => {
    const rows = [
      { QueueIdentifier: 'A', sys_Id: '1', ...settings },
      { ...shuffled([6, 5, 4, 3, 2, 1, 0]), QueueIdentifier: 'B', sys_Id: '2', _id: 'x' },
      { ...shuffled([3, 0, 6, 1, 5, 2, 4]), Created_On: '2024-01-01' },
      { ...shuffled([1, 3, 5, 0, 2, 4, 6]), BotId: ' st-1 ' },
      { ...settings, BotId: 'st-2' },
    ];
    const index = indexBotRows(rows);
    const prints = rows.map((_, i) => index.fingerprint(i));
    expect(new Set(prints.slice(0, 4)).size).toBe(1);
    expect(prints[4]).not.toBe(prints[0]);
  });

  it('rows without settings (not objects, or only a QueueIdentifier and system columns) share one fingerprint', () => {
    const index = indexBotRows([null, 'ab', 7, { QueueIdentifier: 'Q', sys_Id: '1' }, { BotId: 'st-1' }]);
    const empty = index.fingerprint(3);
    expect([0, 1, 2].map((i) => index.fingerprint(i))).toEqual([empty, empty, empty]);
    expect(index.fingerprint(4)).not.toBe(empty);
  });

  it('rows that cannot be serialised are distinct from every other row', () => {
    const index = indexBotRows([{ BotId: 1n }, { BotId: 1n }, { BotId: 'st-1' }]);
    const prints = [0, 1, 2].map((i) => index.fingerprint(i));
    expect(prints.every((p) => typeof p === 'string' && p !== '')).toBe(true);
    expect(new Set(prints).size).toBe(3);
  });
});
