import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { compilePath, extractKvp, parseKvpConfig } from '@kaa/core';

/**
 * The KvpConfig path language at its edges and the words of its errors: an admin writes these paths in a table cell
 * and reads the message when one is wrong.
 */

const SUFFIX =
  '. Write paths like participants[0].calls[0].state or participants[purpose=customer].attributes.accountId (see the KvpConfig path language in docs/kore-protocol.md#kvpconfig-path-language).';

/** The reason part of a path error, checked against the fixed frame of the message. */
const reasonOf = (path: unknown, options?: { key?: string; column?: string }) => {
  const e = errorOf(() => compilePath(path as string, options));
  expect(e.code).toBe('E_KVP_PATH_INVALID');
  const m = /^(\S+) path "([\s\S]*)"(?: for key "[^"]*")? is invalid at character (\d+): ([\s\S]*)$/.exec(e.message);
  expect(m, e.message).not.toBeNull();
  expect(e.message.endsWith(SUFFIX)).toBe(true);
  return m![4]!.slice(0, -SUFFIX.length);
};

describe('compilePath: the reason in each error', () => {
  it.each([
    ['', 'the path is empty'],
    ['   ', 'the path is empty'],
    ['a b', 'expected "." or "[" but found " "'],
    ['a.', 'expected a name after "."'],
    ['a.#', 'expected a name but found "#"'],
    ['#a', 'expected a name but found "#"'],
    ['a[', 'unclosed "["'],
    ['a[ ', 'unclosed "["'],
    ['a[0', 'unclosed "["'],
    ['a[0 x]', 'expected "]" but found "x"'],
    ['a[-]', 'expected digits after "-"'],
    ['a[-x]', 'expected digits after "-"'],
    ['a[99999999999999999]', 'the index is too large'],
    ['a[#]', 'expected an index, a quoted key or key=value but found "#"'],
    ['a[b.]', 'expected an index, a quoted key or key=value but found "]"'],
    ['a[b', 'unclosed "["'],
    ['a[b.', 'unclosed "["'],
    ['a[b x]', 'expected "=" but found "x"'],
    ['a["b" x]', 'expected "=" but found "x"'],
    ['a["b"', 'unclosed "["'],
    ['a[b=]', 'expected a value after "="'],
    ['a[b=  ]', 'expected a value after "="'],
    ['a[b=c', 'unclosed "["'],
    ['a[b="c" d]', 'expected "]" but found "d"'],
    ['a[b=c[0]]', 'expected "]" but found "["'],
    ['a["b', 'unclosed quote "'],
    ["a[b='c", "unclosed quote '"],
    ['a["b\\', 'unclosed quote "'],
  ])('%j → %s', (path, reason) => {
    expect(reasonOf(path)).toBe(reason);
  });

  it('an unclosed bracket is reported at the end of the path', () => {
    for (const [path, offset] of [
      ['a[b', 3],
      ['a[b=c', 5],
      ['a[b.c', 5],
      ['a[ 12', 5],
    ] as const) {
      expect(errorOf(() => compilePath(path)).details['offset'], path).toBe(offset);
    }
  });

  it('a value that is not text says what it got', () => {
    expect(errorOf(() => compilePath(7 as unknown as string)).details).toEqual({
      path: '',
      offset: 0,
      column: 'KvpConfig',
    });
    expect(reasonOf(42)).toBe('the path is not text (got number)');
    expect(reasonOf(null)).toBe('the path is not text (got null)');
    expect(reasonOf(undefined)).toBe('the path is not text (got undefined)');
  });

  it('accepts a path of 1000 characters, refuses 1001 at character 1001', () => {
    const ok = `a${'.b'.repeat(499)}c`;
    expect(ok).toHaveLength(1000);
    expect(compilePath(ok).steps).toHaveLength(500);
    const e = errorOf(() => compilePath(`${ok}d`));
    expect(e.message).toContain('is invalid at character 1001: the path is longer than 1000 characters.');
    expect(e.details['offset']).toBe(1000);
  });

  it('names the column and the key, and shortens a long path to 117 characters and an ellipsis', () => {
    const e = errorOf(() => compilePath('a b', { key: 'callStatus', column: 'SecureCustomDataConfig' }));
    expect(e.message).toBe(
      `SecureCustomDataConfig path "a b" for key "callStatus" is invalid at character 2: expected "." or "[" but found " "${SUFFIX}`,
    );
    expect(e.details).toEqual({ path: 'a b', offset: 1, column: 'SecureCustomDataConfig', key: 'callStatus' });
    const plain = errorOf(() => compilePath('a b'));
    expect(plain.message.startsWith('KvpConfig path "a b" is invalid at character 2')).toBe(true);
    expect(plain.details).toEqual({ path: 'a b', offset: 1, column: 'KvpConfig' });
    const long120 = `${'x'.repeat(119)} `;
    expect(errorOf(() => compilePath(`${long120}y`)).details['path']).toBe(`${'x'.repeat(117)}…`);
    const exactly120 = `${'x'.repeat(118)} y`;
    expect(errorOf(() => compilePath(exactly120)).details['path']).toBe(exactly120);
  });
});

describe('compilePath: the language', () => {
  const doc = {
    list: [
      { id: 1, tag: 'a', on: true, none: null, inner: { code: 'X' }, arr: ['p'] },
      { id: 2, tag: 'b', on: false, inner: { code: 'Y' } },
      { id: 3, tag: 'c' },
    ],
    'we"ird': 'quoted',
    obj: { '0': 'zero' },
  };
  const at = (path: string) => compilePath(path).evaluate(doc);

  it('negative indexes count from the end, down to the first element', () => {
    expect(at('list[-1].id')).toBe(3);
    expect(at('list[-3].id')).toBe(1);
    expect(at('list[-4]')).toBeUndefined();
    expect(at('list[2].id')).toBe(3);
    expect(at('list[3]')).toBeUndefined();
    expect(at('list[0].id')).toBe(1);
  });

  it('an index or a filter on an object (not an array) finds nothing; a name step past a value finds nothing', () => {
    expect(at('obj[0]')).toBeUndefined();
    expect(at('obj[code=X]')).toBeUndefined();
    expect(at('list[0].id.x')).toBeUndefined();
  });

  it('a filter compares the text of strings, numbers, booleans and null, through nested keys', () => {
    expect(at('list[id=2].tag')).toBe('b');
    expect(at('list[on=false].id')).toBe(2);
    expect(at('list[on=true].id')).toBe(1);
    expect(at('list[none=null].id')).toBe(1);
    expect(at('list[inner.code=Y].id')).toBe(2);
    expect(at('list[inner.code="Y"].id')).toBe(2);
    expect(at('list[inner=Y]')).toBeUndefined();
    expect(at('list[arr=p]')).toBeUndefined();
    expect(at('list[arr.0=p]')).toBeUndefined();
    expect(at('list[tag=z]')).toBeUndefined();
    expect(at('list[inner.missing.deeper=Y]')).toBeUndefined();
  });

  it('a filter value without quotes is trimmed and ends at "]"; quoted values and keys keep spaces and escaped characters', () => {
    expect(compilePath('list[ tag =  b  ].id').steps).toEqual([
      { kind: 'key', key: 'list' },
      { kind: 'filter', keyPath: ['tag'], value: 'b' },
      { kind: 'key', key: 'id' },
    ]);
    expect(compilePath("list[tag=' b\\'c']").steps[1]).toEqual({ kind: 'filter', keyPath: ['tag'], value: " b'c" });
    expect(compilePath('["we\\"ird"]').evaluate(doc)).toBe('quoted');
    expect(compilePath("['we\"ird']").evaluate(doc)).toBe('quoted');
    expect(compilePath('list["tag"=b].id').evaluate(doc)).toBe(2);
    expect(compilePath('list["tag" = "b" ].id').evaluate(doc)).toBe(2);
  });

  it('"$" alone is the whole document; "$" followed by a name is a key called "$…"', () => {
    expect(compilePath(' $ ').evaluate(doc)).toBe(doc);
    expect(compilePath('$x').steps).toEqual([{ kind: 'key', key: '$x' }]);
    expect(compilePath('$[0]').steps).toEqual([{ kind: 'index', index: 0 }]);
    expect(compilePath('$.a').steps).toEqual([{ kind: 'key', key: 'a' }]);
    expect(compilePath('a[\t-2 ]').steps).toEqual([
      { kind: 'key', key: 'a' },
      { kind: 'index', index: -2 },
    ]);
  });

  it('names may hold letters, digits, _, $, @ and -', () => {
    expect(compilePath('a_1.$b.@c.d-e').steps).toEqual(['a_1', '$b', '@c', 'd-e'].map((key) => ({ kind: 'key', key })));
  });

  it('a name step into text finds nothing (not its length); an index into an array-like object finds nothing', () => {
    expect(compilePath('a.length').evaluate({ a: 'abc' })).toBeUndefined();
    expect(compilePath('o[0]').evaluate({ o: { length: 1, 0: 'x' } })).toBeUndefined();
    expect(compilePath('o[-1]').evaluate({ o: { length: 1, 0: 'x' } })).toBeUndefined();
  });

  it('a filter through a nested key skips elements where the key is null or text, and keeps looking', () => {
    const list = [{ a: null }, { a: 'abc' }, { a: { b: 'x' } }];
    expect(compilePath('[a.b=x]').evaluate(list)).toEqual({ a: { b: 'x' } });
    expect(compilePath('[a.length=3]').evaluate(list)).toBeUndefined();
  });

  it('evaluating a primitive or null at the start finds nothing', () => {
    expect(compilePath('a').evaluate(null)).toBeUndefined();
    expect(compilePath('a').evaluate('a')).toBeUndefined();
    expect(compilePath('[0]').evaluate(['x'])).toBe('x');
  });
});

describe('parseKvpConfig: the words of its errors', () => {
  it('a value that is not JSON says where the error is', () => {
    const e = errorOf(() => parseKvpConfig('{"a":1,}', { where: 'row 3 (QueueIdentifier "ALPHA")' }));
    expect(e.code).toBe('E_KVP_CONFIG_INVALID');
    expect(e.message).toBe(
      'KvpConfig of row 3 (QueueIdentifier "ALPHA") is not valid JSON (error at character 8). Write it as stringified JSON, like {"queueName": "participants[0].queueName"}.',
    );
    expect(e.details).toEqual({ column: 'KvpConfig', offset: 7 });
    const later = errorOf(() => parseKvpConfig('{"queueName":1,}'));
    expect(later.message).toContain('is not valid JSON (error at character 16).');
    expect(later.details).toEqual({ column: 'KvpConfig', offset: 15 });
    // a parser message without a position gives none
    const noPosition = errorOf(() => parseKvpConfig('{"a": x}'));
    expect(noPosition.message).toBe(
      'KvpConfig is not valid JSON. Write it as stringified JSON, like {"queueName": "participants[0].queueName"}.',
    );
    expect(noPosition.details).toEqual({ column: 'KvpConfig' });
  });

  it('a doubly stringified value that is not JSON inside is refused too', () => {
    const e = errorOf(() => parseKvpConfig(JSON.stringify('{"a": x}'), { column: 'SecureCustomDataConfig' }));
    expect(e.message.startsWith('SecureCustomDataConfig is not valid JSON')).toBe(true);
  });

  it('a shape that is not {key: path} names what it got', () => {
    const shapeError = (value: unknown) => errorOf(() => parseKvpConfig(value, { column: 'KvpConfig' }));
    const e = shapeError('[1]');
    expect(e.message).toBe(
      'KvpConfig must be a JSON object whose values are path strings, like {"queueName": "participants[0].queueName"}. Fix the KvpConfig value.',
    );
    expect(e.details).toEqual({ column: 'KvpConfig', reason: 'array' });
    expect(shapeError('null').details).toEqual({ column: 'KvpConfig', reason: 'null' });
    expect(shapeError('42').details).toEqual({ column: 'KvpConfig', reason: 'number' });
    expect(shapeError({ a: 1 }).details).toEqual({ column: 'KvpConfig', reason: 'object' });
    expect(shapeError([]).details).toEqual({ column: 'KvpConfig', reason: 'array' });
    expect(
      errorOf(() => parseKvpConfig('[]', { where: 'row 2' })).message.startsWith('KvpConfig of row 2 must be'),
    ).toBe(true);
  });

  it('an object value is used as it is; a blank string is an empty config', () => {
    const config = parseKvpConfig({ q: 'participants[0].queueName' });
    expect(config.raw).toEqual({ q: 'participants[0].queueName' });
    expect(config.entries.map((e) => [e.key, e.path.source])).toEqual([['q', 'participants[0].queueName']]);
    expect(parseKvpConfig('\n\t ')).toEqual({ entries: [], raw: {} });
  });
});

describe('extractKvp', () => {
  it('takes a compiled config, a {key: path} object or its JSON text', () => {
    const conversation = { a: 'x', b: 0, c: '' };
    const expected = { values: { a: 'x', b: 0, c: '' }, missing: [] };
    const raw = { a: 'a', b: 'b', c: 'c' };
    expect(extractKvp(conversation, raw)).toEqual(expected);
    expect(extractKvp(conversation, JSON.stringify(raw))).toEqual(expected);
    expect(extractKvp(conversation, parseKvpConfig(raw))).toEqual(expected);
  });

  it('a config object that merely has "entries" is read as {key: path}, not as a compiled config', () => {
    expect(extractKvp({ x: { y: 1 }, z: 2 }, { entries: 'x.y', raw: 'z' })).toEqual({
      values: { entries: 1, raw: 2 },
      missing: [],
    });
    expect(errorOf(() => extractKvp({}, { entries: [], raw: 'z' } as unknown as Record<string, string>)).code).toBe(
      'E_KVP_CONFIG_INVALID',
    );
    expect(errorOf(() => extractKvp({}, { entries: 'x.y', raw: {} } as unknown as Record<string, string>)).code).toBe(
      'E_KVP_CONFIG_INVALID',
    );
    expect(errorOf(() => extractKvp({}, null as unknown as string)).code).toBe('E_KVP_CONFIG_INVALID');
  });
});
