import { describe, expect, it } from 'vitest';
import {
  KVG_HOST_US,
  KaaError,
  buildAudiohookAdvancedConfig,
  buildAudiohookUri,
  embedPageConfig,
  embeddedPageConfig,
  parsePageConfigText,
} from '@kaa/core';
import { errorOf } from '@kaa/test-support';

/**
 * The admin builders' exact normalisation and the words of their errors: what the CLI prints to an admin. Each case
 * is one that a changed rule (a regex anchor, a trim, a message) would get wrong.
 */

describe('buildAudiohookUri: host normalisation and errors', () => {
  const input = {
    kvgHost: KVG_HOST_US,
    sipuri: 'sip:st-1@kore.ai',
    token: 'kvg-token-value',
    botId: 'st-1',
    accountId: 'acc-1',
    multiBot: false,
  };
  const hostOf = (kvgHost: string) => new URL(buildAudiohookUri({ ...input, kvgHost })).host;

  it('strips any one of wss://, ws://, https://, http:// (any case), surrounding spaces and every trailing slash', () => {
    for (const scheme of ['wss://', 'ws://', 'https://', 'http://', 'WSS://', 'Http://'])
      expect(hostOf(`${scheme}kvg.example.com`), scheme).toBe('kvg.example.com');
    expect(hostOf('  kvg.example.com:8443//  ')).toBe('kvg.example.com:8443');
    expect(hostOf('kvg.example.com///')).toBe('kvg.example.com');
  });

  it('refuses a host with a scheme anywhere but the start, a path, or no host at all; the message names the fix', () => {
    for (const kvgHost of [
      'kvg.example.com/wss://x',
      'x wss://kvg.example.com',
      'kvg.examplewss://.com',
      'kvg.examplehttps://.com',
      'kvg.example.com/path',
      '',
      '   ',
      'wss://',
      'ftp://kvg.example.com',
      'kvg.example.com:123456',
    ]) {
      const e = errorOf(() => buildAudiohookUri({ ...input, kvgHost }));
      expect(e.code, kvgHost).toBe('E_CONFIG_INVALID');
      expect(e.message).toBe(
        'The Kore Voice Gateway host is missing or not a host name. Use savg-webserver.kore.ai for SaaS US, or your on-prem KVG host.',
      );
      expect(e.details).toEqual({ field: 'kvgHost' });
    }
    expect(hostOf('kvg.example.com:65535')).toBe('kvg.example.com:65535');
  });

  it('trims every value before encoding it; a blank or non-text value is E_CONFIG_INVALID naming the field and where to copy it', () => {
    const uri = new URL(
      buildAudiohookUri({
        ...input,
        sipuri: ' sip:st-1@kore.ai ',
        token: ' t ',
        botId: ' st-1 ',
        accountId: ' acc-1 ',
      }),
    );
    expect([...uri.searchParams.entries()]).toEqual([
      ['sipuri', 'sip:st-1@kore.ai'],
      ['token', 't'],
      ['botId', 'st-1'],
      ['accountId', 'acc-1'],
      ['agentassist', 'true'],
    ]);
    for (const field of ['sipuri', 'token', 'botId', 'accountId'] as const) {
      for (const value of ['  ', undefined, 42]) {
        const e = errorOf(() => buildAudiohookUri({ ...input, [field]: value as unknown as string }));
        expect(e.code).toBe('E_CONFIG_INVALID');
        expect(e.message).toBe(
          `The AudioHook Connection URI needs "${field}". Copy it from Agent AI › Flows & Channels › Voice Gateway › SIP Numbers › Configure SIP Trunk › GENESYS Audiohook.`,
        );
        expect(e.details).toEqual({ field });
      }
    }
  });

  it('redacts the token from its errors, even when the token is a word of the message', () => {
    const e = errorOf(() => buildAudiohookUri({ ...input, token: 'Voice', kvgHost: 'bad host' }));
    expect(e.message).not.toContain('Voice');
    expect(e.message).toContain('[REDACTED]');
  });
});

describe('buildAudiohookAdvancedConfig: normalisation and errors', () => {
  const ok = {
    environment: 'mypurecloud.com',
    oauthClientId: 'c1',
    oauthClientSecret: 'client-secret-value',
    koreDomainURL: 'https://platform.kore.ai',
    sendEventsToVG: false,
    botId: 'cs-1',
    token: 'token-value',
  };

  it('reduces environment to the bare domain: one leading scheme, path, and a leading apps./login./api. label only', () => {
    const env = (environment: string) => buildAudiohookAdvancedConfig({ ...ok, environment }).environment;
    expect(env('http://apps.mypurecloud.ie/')).toBe('mypurecloud.ie');
    expect(env('HTTPS://LOGIN.mypurecloud.de/directory/#/x')).toBe('mypurecloud.de');
    expect(env('api.usw2.pure.cloud')).toBe('usw2.pure.cloud');
    expect(env('mypurecloud.com')).toBe('mypurecloud.com');
    expect(env('euw2.pure.cloud.apps.example')).toBe('euw2.pure.cloud.apps.example');
    expect(env('xapps.mypurecloud.com')).toBe('xapps.mypurecloud.com');
  });

  it('trims every text field and every trailing slash of koreDomainURL', () => {
    const config = buildAudiohookAdvancedConfig({
      environment: ' mypurecloud.com ',
      oauthClientId: ' c1 ',
      oauthClientSecret: ' s ',
      koreDomainURL: ' https://platform.kore.ai/// ',
      sendEventsToVG: true,
      botId: ' cs-1 ',
      token: ' t ',
    });
    expect(config).toEqual({
      environment: 'mypurecloud.com',
      oauthClientId: 'c1',
      koreDomainURL: 'https://platform.kore.ai',
      oauthClientSecret: 's',
      sendEventsToVG: true,
      botId: 'cs-1',
      token: 't',
    });
  });

  it('each missing field is E_CONFIG_INVALID naming it and the fix, whatever its type', () => {
    const fixes = {
      environment: 'Use your Genesys environment, e.g. mypurecloud.com.',
      koreDomainURL: 'Use the Agent AI URL, e.g. https://platform.kore.ai.',
      oauthClientId: 'Create a Genesys OAuth client with the Client Credentials grant and use its Client ID.',
      oauthClientSecret: 'Use the Client Secret of that Client Credentials OAuth client.',
      botId: "Use the bot's ClientId.",
      token: "Sign a JWT with the bot's ClientId and ClientSecret (kaa: signPlatformJwt).",
    } as const;
    for (const [field, fix] of Object.entries(fixes)) {
      for (const value of ['', ' ', undefined, 7]) {
        const e = errorOf(() => buildAudiohookAdvancedConfig({ ...ok, [field]: value as unknown as string }));
        expect(e.code).toBe('E_CONFIG_INVALID');
        expect(e.message, `${field} = ${String(value)}`).toBe(
          `The AudioHook Advanced settings need "${field}". ${fix}`,
        );
        expect(e.details).toEqual({ field });
      }
    }
  });

  it('koreDomainURL must start with https:// and a host; sendEventsToVG must be a boolean', () => {
    for (const koreDomainURL of [
      'http://platform.kore.ai',
      'platform.kore.ai',
      'ftp://x/https://platform.kore.ai',
      'https:///path',
    ]) {
      const e = errorOf(() => buildAudiohookAdvancedConfig({ ...ok, koreDomainURL }));
      expect(e.message, koreDomainURL).toBe(
        'The AudioHook Advanced setting "koreDomainURL" must be an https URL such as https://platform.kore.ai.',
      );
      expect(e.details).toEqual({ field: 'koreDomainURL' });
    }
    expect(buildAudiohookAdvancedConfig({ ...ok, koreDomainURL: 'HTTPS://platform.kore.ai' }).koreDomainURL).toBe(
      'HTTPS://platform.kore.ai',
    );
    for (const sendEventsToVG of ['true', 1, null]) {
      const e = errorOf(() =>
        buildAudiohookAdvancedConfig({ ...ok, sendEventsToVG: sendEventsToVG as unknown as boolean }),
      );
      expect(e.message).toBe('The AudioHook Advanced setting "sendEventsToVG" must be true or false.');
      expect(e.details).toEqual({ field: 'sendEventsToVG' });
    }
  });

  it('redacts the client secret and the token from every error, even when they are words of the message', () => {
    const secretWord = errorOf(() =>
      buildAudiohookAdvancedConfig({ ...ok, oauthClientSecret: 'https', koreDomainURL: 'http://platform.kore.ai' }),
    );
    expect(secretWord.message).not.toMatch(/https/);
    const tokenWord = errorOf(() =>
      buildAudiohookAdvancedConfig({ ...ok, token: 'sendEventsToVG', sendEventsToVG: 'no' as unknown as boolean }),
    );
    expect(tokenWord.message).not.toContain('sendEventsToVG');
    expect(tokenWord.details).toEqual({ field: '[REDACTED]' });
    const fieldWord = errorOf(() => buildAudiohookAdvancedConfig({ ...ok, token: 'botId', botId: '' }));
    expect(fieldWord.details).toEqual({ field: '[REDACTED]' });
  });
});

describe('embedPageConfig / parsePageConfigText: the words of their errors', () => {
  const BUILT = '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>';

  it('a file without </head> names index.html and what to pass', () => {
    const e = errorOf(() => embedPageConfig('<html><body></body></html>', {}));
    expect(e).toBeInstanceOf(KaaError);
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toBe(
      'The page file has no </head>: pass the index.html of the built kaa page (apps/iframe dist).',
    );
    expect(e.details).toEqual({ file: 'index.html' });
  });

  it('accepts </HEAD> in any case, and embeds before it', () => {
    const html = embedPageConfig('<html><HEAD></HEAD><body></body></html>', { routing: { cacheTtlSeconds: 5 } });
    expect(html).toBe(
      '<html><HEAD><script type="application/json" id="kaa-config">{"routing":{"cacheTtlSeconds":5}}</script>\n</HEAD><body></body></html>',
    );
  });

  it('no settings at all embeds {}; a $ in a value is written as it is', () => {
    expect(embeddedPageConfig(embedPageConfig(BUILT, undefined))).toEqual({});
    const html = embedPageConfig(BUILT, { kore: { jwt: { aud: "$& $' $1" } } });
    expect(embeddedPageConfig(html)).toEqual({ kore: { jwt: { aud: "$& $' $1" } } });
  });

  it('invalid JSON is E_CONFIG_INVALID naming the source, with the parse error as cause', () => {
    const e = errorOf(() => parsePageConfigText('{nope', 'kaa.config.json'));
    expect(e.message).toBe(
      "The page's configuration in kaa.config.json is not valid JSON. Fix its syntax (a JSON object of kaa settings).",
    );
    expect(e.details).toEqual({ file: 'kaa.config.json' });
    expect(e.cause).toBeInstanceOf(SyntaxError);
    const embedded = errorOf(() =>
      embeddedPageConfig(`<head><script type="application/json" id="kaa-config">{nope</script></head>`),
    );
    expect(embedded.details).toEqual({ file: 'index.html' });
  });
});
