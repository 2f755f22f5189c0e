/**
 * The BUILT kaa binary: `kaa page --dist` embeds the config's settings into the built page.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPageCsp, embeddedPageConfig, resolveEnvironment } from '@kaa/core';
import { GOOD_CONFIG, buildKaa, kaa, removeBuild, tempDir } from './helpers.js';

let bin: string;
beforeAll(async () => {
  bin = await buildKaa();
}, 120_000);
afterAll(async () => {
  await removeBuild(bin);
});

const CONFIG = `${GOOD_CONFIG}settings:
  routing:
    cacheTtlSeconds: 60
  auth:
    grant: implicit
`;
const INDEX = `<!doctype html>
<html lang="en">
<head>
<link rel="preload" href="./kaa.config.json" as="fetch" crossorigin="anonymous">
<script type="module" crossorigin src="./assets/index-abc.js"></script>
</head>
<body></body>
</html>
`;

async function project(config = CONFIG): Promise<string> {
  const dir = await tempDir({ 'kaa.yaml': config });
  await mkdir(join(dir, 'dist'));
  await writeFile(join(dir, 'dist', 'index.html'), INDEX);
  return dir;
}

describe('kaa page --dist', () => {
  it('embeds the settings section into index.html and drops the kaa.config.json preload', async () => {
    const dir = await project();
    const r = await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ written: 'dist/index.html' });
    const html = await readFile(join(dir, 'dist', 'index.html'), 'utf8');
    // the settings as written, plus the Kore API host the CLI resolves from agentAi.url (the page never guesses it)
    // and the pins of what a link may choose (docs/deploy.md#pinning-what-a-link-may-choose)
    expect(embeddedPageConfig(html)).toEqual({
      routing: { cacheTtlSeconds: 60 },
      auth: { grant: 'implicit' },
      kore: { apiHost: 'https://platform.kore.ai' },
      allow: {
        tables: ['kaa_bots'],
        accountIds: [],
        genesysEnvironments: ['prod-euw1'],
        koreHosts: ['https://agentassist.kore.ai'],
      },
    });
    expect(html).not.toContain('kaa.config.json');
    expect(html).toContain('src="./assets/index-abc.js"');
    // a second run replaces the block
    expect((await kaa(bin, ['page', '--dist', 'dist/'], { cwd: dir })).code).toBe(0);
    expect((await readFile(join(dir, 'dist', 'index.html'), 'utf8')).match(/id="kaa-config"/g)).toHaveLength(1);
  });

  it("adds the config's pins to those written under settings.allow, without duplicates", async () => {
    const dir = await project(
      `${GOOD_CONFIG}settings:\n  allow:\n    tables: [kaa_bots, kaa_bots_eu]\n    unframed: false\n`,
    );
    expect((await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir })).code).toBe(0);
    const html = await readFile(join(dir, 'dist', 'index.html'), 'utf8');
    expect(embeddedPageConfig(html)).toMatchObject({
      allow: {
        tables: ['kaa_bots', 'kaa_bots_eu'],
        genesysEnvironments: ['prod-euw1'],
        koreHosts: ['https://agentassist.kore.ai'],
        unframed: false,
      },
    });
  });

  it("broker mode (tokens.serverUrl): no bot-source lookup, but the pins are embedded, the Kore hosts included (the broker's launch is checked against them)", async () => {
    const dir = await project(`${GOOD_CONFIG}settings:\n  tokens:\n    serverUrl: https://broker.example.com\n`);
    expect((await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir })).code).toBe(0);
    const embedded = embeddedPageConfig(await readFile(join(dir, 'dist', 'index.html'), 'utf8'));
    expect(embedded).toMatchObject({
      tokens: { serverUrl: 'https://broker.example.com' },
      allow: { genesysEnvironments: ['prod-euw1'], koreHosts: ['https://agentassist.kore.ai'] },
    });
  });

  it('usage errors: no --dist, or a directory without index.html (exit 2, nothing written)', async () => {
    const dir = await project();
    const none = await kaa(bin, ['page', '--json'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.code).toBe('E_CLI_USAGE');
    const wrong = await kaa(bin, ['page', '--dist', 'nowhere', '--json'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout).error.message).toContain('nowhere/index.html');
  });

  it('a bad setting is refused before anything is written', async () => {
    const dir = await project(CONFIG.replace('cacheTtlSeconds: 60', 'cacheTtlSeconds: soon'));
    const r = await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('E_CONFIG_INVALID');
    expect(await readFile(join(dir, 'dist', 'index.html'), 'utf8')).toBe(INDEX);
  });
});

describe('kaa page: one source of truth for where Kore is', () => {
  it.each([
    [
      'agentAi.url https://agentassist.kore.ai',
      (c: string) => c.replace('url: https://platform.kore.ai', 'url: https://agentassist.kore.ai'),
      'https://bots.kore.ai',
    ],
    [
      'agentAi.apiHost',
      (c: string) =>
        c.replace(
          '  url: https://platform.kore.ai\n',
          '  url: https://platform.kore.ai\n  apiHost: https://kore.example.com\n',
        ),
      'https://kore.example.com',
    ],
    [
      'settings kore.apiHost',
      (c: string) => `${c}  kore:\n    apiHost: https://kore-settings.example.com\n`,
      'https://kore-settings.example.com',
    ],
  ])('embeds the host resolved from %s, the one "kaa table" and "kaa doctor" use', async (_name, edit, host) => {
    const dir = await project(edit(CONFIG));
    const r = await kaa(bin, ['page', '--dist', 'dist', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ settings: { kore: { apiHost: host } } });
    const embedded = embeddedPageConfig(await readFile(join(dir, 'dist', 'index.html'), 'utf8')) as {
      kore: { apiHost: string };
    };
    expect(embedded.kore.apiHost).toBe(host);
  });

  it("writes csp.txt and _headers for the admin's own hosts next to index.html", async () => {
    const dir = await project();
    expect((await kaa(bin, ['page', '--dist', 'dist'], { cwd: dir })).code).toBe(0);
    const csp = (await readFile(join(dir, 'dist', 'csp.txt'), 'utf8')).trim();
    expect(csp).toContain('frame-ancestors https://apps.mypurecloud.ie');
    expect(await readFile(join(dir, 'dist', '_headers'), 'utf8')).toContain(`Content-Security-Policy: ${csp}`);
  });
});

describe('kaa page --csp', () => {
  it("prints the header value for the config's hosts, built by core's buildPageCsp (the rule the build uses)", async () => {
    const dir = await project(
      CONFIG.replace(
        '    queues: [ALPHAINC]',
        '    queues: [ALPHAINC]\n    widgetUrl: https://widgets.example.com/agentassist-iframe.html',
      ),
    );
    const r = await kaa(bin, ['page', '--csp'], { cwd: dir, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const csp = r.stdout.trim();
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(csp).toBe(
      buildPageCsp({
        genesys: [resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' })],
        koreHosts: ['https://platform.kore.ai'],
        widgetOrigins: ['https://agentassist.kore.ai', 'https://widgets.example.com'],
      }),
    );
    expect(csp).toContain(
      "connect-src 'self' https://api.mypurecloud.ie https://login.mypurecloud.ie wss://streaming.mypurecloud.ie https://platform.kore.ai",
    );
    expect(csp).toContain('frame-ancestors https://apps.mypurecloud.ie');
    const json = await kaa(bin, ['page', '--csp', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      csp,
      headers: { 'Content-Security-Policy': csp, 'Referrer-Policy': 'no-referrer' },
    });
  });
});
