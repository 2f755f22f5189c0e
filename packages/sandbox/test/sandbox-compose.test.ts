import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveEnvironment } from '@kaa/core';
import { OAUTH_CLIENTS, startSandbox, type Sandbox } from '@kaa/sandbox';

const CSP = "default-src 'self'; frame-ancestors http://127.0.0.1:*";

function refused(origin: string): Promise<boolean> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

function rawGet(origin: string, path: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startSandbox: composition, page origin, environment record, close', () => {
  let sandbox: Sandbox;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaa-page-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>kaa</title><script src="assets/app.js"></script>');
    await writeFile(join(dir, 'auth-callback.html'), '<!doctype html><title>callback</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(tmpdir(), 'kaa-secret.txt'), 'secret');
    sandbox = await startSandbox({ page: { dir, headers: { 'content-security-policy': CSP } }, latencyMs: 300 });
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every role on its own 127.0.0.1 port and describes itself as an extra environment', () => {
    const o = sandbox.origins;
    const all = [o.login, o.api, o.apps, o.kore, o.page];
    for (const origin of all) expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(all).size).toBe(5);
    expect(sandbox.environment).toEqual({
      name: 'sandbox',
      region: 'local',
      apiBase: o.api,
      loginBase: o.login,
      streamingHost: new URL(o.api).host,
      appsOrigin: o.apps,
      aliases: ['prod'],
    });
    expect(sandbox.desktopUrl?.startsWith(o.apps!)).toBe(true);
    expect(sandbox.world.USERS.agent.name).toBe('Ava Agent');
  });

  it("is accepted by core's resolveEnvironment as an extra environment matched by the desktop origin", () => {
    const env = resolveEnvironment({ hostOrigin: sandbox.origins.apps!, targetEnv: 'sandbox' }, [sandbox.environment]);
    expect(env).toMatchObject({
      name: 'sandbox',
      apiBase: sandbox.origins.api,
      loginBase: sandbox.origins.login,
      appsOrigin: sandbox.origins.apps,
    });
    // the desktop's gcTargetEnv (a name Genesys's Client App SDK knows) is an alias of the sandbox environment
    expect(
      resolveEnvironment({ hostOrigin: sandbox.origins.apps!, targetEnv: 'prod' }, [sandbox.environment]).name,
    ).toBe('sandbox');
  });

  it('serves the page under /koreaiaa-genesys/ with its CSP; the query string is ignored; nothing outside the base', async () => {
    const landing = await fetch(`${sandbox.origins.page}/koreaiaa-genesys/?code=abc&state=x`);
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-security-policy')).toBe(CSP);
    expect(landing.headers.get('content-type')).toContain('text/html');
    expect(await landing.text()).toContain('<title>kaa</title>');
    const js = await fetch(`${sandbox.origins.page}/koreaiaa-genesys/assets/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${sandbox.origins.page}/koreaiaa-genesys/auth-callback.html`)).status).toBe(200);
    expect((await fetch(`${sandbox.origins.page}/other/`)).status).toBe(404);
    expect(await rawGet(sandbox.origins.page!, '/koreaiaa-genesys/../kaa-secret.txt')).toBe(404);
    expect(await rawGet(sandbox.origins.page!, '/koreaiaa-genesys/%2e%2e/kaa-secret.txt')).toBe(404);
    expect((await fetch(`${sandbox.origins.page}/koreaiaa-genesys/missing.js`)).status).toBe(404);
  });

  it("registers the page's landing and popup-callback URIs for both browser OAuth clients", async () => {
    for (const [client, type] of [
      [OAUTH_CLIENTS.implicit.id, 'token'],
      [OAUTH_CLIENTS.pkce.id, 'code'],
    ] as const) {
      for (const path of ['/koreaiaa-genesys/', '/koreaiaa-genesys/auth-callback.html']) {
        const redirect_uri = `${sandbox.origins.page}${path}`;
        const params = new URLSearchParams({
          client_id: client,
          response_type: type,
          redirect_uri,
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        });
        const res = await fetch(`${sandbox.origins.login}/oauth/authorize?${params}`, { redirect: 'manual' });
        expect(res.status).toBe(302);
        expect(res.headers.get('location')?.startsWith(redirect_uri)).toBe(true);
      }
    }
  });

  it('applies the latency to Genesys and Kore routes, and the faults endpoint forwards latency to Kore', async () => {
    const time = async (url: string): Promise<number> => {
      const t0 = performance.now();
      await (await fetch(url)).arrayBuffer();
      return performance.now() - t0;
    };
    expect(await time(`${sandbox.origins.api}/api/v2/users/me`)).toBeGreaterThanOrEqual(295);
    const widget = `${sandbox.origins.kore}/koreagentassist-sdk-v3/UI/agentassist-iframe.html`;
    expect(await time(widget)).toBeGreaterThanOrEqual(295);
    await fetch(`${sandbox.origins.api}/sandbox/v1/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 0 }) });
    expect(await time(widget)).toBeLessThan(250);
    expect(await time(`${sandbox.origins.api}/api/v2/users/me`)).toBeLessThan(250);
  });

  it('state carries the Kore records; the desktop origin passes Genesys CORS', async () => {
    const state = (await (await fetch(`${sandbox.origins.api}/sandbox/v1/state`)).json()) as {
      recorded: Record<string, unknown>;
      conversations: unknown[];
    };
    expect(Object.keys(state.recorded)).toEqual(
      expect.arrayContaining(['jwtgrants', 'hooks', 'controls', 'tableQueries']),
    );
    expect(state.conversations).toHaveLength(6);
    const res = await fetch(`${sandbox.origins.api}/api/v2/users/me`, {
      headers: { origin: sandbox.origins.apps!, authorization: `Bearer ${sandbox.genesys.issueToken()}` },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(sandbox.origins.apps);
  });

  it('CORS answers the page and desktop origins on Genesys and Kore, and nothing else', async () => {
    const kore = `${sandbox.origins.kore}/api/public/tables/kaa_bots/query`;
    const api = `${sandbox.origins.api}/api/v2/users/me`;
    const login = `${sandbox.origins.login}/oauth/token`;
    const preflight = (url: string, origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'auth, authorization, content-type',
        },
      });
    for (const origin of [sandbox.origins.page!, sandbox.origins.apps!]) {
      for (const url of [kore, api, login]) {
        const pre = await preflight(url, origin);
        expect([url, pre.status, pre.headers.get('access-control-allow-origin')]).toEqual([url, 204, origin]);
      }
    }
    for (const url of [kore, api, login]) {
      const pre = await preflight(url, 'http://127.0.0.1:1');
      expect([url, pre.status, pre.headers.get('access-control-allow-origin')]).toEqual([url, 403, null]);
    }
  });

  it('a page served elsewhere (pageOrigin) and corsOrigins are allowed on Genesys and Kore by default; other origins are not', async () => {
    const elsewhere = 'http://127.0.0.1:47001';
    const extra = 'http://localhost:47002';
    const s2 = await startSandbox({ pageOrigin: elsewhere, corsOrigins: [extra], desktop: false });
    try {
      const allowedOn = async (url: string, origin: string) =>
        (
          await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } })
        ).headers.get('access-control-allow-origin');
      for (const url of [
        `${s2.origins.kore}/api/public/tables/kaa_bots/query`,
        `${s2.origins.kore}/agentassist/api/v1/hooks/x`,
        `${s2.origins.api}/api/v2/users/me`,
        `${s2.origins.login}/oauth/token`,
      ]) {
        expect(await allowedOn(url, elsewhere), url).toBe(elsewhere);
        expect(await allowedOn(url, extra), url).toBe(extra);
        expect(await allowedOn(url, 'http://127.0.0.1:47003'), url).toBeNull();
      }
    } finally {
      await s2.close();
    }
  });

  it('close() leaves every port refusing connections, even with an open notification socket and pending latency', async () => {
    const s2 = await startSandbox({ desktop: {}, genesys: { heartbeatIntervalMs: 20 } });
    const token = s2.genesys.issueToken();
    const ch = (await (
      await fetch(`${s2.origins.api}/api/v2/notifications/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { connectUri: string };
    const ws = new WebSocket(ch.connectUri);
    await new Promise((r) => ws.once('open', r));
    const closedSocket = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    s2.genesys.faults({ latencyMs: 5000 });
    const pending = fetch(`${s2.origins.api}/api/v2/users/me`).catch(() => 'failed');
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await s2.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    await closedSocket;
    await pending;
    for (const origin of Object.values(s2.origins)) expect(await refused(origin), origin).toBe(true);
  });
});
