import { describe, expect, it } from 'vitest';
import { rejectionOf } from '@kaa/test-support';
import {
  ENVIRONMENTS,
  PAGE_CONFIG_FILE,
  buildPageCsp,
  embedPageConfig,
  defaultProductionCsp,
  pageHeadersFile,
  pageSecurityHeaders,
  parseSettings,
  readPageSettings,
} from '@kaa/core';

/**
 * The deployed page's security headers and the one rule for which settings it runs with. The CLI and the page build
 * call these; here they are pinned at the core, where the rule lives.
 */

const usEast = ENVIRONMENTS.find((e) => e.domain === 'mypurecloud.com')!;
const euWest = ENVIRONMENTS.find((e) => e.domain === 'mypurecloud.ie')!;

describe('buildPageCsp', () => {
  it('allows exactly the Genesys API, login and streaming hosts, the Kore hosts and the widget frames; nothing else', () => {
    const csp = buildPageCsp({
      genesys: [usEast],
      koreHosts: ['https://platform.kore.ai'],
      widgetOrigins: ['https://agentassist.kore.ai'],
    });
    expect(csp).toBe(
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' https://api.mypurecloud.com https://login.mypurecloud.com wss://streaming.mypurecloud.com https://platform.kore.ai",
        'frame-src https://agentassist.kore.ai',
        'frame-ancestors https://apps.mypurecloud.com',
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
      ].join('; '),
    );
  });

  it('lists each origin once, keeps the ws: scheme of a local stand-in, and uses the given frame ancestors instead of the apps origins', () => {
    const csp = buildPageCsp({
      genesys: [usEast, euWest, usEast],
      koreHosts: ['https://platform.kore.ai', 'https://platform.kore.ai'],
      widgetOrigins: ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
      frameAncestors: ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
      socketScheme: 'ws:',
    });
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['connect-src']).toEqual([
      "'self'",
      'https://api.mypurecloud.com',
      'https://login.mypurecloud.com',
      'ws://streaming.mypurecloud.com',
      'https://api.mypurecloud.ie',
      'https://login.mypurecloud.ie',
      'ws://streaming.mypurecloud.ie',
      'https://platform.kore.ai',
    ]);
    expect(directives['frame-src']).toEqual(['http://127.0.0.1:4010']);
    expect(directives['frame-ancestors']).toEqual(['http://127.0.0.1:4000']);
    const byDefault = buildPageCsp({ genesys: [usEast, euWest], koreHosts: [], widgetOrigins: [] });
    expect(byDefault).toContain('; frame-ancestors https://apps.mypurecloud.com https://apps.mypurecloud.ie; ');
  });
});

describe('defaultProductionCsp', () => {
  it('covers every enabled Genesys environment (not the disabled ones) and Kore SaaS by default', () => {
    const csp = defaultProductionCsp(ENVIRONMENTS);
    for (const e of ENVIRONMENTS) {
      expect(csp.includes(`${e.apiBase} `), e.name).toBe(e.enabled);
      expect(csp.includes(`wss://${e.streamingHost}`), e.name).toBe(e.enabled);
    }
    expect(ENVIRONMENTS.some((e) => !e.enabled)).toBe(true);
    expect(csp).toContain(
      ' https://platform.kore.ai https://bots.kore.ai https://agentassist.kore.ai; frame-src https://platform.kore.ai https://bots.kore.ai https://agentassist.kore.ai; ',
    );
  });

  it('takes the Kore hosts and widget origins of an on-prem deployment', () => {
    const csp = defaultProductionCsp([usEast], {
      koreHosts: ['https://kore.example'],
      widgetOrigins: ['https://widget.example'],
    });
    expect(csp).toContain(
      'wss://streaming.mypurecloud.com https://kore.example; frame-src https://widget.example; frame-ancestors https://apps.mypurecloud.com;',
    );
  });
});

describe('pageSecurityHeaders / pageHeadersFile', () => {
  it('sends the CSP with no referrer and no MIME sniffing, in the _headers format for every path', () => {
    expect(pageSecurityHeaders('default-src x')).toEqual({
      'Content-Security-Policy': 'default-src x',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(pageHeadersFile('default-src x')).toBe(
      '/*\n  Content-Security-Policy: default-src x\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n',
    );
  });
});

describe('readPageSettings', () => {
  const FILE_URL = 'https://page.example/kaa/kaa.config.json';
  const answer =
    (status: number, body = '') =>
    async () =>
      new Response(status === 204 ? null : body, { status });

  it('the embedded block wins and no request is made', async () => {
    const asked: string[] = [];
    const settings = await readPageSettings({
      blockText: '{"routing":{"cacheTtlSeconds":5}}',
      fileUrl: FILE_URL,
      get: async (url) => {
        asked.push(url);
        return new Response('{}');
      },
    });
    expect(settings.routing.cacheTtlSeconds).toBe(5);
    expect(asked).toEqual([]);
  });

  it('without a block, reads kaa.config.json with the page credentials and asks for JSON; 404 means every default', async () => {
    const seen: [string, RequestInit | undefined][] = [];
    const settings = await readPageSettings({
      blockText: null,
      fileUrl: FILE_URL,
      get: async (url, init) => {
        seen.push([url, init]);
        return new Response('{"routing":{"cacheTtlSeconds":7}}', { status: 200 });
      },
    });
    expect(settings.routing.cacheTtlSeconds).toBe(7);
    expect(seen).toEqual([[FILE_URL, { credentials: 'same-origin', headers: { accept: 'application/json' } }]]);
    expect(await readPageSettings({ blockText: null, fileUrl: FILE_URL, get: answer(404, 'not here') })).toEqual(
      parseSettings({}),
    );
  });

  it('an empty block is read as text, not skipped', async () => {
    const e = await rejectionOf(
      readPageSettings({ blockText: '', fileUrl: FILE_URL, get: answer(200, '{}') }),
      'E_CONFIG_INVALID',
    );
    expect(e.message).toBe(
      'The page\'s configuration in index.html (the "kaa-config" block) is not valid JSON. Fix its syntax (a JSON object of kaa settings).',
    );
  });

  it('a file that cannot be fetched or answers an error status is E_CONFIG_INVALID naming the file and the status', async () => {
    const down = await rejectionOf(
      readPageSettings({
        blockText: null,
        fileUrl: FILE_URL,
        get: async () => {
          throw new TypeError('fetch failed');
        },
      }),
      'E_CONFIG_INVALID',
    );
    expect(down.message).toBe(
      'The page could not read its configuration file kaa.config.json. Check that it is deployed next to index.html and reachable.',
    );
    expect(down.details).toEqual({ file: PAGE_CONFIG_FILE });
    expect(down.cause).toBeInstanceOf(TypeError);
    for (const status of [403, 500]) {
      const e = await rejectionOf(
        readPageSettings({ blockText: null, fileUrl: FILE_URL, get: answer(status, '{}') }),
        'E_CONFIG_INVALID',
      );
      expect(e.message).toBe(
        `The page's configuration file kaa.config.json answered HTTP ${status}. Deploy it next to index.html, or remove it to use the defaults.`,
      );
      expect(e.details).toEqual({ file: PAGE_CONFIG_FILE, status });
    }
  });

  it('an invalid setting names the source before the key, in the message and the details', async () => {
    const fromFile = await rejectionOf(
      readPageSettings({ blockText: null, fileUrl: FILE_URL, get: answer(200, '{"routing":{"cacheTtlSeconds":-1}}') }),
      'E_CONFIG_INVALID',
    );
    expect(fromFile.message).toBe(
      'kaa.config.json: Invalid kaa settings: "routing.cacheTtlSeconds" must be at least 0. Correct this key in the settings file.',
    );
    expect(fromFile.details).toEqual({
      issues: [{ key: 'routing.cacheTtlSeconds', problem: 'must be at least 0' }],
      file: 'kaa.config.json',
    });
    const fromBlock = await rejectionOf(
      readPageSettings({ blockText: '[]', fileUrl: FILE_URL, get: answer(200) }),
      'E_CONFIG_INVALID',
    );
    expect(fromBlock.message.startsWith('index.html (the "kaa-config" block): Invalid kaa settings:')).toBe(true);
    expect(fromBlock.details['file']).toBe('index.html (the "kaa-config" block)');
    const badJson = await rejectionOf(
      readPageSettings({ blockText: null, fileUrl: FILE_URL, get: answer(200, '{nope') }),
      'E_CONFIG_INVALID',
    );
    expect(badJson.details).toEqual({ file: 'kaa.config.json' });
  });
});

describe('embedPageConfig: the exact page it writes', () => {
  const BUILT =
    '<!doctype html><html><head>\n<meta charset="utf-8">\n  <link rel="preload" href="./kaa.config.json" as="fetch" crossorigin="anonymous">\n<script type="module" src="./a.js"></script>\n</head><body></body></html>';

  it('drops the kaa.config.json preload (and the space before it) and puts the block right before </head>', () => {
    expect(embedPageConfig(BUILT, { routing: { cacheTtlSeconds: 5 } })).toBe(
      '<!doctype html><html><head>\n<meta charset="utf-8">\n<script type="module" src="./a.js"></script>\n<script type="application/json" id="kaa-config">{"routing":{"cacheTtlSeconds":5}}</script>\n</head><body></body></html>',
    );
  });

  it('embedding again gives the same page as embedding once with the new settings', () => {
    const once = embedPageConfig(BUILT, { routing: { cacheTtlSeconds: 5 } });
    expect(embedPageConfig(once, { routing: { cacheTtlSeconds: 9 } })).toBe(
      embedPageConfig(BUILT, { routing: { cacheTtlSeconds: 9 } }),
    );
  });
});
