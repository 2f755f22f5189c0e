import { describe, expect, it } from 'vitest';
import {
  decodeOnce,
  decodeRepeatedly,
  guidePlaceholder,
  isOnlyPlaceholder,
  isWellFormed,
  parseBooleanText,
  readQuery,
  templatePlaceholder,
} from '../src/context/query.js';

/** The widget query reader's helpers (internal to core) at their edges. */

const entries = (input: unknown) =>
  [...readQuery(input)].map(([key, list]) => [key, list.map((e) => [e.name, e.value])]);

describe('readQuery', () => {
  it('keys by lower-cased name, keeps the written names and every value in order', () => {
    expect(entries('?A=1&a=2&b=3')).toEqual([
      [
        'a',
        [
          ['A', '1'],
          ['a', '2'],
        ],
      ],
      ['b', [['b', '3']]],
    ]);
  });

  it('decodes names and values once, keeps +, reads a name without = as an empty value, skips empty parts and names', () => {
    expect(entries('x%5Fy=%2541&p=a+b&flag&&=v&%20=w')).toEqual([
      ['x_y', [['x_y', '%41']]],
      ['p', [['p', 'a+b']]],
      ['flag', [['flag', '']]],
    ]);
    expect(entries('a=b=c')).toEqual([['a', [['a', 'b=c']]]]);
  });

  it('keeps a malformed escape as written', () => {
    expect(entries('a=%E0%A4%A&b=100%')).toEqual([
      ['a', [['a', '%E0%A4%A']]],
      ['b', [['b', '100%']]],
    ]);
  });

  it('reads the part after ? of a URL, ignores the hash, and reads nothing of a URL without a query', () => {
    expect(entries('https://h.example/p?a=1#b=2')).toEqual([['a', [['a', '1']]]]);
    expect(entries('https://h.example/a=1')).toEqual([]);
    expect(entries(' HTTPS://h.example/a=1')).toEqual([]);
    expect(entries('#a=1')).toEqual([]);
    expect(entries('a=1#x?b=2')).toEqual([['a', [['a', '1']]]]);
    expect(entries(new URL('https://h.example/p?a=1#b=2'))).toEqual([['a', [['a', '1']]]]);
  });

  it('drops "amp;" (an HTML-escaped separator) and spaces in front of a name, in any case', () => {
    expect(entries('a=1&amp;b=2&AMP;c=3& amp;d=4')).toEqual([
      ['a', [['a', '1']]],
      ['b', [['b', '2']]],
      ['c', [['c', '3']]],
      ['d', [['d', '4']]],
    ]);
    expect(entries('a=1&clamp;x=2')).toEqual([
      ['a', [['a', '1']]],
      ['clamp;x', [['clamp;x', '2']]],
    ]);
    expect(entries('a=1&ampx=2')).toEqual([
      ['a', [['a', '1']]],
      ['ampx', [['ampx', '2']]],
    ]);
  });

  it('reads URLSearchParams as they are (already decoded), and nothing of other inputs', () => {
    expect(entries(new URLSearchParams([['A', '%41']]))).toEqual([['a', [['A', '%41']]]]);
    expect(entries(42)).toEqual([]);
    expect(entries(undefined)).toEqual([]);
  });
});

describe('decodeRepeatedly / decodeOnce', () => {
  it('decodes up to the given number of times while escapes remain', () => {
    const once = encodeURIComponent('a b');
    const twice = encodeURIComponent(once);
    const thrice = encodeURIComponent(twice);
    expect(decodeRepeatedly(thrice)).toBe(once);
    expect(decodeRepeatedly(thrice, 3)).toBe('a b');
    expect(decodeRepeatedly(twice, 1)).toBe(once);
    expect(decodeRepeatedly(twice, 0)).toBe(twice);
    expect(decodeRepeatedly('a%b')).toBe('a%b');
    expect(decodeRepeatedly('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodeRepeatedly('no escapes + plus')).toBe('no escapes + plus');
  });

  it('decodeOnce keeps malformed input', () => {
    expect(decodeOnce('%2541')).toBe('%41');
    expect(decodeOnce('%')).toBe('%');
  });
});

describe('placeholders', () => {
  it.each([
    ['{{gcLangTag}}', '{{gcLangTag}}'],
    ['{{ gc.Lang_Tag1 }}', '{{ gc.Lang_Tag1 }}'],
    ['{{}}', '{{}}'],
    ['x{{a}}y', '{{a}}'],
    ['{{a b}}', undefined],
    ['{{a-b}}', undefined],
    ['{{a}', undefined],
    ['{a}}', undefined],
    ['{{x{{a}}', '{{a}}'],
    ['{{{a}}', '{{a}}'],
    ['', undefined],
  ])('templatePlaceholder(%j) → %j', (value, found) => {
    expect(templatePlaceholder(value)).toBe(found);
  });

  it.each([
    ['{{a}}', true],
    [' {{a}} ', true],
    ['{{a}}x', false],
    ['x{{a}}', false],
    ['{{a}}{{b}}', false],
    ['{{a', false],
    ['ab}}', false],
    ['{a}}', false],
    ['', false],
  ])('isOnlyPlaceholder(%j) → %s', (value, only) => {
    expect(isOnlyPlaceholder(value)).toBe(only);
  });

  it.each([
    ['<genesys-oauth-Id>', '<genesys-oauth-Id>'],
    ['<>', '<>'],
    ['<a<b>', undefined],
    ['x<a>', undefined],
    ['<a>x', undefined],
    ['<a', undefined],
  ])('guidePlaceholder(%j) → %j', (value, found) => {
    expect(guidePlaceholder(value)).toBe(found);
  });
});

describe('parseBooleanText', () => {
  it.each([
    ['true', true],
    [' TRUE ', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['yes', undefined],
    ['', undefined],
    ['01', undefined],
  ])('%j → %s', (text, value) => {
    expect(parseBooleanText(text)).toBe(value);
  });
});

describe('isWellFormed', () => {
  it.each([
    ['plain', true],
    ['\uD83D\uDE00', true],
    ['\uD83D', false],
    ['\uDE00', false],
    ['a\uD83Db', false],
    ['\uDE00\uD83D', false],
    ['', true],
  ])('%j → %s', (text, ok) => {
    expect(isWellFormed(text)).toBe(ok);
  });
});
