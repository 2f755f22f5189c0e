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
    ['spaces around an encoded value', `  ${encodeURIComponent(` ${JSON_TEXT} `)}  `],
  ])('%s', (_, text) => {
    expect(parseXMetadata(text)).toEqual(EXPECTED);
  });

  it('keeps a + inside a value when the JSON reads without changing it', () => {
    const plus = JSON.stringify({ datatable: { name: 'a+b', token: TOKEN } });
    expect(parseXMetadata(plus).name).toBe('a+b');
  });

  it('an "x=" prefix is only removed at the start', () => {
    expect(errorOf(() => parseXMetadata(` y=${JSON_TEXT}`)).details).toEqual({
      parameter: 'x_metadata',
      problem: 'not JSON',
    });
    expect(errorOf(() => parseXMetadata(`??x=${JSON_TEXT}`)).details['problem']).toBe('not JSON');
  });
});
