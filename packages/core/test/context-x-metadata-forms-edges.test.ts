import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { parseXMetadata } from '@kaa/core';

/** The pasted forms of x_metadata that parseXMetadata still reads: form encoding, prefixes at any decoding level. */

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6ImNzLTEifQ.c2lnbmF0dXJl';
const JSON_TEXT = JSON.stringify({ datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' } });
const EXPECTED = { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' };

describe('parseXMetadata: pasted forms', () => {
  it.each([
    ['form-encoded spaces between JSON tokens', JSON_TEXT.replace(':{', ':+{')],
    ['a form-encoded space after "x="', `x=+${JSON_TEXT}`],
    ['an "x=" prefix encoded with the JSON', encodeURIComponent(`x=${JSON_TEXT}`)],
    ['a "?x=" prefix encoded twice with the JSON', encodeURIComponent(encodeURIComponent(`?x=${JSON_TEXT}`))],
    ['spaces before an "x=" prefix', `  x=${JSON_TEXT}`],
    ['spaces after an "x=" prefix', `x=  ${JSON_TEXT}`],
    ['spaces around an encoded value', `  ${encodeURIComponent(` ${JSON_TEXT} `)}  `],
  ])('%s', (_, text) => {
    expect(parseXMetadata(text)).toEqual(EXPECTED);
  });

  it('keeps a + inside a value when the JSON reads without changing it', () => {
    const plus = JSON.stringify({ datatable: { name: 'a+b', token: TOKEN } });
    expect(parseXMetadata(plus).name).toBe('a+b');
  });

  it('a form-encoded + is a space only when the JSON does not read as it is', () => {
    const form = `{"datatable":+{"name":"kaa+bots","token":"${TOKEN}"}}`;
    expect(parseXMetadata(form).name).toBe('kaa bots');
    expect(parseXMetadata(`x=+${form}`).name).toBe('kaa bots');
    // percent-encoded JSON with a literal + in a value: decoding keeps it
    expect(parseXMetadata(encodeURIComponent(JSON_TEXT).replace('kaa_bots', 'kaa+bots')).name).toBe('kaa+bots');
  });

  it('"x=" inside a value is kept', () => {
    expect(parseXMetadata(JSON.stringify({ datatable: { name: 'tax=1', token: TOKEN } })).name).toBe('tax=1');
  });

  it('JSON that is not an object is "not JSON" of the guide\'s shape', () => {
    for (const text of ['123', '"x"', encodeURIComponent('[1]')])
      expect(errorOf(() => parseXMetadata(text)).details['problem']).toBe('not JSON');
  });

  it('a token with a typographic character: the exact fix', () => {
    const e = errorOf(() => parseXMetadata(JSON.stringify({ datatable: { name: 't', token: `${TOKEN}\u2019` } })));
    expect(e.message).toBe(
      'Parameter "x_metadata": datatable.token contains characters a JWT cannot contain (only letters, digits, "-", "_" and "." are possible). Copy the Data app token again as plain text (no typographic quotes or other special characters) and rebuild x_metadata.',
    );
  });

  it('an "x=" prefix is only removed at the start', () => {
    expect(errorOf(() => parseXMetadata(` y=${JSON_TEXT}`)).details).toEqual({
      parameter: 'x_metadata',
      problem: 'not JSON',
    });
    expect(errorOf(() => parseXMetadata(`??x=${JSON_TEXT}`)).details['problem']).toBe('not JSON');
  });
});
