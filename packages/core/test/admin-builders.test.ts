import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  KVG_HOST_US,
  OAUTH_SCOPES,
  OAUTH_SCOPES_LEGACY,
  WIDGET_COMMUNICATION_TYPES,
  WIDGET_PERMISSIONS,
  WIDGET_SANDBOX_FLAGS,
  buildAudiohookAdvancedConfig,
  buildAudiohookUri,
  formatAudiohookAdvancedConfig,
  oauthScopesFor,
  signPlatformJwt,
} from '@kaa/core';
import { BOTS, OAUTH_CLIENTS, THIRD_PARTY } from '../../sandbox/src/seed.js';

describe('buildAudiohookUri (guide: Install Audiohook)', () => {
  const input = { kvgHost: KVG_HOST_US, sipuri: 'xxx', token: 'xxx', botId: 'xxx', accountId: 'xxx', multiBot: false };

  it('matches the guide exactly', () => {
    expect(buildAudiohookUri(input)).toBe(
      'wss://savg-webserver.kore.ai/audiosocket/genesys/?sipuri=xxx&token=xxx&botId=xxx&accountId=xxx&agentassist=true',
    );
    expect(buildAudiohookUri({ ...input, multiBot: true })).toBe(
      'wss://savg-webserver.kore.ai/audiosocket/genesys/?sipuri=xxx&token=xxx&botId=xxx&accountId=xxx&agentassist=true&multiBot=true',
    );
  });

  it('encodes values and tolerates a scheme or slash on the host', () => {
    const uri = buildAudiohookUri({
      kvgHost: 'wss://kvg.onprem.example:8443/',
      sipuri: 'sip:+1555@kore.ai',
      token: 'a&b=c',
      botId: BOTS.alpha.botId,
      accountId: THIRD_PARTY.accountId,
      multiBot: true,
    });
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('wss:');
    expect(parsed.host).toBe('kvg.onprem.example:8443');
    expect(parsed.searchParams.get('sipuri')).toBe('sip:+1555@kore.ai');
    expect(parsed.searchParams.get('token')).toBe('a&b=c');
    expect(parsed.searchParams.get('multiBot')).toBe('true');
  });

  it('missing fields → E_CONFIG_INVALID naming the field', () => {
    for (const field of ['sipuri', 'token', 'botId', 'accountId'] as const) {
      expect(() => buildAudiohookUri({ ...input, [field]: '' })).toThrow(
        expect.objectContaining({ code: 'E_CONFIG_INVALID', details: { field } }),
      );
    }
    expect(() => buildAudiohookUri({ ...input, kvgHost: 'bad host/x?y' })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
  });
});

describe('buildAudiohookAdvancedConfig', () => {
  it('builds the guide object in its key order with a bot-signed token', async () => {
    const token = await signPlatformJwt({
      appId: BOTS.alpha.clientId,
      clientSecret: BOTS.alpha.clientSecret,
      now: 1_767_225_600,
      ttlSeconds: 86_400,
    });
    const config = buildAudiohookAdvancedConfig({
      environment: 'https://apps.mypurecloud.com/',
      oauthClientId: OAUTH_CLIENTS.credentials.id,
      oauthClientSecret: OAUTH_CLIENTS.credentials.secret,
      koreDomainURL: 'https://platform.kore.ai/',
      sendEventsToVG: true,
      botId: BOTS.alpha.clientId,
      token,
    });
    expect(Object.keys(config)).toEqual([
      'environment',
      'oauthClientId',
      'koreDomainURL',
      'oauthClientSecret',
      'sendEventsToVG',
      'botId',
      'token',
    ]);
    expect(config).toMatchObject({
      environment: 'mypurecloud.com',
      koreDomainURL: 'https://platform.kore.ai',
      sendEventsToVG: true,
      botId: BOTS.alpha.clientId,
    });
    await expect(
      jwtVerify(config.token, new TextEncoder().encode(BOTS.alpha.clientSecret), {
        currentDate: new Date(1_767_225_600_000),
      }),
    ).resolves.toBeTruthy();
    const text = formatAudiohookAdvancedConfig(config);
    expect(text.split('\n')[1]).toBe('  "environment": "mypurecloud.com",');
    expect(JSON.parse(text)).toEqual(config);
  });

  it('rejects missing fields, a non-https Kore URL and a non-boolean sendEventsToVG', () => {
    const ok = {
      environment: 'mypurecloud.com',
      oauthClientId: 'c',
      oauthClientSecret: 's',
      koreDomainURL: 'https://platform.kore.ai',
      sendEventsToVG: false,
      botId: 'cs-1',
      token: 't',
    };
    expect(buildAudiohookAdvancedConfig(ok).sendEventsToVG).toBe(false);
    for (const patch of [
      { environment: '' },
      { oauthClientId: ' ' },
      { token: '' },
      { koreDomainURL: 'http://platform.kore.ai' },
      { sendEventsToVG: 'true' as unknown as boolean },
    ]) {
      expect(() => buildAudiohookAdvancedConfig({ ...ok, ...patch })).toThrow(
        expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
      );
    }
  });
});

describe('Interaction Widget settings and OAuth scopes (guide)', () => {
  it('lists the seven sandbox flags and six permissions exactly as the guide', () => {
    expect(WIDGET_SANDBOX_FLAGS.join(',')).toBe(
      'allow-forms,allow-modals,allow-popups,allow-presentation,allow-same-origin,allow-scripts,allow-downloads',
    );
    expect(WIDGET_PERMISSIONS.join(',')).toBe(
      'camera,microphone,geolocation,clipboard-write,display-capture,fullscreen',
    );
    expect(WIDGET_COMMUNICATION_TYPES).toEqual(['call', 'chat', 'webmessaging']);
  });

  it('lists the twelve guide scopes, no routing scope; legacy adds architect:readonly', () => {
    expect(new Set(OAUTH_SCOPES)).toEqual(
      new Set([
        'conversations',
        'conversations:readonly',
        'integrations',
        'integrations:readonly',
        'messaging',
        'messaging-platform',
        'messaging-platform:readonly',
        'messaging:readonly',
        'notifications',
        'user-basic-info',
        'web-chat',
        'web-chat:readonly',
      ]),
    );
    expect(OAUTH_SCOPES.some((s) => s.startsWith('routing'))).toBe(false);
    expect(OAUTH_SCOPES_LEGACY).toEqual([...OAUTH_SCOPES, 'architect:readonly']);
    expect(oauthScopesFor('legacy')).toBe(OAUTH_SCOPES_LEGACY);
    expect(oauthScopesFor('koreDataTable')).toBe(OAUTH_SCOPES);
  });
});
