import { spawn, type ChildProcess } from 'node:child_process';
import { BrokerLaunchResponseSchema, BROKER_PATHS } from '@kaa/core';
import { CONVERSATIONS, ORG, OTHER_ORG_USERS, startSandbox, type Sandbox } from '@kaa/sandbox';
import { expectNoSecrets } from '@kaa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKaa, kaa, removeBuild, tempDir } from './helpers.js';
import { SANDBOX_ENV, plantedSecrets, startTestSite, writeSandboxConfig } from './sandbox-config.js';

// `kaa broker serve` as the one Node process a container or a process manager runs: the config file, secrets from
// the environment and a file, health and readiness, a launch, JSON logs without secrets, SIGTERM.

const PAGE_ORIGIN = 'https://kaa.example.com';
let sandbox: Sandbox;
let bin: string;
let dir: string;

beforeAll(async () => {
  [sandbox, bin] = await Promise.all([startSandbox({ desktop: false }), buildKaa()]);
  dir = await tempDir();
  await writeSandboxConfig(dir, sandbox, (c) => {
    c['page'] = { url: `${PAGE_ORIGIN}/koreaiaa-genesys/` };
    c['broker'] = { organizations: [ORG.id], listen: { port: 0 }, shutdownGraceSeconds: 5 };
  });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await removeBuild(bin);
});

interface Served {
  child: ChildProcess;
  url: Promise<string>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function serve(): Served {
  const child = spawn(process.execPath, [bin, 'broker', 'serve'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...SANDBOX_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let found: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (found = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
    const m = /"msg":"listening","url":"(http:[^"]+)"/.exec(stdout);
    if (m?.[1]) found(m[1]);
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => found(''));
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

describe('kaa broker serve', () => {
  it('serves health, readiness and launches from the config file, logs JSON without secrets, stops on SIGTERM', async () => {
    const server = serve();
    const url = await server.url;
    expect(url, server.stderr()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect((await fetch(`${url}${BROKER_PATHS.health}`)).status).toBe(200);
    const ready = await fetch(`${url}${BROKER_PATHS.ready}`);
    expect(ready.status, await ready.clone().text()).toBe(200);

    const token = sandbox.genesys.issueToken();
    const launch = await fetch(`${url}${BROKER_PATHS.launch}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: PAGE_ORIGIN },
      body: JSON.stringify({ conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox' }),
    });
    const text = await launch.text();
    expect(launch.status, text).toBe(200);
    expect(launch.headers.get('access-control-allow-origin')).toBe(PAGE_ORIGIN);
    expect(BrokerLaunchResponseSchema.parse(JSON.parse(text)).widget.isCall).toBe(true);

    const outsider = await fetch(`${url}${BROKER_PATHS.launch}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.genesys.issueToken({ userId: OTHER_ORG_USERS.outsider.id })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox' }),
    });
    expect(outsider.status).toBe(403);
    // an oversized body is refused while it streams in, and the client still gets the answer
    const big = await fetch(`${url}${BROKER_PATHS.launch}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);

    server.child.kill('SIGTERM');
    expect(await server.exited, server.stdout().slice(-1500) + server.stderr()).toBe(0);
    const lines = server.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['msg'] === 'request').map((l) => [l['path'], l['status']])).toEqual([
      ['/healthz', 200],
      ['/readyz', 200],
      ['/v1/launch', 200],
      ['/v1/launch', 403],
      ['/v1/launch', 413],
    ]);
    expect(lines.at(-1)?.['msg']).toBe('stopped');
    // planted: every secret of the config (environment and file), the sandbox's tokens, the widget JWT minted
    const widgetToken = BrokerLaunchResponseSchema.parse(JSON.parse(text)).widget.token;
    expectNoSecrets([server.stdout(), server.stderr()], [...plantedSecrets(sandbox), token, widgetToken]);
  });

  it('refuses to start without a broker section, naming it', async () => {
    const plain = await tempDir();
    await writeSandboxConfig(plain, sandbox);
    const child = spawn(process.execPath, [bin, 'broker', 'serve'], { cwd: plain, env: { PATH: process.env['PATH'] ?? '', ...SANDBOX_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/no "broker" section/);
  });

  it('kaa url in broker mode prints a URL without x_metadata or any secret; kaa page --dist embeds the broker URL and allows it in the CSP', async () => {
    const d = await tempDir();
    const brokerUrl = 'http://127.0.0.1:8787';
    await writeSandboxConfig(d, sandbox, (c) => {
      c['broker'] = { organizations: [ORG.id] };
      c['settings'] = { ...c['settings'], tokens: { serverUrl: brokerUrl } };
    });
    const url = await kaa(bin, ['url', '--reveal', '--json'], { cwd: d, env: SANDBOX_ENV });
    expect(url.code, url.stderr).toBe(0);
    const result = JSON.parse(url.stdout) as { url: string; broker?: string; oauth: { scopes: string[] } };
    expect(result.broker).toBe(brokerUrl);
    expect(result.url).not.toMatch(/x_metadata|multibot|accountId/);
    expectNoSecrets(url.stdout, plantedSecrets(sandbox));

    const site = await startTestSite();
    try {
      const page = await kaa(bin, ['page', '--dist', site.pageDir], { cwd: d, env: SANDBOX_ENV });
      expect(page.code, page.stderr).toBe(0);
      const html = await readFile(join(site.pageDir, 'index.html'), 'utf8');
      expect(html).toContain(`"serverUrl":"${brokerUrl}"`);
      expect(await readFile(join(site.pageDir, 'csp.txt'), 'utf8')).toMatch(new RegExp(`connect-src [^;]*${brokerUrl.replace(/[.:/]/g, '\\$&')}`));
      expectNoSecrets([html, page.stdout, page.stderr], plantedSecrets(sandbox));
    } finally {
      await site.host.close();
    }
  });
});
