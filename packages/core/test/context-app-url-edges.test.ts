import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { buildWidgetAppUrl, pageRedirectUris, type WidgetAppUrlOptions } from '@kaa/core';

/** The Application URL builder and the redirect URIs at their edges: exact refusals, trimming, optional parts. */

const PAGE = 'https://kaa.example.com/koreaiaa-genesys/';
const CLIENT = 'c1a00000-0000-4000-8000-00000000000b';
const HEAD = `conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=${CLIENT}`;
const legacy = { kind: 'genesys-legacy-table' } as const;
const build = (o: Partial<WidgetAppUrlOptions>) =>
  buildWidgetAppUrl({ pageUrl: PAGE, genesysClientId: CLIENT, botSource: legacy, ...o });

describe('buildWidgetAppUrl: refusals', () => {
  it.each([
    'kaa.example.com/x',
    'http://kaa.example.com/x',
    'https://kaa.example.com/x#y',
    'https://user@kaa.example.com/x',
    'https://:pw@kaa.example.com/x',
  ])('page URL %s', (pageUrl) => {
    expect(errorOf(() => build({ pageUrl }))).toMatchObject({
      code: 'E_PARAM_INVALID',
      message: `The page URL "${pageUrl}" cannot host the widget: it must be an absolute https:// URL without a #fragment (http:// only on 127.0.0.1 or localhost). Use the address where kaa's page is deployed, e.g. https://kaa.example.com/koreaiaa-genesys/.`,
      details: { parameter: 'pageUrl' },
    });
  });

  it('a client id: empty, too long or with other characters', () => {
    for (const genesysClientId of ['', ' ', 'a'.repeat(129), 'a/b', 'a b']) {
      expect(errorOf(() => build({ genesysClientId }))).toMatchObject({
        code: 'E_PARAM_INVALID',
        message: `The Genesys OAuth client id "${genesysClientId.trim()}" is empty or contains characters a client id cannot have. Copy the id from Admin > Integrations > OAuth.`,
        details: { parameter: 'genesysid' },
      });
    }
    // a JavaScript caller may pass nothing at all
    expect(errorOf(() => build({ genesysClientId: undefined as unknown as string })).message).toMatch(
      /^The Genesys OAuth client id "" is empty/,
    );
    expect(
      errorOf(() => build({ botSource: { kind: 'third-party', accountId: undefined as unknown as string } })).message,
    ).toMatch(/^The accountId "" is empty/);
    expect(build({ genesysClientId: `  ${'a'.repeat(128)}  ` })).toContain(`&genesysid=${'a'.repeat(128)}`);
    expect(build({ genesysClientId: 'a.b_c~d:e-f' })).toContain('&genesysid=a.b_c~d%3Ae-f');
  });

  it('an account id: empty, too long or with other characters', () => {
    for (const accountId of ['', ' ', 'a'.repeat(129), 'a&b']) {
      expect(errorOf(() => build({ botSource: { kind: 'third-party', accountId } }))).toMatchObject({
        code: 'E_PARAM_INVALID',
        message: `The accountId "${accountId.trim()}" is empty or malformed. Copy it from Agent AI > Flows & Channels > Digital > Web/Mobile Client > JWT App Details.`,
        details: { parameter: 'accountId' },
      });
    }
    expect(build({ botSource: { kind: 'third-party', accountId: ` ${'a'.repeat(128)} ` } })).toBe(
      `${PAGE}?${HEAD}&accountId=${'a'.repeat(128)}`,
    );
  });

  it('a passthru value with a lone surrogate, without echoing it', () => {
    const passthruMetadata = 'SECRET-passthru\uD800';
    const e = errorOf(() => build({ passthruMetadata }));
    expect(e).toMatchObject({
      code: 'E_PARAM_INVALID',
      message:
        'The x_passthru_metadata value contains a broken Unicode character (a lone surrogate) and cannot be put in a URL. Regenerate the value.',
      details: { parameter: 'x_passthru_metadata' },
    });
  });
});

describe('buildWidgetAppUrl: optional parts', () => {
  it('only the guide part when nothing optional is asked for; false switches are written, false extensions are not', () => {
    expect(build({})).toBe(`${PAGE}?${HEAD}`);
    expect(build({ passthruMetadata: '' })).toBe(`${PAGE}?${HEAD}`);
    expect(
      build({
        showWidget: false,
        sendEventsToVG: true,
        includeTargetEnv: false,
        includeUsePopupAuth: false,
        debug: false,
      }),
    ).toBe(`${PAGE}?${HEAD}&showWidget=false&sendEventsToVG=true`);
    expect(build({ grant: 'pkce' })).toBe(`${PAGE}?${HEAD}&grant=pkce`);
  });

  it('encodes the passthru value', () => {
    expect(build({ passthruMetadata: 'a+b=&c' })).toBe(`${PAGE}?${HEAD}&x_passthru_metadata=a%2Bb%3D%26c`);
  });

  it('a page URL with an empty query, a query or surrounding spaces', () => {
    expect(build({ pageUrl: `${PAGE}?` })).toBe(`${PAGE}?${HEAD}`);
    expect(build({ pageUrl: `${PAGE}?tenant=a` })).toBe(`${PAGE}?tenant=a&${HEAD}`);
    expect(build({ pageUrl: `  ${PAGE}  ` })).toBe(`${PAGE}?${HEAD}`);
    expect(build({ pageUrl: 'https://kaa.example.com' })).toBe(`https://kaa.example.com/?${HEAD}`);
  });
});

describe('pageRedirectUris', () => {
  it('the page without query or hash, and auth-callback.html next to it', () => {
    expect(pageRedirectUris('https://kaa.example.com/a/index.html?x=1#y', {})).toEqual({
      redirect: 'https://kaa.example.com/a/index.html',
      popup: 'https://kaa.example.com/a/auth-callback.html',
    });
  });

  it('the settings win; the popup follows a configured redirect URI', () => {
    expect(pageRedirectUris(PAGE, { redirectUri: 'https://login.example.com/cb/' })).toEqual({
      redirect: 'https://login.example.com/cb/',
      popup: 'https://login.example.com/cb/auth-callback.html',
    });
    expect(pageRedirectUris(PAGE, { popupRedirectUri: 'https://login.example.com/popup' })).toEqual({
      redirect: PAGE,
      popup: 'https://login.example.com/popup',
    });
  });
});
