import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KaaError, buildAgentAssistUrl, describeWidgetUrl, languageOf, summaryLanguageOf } from '@kaa/core';
import { BOTS, CONVERSATIONS } from '../../sandbox/src/seed.js';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const record = {
  botId: BOTS.alpha.botId,
  agentAssistWidgetUrl: WIDGET,
  clientSecret: 'extra fields of a BotRecord are fine',
};
const context = { conversationId: CONVERSATIONS.voiceAlpha, lang: 'en-us', environment: 'mypurecloud.com' };
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';

describe('buildAgentAssistUrl (docs/kore-protocol.md#widget-url-kaa-builds)', () => {
  it('builds the documented URL in the documented order', () => {
    const url = buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true });
    expect(url).toBe(
      `${WIDGET}?token=${TOKEN}&botid=${BOTS.alpha.botId}&agentassisturl=https%3A%2F%2Fagentassist.kore.ai&conversationid=${CONVERSATIONS.voiceAlpha}&isCall=true&source=genesys&interactiveLanguage=en`,
    );
  });

  it('adds customData as encodeURIComponent(JSON) that round-trips, and channel when given', () => {
    const customData = { internalMetaData: '{"crmId":"42 & more"}', fName: 'Ada Lovelace' };
    const url = buildAgentAssistUrl(record, context, { token: TOKEN, isCall: false, channel: 'chat', customData });
    const params = new URL(url).searchParams;
    expect(params.get('isCall')).toBe('false');
    expect(params.get('channel')).toBe('chat');
    expect(url).toContain(`&customData=${encodeURIComponent(JSON.stringify(customData))}`);
    expect(url.endsWith(`customData=${encodeURIComponent(JSON.stringify(customData))}`)).toBe(true);
    expect(JSON.parse(decodeURIComponent(url.split('customData=')[1]!))).toEqual(customData);
    expect(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: false, customData: {} })).not.toContain(
      'customData',
    );
  });

  it('overrides agentassisturl (docs/assumptions.md#agentassisturl-host), source (docs/assumptions.md#source-value-sent-to-kore) and language (docs/assumptions.md#widget-language); keeps existing query params', () => {
    const url = buildAgentAssistUrl(
      {
        botId: 'st-1',
        agentAssistWidgetUrl: 'https://platform.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html?v=3#frag',
      },
      { conversationId: 'c-1', lang: 'fr-CA' },
      { token: TOKEN, isCall: true, agentAssistUrl: 'https://smartassist.kore.ai/', source: 'kaa', language: 'de' },
    );
    const parsed = new URL(url);
    expect(parsed.search.startsWith('?v=3&token=')).toBe(true);
    expect(parsed.hash).toBe('#frag');
    expect(parsed.searchParams.get('agentassisturl')).toBe('https://smartassist.kore.ai');
    expect(parsed.searchParams.get('source')).toBe('kaa');
    expect(parsed.searchParams.get('interactiveLanguage')).toBe('de');
  });

  it('allows http on loopback only (the sandbox)', () => {
    expect(
      buildAgentAssistUrl(
        { botId: 'st-1', agentAssistWidgetUrl: 'http://127.0.0.1:4010/w.html' },
        { conversationId: 'c' },
        { token: TOKEN, isCall: true },
      ),
    ).toContain('agentassisturl=http%3A%2F%2F127.0.0.1%3A4010');
    expect(() =>
      buildAgentAssistUrl(
        { botId: 'st-1', agentAssistWidgetUrl: 'http://agentassist.kore.ai/w.html' },
        { conversationId: 'c' },
        { token: TOKEN, isCall: true },
      ),
    ).toThrow(expect.objectContaining({ code: 'E_WIDGET_URL_INVALID' }));
  });

  it('missing token, botid, agentassisturl or conversationid → E_WIDGET_URL_INVALID naming the parameter', () => {
    const cases: [Parameters<typeof buildAgentAssistUrl>, string][] = [
      [[record, context, { token: '', isCall: true }], 'token'],
      [[{ ...record, botId: ' ' }, context, { token: TOKEN, isCall: true }], 'botid'],
      [[{ ...record, agentAssistWidgetUrl: '' }, context, { token: TOKEN, isCall: true }], 'agentassisturl'],
      [[{ ...record, agentAssistWidgetUrl: 'not a url' }, context, { token: TOKEN, isCall: true }], 'agentassisturl'],
      [
        [{ ...record, agentAssistWidgetUrl: 'javascript:alert(1)' }, context, { token: TOKEN, isCall: true }],
        'agentassisturl',
      ],
      [[record, context, { token: TOKEN, isCall: true, agentAssistUrl: 'ftp://x' }], 'agentassisturl'],
      [[record, { conversationId: '' }, { token: TOKEN, isCall: true }], 'conversationid'],
      [[record, context, { token: TOKEN, isCall: true, channel: 'sms' as 'chat' }], 'channel'],
    ];
    for (const [args, param] of cases) {
      try {
        buildAgentAssistUrl(...args);
        expect.unreachable(`expected ${param} to fail`);
      } catch (e) {
        expect(e).toBeInstanceOf(KaaError);
        expect((e as KaaError).code).toBe('E_WIDGET_URL_INVALID');
        expect((e as KaaError).details['param']).toBe(param);
      }
    }
  });

  it('non-JSON customData → E_WIDGET_URL_INVALID', () => {
    expect(() => buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true, customData: { n: 1n } })).toThrow(
      expect.objectContaining({ code: 'E_WIDGET_URL_INVALID' }),
    );
  });
});

describe('languageOf (docs/assumptions.md#widget-language)', () => {
  it('maps gcLangTag to its primary subtag, override first, en by default', () => {
    expect(languageOf('en-us')).toBe('en');
    expect(languageOf('EN-GB')).toBe('en');
    expect(languageOf('pt_BR')).toBe('pt');
    expect(languageOf('fr-CA', 'de')).toBe('de');
    expect(languageOf('fr-CA', '  ')).toBe('fr');
    expect(languageOf(undefined)).toBe('en');
    expect(languageOf('')).toBe('en');
    expect(languageOf('%%')).toBe('en');
  });
});

describe('describeWidgetUrl', () => {
  it('redacts token, customData and other secret params, keeps the rest', () => {
    const url = `${WIDGET}?token=${TOKEN}&botid=st-1&conversationid=c-1&customData=%7B%22a%22%3A1%7D&x_passthru_metadata=abc`;
    expect(describeWidgetUrl(url)).toBe(
      `${WIDGET}?token=[REDACTED]&botid=st-1&conversationid=c-1&customData=[REDACTED]&x_passthru_metadata=[REDACTED]`,
    );
  });
  it('redacts named secrets and token-shaped text in anything else', () => {
    expect(describeWidgetUrl(`see ${TOKEN}`)).toBe('see [REDACTED]');
    expect(describeWidgetUrl(`${WIDGET}#access_token=abcdef`)).toBe(`${WIDGET}#access_token=[REDACTED]`);
    expect(describeWidgetUrl(`${WIDGET}?botid=mysecretbot`, ['mysecretbot'])).toBe(`${WIDGET}?botid=[REDACTED]`);
  });
});

describe('widget URL properties', () => {
  it('any conversation id, language and JSON custom data round-trip through the query string', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
        fc.option(fc.string(), { nil: undefined }),
        fc.dictionary(
          fc.string().filter((k) => k !== '__proto__'),
          fc.jsonValue(),
        ),
        (conversationId, lang, customData) => {
          const url = buildAgentAssistUrl(
            record,
            { conversationId, lang },
            { token: TOKEN, isCall: false, customData },
          );
          const params = new URL(url).searchParams;
          expect(params.get('conversationid')).toBe(conversationId.trim());
          expect(params.get('token')).toBe(TOKEN);
          expect(params.get('interactiveLanguage')).toBe(languageOf(lang));
          if (Object.keys(customData).length > 0)
            expect(JSON.parse(params.get('customData')!)).toEqual(JSON.parse(JSON.stringify(customData)));
          else expect(params.has('customData')).toBe(false);
          expect(describeWidgetUrl(url)).not.toContain(TOKEN);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('describeWidgetUrl never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => typeof describeWidgetUrl(s) === 'string'),
      { numRuns: 300 },
    );
  });
});

describe('summaryLanguageOf (kore.hooks.triggerSummary)', () => {
  it('names the widget language in English for TRIGGER_SUMMARY_EVENT, and keeps a code it cannot name', () => {
    expect(summaryLanguageOf('en')).toEqual({ language: 'English', locale: 'en' });
    expect(summaryLanguageOf('de')).toEqual({ language: 'German', locale: 'de' });
    expect(summaryLanguageOf('qq')).toEqual({ language: 'qq', locale: 'qq' });
    fc.assert(
      fc.property(
        fc.string(),
        (s) => summaryLanguageOf(s).locale === s && typeof summaryLanguageOf(s).language === 'string',
      ),
    );
  });
});
