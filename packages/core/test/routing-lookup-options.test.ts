import { describe, expect, it } from 'vitest';
import { botLookupOptions, explainThirdPartyLookup, parseSettings } from '@kaa/core';

const THIRD_PARTY_DOCS = 'docs/assumptions.md#third-party-configuration-runtime-api';

/**
 * The one mapping of `routing` settings to bot-lookup options, and the Third-Party explanation, pinned in core's own
 * tests (they were reached only through the CLI's and the page's: mutation testing of core found them unpinned).
 */
describe('botLookupOptions', () => {
  it('carries every routing setting and the table facts, omitting what is absent', () => {
    expect(botLookupOptions(parseSettings({}), { allowHttpLoopback: false })).toEqual({
      caseSensitive: true,
      fullNameFallback: false,
      noQueuePolicy: 'error',
      allowHttpLoopback: false,
    });
    const all = parseSettings({
      routing: { caseSensitive: false, fullNameFallback: true, defaultRow: 'DEFAULT', noQueuePolicy: 'defaultRow' },
    });
    expect(botLookupOptions(all, { qDelimiter: '_', tableName: 'kaa_bots', allowHttpLoopback: true })).toEqual({
      caseSensitive: false,
      fullNameFallback: true,
      defaultRow: 'DEFAULT',
      noQueuePolicy: 'defaultRow',
      allowHttpLoopback: true,
      qDelimiter: '_',
      tableName: 'kaa_bots',
    });
  });

  it('keeps an empty delimiter (the whole queue name is the identifier) rather than dropping it', () => {
    expect(
      botLookupOptions(parseSettings({}), { qDelimiter: '', tableName: '', allowHttpLoopback: false }),
    ).toMatchObject({
      qDelimiter: '',
      tableName: '',
    });
  });
});

describe('explainThirdPartyLookup', () => {
  it('is a coded config error naming the account, the settings to set and the docs anchor', () => {
    const e = explainThirdPartyLookup('6a1c-account');
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toContain('accountId=6a1c-account');
    expect(e.message).toContain('"thirdParty.source": "http"');
    expect(e.message).toContain('kaa table apply');
    expect(e.message).toContain(`Details: ${THIRD_PARTY_DOCS}.`);
    expect(e.details).toEqual({
      key: 'thirdParty.source',
      accountId: '6a1c-account',
      docs: 'docs/assumptions.md#third-party-configuration-runtime-api',
      needs: ['thirdParty.source', 'thirdParty.http.url'],
    });
  });

  it('cuts a pasted account id at 100 characters in the message and the details', () => {
    const long = 'a'.repeat(150);
    const e = explainThirdPartyLookup(long);
    expect(e.details['accountId']).toBe('a'.repeat(100));
    expect(e.message).toContain(`accountId=${'a'.repeat(100)})`);
  });
});
