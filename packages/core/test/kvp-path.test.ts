import { describe, expect, it } from 'vitest';
import { errorOf, expectOnlyKaaError, readFixture } from '@kaa/test-support';
import fc from 'fast-check';
import { KaaError, compilePath, extractKvp, parseKvpConfig } from '@kaa/core';

const load = (path: string): unknown => readFixture(path);
const callback = load('conversations/conversation_callback_agent_alert_retries.json');
/** The guide's KvpConfig sample. */
const GUIDE_KVP = '{\n"queueName": "participants[0].queueName",\n"callStatus": "participants[0].calls[0].state"\n}';

describe('compilePath', () => {
  const doc = {
    participants: [
      {
        purpose: 'customer',
        attributes: { accountId: 'A-1', 'account id': 'A 2', 'a.b': 'dot' },
        calls: [{ state: 'connected' }],
        n: 3,
      },
      { purpose: 'agent', user: { id: 'u-1' }, queueName: 'ALPHAINC_SALES', held: false },
    ],
  };
  it.each([
    ['participants[0].calls[0].state', 'connected'],
    ['participants[-1].queueName', 'ALPHAINC_SALES'],
    ['participants[purpose=customer].attributes.accountId', 'A-1'],
    ['participants[purpose="customer"].attributes["account id"]', 'A 2'],
    ["participants[purpose='customer'].attributes['a.b']", 'dot'],
    ['participants[user.id=u-1].queueName', 'ALPHAINC_SALES'],
    ['participants[held=false].purpose', 'agent'],
    ['participants[n=3].purpose', 'customer'],
    ['$.participants[1].queueName', 'ALPHAINC_SALES'],
    ['$["participants"][0].n', 3],
    ['  participants[ 0 ].n  ', 3],
  ])('%s → %j', (path, expected) => {
    expect(compilePath(path).evaluate(doc)).toEqual(expected);
  });
  it('returns undefined for paths that do not resolve, never reaching the prototype', () => {
    for (const p of [
      'participants[5].x',
      'participants[-9]',
      'participants[purpose=nobody].x',
      'participants.x',
      'constructor',
      '__proto__',
      'participants[0].n.x',
      'participants[0].toString',
    ]) {
      expect(compilePath(p).evaluate(doc)).toBeUndefined();
    }
    expect(compilePath('$').evaluate(doc)).toBe(doc);
  });
  it.each([
    ['', 0],
    ['participants[0', 14],
    ['participants[0].', 16],
    ['participants..x', 13],
    ['participants[x]', 14],
    ['participants[purpose=]', 21],
    ["participants['open", 13],
    ['a b', 1],
    ['a[-]', 3],
  ])('rejects %j with E_KVP_PATH_INVALID at offset %i', (path, offset) => {
    const e = errorOf(() => compilePath(path, { key: 'callStatus' }));
    expect(e.code).toBe('E_KVP_PATH_INVALID');
    expect(e.details['offset']).toBe(offset);
    expect(e.details['key']).toBe('callStatus');
    expect(e.message).toContain('callStatus');
    expect(e.message).toContain(`character ${offset + 1}`);
  });
  it('no string makes compilePath throw anything but KaaError; evaluate never throws (fast-check)', () => {
    const pathish = fc.stringMatching(/^[\w$.[\]'"=\- ]{0,40}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), pathish, fc.string({ unit: 'binary' })), fc.jsonValue(), (text, json) => {
        try {
          const p = compilePath(text);
          p.evaluate(json);
          p.evaluate(doc);
        } catch (e) {
          expect(e).toBeInstanceOf(KaaError);
          expect((e as KaaError).code).toBe('E_KVP_PATH_INVALID');
        }
      }),
      { numRuns: 1000 },
    );
  });
  it('rejects non-strings and very long paths with KaaError', () => {
    expect(errorOf(() => compilePath(42 as unknown as string)).code).toBe('E_KVP_PATH_INVALID');
    expect(errorOf(() => compilePath('a.'.repeat(600) + 'a')).code).toBe('E_KVP_PATH_INVALID');
  });
});

describe('parseKvpConfig / extractKvp', () => {
  it('extracts the guide sample from the callback fixture, reporting the unresolved call state', () => {
    const result = extractKvp(callback, GUIDE_KVP);
    expect(result.values).toEqual({ queueName: 'Callback_Queue' });
    expect(result.missing).toEqual([
      { key: 'callStatus', path: 'participants[0].calls[0].state', reason: 'unresolved' },
    ]);
  });
  it('keeps non-string values as JSON and omits null', () => {
    const config = parseKvpConfig({
      attrs: 'participants[0].attributes',
      held: 'participants[0].callbacks[0].held',
      gone: 'participants[0].none',
      nil: 'x',
    });
    const result = extractKvp({ ...(callback as object), x: null }, config);
    expect(result.values['held']).toBe(false);
    expect(result.values['attrs']).toMatchObject({ email: 'caller@example.com' });
    expect(result.missing.map((m) => [m.key, m.reason])).toEqual([
      ['gone', 'unresolved'],
      ['nil', 'null'],
    ]);
  });
  it('accepts a double-stringified value and an empty value', () => {
    expect(parseKvpConfig(JSON.stringify(GUIDE_KVP)).entries.map((e) => e.key)).toEqual(['queueName', 'callStatus']);
    expect(parseKvpConfig('  ').entries).toEqual([]);
  });
  it('rejects bad JSON and bad shapes with E_KVP_CONFIG_INVALID, bad paths with E_KVP_PATH_INVALID naming the key', () => {
    expect(errorOf(() => parseKvpConfig('{"queueName": ')).code).toBe('E_KVP_CONFIG_INVALID');
    expect(errorOf(() => parseKvpConfig('["a"]')).code).toBe('E_KVP_CONFIG_INVALID');
    expect(errorOf(() => parseKvpConfig('{"a": 1}')).code).toBe('E_KVP_CONFIG_INVALID');
    const e = errorOf(() => parseKvpConfig('{"callStatus": "participants[0].calls[0"}'));
    expect(e.code).toBe('E_KVP_PATH_INVALID');
    expect(e.details['key']).toBe('callStatus');
  });
  it('does not let a "__proto__" key change the result prototype', () => {
    const result = extractKvp({ a: 'x' }, '{"__proto__": "a"}');
    expect(Object.getPrototypeOf(result.values)).toBe(Object.prototype);
    expect(Object.keys(result.values)).toEqual(['__proto__']);
  });
  it('parseKvpConfig never throws anything but KaaError (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.dictionary(fc.string(), fc.string()).map((d) => JSON.stringify(d)),
        ),
        (text) => {
          expectOnlyKaaError(() => extractKvp(callback, parseKvpConfig(text)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
