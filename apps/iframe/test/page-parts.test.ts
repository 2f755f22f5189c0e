import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, KaaError, resolveEnvironment } from '@kaa/core';
import { buildPageCsp, defaultProductionCsp } from '../src/csp.js';
import { createConsoleLogger } from '../src/console-logger.js';
import { createPageSecrets } from '../src/secrets.js';
import { createTimeline } from '../src/timeline.js';

describe('buildPageCsp', () => {
  it('allows the Agent AI Web SDK host in script-src when one is configured (kore.webSdk.scriptUrl), nothing else', () => {
    const csp = buildPageCsp({
      genesys: [resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' })],
      koreHosts: [],
      widgetOrigins: ['https://agentassist.kore.ai'],
      scriptOrigins: ['https://cdn.example.com', 'https://cdn.example.com'],
    });
    expect(csp).toContain("script-src 'self' https://cdn.example.com;");
  });

  it('is strict: own scripts and styles only, Genesys + Kore in connect-src, the widget in frame-src, the desktop in frame-ancestors', () => {
    const csp = buildPageCsp({
      genesys: [resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' })],
      koreHosts: ['https://platform.kore.ai'],
      widgetOrigins: ['https://agentassist.kore.ai'],
    });
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['connect-src']).toBe(
      "'self' https://api.mypurecloud.ie https://login.mypurecloud.ie wss://streaming.mypurecloud.ie https://platform.kore.ai",
    );
    expect(directives['frame-src']).toBe('https://agentassist.kore.ai');
    expect(directives['frame-ancestors']).toBe('https://apps.mypurecloud.ie');
    expect(csp).not.toContain('unsafe');
  });

  it('the production default lists every enabled region and no disabled one', () => {
    const csp = defaultProductionCsp(ENVIRONMENTS);
    for (const e of ENVIRONMENTS) expect(csp.includes(`https://api.${e.domain} `)).toBe(e.enabled);
    expect(csp).toContain('frame-src https://platform.kore.ai https://bots.kore.ai https://agentassist.kore.ai');
  });
});

describe('secrets, timeline and console logger', () => {
  it('redacts every secret the page learnt, and credential-shaped text, in the timeline and the console', async () => {
    const secrets = createPageSecrets('state-value-abcdef');
    secrets.add('alpha-bot-client-secret-0001', undefined, null, 'x');
    let t = 0;
    const timeline = createTimeline(() => (t += 5), secrets);
    await timeline.run(
      '6 token',
      async () => 'v',
      () =>
        'signed with alpha-bot-client-secret-0001 state=state-value-abcdef token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
    );
    await expect(timeline.run('4 users/me', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const [ok, failed] = timeline.entries();
    expect(ok).toMatchObject({ step: '6 token', outcome: 'ok', durationMs: 5 });
    expect(ok?.note).not.toContain('alpha-bot-client-secret-0001');
    expect(ok?.note).not.toContain('state-value-abcdef');
    expect(ok?.note).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(failed).toMatchObject({ step: '4 users/me', outcome: 'failed', note: 'boom' });
    // a failed step shows its error (which names the URL called), redacted like every note
    await expect(
      timeline.run('4 bot source', () =>
        Promise.reject(
          new KaaError(
            'E_KORE_HOST_WRONG',
            'POST https://kaa.example.com/api/public/tables/kaa_bots/query answered HTTP 405 (alpha-bot-client-secret-0001)',
          ),
        ),
      ),
    ).rejects.toThrow();
    expect(timeline.entries()[2]?.note).toBe(
      'E_KORE_HOST_WRONG: POST https://kaa.example.com/api/public/tables/kaa_bots/query answered HTTP 405 ([REDACTED])',
    );

    const lines: string[] = [];
    const sink = {
      debug: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    let debug = false;
    const logger = createConsoleLogger(sink, secrets, () => debug);
    logger.info('answer', { body: '{"ClientSecret":"alpha-bot-client-secret-0001"}' });
    logger.debug('hidden');
    debug = true;
    logger.debug('shown');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('alpha-bot-client-secret-0001');
    expect(lines[1]).toBe('kaa: shown');
  });
});

describe('openBrowserStorage', () => {
  it('uses the browser store when it reads and writes; an in-memory one when access throws or writes are refused', async () => {
    const { openBrowserStorage } = await import('../src/browser-storage.js');
    const map = new Map<string, string>();
    const working = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    expect(openBrowserStorage(() => working)).toEqual({ storage: working, blocked: false });
    expect(map.size).toBe(0); // the probe leaves nothing behind
    const denied = openBrowserStorage(() => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    });
    expect(denied.blocked).toBe(true);
    denied.storage.setItem('a', '1');
    expect(denied.storage.getItem('a')).toBe('1');
    const full = openBrowserStorage(() => ({
      ...working,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    }));
    expect(full.blocked).toBe(true);
  });
});
