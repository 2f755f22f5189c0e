import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { DEFAULT_SETTINGS, KaaError, parseSettings, resolveEnvironment } from '@kaa/core';

describe('settings', () => {
  it("ships every open question's documented default (docs/assumptions.md)", () => {
    expect(DEFAULT_SETTINGS).toEqual({
      kore: {
        jwt: { aud: 'https://idproxy.kore.com/authorize', ttlSeconds: 900, includeJti: false, secretEncoding: 'utf8' }, // docs/assumptions.md#widget-jwt-claims, docs/assumptions.md#hs256-key-bytes
        hooks: {
          pathPrefix: '/agentassist/api/v1/hooks',
          authHeader: 'auth',
          transferTypeCase: 'lower',
          isExtADAsString: false,
          redialLeadingExit: 'auto',
          triggerSummary: false,
        }, // docs/assumptions.md#hooks-path-prefix, docs/assumptions.md#hooks-auth-header, docs/assumptions.md#hooks-field-formats, docs/assumptions.md#hooks-event-order-for-transfers-and-redial
        source: 'genesys', // docs/assumptions.md#source-value-sent-to-kore
        webSdk: {},
      },
      jwe: {
        mode: 'claims',
        transport: 'message',
        alg: 'RSA-OAEP',
        enc: 'A128CBC-HS256',
        claimNames: ['secureCustomData'],
        ttlSeconds: 900,
        refreshBeforeSeconds: 60,
      }, // docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport, docs/assumptions.md#secure-custom-data-claim-name
      passthru: { forward: 'raw' }, // docs/assumptions.md#passthru-metadata-handling
      routing: {
        caseSensitive: true,
        fullNameFallback: false,
        defaultRow: null,
        cacheTtlSeconds: 300,
        noQueuePolicy: 'error',
      }, // docs/assumptions.md#queue-matching-details, docs/assumptions.md#bot-table-reads-and-cache, docs/assumptions.md#queue-name-availability
      thirdParty: { source: 'none', staticMap: {}, http: {} }, // docs/assumptions.md#third-party-configuration-runtime-api
      hold: { sink: 'controlTranscription' }, // docs/assumptions.md#hold-and-resume-sink
      lifecycleChannel: 'hooks', // docs/assumptions.md#who-sends-end-of-conversation
      tokens: { minter: 'auto' }, // docs/assumptions.md#where-tokens-are-minted
      auth: { mode: 'auto', grant: 'pkce', popupTimeoutMs: 120_000, staleRedirectMs: 15_000 }, // docs/assumptions.md#popup-or-redirect-login, docs/assumptions.md#redirect-uri-matching, docs/assumptions.md#implicit-grant-retirement, docs/assumptions.md#popup-opener-and-timeout
      genesys: { rateLimitPerMinute: 300, environments: [], enableEnvironments: [] }, // docs/assumptions.md#genesys-per-user-rate-limit, docs/assumptions.md#eu-sovereign-cloud
      legacy: {}, // docs/assumptions.md#legacy-genesys-data-table-lookup
      allow: { tables: [], accountIds: [], genesysEnvironments: [], koreHosts: [], unframed: false }, // docs/deploy.md#pinning-what-a-link-may-choose
      transcripts: { partials: false, silenceHintSeconds: 30, holdWindowMs: 5000 }, // docs/assumptions.md#transcription-topic-requirements-and-partial-results
    });
    expect(Object.isFrozen(DEFAULT_SETTINGS.kore.jwt)).toBe(true);
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it('merges a partial config with the defaults', () => {
    const s = parseSettings({
      kore: {
        hooks: { authHeader: 'token', transferTypeCase: 'upper' },
        apiHost: 'https://bots.kore.ai',
        language: 'de',
      },
      routing: { cacheTtlSeconds: 60, defaultRow: 'DEFAULT' },
      thirdParty: { source: 'static', staticMap: { KoreSupport: { BotId: 'st-1', ClientId: 'cs-1' } } },
      auth: { grant: 'implicit', redirectUri: 'https://kaa.example.com/koreaiaa-genesys/' },
      genesys: {
        environments: [
          {
            name: 'sandbox',
            apiBase: 'http://127.0.0.1:4102',
            loginBase: 'http://127.0.0.1:4103',
            streamingHost: '127.0.0.1:4104',
            appsOrigin: 'http://127.0.0.1:4101',
          },
        ],
      },
    });
    expect(s.kore.hooks).toEqual({ ...DEFAULT_SETTINGS.kore.hooks, authHeader: 'token', transferTypeCase: 'upper' });
    expect(s.kore.jwt).toEqual(DEFAULT_SETTINGS.kore.jwt);
    expect(s.routing.cacheTtlSeconds).toBe(60);
    expect(s.routing.defaultRow).toBe('DEFAULT');
    expect(s.auth.grant).toBe('implicit');
    expect(s.genesys.environments[0]).toMatchObject({
      name: 'sandbox',
      domain: '',
      region: '',
      enabled: true,
      aliases: [],
    });
    // the settings feed resolveEnvironment directly
    expect(resolveEnvironment({ hostOrigin: 'http://127.0.0.1:4101' }, s.genesys.environments).apiBase).toBe(
      'http://127.0.0.1:4102',
    );
  });

  it('names every bad key path in E_CONFIG_INVALID, without echoing values', () => {
    const e = errorOf(() =>
      parseSettings({
        kore: { jwt: { ttlSeconds: 'SECRET-LOOKING-VALUE' }, hook: {} },
        jwe: { alg: 'dir' },
        routing: { cacheTtlSeconds: -1 },
        auth: { redirectUri: 'http://evil.example/cb' },
      }),
    );
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.step).toBe('configuration');
    const keys = (e.details['issues'] as { key: string }[]).map((i) => i.key).sort();
    expect(keys).toEqual(['auth.redirectUri', 'jwe.alg', 'kore', 'kore.jwt.ttlSeconds', 'routing.cacheTtlSeconds']);
    expect(e.message).toContain('"kore.jwt.ttlSeconds" must be a number');
    expect(e.message).toContain('"kore" has unknown key(s) "hook"');
    expect(e.message).toContain('"jwe.alg" must be one of "RSA-OAEP", "RSA-OAEP-256"');
    expect(e.message).toContain('"routing.cacheTtlSeconds" must be at least 0');
    expect(e.message).toContain('"auth.redirectUri" must be an https:// URL');
    expect(JSON.stringify(e.toJSON())).not.toContain('SECRET-LOOKING-VALUE');
  });

  it('requires the URL that a chosen mode needs', () => {
    expect(errorOf(() => parseSettings({ thirdParty: { source: 'http' } })).details).toEqual({
      issues: [{ key: 'thirdParty.http.url', problem: 'is required when thirdParty.source is "http"' }],
    });
    expect(
      (errorOf(() => parseSettings({ hold: { sink: 'customUrl' } })).details['issues'] as { key: string }[])[0]?.key,
    ).toBe('hold.customUrl');
    expect(
      (errorOf(() => parseSettings({ tokens: { minter: 'server' } })).details['issues'] as { key: string }[])[0]?.key,
    ).toBe('tokens.serverUrl');
    expect(
      (
        errorOf(() => parseSettings({ routing: { noQueuePolicy: 'defaultRow' } })).details['issues'] as {
          key: string;
        }[]
      )[0]?.key,
    ).toBe('routing.defaultRow');
    expect(parseSettings({ routing: { noQueuePolicy: 'defaultRow', defaultRow: 'Kore' } }).routing.defaultRow).toBe(
      'Kore',
    );
    expect(parseSettings({ tokens: { minter: 'server', serverUrl: 'https://tokens.example.com' } }).tokens.minter).toBe(
      'server',
    );
  });

  it('throws nothing but E_CONFIG_INVALID for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.object(),
          fc.record({ kore: fc.anything(), routing: fc.anything(), auth: fc.object() }, { requiredKeys: [] }),
        ),
        (input) => {
          try {
            parseSettings(input);
          } catch (e) {
            if (!(e instanceof KaaError)) throw e;
            expect(e.code).toBe('E_CONFIG_INVALID');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
