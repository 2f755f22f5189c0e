import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from '@kaa/test-support';
import { CONVERSATIONS, OAUTH_CLIENTS, USERS, startSandbox, type Sandbox } from '@kaa/sandbox';

/** A minimal page: PKCE redirect login, token exchange, API calls and a notification socket, all cross-origin. */
const APP_JS = `
const out = (v) => { window.__kaa = v; };
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
(async () => {
  const q = new URLSearchParams(location.search);
  if (q.get('login')) {
    sessionStorage.setItem('cfg', JSON.stringify({ login: q.get('login'), api: q.get('api'), client: q.get('client'), conv: q.get('conv') }));
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    sessionStorage.setItem('verifier', verifier);
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const redirect_uri = location.origin + '/koreaiaa-genesys/';
    location.assign(q.get('login') + '/oauth/authorize?' + new URLSearchParams({ client_id: q.get('client'), response_type: 'code', redirect_uri, code_challenge: challenge, code_challenge_method: 'S256', state: 'n1' }));
    return;
  }
  const cfg = JSON.parse(sessionStorage.getItem('cfg'));
  const tokenRes = await fetch(cfg.login + '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: q.get('code'), redirect_uri: location.origin + '/koreaiaa-genesys/', client_id: cfg.client, code_verifier: sessionStorage.getItem('verifier') }) });
  const token = (await tokenRes.json()).access_token;
  const auth = { authorization: 'Bearer ' + token };
  const me = await (await fetch(cfg.api + '/api/v2/users/me?expand=organization', { headers: auth })).json();
  const limited = await fetch(cfg.api + '/api/v2/tokens/me', { headers: auth });
  const channel = await (await fetch(cfg.api + '/api/v2/notifications/channels', { method: 'POST', headers: auth })).json();
  const topic = 'v2.conversations.' + cfg.conv + '.transcription';
  await fetch(cfg.api + '/api/v2/notifications/channels/' + channel.id + '/subscriptions', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify([{ id: topic }]) });
  const ws = new WebSocket(channel.connectUri);
  const frames = [];
  ws.onmessage = (e) => frames.push(JSON.parse(e.data));
  await new Promise((r) => (ws.onopen = r));
  ws.send(JSON.stringify({ message: 'ping' }));
  out({ state: q.get('state'), me, status429: limited.status, retryAfter: limited.headers.get('retry-after'), correlation: limited.headers.get('inin-correlation-id'), frames, ready: true });
})().catch((e) => out({ error: String(e) }));
`;

describe('a real browser against the sandbox (PKCE redirect, CORS, notifications)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let chromium: LaunchedChromium;
  let context: BrowserContext;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaa-e2e-page-'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>kaa test page</title><script src="app.js"></script>',
    );
    await writeFile(join(dir, 'app.js'), APP_JS);
    const csp = (): string => {
      const o = sandbox.origins;
      return `default-src 'self'; connect-src 'self' ${o.login} ${o.api} ${o.api.replace('http', 'ws')}`;
    };
    sandbox = await startSandbox({
      page: { dir, headers: () => ({ 'content-security-policy': csp() }) },
      desktop: false,
    });
    chromium = await launchChromium({ profilePrefix: 'kaa-e2e-profile-' });
    context = chromium.context;
  });
  afterAll(async () => {
    await chromium?.close();
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs in with PKCE by redirect, calls the API cross-origin (reading Retry-After), and receives notifications', async () => {
    sandbox.genesys.faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/tokens/me', status: 429, times: 1 } });
    const page = await context.newPage();
    const start = new URLSearchParams({
      login: sandbox.origins.login,
      api: sandbox.origins.api,
      client: OAUTH_CLIENTS.pkce.id,
      conv: CONVERSATIONS.voiceAlpha,
    });
    await page.goto(`${sandbox.origins.page}/koreaiaa-genesys/?${start}`);
    await page.waitForFunction(
      () =>
        (window as unknown as { __kaa?: { ready?: boolean; error?: string } }).__kaa?.ready ||
        (window as unknown as { __kaa?: { error?: string } }).__kaa?.error,
      undefined,
      { timeout: 20_000 },
    );
    const first = await page.evaluate(() => (window as unknown as { __kaa: Record<string, unknown> }).__kaa);
    expect(first.error).toBeUndefined();
    expect(page.url()).toMatch(new RegExp(`^${sandbox.origins.page}/koreaiaa-genesys/\\?code=`));
    expect(first).toMatchObject({
      state: 'n1',
      me: { id: USERS.agent.id, organization: { id: sandbox.world.ORG.id } },
      status429: 429,
      retryAfter: '1',
    });
    expect(first.correlation).toEqual(expect.any(String));
    await sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, [
      { channel: 'EXTERNAL', text: 'hello from the customer' },
    ]);
    await page.waitForFunction(
      () =>
        (window as unknown as { __kaa: { frames: { topicName: string }[] } }).__kaa.frames.some((f) =>
          f.topicName.endsWith('.transcription'),
        ),
      undefined,
      { timeout: 5000 },
    );
    const frames = await page.evaluate(
      () =>
        (window as unknown as { __kaa: { frames: { topicName: string; eventBody: { message?: string } }[] } }).__kaa
          .frames,
    );
    expect(frames.some((f) => f.topicName === 'channel.metadata' && f.eventBody.message === 'pong')).toBe(true);
  });
});
