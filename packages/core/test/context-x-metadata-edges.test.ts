import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { buildXMetadata, parseXMetadata } from '@kaa/core';

/** x_metadata (the data-table token in the widget URL) at its edges, and the exact words an admin reads when it is wrong. */

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6ImNzLTEifQ.c2lnbmF0dXJl';
const json = (datatable: unknown) => JSON.stringify({ datatable });

describe('parseXMetadata: how far it decodes', () => {
  it('reads JSON URL-encoded up to three times, not four', () => {
    let text = json({ name: 't', token: TOKEN, qDelimiter: '_' });
    for (let i = 0; i < 3; i++) text = encodeURIComponent(text);
    expect(parseXMetadata(text)).toEqual({ name: 't', token: TOKEN, qDelimiter: '_' });
    const e = errorOf(() => parseXMetadata(encodeURIComponent(text)));
    expect(e.details).toEqual({ parameter: 'x_metadata', problem: 'not JSON' });
  });

  it('drops an "x=" prefix with or without "?"', () => {
    expect(parseXMetadata(`x=${encodeURIComponent(json({ name: 't', token: TOKEN }))}`).name).toBe('t');
    expect(parseXMetadata(`?x=${json({ name: 't', token: TOKEN })}`).name).toBe('t');
  });

  it('says what shape it expected, never echoing the value', () => {
    const notJson = errorOf(() => parseXMetadata(`${TOKEN} is here`));
    expect(notJson.message).toBe(
      'Parameter "x_metadata" is not the URL-encoded JSON {"datatable":{"name":…,"token":…,"qDelimiter":…}}. Rebuild it with encodeURIComponent(JSON.stringify({datatable:{name, token, qDelimiter}})) and paste the result after "x_metadata=".',
    );
    const noTable = errorOf(() => parseXMetadata(JSON.stringify({ table: { token: TOKEN } })));
    expect(noTable.message).toBe(
      'Parameter "x_metadata" is JSON but has no "datatable" object. The guide\'s shape is {"datatable":{"name":<data table name>,"token":<JWT>,"qDelimiter":"_"}}; rebuild x_metadata in that shape.',
    );
    expect(noTable.details).toEqual({ parameter: 'x_metadata', problem: 'no datatable object' });
  });
});

describe('parseXMetadata: the fields', () => {
  it('trims name and token; a null qDelimiter means none', () => {
    expect(parseXMetadata(json({ name: ' t ', token: ` ${TOKEN}\n`, qDelimiter: null }))).toEqual({
      name: 't',
      token: TOKEN,
      qDelimiter: '',
    });
  });

  it('a qDelimiter is one character, also outside the basic plane; two are refused with the count', () => {
    expect(parseXMetadata(json({ name: 't', token: TOKEN, qDelimiter: '😀' })).qDelimiter).toBe('😀');
    const e = errorOf(() => parseXMetadata(json({ name: 't', token: TOKEN, qDelimiter: '😀😀' })));
    expect(e.message).toBe(
      'Parameter "x_metadata": datatable.qDelimiter is 2 characters long; it must be a single character. Set "qDelimiter" to the one character that ends the QueueIdentifier in your queue names, e.g. "_" for "ALPHAINC_CUSTOMERSERVICE".',
    );
    expect(e.details).toEqual({
      parameter: 'x_metadata',
      field: 'datatable.qDelimiter',
      problem: 'is 2 characters long; it must be a single character',
    });
  });

  it('each field error names the field and the fix', () => {
    const message = (datatable: unknown) => errorOf(() => parseXMetadata(json(datatable))).message;
    expect(message({ name: 5, token: TOKEN })).toBe(
      'Parameter "x_metadata": datatable.name is missing or empty. Put the Kore Data Table name (Data > Data Tables) in "name".',
    );
    expect(message({ name: 't', token: 5 })).toBe(
      'Parameter "x_metadata": datatable.token is missing or empty. Put a JWT of a Data app with read access to the table in "token".',
    );
    expect(message({ name: 't', token: `${TOKEN}\t${TOKEN}` })).toBe(
      'Parameter "x_metadata": datatable.token contains spaces or line breaks. Paste the JWT as one line without spaces.',
    );
    expect(message({ name: 't', token: TOKEN, qDelimiter: true })).toBe(
      'Parameter "x_metadata": datatable.qDelimiter is not a string. Set "qDelimiter" to the one character that ends the QueueIdentifier in your queue names, e.g. "_".',
    );
  });
});

describe('buildXMetadata', () => {
  it('refuses a broken Unicode character in any field, naming the field and the fix, without the token', () => {
    for (const [datatable, field, words] of [
      [
        { name: 't\ud800', token: TOKEN, qDelimiter: '_' },
        'datatable.name',
        'a broken Unicode character (a lone surrogate). Retype the Kore Data Table name',
      ],
      [{ name: 't', token: `${TOKEN}\udc00`, qDelimiter: '_' }, 'datatable.token', 'characters a JWT cannot contain'],
      [
        { name: 't', token: TOKEN, qDelimiter: '\ud800' },
        'datatable.qDelimiter',
        'a broken Unicode character (a lone surrogate). Set "qDelimiter"',
      ],
    ] as const) {
      const e = errorOf(() => buildXMetadata(datatable));
      expect(e.code).toBe('E_XMETADATA_INVALID');
      expect(e.message).toContain(`Parameter "x_metadata": ${field} contains ${words}`);
      expect(e.message).not.toContain(TOKEN);
      expect(e.details).toMatchObject({ parameter: 'x_metadata', field });
    }
  });

  it('writes the trimmed values', () => {
    expect(
      JSON.parse(decodeURIComponent(buildXMetadata({ name: ' t ', token: ` ${TOKEN} `, qDelimiter: '-' }))),
    ).toEqual({ datatable: { name: 't', token: TOKEN, qDelimiter: '-' } });
  });
});
