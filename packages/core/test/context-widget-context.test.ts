import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf, errorOf, readFixture } from '@kaa/test-support';
import { KaaError, UUID_PATTERN, parseWidgetContext, widgetContextToSearchParams } from '@kaa/core';

const conversationFixture = readFixture<{ entities: { id: string }[] }>(
  'conversations/conversations_calls_active_voice.json',
);
const CONV = conversationFixture.entities[0]!.id; // a real (anonymised) conversation id
const CLIENT = 'c1a00000-0000-4000-8000-00000000000b';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6ImNzLWRhdGEifQ.c2lnbmF0dXJlLXNlY3JldA';
const XMETA_JSON = JSON.stringify({ datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' } });

/** The Kore guide's Application URL with Genesys' substitutions applied. */
function guideUrl(extra = ''): string {
  return `https://kaa.example.com/koreaiaa-genesys/?conversationid=${CONV}&lang=en-us&environment=https://apps.mypurecloud.ie&genesysid=${CLIENT}${extra}`;
}

describe("parseWidgetContext: the guide's Application URL", () => {
  it("reads the guide's data-table URL (multibot=true&x_metadata=<URL-encoded JSON>)", () => {
    const ctx = parseWidgetContext(
      guideUrl(
        `&x_passthru_metadata=abc&showWidget=true&sendEventsToVG=false&multibot=true&x_metadata=${encodeURIComponent(XMETA_JSON)}`,
      ),
    );
    expect(ctx).toEqual({
      conversationId: CONV,
      hostOrigin: 'https://apps.mypurecloud.ie',
      lang: 'en-us',
      genesysClientId: CLIENT,
      showWidget: true,
      sendEventsToVG: false,
      debug: false,
      passthruMetadata: 'abc',
      botSource: { kind: 'kore-data-table', datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' } },
      otherParams: {},
    });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(Object.isFrozen(ctx.botSource)).toBe(true);
  });

  it('reads the third-party (accountId) and legacy forms', () => {
    expect(parseWidgetContext(guideUrl('&accountId=6a1c0000-0000-4000-8000-0000000000ac')).botSource).toEqual({
      kind: 'third-party',
      accountId: '6a1c0000-0000-4000-8000-0000000000ac',
    });
    expect(parseWidgetContext(guideUrl()).botSource).toEqual({ kind: 'genesys-legacy-table' });
  });

  it('gives the Kore Data Table precedence over accountId (docs/kore-protocol.md#bot-sources-and-modes)', () => {
    const ctx = parseWidgetContext(
      guideUrl(`&accountId=acc-1&multibot=true&x_metadata=${encodeURIComponent(XMETA_JSON)}`),
    );
    expect(ctx.botSource.kind).toBe('kore-data-table');
    expect(
      parseWidgetContext(guideUrl(`&accountId=acc-1&multibot=false&x_metadata=${encodeURIComponent(XMETA_JSON)}`))
        .botSource,
    ).toEqual({ kind: 'third-party', accountId: 'acc-1' });
  });

  it('accepts a URL, a query string with or without ?, and URLSearchParams', () => {
    const url = guideUrl('&gcTargetEnv=prod-euw1');
    const expected = parseWidgetContext(url);
    expect(parseWidgetContext(new URL(url))).toEqual(expected);
    expect(parseWidgetContext(url.slice(url.indexOf('?')))).toEqual(expected);
    expect(parseWidgetContext(url.slice(url.indexOf('?') + 1))).toEqual(expected);
    expect(parseWidgetContext(new URL(url).searchParams)).toEqual(expected);
    expect(expected.targetEnv).toBe('prod-euw1');
  });

  it('matches parameter names case-insensitively and accepts the aliases', () => {
    const ctx = parseWidgetContext(
      `?ConversationId=${CONV}&GCHOSTORIGIN=https%3A%2F%2Fapps.mypurecloud.de&GenesysId=${CLIENT}&gcUsePopupAuth=TRUE&GCTARGETENV=prod-euc1&Grant=Implicit&DEBUG=1&MultiBot=True&X_Metadata=${encodeURIComponent(XMETA_JSON)}`,
    );
    expect(ctx.hostOrigin).toBe('https://apps.mypurecloud.de');
    expect(ctx.usePopupAuth).toBe(true);
    expect(ctx.targetEnv).toBe('prod-euc1');
    expect(ctx.grant).toBe('implicit');
    expect(ctx.debug).toBe(true);
    expect(ctx.botSource.kind).toBe('kore-data-table');
    expect(parseWidgetContext(guideUrl('&gcTargeEnv=prod-euw1')).targetEnv).toBe('prod-euw1'); // the common misspelling
    expect(
      parseWidgetContext(`?conversationid=${CONV}&pcEnvironment=mypurecloud.ie&genesysid=${CLIENT}`).hostOrigin,
    ).toBe('mypurecloud.ie');
  });

  it('reads a URL copied from HTML with &amp; separators and spaces around names', () => {
    const ctx = parseWidgetContext(
      guideUrl('&amp;showWidget=true')
        .replaceAll('&', '&amp;')
        .replace('&amp;amp;', '&amp;')
        .replace('?conversationid', '? conversationid '),
    );
    expect(ctx.conversationId).toBe(CONV);
    expect(ctx.showWidget).toBe(true);
    expect(ctx.otherParams).toEqual({});
  });

  it('accepts true/True/TRUE/1 and false/0, with whitespace', () => {
    for (const t of ['true', 'True', 'TRUE', '1', '%20true%20'])
      expect(parseWidgetContext(guideUrl(`&showWidget=${t}`)).showWidget).toBe(true);
    for (const f of ['false', 'False', '0'])
      expect(parseWidgetContext(guideUrl(`&sendEventsToVG=${f}`)).sendEventsToVG).toBe(false);
    expect(parseWidgetContext(guideUrl('&debug=true')).debug).toBe(true);
    expect(parseWidgetContext(guideUrl('&debug=0')).debug).toBe(false);
  });

  it('decodes values URL-encoded once or twice', () => {
    const once = encodeURIComponent(XMETA_JSON);
    const twice = encodeURIComponent(once);
    const ctx = parseWidgetContext(
      `?conversationid=${CONV}&environment=${encodeURIComponent(encodeURIComponent('https://apps.mypurecloud.ie'))}&genesysid=${CLIENT}&lang=en%252Dus&multibot=true&x_metadata=${twice}`,
    );
    expect(ctx.hostOrigin).toBe('https://apps.mypurecloud.ie');
    expect(ctx.lang).toBe('en-us');
    expect(ctx.botSource).toEqual({
      kind: 'kore-data-table',
      datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' },
    });
    // raw JSON pasted unencoded (the admin skipped the urlencoder step) still works
    expect(parseWidgetContext(guideUrl(`&multibot=true&x_metadata=${XMETA_JSON}`)).botSource.kind).toBe(
      'kore-data-table',
    );
  });

  it('keeps x_passthru_metadata as the original string, + and = included', () => {
    const b64 = 'eyJhIjoxfQ+/ab==';
    expect(parseWidgetContext(guideUrl(`&x_passthru_metadata=${b64}`)).passthruMetadata).toBe(b64);
    const urlJson = encodeURIComponent('{"customer":"Ann Lee"}');
    // one level of URL decoding (by the query parser), no more: the bot JSON.parses internalMetaData
    expect(parseWidgetContext(guideUrl(`&x_passthru_metadata=${encodeURIComponent(urlJson)}`)).passthruMetadata).toBe(
      urlJson,
    );
  });

  it('keeps braces that are part of a value (a data table named "{{team}}" is not a placeholder)', () => {
    const x = encodeURIComponent(JSON.stringify({ datatable: { name: '{{team}}', token: TOKEN, qDelimiter: '_' } }));
    expect(parseWidgetContext(guideUrl(`&multibot=true&x_metadata=${x}`)).botSource).toMatchObject({
      datatable: { name: '{{team}}' },
    });
    expect(
      parseWidgetContext(guideUrl('&x_passthru_metadata=%7B%22a%22%3A%22%7B%7Bb%7D%7D%22%7D')).passthruMetadata,
    ).toBe('{"a":"{{b}}"}');
  });

  it('treats unsubstituted placeholders in optional parameters as absent', () => {
    const ctx = parseWidgetContext(
      guideUrl('&lang={{gcLangTag}}&gcTargetEnv=%7B%7BgcTargetEnv%7D%7D&usePopupAuth={{gcUsePopupAuth}}').replace(
        'lang=en-us&',
        '',
      ),
    );
    expect(ctx.lang).toBeUndefined();
    expect(ctx.targetEnv).toBeUndefined();
    expect(ctx.usePopupAuth).toBeUndefined();
    expect('lang' in ctx).toBe(false);
  });

  it('rejects placeholders in required parameters, naming the placeholder (URL opened outside Genesys)', () => {
    const e = errorOf(() =>
      parseWidgetContext(
        `?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=${CLIENT}`,
      ),
    );
    expect(e.code).toBe('E_PARAM_INVALID');
    expect(e.message).toContain('"conversationid"');
    expect(e.message).toContain('{{gcConversationId}}');
    expect(e.message).toMatch(/Interaction Widget/);
    const env = errorOf(() =>
      parseWidgetContext(`?conversationid=${CONV}&environment=%7B%7BgcHostOrigin%7D%7D&genesysid=${CLIENT}`),
    );
    expect(env.details).toMatchObject({ parameter: 'environment', placeholder: '{{gcHostOrigin}}' });
  });

  it("rejects the guide's sample values pasted literally", () => {
    expect(
      codeOf(() =>
        parseWidgetContext(
          `?conversationid=${CONV}&environment=https://apps.mypurecloud.ie&genesysid=<genesys-oauth-Id>`,
        ),
      ),
    ).toBe('E_PARAM_INVALID');
    const e = errorOf(() => parseWidgetContext(guideUrl('&showWidget=true/false')));
    expect(e.code).toBe('E_PARAM_INVALID');
    expect(e.message).toContain('showWidget');
    expect(codeOf(() => parseWidgetContext(guideUrl('&x_passthru_metadata=<Token>')))).toBe('E_PARAM_INVALID');
    expect(codeOf(() => parseWidgetContext(guideUrl('&multibot=true&x_metadata=<?x=%7B%22datatable%22%xxxxx>')))).toBe(
      'E_PARAM_INVALID',
    );
  });

  it('names each missing required parameter', () => {
    const cases: [string, string][] = [
      [`?environment=https://apps.mypurecloud.ie&genesysid=${CLIENT}`, 'conversationid'],
      [`?conversationid=${CONV}&genesysid=${CLIENT}`, 'environment'],
      [`?conversationid=${CONV}&environment=https://apps.mypurecloud.ie`, 'genesysid'],
      [`?conversationid=${CONV}&environment=https://apps.mypurecloud.ie&genesysid=%20%20`, 'genesysid'],
    ];
    for (const [url, parameter] of cases) {
      const e = errorOf(() => parseWidgetContext(url));
      expect(e.code).toBe('E_PARAM_MISSING');
      expect(e.details).toEqual({ parameter });
      expect(e.message).toContain(`"${parameter}"`);
      expect(e.step).toBe('parameters');
    }
    expect(codeOf(() => parseWidgetContext(''))).toBe('E_PARAM_MISSING');
  });

  it('rejects multibot=true without x_metadata, and x_metadata without multibot', () => {
    const a = errorOf(() => parseWidgetContext(guideUrl('&multibot=true')));
    expect(a.code).toBe('E_PARAM_MISSING');
    expect(a.details).toEqual({ parameter: 'x_metadata' });
    const b = errorOf(() => parseWidgetContext(guideUrl(`&x_metadata=${encodeURIComponent(XMETA_JSON)}`)));
    expect(b.code).toBe('E_PARAM_MISSING');
    expect(b.details).toEqual({ parameter: 'multibot' });
    // a placeholder-only x_metadata counts as absent
    expect(codeOf(() => parseWidgetContext(guideUrl('&multibot=true&x_metadata={{xMetadata}}')))).toBe(
      'E_PARAM_MISSING',
    );
  });

  it('rejects malformed values with E_PARAM_INVALID naming the parameter', () => {
    const cases: [string, string][] = [
      ['&showWidget=yes', 'showWidget'],
      ['&grant=password', 'grant'],
      ['&lang=en us', 'lang'],
      ['&gcTargetEnv=prod euw1', 'gcTargetEnv'],
      ['&accountId=a%20b', 'accountId'],
    ];
    for (const [extra, parameter] of cases) {
      const e = errorOf(() => parseWidgetContext(guideUrl(extra)));
      expect(e.code).toBe('E_PARAM_INVALID');
      expect(e.details['parameter']).toBe(parameter);
    }
    for (const env of ['ftp://apps.mypurecloud.ie', 'https://', 'not a host', 'https://user:pw@apps.mypurecloud.ie']) {
      const e = errorOf(() =>
        parseWidgetContext(`?conversationid=${CONV}&environment=${encodeURIComponent(env)}&genesysid=${CLIENT}`),
      );
      expect(e.code).toBe('E_PARAM_INVALID');
      expect(e.details['parameter']).toBe('environment');
    }
    expect(
      codeOf(() => parseWidgetContext(`?conversationid=undefined&environment=mypurecloud.ie&genesysid=${CLIENT}`)),
    ).toBe('E_PARAM_INVALID');
  });

  it('accepts non-UUID conversation ids by default (fixtures use them) and UUID-only on request', () => {
    expect(
      parseWidgetContext(`?conversationid=test-conversation-id-1&environment=mypurecloud.ie&genesysid=${CLIENT}`)
        .conversationId,
    ).toBe('test-conversation-id-1');
    expect(
      codeOf(() =>
        parseWidgetContext(`?conversationid=test-conversation-id-1&environment=mypurecloud.ie&genesysid=${CLIENT}`, {
          conversationIdPattern: UUID_PATTERN,
        }),
      ),
    ).toBe('E_PARAM_INVALID');
    expect(parseWidgetContext(guideUrl(), { conversationIdPattern: UUID_PATTERN }).conversationId).toBe(CONV);
  });

  it('rejects one parameter given twice with different values, and accepts repeats of one value', () => {
    const e = errorOf(() => parseWidgetContext(guideUrl('&gcHostOrigin=https://apps.mypurecloud.de')));
    expect(e.code).toBe('E_PARAM_INVALID');
    expect(e.message).toContain('environment');
    expect(parseWidgetContext(guideUrl('&gcHostOrigin=https://apps.mypurecloud.ie')).hostOrigin).toBe(
      'https://apps.mypurecloud.ie',
    );
  });

  it('keeps unknown parameters and ignores the hash', () => {
    const ctx = parseWidgetContext(guideUrl('&gcInteractionId=abc-1#access_token=zzz'));
    expect(ctx.otherParams).toEqual({ gcInteractionId: 'abc-1' });
  });

  it('round-trips through widgetContextToSearchParams', () => {
    const ctx = parseWidgetContext(
      guideUrl(
        `&x_passthru_metadata=a+b%2Bc&showWidget=false&gcTargetEnv=prod-euw1&usePopupAuth=false&grant=pkce&debug=1&foo=bar&multibot=true&x_metadata=${encodeURIComponent(XMETA_JSON)}`,
      ),
    );
    expect(parseWidgetContext(widgetContextToSearchParams(ctx))).toEqual(ctx);
    expect(parseWidgetContext(`?${widgetContextToSearchParams(ctx).toString()}`)).toEqual(ctx);
  });
});

describe('parseWidgetContext: secrets', () => {
  it('never puts the x_metadata token or the passthru value in a message or details', () => {
    const passthru = 'PASSTHRU-SECRET-eyJ0b2tlbiI6InNlY3JldCJ9';
    const token = 'PLANTED.x-metadata-token.SECRET';
    const bad = [
      // qDelimiter too long
      `&x_passthru_metadata=${passthru}&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: 'kaa_bots', token, qDelimiter: '__' } }))}`,
      // no name
      `&x_passthru_metadata=${passthru}&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { token, qDelimiter: '_' } }))}`,
      // not JSON
      `&x_passthru_metadata=${passthru}&multibot=true&x_metadata=${encodeURIComponent(`{"datatable":{"token":"${token}"`)}`,
      // x_metadata given twice
      `&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: 'a', token, qDelimiter: '_' } }))}&X_METADATA=${encodeURIComponent(JSON.stringify({ datatable: { name: 'b', token, qDelimiter: '_' } }))}`,
      // passthru given twice
      `&x_passthru_metadata=${passthru}&x_passthru_metadata=${passthru}2`,
      // an unrelated error while secrets are present
      `&x_passthru_metadata=${passthru}&showWidget=maybe&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: 'a', token, qDelimiter: '_' } }))}`,
      // missing x_metadata marker
      `&x_passthru_metadata=${passthru}&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: 'a', token, qDelimiter: '_' } }))}`,
    ];
    for (const extra of bad) {
      const e = errorOf(() => parseWidgetContext(guideUrl(extra)));
      const text = JSON.stringify(e.toJSON()) + e.message + String(e.stack);
      expect(text).not.toContain(token);
      expect(text).not.toContain(passthru);
      expect(text).not.toContain('x-metadata-token');
      expect(text).not.toContain('PASSTHRU-SECRET');
    }
  });
});

describe('parseWidgetContext: properties', () => {
  it('throws nothing but KaaError for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
        ),
        (s) => {
          try {
            parseWidgetContext(s);
          } catch (e) {
            if (!(e instanceof KaaError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws nothing but KaaError for any parameters, including near-valid ones', () => {
    const names = fc.constantFrom(
      'conversationid',
      'environment',
      'gcHostOrigin',
      'genesysid',
      'lang',
      'gcTargetEnv',
      'usePopupAuth',
      'grant',
      'showWidget',
      'sendEventsToVG',
      'debug',
      'multibot',
      'x_metadata',
      'accountId',
      'x_passthru_metadata',
      'other',
    );
    const values = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'true',
        '1',
        'TRUE',
        '{{gcLangTag}}',
        '<Token>',
        'https://apps.mypurecloud.ie',
        '%',
        '%E0%A4%A',
        CONV,
        encodeURIComponent(XMETA_JSON),
        '{"datatable":{}}',
        '{"datatable":{"name":1,"token":[]}}',
        'null',
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 12 }), fc.boolean(), (pairs, asString) => {
        const p = new URLSearchParams();
        for (const [k, v] of pairs) p.append(k, v);
        try {
          const ctx = parseWidgetContext(asString ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : p);
          expect(ctx.conversationId.length).toBeGreaterThan(0);
        } catch (e) {
          if (!(e instanceof KaaError)) throw e;
          expect(['E_PARAM_MISSING', 'E_PARAM_INVALID', 'E_XMETADATA_INVALID']).toContain(e.code);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the data table whatever the encoding depth of x_metadata (0–2)', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
          token: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}(\.[A-Za-z0-9_-]{1,20}){2}$/),
          qDelimiter: fc.constantFrom('_', '-', '.', ' ', '|', ''),
        }),
        fc.integer({ min: 1, max: 3 }),
        (d, depth) => {
          let value = JSON.stringify({ datatable: d });
          for (let i = 0; i < depth; i++) value = encodeURIComponent(value);
          const ctx = parseWidgetContext(guideUrl(`&multibot=true&x_metadata=${value}`));
          expect(ctx.botSource).toEqual({ kind: 'kore-data-table', datatable: { ...d, name: d.name.trim() } });
        },
      ),
      { numRuns: 300 },
    );
  });
});
