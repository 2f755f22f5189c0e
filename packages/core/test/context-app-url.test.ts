import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import {
  KaaError,
  buildWidgetAppUrl,
  buildXMetadata,
  parseWidgetContext,
  parseXMetadata,
  type WidgetAppUrlOptions,
} from '@kaa/core';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6ImNzLWRhdGEifQ.c2lnbmF0dXJlLXNlY3JldA';
const PAGE = 'https://kaa.example.com/koreaiaa-genesys/';
const CLIENT = 'c1a00000-0000-4000-8000-00000000000b';

/** What Genesys does to the Application URL when it opens the widget. */
function substitute(
  url: string,
  v: { conversationId: string; lang: string; hostOrigin: string; targetEnv: string; usePopupAuth: string },
): string {
  return url
    .replaceAll('{{gcConversationId}}', v.conversationId)
    .replaceAll('{{gcLangTag}}', v.lang)
    .replaceAll('{{gcHostOrigin}}', encodeURIComponent(v.hostOrigin))
    .replaceAll('{{gcTargetEnv}}', v.targetEnv)
    .replaceAll('{{gcUsePopupAuth}}', v.usePopupAuth);
}

describe('buildXMetadata / parseXMetadata', () => {
  it('builds the guide\'s shape {"datatable":{"name","token","qDelimiter"}} URL-encoded', () => {
    const x = buildXMetadata({ name: 'kaa_bots', token: TOKEN, qDelimiter: '_' });
    expect(x.startsWith('%7B%22datatable%22%3A%7B%22name%22')).toBe(true); // the guide's "%7B%22datatable%22%xxxxx"
    expect(JSON.parse(decodeURIComponent(x))).toEqual({
      datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' },
    });
    expect(parseXMetadata(x)).toEqual({ name: 'kaa_bots', token: TOKEN, qDelimiter: '_' });
  });

  it('parses the pretty-printed JSON of the guide, raw or encoded, and the "?x=" urlencoder prefix', () => {
    const pretty = `{
               "datatable": {
                    "name": "kaa_bots",
                    "token": "${TOKEN}",
                    "qDelimiter": "_"
                }
}`;
    const expected = { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' };
    expect(parseXMetadata(pretty)).toEqual(expected);
    expect(parseXMetadata(encodeURIComponent(pretty))).toEqual(expected);
    expect(parseXMetadata(`?x=${encodeURIComponent(pretty)}`)).toEqual(expected);
    expect(parseXMetadata(`  ${encodeURIComponent(encodeURIComponent(pretty))}  `)).toEqual(expected);
    // form encoding: spaces as +
    expect(parseXMetadata(encodeURIComponent(pretty).replace(/%20/g, '+'))).toEqual(expected);
  });

  it('treats a missing qDelimiter as "" (match the whole queue name) and keeps a space delimiter', () => {
    expect(parseXMetadata(JSON.stringify({ datatable: { name: 't', token: 'a.b.c' } })).qDelimiter).toBe('');
    expect(
      parseXMetadata(JSON.stringify({ datatable: { name: 't', token: 'a.b.c', qDelimiter: ' ' } })).qDelimiter,
    ).toBe(' ');
  });

  it('rejects what the guide does not allow with E_XMETADATA_INVALID naming the field', () => {
    const cases: [unknown, string | undefined][] = [
      [{ datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '__' } }, 'datatable.qDelimiter'],
      [{ datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: 5 } }, 'datatable.qDelimiter'],
      [{ datatable: { token: TOKEN, qDelimiter: '_' } }, 'datatable.name'],
      [{ datatable: { name: '  ', token: TOKEN } }, 'datatable.name'],
      [{ datatable: { name: 'kaa_bots', qDelimiter: '_' } }, 'datatable.token'],
      [{ datatable: { name: 'kaa_bots', token: 'a b' } }, 'datatable.token'],
      [{ name: 'kaa_bots', token: TOKEN }, undefined],
      [[1, 2], undefined],
    ];
    for (const [value, field] of cases) {
      const e = errorOf(() => parseXMetadata(encodeURIComponent(JSON.stringify(value))));
      expect(e.code).toBe('E_XMETADATA_INVALID');
      expect(e.details['field']).toBe(field);
      expect(e.message).toContain('x_metadata');
      expect(JSON.stringify(e.toJSON())).not.toContain(TOKEN);
    }
    expect(errorOf(() => parseXMetadata('not json')).code).toBe('E_XMETADATA_INVALID');
    expect(errorOf(() => buildXMetadata({ name: 'x', token: '', qDelimiter: '_' })).code).toBe('E_XMETADATA_INVALID');
  });

  it('never throws anything but KaaError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.json().map(encodeURIComponent),
          fc.anything().map((v) => encodeURIComponent(JSON.stringify({ datatable: v }) ?? '')),
        ),
        (s) => {
          try {
            parseXMetadata(s);
          } catch (e) {
            if (!(e instanceof KaaError)) throw e;
            expect(e.code).toBe('E_XMETADATA_INVALID');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('buildWidgetAppUrl', () => {
  it("builds the guide's Application URL with placeholders kept literal, in the guide's order", () => {
    const url = buildWidgetAppUrl({
      pageUrl: PAGE,
      genesysClientId: CLIENT,
      botSource: { kind: 'kore-data-table', datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' } },
      passthruMetadata: 'abc',
      showWidget: true,
      sendEventsToVG: false,
    });
    expect(url).toBe(
      `${PAGE}?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=${CLIENT}&x_passthru_metadata=abc&showWidget=true&sendEventsToVG=false&multibot=true&x_metadata=${buildXMetadata({ name: 'kaa_bots', token: TOKEN, qDelimiter: '_' })}`,
    );
  });

  it('adds accountId, or nothing for the legacy table, and the kaa extensions last', () => {
    expect(
      buildWidgetAppUrl({
        pageUrl: PAGE,
        genesysClientId: CLIENT,
        botSource: { kind: 'third-party', accountId: 'acc-1' },
      }),
    ).toBe(
      `${PAGE}?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=${CLIENT}&accountId=acc-1`,
    );
    expect(
      buildWidgetAppUrl({
        pageUrl: PAGE,
        genesysClientId: CLIENT,
        botSource: { kind: 'genesys-legacy-table' },
        includeTargetEnv: true,
        includeUsePopupAuth: true,
        grant: 'implicit',
        debug: true,
      }),
    ).toBe(
      `${PAGE}?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=${CLIENT}&gcTargetEnv={{gcTargetEnv}}&usePopupAuth={{gcUsePopupAuth}}&grant=implicit&debug=1`,
    );
  });

  it('opened outside Genesys (placeholders unfilled), its URL fails with a placeholder error', () => {
    const url = buildWidgetAppUrl({
      pageUrl: PAGE,
      genesysClientId: CLIENT,
      botSource: { kind: 'genesys-legacy-table' },
    });
    const e = errorOf(() => parseWidgetContext(url));
    expect(e.code).toBe('E_PARAM_INVALID');
    expect(e.message).toContain('{{gcConversationId}}');
  });

  it('never throws anything but KaaError, whatever the options', () => {
    fc.assert(
      fc.property(
        fc.record({
          pageUrl: fc.oneof(fc.constant(PAGE), fc.string(), fc.webUrl()),
          genesysClientId: fc.oneof(fc.constant(CLIENT), fc.string({ unit: 'binary' })),
          passthruMetadata: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
          botSource: fc.oneof(
            fc.record({
              kind: fc.constant('kore-data-table' as const),
              datatable: fc.record({
                name: fc.string({ unit: 'binary' }),
                token: fc.string({ unit: 'binary' }),
                qDelimiter: fc.string({ unit: 'binary', maxLength: 2 }),
              }),
            }),
            fc.record({ kind: fc.constant('third-party' as const), accountId: fc.string({ unit: 'binary' }) }),
          ),
        }),
        (o) => {
          try {
            expect(
              parseWidgetContext(
                substitute(buildWidgetAppUrl(o), {
                  conversationId: 'c1',
                  lang: 'en',
                  hostOrigin: 'mypurecloud.ie',
                  targetEnv: 'prod',
                  usePopupAuth: 'true',
                }),
              ).genesysClientId,
            ).toBe(o.genesysClientId.trim());
          } catch (e) {
            if (!(e instanceof KaaError)) throw e;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects unusable page URLs, client ids and account ids', () => {
    for (const pageUrl of [
      'kaa.example.com/x',
      'http://kaa.example.com/x',
      'https://kaa.example.com/x#y',
      'javascript:alert(1)',
    ]) {
      expect(
        errorOf(() =>
          buildWidgetAppUrl({ pageUrl, genesysClientId: CLIENT, botSource: { kind: 'genesys-legacy-table' } }),
        ).code,
      ).toBe('E_PARAM_INVALID');
    }
    expect(
      buildWidgetAppUrl({
        pageUrl: 'http://127.0.0.1:4100/p?x=1',
        genesysClientId: CLIENT,
        botSource: { kind: 'genesys-legacy-table' },
      }),
    ).toMatch(/^http:\/\/127\.0\.0\.1:4100\/p\?x=1&conversationid=/);
    expect(
      errorOf(() =>
        buildWidgetAppUrl({ pageUrl: PAGE, genesysClientId: ' ', botSource: { kind: 'genesys-legacy-table' } }),
      ).code,
    ).toBe('E_PARAM_INVALID');
    expect(
      errorOf(() =>
        buildWidgetAppUrl({
          pageUrl: PAGE,
          genesysClientId: CLIENT,
          botSource: { kind: 'third-party', accountId: 'a&b' },
        }),
      ).code,
    ).toBe('E_PARAM_INVALID');
  });

  it('round-trips: parse(build(o) with placeholders substituted) gives back the same values', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/);
    const options = fc.record(
      {
        genesysClientId: fc.oneof(fc.uuid(), id),
        botSource: fc.oneof(
          fc.record({
            kind: fc.constant('kore-data-table' as const),
            datatable: fc.record({
              name: fc
                .string({ minLength: 1, maxLength: 30, unit: 'grapheme' })
                .map((s) => s.trim())
                .filter((s) => s !== ''),
              token: fc.stringMatching(/^[A-Za-z0-9_-]{1,30}\.[A-Za-z0-9_-]{1,30}\.[A-Za-z0-9_-]{0,30}$/),
              qDelimiter: fc.oneof(
                fc.constantFrom('_', '-', '.', '|', ' ', '', '+', '&', '%', '#'),
                fc.string({ minLength: 1, maxLength: 1 }),
              ),
            }),
          }),
          fc.record({ kind: fc.constant('third-party' as const), accountId: id }),
          fc.constant({ kind: 'genesys-legacy-table' as const }),
        ),
        passthruMetadata: fc
          .oneof(
            fc.string({ minLength: 1 }),
            fc.string({ minLength: 1, unit: 'grapheme' }),
            fc.base64String({ minLength: 4 }),
            fc.json().map(encodeURIComponent),
          )
          .filter((s) => s.trim() === s && s !== '' && !/\{\{[A-Za-z0-9_.\s]*\}\}/.test(s) && !/^<[^<>]*>$/.test(s)),
        showWidget: fc.boolean(),
        sendEventsToVG: fc.boolean(),
        includeTargetEnv: fc.boolean(),
        includeUsePopupAuth: fc.boolean(),
        grant: fc.constantFrom('pkce' as const, 'implicit' as const),
        debug: fc.boolean(),
      },
      { requiredKeys: ['genesysClientId', 'botSource'] },
    );
    const substitution = fc.record({
      conversationId: fc.uuid(),
      lang: fc.constantFrom('en-us', 'de-de', 'fr', 'pt-br', 'ja'),
      hostOrigin: fc.constantFrom(
        'https://apps.mypurecloud.ie',
        'https://apps.mypurecloud.com',
        'https://apps.use2.us-gov-pure.cloud',
        'http://127.0.0.1:4101',
      ),
      targetEnv: fc.constantFrom('prod-euw1', 'prod', 'fedramp-use2-core'),
      usePopupAuth: fc.constantFrom('true', 'false'),
    });
    fc.assert(
      fc.property(options, substitution, (o, v) => {
        const built = buildWidgetAppUrl({ pageUrl: PAGE, ...o } as WidgetAppUrlOptions);
        const ctx = parseWidgetContext(substitute(built, v));
        expect(ctx.conversationId).toBe(v.conversationId);
        expect(ctx.lang).toBe(v.lang);
        expect(ctx.hostOrigin).toBe(v.hostOrigin);
        expect(ctx.genesysClientId).toBe(o.genesysClientId);
        expect(ctx.targetEnv).toBe(o.includeTargetEnv === true ? v.targetEnv : undefined);
        expect(ctx.usePopupAuth).toBe(o.includeUsePopupAuth === true ? v.usePopupAuth === 'true' : undefined);
        expect(ctx.passthruMetadata).toBe(o.passthruMetadata);
        expect(ctx.showWidget).toBe(o.showWidget);
        expect(ctx.sendEventsToVG).toBe(o.sendEventsToVG);
        expect(ctx.grant).toBe(o.grant);
        expect(ctx.debug).toBe(o.debug === true);
        expect(ctx.botSource).toEqual(o.botSource);
        expect(ctx.otherParams).toEqual({});
      }),
      { numRuns: 500 },
    );
  });
});
