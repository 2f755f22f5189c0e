import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { parseWidgetContext, widgetContextToSearchParams } from '@kaa/core';

/** The widget URL contract at its edges: the exact words an admin reads for each bad parameter, and which value wins. */

const CONV = 'c0a00000-0000-4000-8000-000000000001';
const CLIENT = 'c1a00000-0000-4000-8000-00000000000b';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6ImNzLWRhdGEifQ.c2lnbmF0dXJlLXNlY3JldA';
const XMETA = encodeURIComponent(JSON.stringify({ datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' } }));
const ENV = 'https://apps.mypurecloud.ie';

function url(extra = '', base = `conversationid=${CONV}&environment=${ENV}&genesysid=${CLIENT}`): string {
  return `https://kaa.example.com/koreaiaa-genesys/?${base}${extra}`;
}

describe('parseWidgetContext: a missing required parameter says what to add', () => {
  it.each([
    [
      `environment=${ENV}&genesysid=${CLIENT}`,
      'conversationid',
      'Parameter "conversationid" is missing from the page URL. Add "conversationid={{gcConversationId}}" to the Interaction Widget\'s Application URL (a Genesys conversation id (a UUID such as 3f2b1c4e-…)).',
    ],
    [
      `conversationid=${CONV}&genesysid=${CLIENT}`,
      'environment',
      'Parameter "environment" is missing from the page URL. Add "environment={{gcHostOrigin}}" to the Interaction Widget\'s Application URL (the Genesys desktop origin, e.g. https://apps.mypurecloud.ie).',
    ],
    [
      `conversationid=${CONV}&environment=${ENV}`,
      'genesysid',
      'Parameter "genesysid" is missing from the page URL. Add "genesysid=<value>" to the Interaction Widget\'s Application URL (the Genesys OAuth client id (Admin > Integrations > OAuth)).',
    ],
  ])('%s → %s', (query, parameter, message) => {
    const e = errorOf(() => parseWidgetContext(`?${query}`));
    expect(e).toMatchObject({ code: 'E_PARAM_MISSING', message, details: { parameter } });
  });
});

describe('parseWidgetContext: a malformed value is quoted, clipped at 80 characters, with what was expected', () => {
  const invalid = (parameter: string, value: string, expected: string) => ({
    code: 'E_PARAM_INVALID',
    message: `Parameter "${parameter}" has the value "${value}", which is not ${expected}. Correct it in the Interaction Widget's Application URL.`,
    details: { parameter, expected },
  });
  it.each([
    ['&lang=en us', invalid('lang', 'en us', 'a language tag such as en-us')],
    ['&gcTargetEnv=prod euw1', invalid('gcTargetEnv', 'prod euw1', 'a Genesys environment name such as prod-euw1')],
    ['&grant=password', invalid('grant', 'password', 'pkce or implicit')],
    ['&usePopupAuth=yes', invalid('usePopupAuth', 'yes', 'true or false')],
    ['&showWidget=yes', invalid('showWidget', 'yes', 'true or false')],
    ['&sendEventsToVG=yes', invalid('sendEventsToVG', 'yes', 'true or false')],
    ['&debug=yes', invalid('debug', 'yes', 'true or false')],
    ['&multibot=yes', invalid('multibot', 'yes', 'true or false')],
    [
      '&accountId=a%20b',
      invalid(
        'accountId',
        'a b',
        'the accountId from Agent AI > Flows & Channels > Digital > Web/Mobile Client > JWT App Details',
      ),
    ],
  ])('%s', (extra, error) => {
    expect(errorOf(() => parseWidgetContext(url(extra)))).toMatchObject(error);
  });

  it('names the required parameters too', () => {
    expect(
      errorOf(() => parseWidgetContext(`?conversationid=a%20b&environment=${ENV}&genesysid=${CLIENT}`)),
    ).toMatchObject(invalid('conversationid', 'a b', 'a Genesys conversation id (a UUID such as 3f2b1c4e-…)'));
    expect(
      errorOf(() => parseWidgetContext(`?conversationid=${CONV}&environment=a%20b&genesysid=${CLIENT}`)),
    ).toMatchObject(invalid('environment', 'a b', 'the Genesys desktop origin, e.g. https://apps.mypurecloud.ie'));
    expect(
      errorOf(() => parseWidgetContext(`?conversationid=${CONV}&environment=${ENV}&genesysid=a%20b`)),
    ).toMatchObject(invalid('genesysid', 'a b', 'the Genesys OAuth client id (Admin > Integrations > OAuth)'));
  });

  it('shows 80 characters in full and clips the 81st', () => {
    const v80 = `a ${'b'.repeat(78)}`; // 80 characters, invalid (a space)
    const v81 = `${v80}c`;
    expect(v80).toHaveLength(80);
    expect(errorOf(() => parseWidgetContext(url(`&lang=${encodeURIComponent(v80)}`))).message).toContain(
      `"${v80}", which`,
    );
    expect(errorOf(() => parseWidgetContext(url(`&lang=${encodeURIComponent(v81)}`))).message).toContain(
      `"${v80}…", which`,
    );
  });
});

describe('parseWidgetContext: placeholders left in the URL', () => {
  it('a template placeholder in a required parameter: open the page from the agent desktop', () => {
    const e = errorOf(() =>
      parseWidgetContext(`?conversationid=${CONV}&environment=${ENV}&genesysid={{ gcClientId }}`),
    );
    expect(e).toMatchObject({
      code: 'E_PARAM_INVALID',
      message:
        'Parameter "genesysid" still holds the placeholder {{ gcClientId }}. Genesys fills it only when it opens the page inside an interaction: open this page from the Interaction Widget in the agent desktop, not by pasting the Application URL into a browser.',
      details: { parameter: 'genesysid', placeholder: '{{ gcClientId }}' },
    });
  });

  it('a template placeholder inside a longer required value is found too', () => {
    const e = errorOf(() =>
      parseWidgetContext(`?conversationid=${CONV}&environment=https://{{gcHost}}&genesysid=${CLIENT}`),
    );
    expect(e.details).toEqual({ parameter: 'environment', placeholder: '{{gcHost}}' });
  });

  it("the guide's sample value: the real value for a required parameter, or removal for an optional one", () => {
    expect(
      errorOf(() => parseWidgetContext(`?conversationid=${CONV}&environment=${ENV}&genesysid=<genesys-oauth-Id>`)),
    ).toMatchObject({
      code: 'E_PARAM_INVALID',
      message:
        'Parameter "genesysid" still holds the guide\'s sample value <genesys-oauth-Id>. Replace it in the Application URL with the real value.',
      details: { parameter: 'genesysid', placeholder: '<genesys-oauth-Id>' },
    });
    expect(errorOf(() => parseWidgetContext(url('&showWidget=<true/false>')))).toMatchObject({
      code: 'E_PARAM_INVALID',
      message:
        'Parameter "showWidget" still holds the guide\'s sample value <true/false>. Replace it in the Application URL with a real value, or remove the parameter.',
      details: { parameter: 'showWidget', placeholder: '<true/false>' },
    });
  });

  it('never repeats the sample value of a secret parameter', () => {
    for (const [extra, parameter] of [
      ['&x_passthru_metadata=<Token>', 'x_passthru_metadata'],
      ['&multibot=true&x_metadata=<x_metadata>', 'x_metadata'],
    ] as const) {
      expect(errorOf(() => parseWidgetContext(url(extra)))).toMatchObject({
        code: 'E_PARAM_INVALID',
        message: `Parameter "${parameter}" still holds the guide's sample value <…>. Replace it in the Application URL with a real value, or remove the parameter.`,
        details: { parameter, placeholder: '<…>' },
      });
    }
  });

  it('a placeholder-only optional value is absent: no key in the context', () => {
    const ctx = parseWidgetContext(
      url(
        '&lang={{gcLangTag}}&gcTargetEnv={{gcTargetEnv}}&usePopupAuth={{gcUsePopupAuth}}&grant={{g}}&showWidget={{s}}&sendEventsToVG={{v}}&debug={{d}}&accountId={{a}}&x_passthru_metadata={{p}}',
      ),
    );
    expect(Object.keys(ctx).sort()).toEqual(
      ['botSource', 'conversationId', 'debug', 'genesysClientId', 'hostOrigin', 'otherParams'].sort(),
    );
    expect(ctx.debug).toBe(false);
    expect(ctx.botSource).toEqual({ kind: 'genesys-legacy-table' });
  });
});

describe('parseWidgetContext: a parameter given twice', () => {
  it('with different values: names both spellings and shows the values', () => {
    const e = errorOf(() => parseWidgetContext(url('&gcHostOrigin=https://apps.mypurecloud.de')));
    expect(e).toMatchObject({
      code: 'E_PARAM_INVALID',
      message:
        'Parameter "environment" is given more than once with different values ("https://apps.mypurecloud.ie", "https://apps.mypurecloud.de") through "environment", "gcHostOrigin". Keep one of them in the Application URL.',
      details: { parameter: 'environment', names: ['environment', 'gcHostOrigin'] },
    });
  });

  it('a secret parameter: the values are never shown', () => {
    const e = errorOf(() => parseWidgetContext(url('&x_passthru_metadata=one&X_Passthru_Metadata=two')));
    expect(e).toMatchObject({
      code: 'E_PARAM_INVALID',
      message:
        'Parameter "x_passthru_metadata" is given more than once with different values through "x_passthru_metadata", "X_Passthru_Metadata". Keep one of them in the Application URL.',
      details: { parameter: 'x_passthru_metadata', names: ['x_passthru_metadata', 'X_Passthru_Metadata'] },
    });
  });

  it('the same value twice, or once empty, is one value', () => {
    expect(parseWidgetContext(url('&lang=en-us&LANG=%20en-us%20')).lang).toBe('en-us');
    expect(parseWidgetContext(url('&lang=&lang=de')).lang).toBe('de');
    // a space that only appears after decoding is trimmed too
    expect(parseWidgetContext(url('&lang=en-us%2520&LANG=en-us')).lang).toBe('en-us');
    expect(parseWidgetContext(url('&showWidget=true&showWidget=')).showWidget).toBe(true);
  });
});

describe('parseWidgetContext: data table switches', () => {
  it('multibot=true without x_metadata, and x_metadata without multibot: the exact fix', () => {
    expect(errorOf(() => parseWidgetContext(url('&multibot=true')))).toMatchObject({
      code: 'E_PARAM_MISSING',
      message:
        'The URL has "multibot=true" but no "x_metadata" parameter. Add "&x_metadata=" followed by the URL-encoded JSON {"datatable":{"name":…,"token":…,"qDelimiter":"_"}}, or remove "multibot=true".',
    });
    expect(errorOf(() => parseWidgetContext(url(`&x_metadata=${XMETA}`)))).toMatchObject({
      code: 'E_PARAM_MISSING',
      message:
        'The URL has "x_metadata" but not "multibot=true", so it is unclear whether the Kore Data Table should be used. Add "&multibot=true" to use it, or remove x_metadata.',
    });
  });

  it('multibot=false ignores x_metadata; multibot=false alone is the legacy table', () => {
    expect(parseWidgetContext(url(`&multibot=false&x_metadata=${XMETA}`)).botSource).toEqual({
      kind: 'genesys-legacy-table',
    });
    expect(parseWidgetContext(url('&multibot=0')).botSource).toEqual({ kind: 'genesys-legacy-table' });
  });

  it('x_metadata is read with one URL decoding, then parsed however often it was encoded', () => {
    const ctx = parseWidgetContext(url(`&multibot=true&x_metadata=%20${XMETA}%20`));
    expect(ctx.botSource).toEqual({
      kind: 'kore-data-table',
      datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' },
    });
  });
});

describe('parseWidgetContext: values', () => {
  it('lower-cases the desktop origin, gcTargetEnv and lang; keeps ids as written', () => {
    const ctx = parseWidgetContext(
      `?conversationid=ABC-def&environment=HTTPS://Apps.MyPureCloud.IE/some/path&genesysid=AbC&gcTargetEnv=PROD-EUW1&lang=EN-US&accountId=AcC-1`,
    );
    expect(ctx).toMatchObject({
      conversationId: 'ABC-def',
      hostOrigin: 'https://apps.mypurecloud.ie',
      genesysClientId: 'AbC',
      targetEnv: 'prod-euw1',
      lang: 'en-us',
      botSource: { kind: 'third-party', accountId: 'AcC-1' },
    });
  });

  it.each([
    ['mypurecloud.ie.', 'mypurecloud.ie'],
    ['MyPureCloud.IE', 'mypurecloud.ie'],
    ['localhost:8080', 'localhost:8080'],
    ['http://127.0.0.1:4101', 'http://127.0.0.1:4101'],
    ['https://apps.mypurecloud.ie:443/', 'https://apps.mypurecloud.ie'],
  ])('environment %s → %s', (environment, hostOrigin) => {
    expect(
      parseWidgetContext(`?conversationid=${CONV}&environment=${encodeURIComponent(environment)}&genesysid=${CLIENT}`)
        .hostOrigin,
    ).toBe(hostOrigin);
  });

  it.each([
    'https://user@apps.mypurecloud.ie',
    'https://:pw@apps.mypurecloud.ie',
    'wss://apps.mypurecloud.ie',
    'https://apps.mypure cloud.ie',
    '-mypurecloud.ie',
    'mypurecloud-.ie',
    'mypurecloud..ie',
    'mypurecloud.ie:123456',
    'xhttps://apps.mypurecloud.ie',
    // a scheme counts only at the start: this is no bare host, though a URL parser would read it
    'https:apps.mypurecloud.ie/x://y',
  ])('environment %s is refused', (environment) => {
    const e = errorOf(() =>
      parseWidgetContext(`?conversationid=${CONV}&environment=${encodeURIComponent(environment)}&genesysid=${CLIENT}`),
    );
    expect(e.code).toBe('E_PARAM_INVALID');
    expect(e.details['parameter']).toBe('environment');
  });

  it.each([
    ['conversationid', 'a'.repeat(128), true],
    ['conversationid', 'a'.repeat(129), false],
    ['conversationid', 'null', false],
    ['conversationid', 'NULL', false],
    ['conversationid', 'nullable', true],
    ['conversationid', '-abc', false],
    ['conversationid', 'a.b_c-d', true],
    ['gcTargetEnv', 'a'.repeat(64), true],
    ['gcTargetEnv', 'a'.repeat(65), false],
    ['gcTargetEnv', '-prod', false],
    ['lang', 'en', true],
    ['lang', 'e', false],
    ['lang', 'abcdefghi', false],
    ['lang', 'zh_hans_cn', true],
    ['lang', 'en-us-', false],
    ['lang', `en${'-a'.repeat(6)}`, true],
    ['lang', `en${'-a'.repeat(7)}`, false],
    ['lang', 'en-123456789', false],
    ['lang', 'xen-us', true],
    ['genesysid', 'a'.repeat(128), true],
    ['genesysid', 'a'.repeat(129), false],
    ['genesysid', 'a.b_c~d:e-f', true],
    ['genesysid', 'a/b', false],
    ['accountId', 'a'.repeat(128), true],
    ['accountId', 'a'.repeat(129), false],
    ['accountId', 'a/b', false],
  ])('%s=%s accepted: %s', (parameter, value, accepted) => {
    const q = new URLSearchParams({ conversationid: CONV, environment: ENV, genesysid: CLIENT });
    q.set(parameter, value);
    let code: string | undefined;
    try {
      parseWidgetContext(q);
    } catch (e) {
      code = errorOf(() => {
        throw e;
      }).code;
    }
    expect(code).toBe(accepted ? undefined : 'E_PARAM_INVALID');
  });

  it('grant is read in any case; an explicit value is kept', () => {
    expect(parseWidgetContext(url('&grant=PKCE')).grant).toBe('pkce');
    expect(parseWidgetContext(url('&grant=Implicit')).grant).toBe('implicit');
    expect('grant' in parseWidgetContext(url())).toBe(false);
  });

  it('booleans keep false (not just absent) for each optional switch', () => {
    const ctx = parseWidgetContext(url('&usePopupAuth=false&showWidget=0&sendEventsToVG=FALSE&debug=false'));
    expect(ctx).toMatchObject({ usePopupAuth: false, showWidget: false, sendEventsToVG: false, debug: false });
    expect(Object.keys(ctx)).toEqual(expect.arrayContaining(['usePopupAuth', 'showWidget', 'sendEventsToVG']));
  });

  it('x_passthru_metadata keeps inner whitespace and percent-escapes after the one URL decoding', () => {
    expect(parseWidgetContext(url('&x_passthru_metadata=%20a%2520b%20')).passthruMetadata).toBe('a%20b');
  });
});

describe('parseWidgetContext: unknown parameters', () => {
  it('are kept by their written name, the first value winning; known names and aliases are not', () => {
    const ctx = parseWidgetContext(
      url(
        '&gcInteractionId=one&gcInteractionId=two&GCINTERACTIONID=three&pcEnvironment=https://apps.mypurecloud.ie&gcTargeEnv=prod-euw1&flag',
      ),
    );
    expect(ctx.otherParams).toEqual({ gcInteractionId: 'one', GCINTERACTIONID: 'three', flag: '' });
    expect(Object.isFrozen(ctx.otherParams)).toBe(true);
  });

  it('are written back last by widgetContextToSearchParams, every one of them', () => {
    const ctx = parseWidgetContext(url('&b=2&a=1'));
    expect([...widgetContextToSearchParams(ctx).entries()].slice(-2)).toEqual([
      ['b', '2'],
      ['a', '1'],
    ]);
  });
});

describe('widgetContextToSearchParams: the exact query', () => {
  it("writes canonical names in the Kore guide's order, then kaa's extensions", () => {
    const ctx = parseWidgetContext(
      url(
        `&debug=1&grant=implicit&usePopupAuth=true&gcTargetEnv=prod-euw1&accountId=acc-1&sendEventsToVG=true&showWidget=false&x_passthru_metadata=p&lang=en-us&zz=1`,
      ),
    );
    expect(widgetContextToSearchParams(ctx).toString()).toBe(
      `conversationid=${CONV}&lang=en-us&environment=${encodeURIComponent(ENV)}&genesysid=${CLIENT}&x_passthru_metadata=p&showWidget=false&sendEventsToVG=true&accountId=acc-1&gcTargetEnv=prod-euw1&usePopupAuth=true&grant=implicit&debug=1&zz=1`,
    );
  });

  it('the data table as multibot=true and the JSON; nothing for the legacy table or absent switches', () => {
    const table = widgetContextToSearchParams(parseWidgetContext(url(`&multibot=true&x_metadata=${XMETA}`)));
    expect([...table.keys()]).toEqual(['conversationid', 'environment', 'genesysid', 'multibot', 'x_metadata']);
    expect(table.get('multibot')).toBe('true');
    expect(JSON.parse(table.get('x_metadata')!)).toEqual({
      datatable: { name: 'kaa_bots', token: TOKEN, qDelimiter: '_' },
    });
    expect(widgetContextToSearchParams(parseWidgetContext(url('&debug=0'))).toString()).toBe(
      `conversationid=${CONV}&environment=${encodeURIComponent(ENV)}&genesysid=${CLIENT}`,
    );
  });
});

describe('parseWidgetContext: a secret copied into another parameter by mistake', () => {
  it('stays redacted, in every decoded form, and the x_metadata token on its own', () => {
    // x_passthru_metadata received as " PASS%20WORD " (encoded twice, with spaces); shown in lang decoded: "PASS WORD"
    const passthru = parseWidgetContext(url('&x_passthru_metadata=%20PASS%2520WORD%20'));
    expect(passthru.passthruMetadata).toBe('PASS%20WORD');
    const e = errorOf(() => parseWidgetContext(url('&x_passthru_metadata=%20PASS%2520WORD%20&lang=PASS%20WORD')));
    expect(e.message).toBe(
      'Parameter "lang" has the value "[REDACTED]", which is not a language tag such as en-us. Correct it in the Interaction Widget\'s Application URL.',
    );
    // an opaque (not JWT-shaped) data-table token pasted as lang
    const token = 'opaqueDataToken_9999999999';
    const xm = encodeURIComponent(JSON.stringify({ datatable: { name: 'kaa_bots', token, qDelimiter: '_' } }));
    const t = errorOf(() => parseWidgetContext(url(`&multibot=true&x_metadata=${xm}&lang=${token}`)));
    expect(t.message).toContain('"lang" has the value "[REDACTED]"');
    expect(JSON.stringify(t.toJSON())).not.toContain(token);
    // x_metadata pretty-printed, with spaces around the colon
    const pretty = encodeURIComponent(`{ "datatable" : { "name" : "kaa_bots", "token" : "${token}" } }`);
    const p = errorOf(() => parseWidgetContext(url(`&multibot=true&x_metadata=${pretty}&lang=${token}`)));
    expect(p.message).toContain('"lang" has the value "[REDACTED]"');
  });
});
