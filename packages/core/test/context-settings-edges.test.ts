import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { DEFAULT_SETTINGS, parseSettings } from '@kaa/core';

/** kaa's settings at their edges: the exact words of E_CONFIG_INVALID, the cap on listed problems, the cross-key rules. */

type Issue = { key: string; problem: string };
const issuesOf = (input: unknown) => errorOf(() => parseSettings(input)).details['issues'] as Issue[];

describe('parseSettings: the message', () => {
  it('one bad key: "Correct this key"', () => {
    const e = errorOf(() => parseSettings({ routing: { cacheTtlSeconds: -1 } }));
    expect(e).toMatchObject({
      code: 'E_CONFIG_INVALID',
      message:
        'Invalid kaa settings: "routing.cacheTtlSeconds" must be at least 0. Correct this key in the settings file.',
      details: { issues: [{ key: 'routing.cacheTtlSeconds', problem: 'must be at least 0' }] },
    });
  });

  it('several: each quoted and joined by "; ", then "Correct these keys"', () => {
    const e = errorOf(() => parseSettings({ routing: { cacheTtlSeconds: -1, caseSensitive: 'yes' } }));
    expect(e.message).toBe(
      'Invalid kaa settings: "routing.caseSensitive" must be a boolean; "routing.cacheTtlSeconds" must be at least 0. Correct these keys in the settings file.',
    );
  });

  it('lists at most eight problems', () => {
    const issues = issuesOf({
      jwe: { mode: 1, transport: 1, alg: 1, enc: 1, ttlSeconds: 'x', refreshBeforeSeconds: 'x' },
      passthru: { forward: 1 },
      routing: { caseSensitive: 1, fullNameFallback: 1 },
    });
    expect(issues).toHaveLength(8);
    expect(issues.map((i) => i.key)).toEqual([
      'jwe.mode',
      'jwe.transport',
      'jwe.alg',
      'jwe.enc',
      'jwe.ttlSeconds',
      'jwe.refreshBeforeSeconds',
      'passthru.forward',
      'routing.caseSensitive',
    ]);
  });

  it('null and undefined are the defaults; other non-objects are refused', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(issuesOf(5)).toEqual([{ key: '(root)', problem: 'must be an object' }]);
    expect(issuesOf(false)).toEqual([{ key: '(root)', problem: 'must be an object' }]);
  });
});

describe('parseSettings: a chosen mode needs its URL, and only that mode', () => {
  it.each([
    [{ thirdParty: { source: 'http' } }, 'thirdParty.http.url', 'is required when thirdParty.source is "http"'],
    [{ hold: { sink: 'customUrl' } }, 'hold.customUrl', 'is required when hold.sink is "customUrl"'],
    [
      { routing: { noQueuePolicy: 'defaultRow' } },
      'routing.defaultRow',
      'is required when routing.noQueuePolicy is "defaultRow"',
    ],
    [{ tokens: { minter: 'server' } }, 'tokens.serverUrl', 'is required when tokens.minter is "server"'],
  ])('%j → %s', (input, key, problem) => {
    expect(issuesOf(input)).toEqual([{ key, problem }]);
  });

  it.each([
    { thirdParty: { source: 'static' } },
    { thirdParty: { source: 'http', http: { url: 'https://lookup.example.com' } } },
    { hold: { sink: 'none' } },
    { hold: { sink: 'customUrl', customUrl: 'https://hold.example.com' } },
    { routing: { noQueuePolicy: 'error' } },
    { routing: { defaultRow: 'Kore' } },
    { tokens: { minter: 'browser' } },
    { tokens: { minter: 'auto' } },
  ])('%j is valid', (input) => {
    expect(() => parseSettings(input)).not.toThrow();
  });
});

describe('parseSettings: URLs', () => {
  it.each([
    ['https://kore.example.com', true],
    ['http://127.0.0.1:4100', true],
    ['http://localhost:4100', true],
    ['http://[::1]:4100', true],
    ['http://kore.example.com', false],
    ['ftp://kore.example.com', false],
    ['kore.example.com', false],
  ])('kore.apiHost %s accepted: %s', (apiHost, ok) => {
    if (ok) expect(parseSettings({ kore: { apiHost } }).kore.apiHost).toBe(apiHost);
    else
      expect(issuesOf({ kore: { apiHost } })).toEqual([
        {
          key: 'kore.apiHost',
          problem: 'must be an https:// URL (http:// only on 127.0.0.1, localhost or [::1])',
        },
      ]);
  });
});
