import { spawn, type ChildProcess } from 'node:child_process';
import { BrokerLaunchResponseSchema, BROKER_PATHS } from '@kaa/core';
import { CONVERSATIONS, ORG, OTHER_ORG_USERS, startSandbox, type Sandbox } from '@kaa/sandbox';
import { expectNoSecrets, startRedis } from '@kaa/test-support';
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

function serve(cwd = dir, env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, [bin, 'broker', 'serve'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...SANDBOX_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      headers: {
        authorization: `Bearer ${sandbox.genesys.issueToken({ userId: OTHER_ORG_USERS.outsider.id })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox' }),
    });
    expect(outsider.status).toBe(403);
    // an oversized body is refused while it streams in, and the client still gets the answer
    const big = await fetch(`${url}${BROKER_PATHS.launch}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: 'x'.repeat(200_000),
    });
    expect(big.status).toBe(413);

    server.child.kill('SIGTERM');
    expect(await server.exited, server.stdout().slice(-1500) + server.stderr()).toBe(0);
    const lines = server
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
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

  it('broker.store.redis: two instances share one real Redis — a launch verified on one is served from the cache on the other, the rate limit is shared', async () => {
    const redis = await startRedis({ tcp: true });
    const shared = await tempDir();
    await writeSandboxConfig(shared, sandbox, (c) => {
      c['page'] = { url: `${PAGE_ORIGIN}/koreaiaa-genesys/` };
      c['broker'] = {
        organizations: [ORG.id],
        listen: { port: 0 },
        shutdownGraceSeconds: 5,
        requestsPerMinute: 3,
        store: { redis: { url: { env: 'KAA_TEST_REDIS_URL' }, keyPrefix: 'kaa:cli-test:' } },
      };
    });
    const env = { KAA_TEST_REDIS_URL: redis.url! };
    const a = serve(shared, env);
    const b = serve(shared, env);
    try {
      const [urlA, urlB] = await Promise.all([a.url, b.url]);
      expect(urlA, a.stderr()).toMatch(/^http:/);
      expect(urlB, b.stderr()).toMatch(/^http:/);
      const token = sandbox.genesys.issueToken();
      const launch = (url: string) =>
        fetch(`${url}${BROKER_PATHS.launch}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: PAGE_ORIGIN },
          body: JSON.stringify({ conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox' }),
        });
      expect((await launch(urlA)).status).toBe(200);
      // from now on Genesys refuses users/me: only the verification A stored in Redis lets B answer
      sandbox.genesys.faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 10 } });
      const onB = await launch(urlB);
      expect(onB.status, await onB.clone().text()).toBe(200);
      expect((await launch(urlA)).status).toBe(200);
      expect((await launch(urlB)).status).toBe(429); // the 4th request of this agent over both instances
      const client = await redis.connect();
      const keys = (await client.command(['KEYS', 'kaa:cli-test:*'])) as string[];
      await client.quit();
      expect(keys.some((k) => k.startsWith('kaa:cli-test:verify:'))).toBe(true);
      expect(keys.some((k) => k.startsWith('kaa:cli-test:rate:'))).toBe(true);
      expect(keys.join(' ')).not.toContain(token); // keyed by the token's hash, never the token
    } finally {
      await sandbox.genesys.reset(); // the pending users/me failures go
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      const codes = await Promise.all([a.exited, b.exited]);
      await redis.close();
      expect(codes, a.stdout().slice(-1000) + a.stderr() + b.stderr()).toEqual([0, 0]);
    }
    const logs = (s: Served) =>
      s
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs(a).find((l) => l['msg'] === 'listening')?.['store']).toBe('redis');
    expect(
      logs(b)
        .filter((l) => l['msg'] === 'request' && l['path'] === '/v1/launch')
        .map((l) => l['verifyCached'])[0],
    ).toBe(true);
    expectNoSecrets([a.stdout(), a.stderr(), b.stdout(), b.stderr()], plantedSecrets(sandbox));
  });

  it('broker.store.redis: a Redis that does not answer stops the start with a coded error naming the setting', async () => {
    const d = await tempDir();
    await writeSandboxConfig(d, sandbox, (c) => {
      c['broker'] = {
        organizations: [ORG.id],
        listen: { port: 0 },
        store: { redis: { url: { env: 'KAA_TEST_REDIS_URL' } } },
      };
    });
    const server = serve(d, { KAA_TEST_REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toMatch(/cannot reach Redis at 127\.0\.0\.1:1 \(broker\.store\.redis\.url\)/);
  });

  it('refuses to start without a broker section, naming it', async () => {
    const plain = await tempDir();
    await writeSandboxConfig(plain, sandbox);
    const child = spawn(process.execPath, [bin, 'broker', 'serve'], {
      cwd: plain,
      env: { PATH: process.env['PATH'] ?? '', ...SANDBOX_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      expect(await readFile(join(site.pageDir, 'csp.txt'), 'utf8')).toMatch(
        new RegExp(`connect-src [^;]*${brokerUrl.replace(/[.:/]/g, '\\$&')}`),
      );
      expectNoSecrets([html, page.stdout, page.stderr], plantedSecrets(sandbox));
    } finally {
      await site.host.close();
    }
  });
});
