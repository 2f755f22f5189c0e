/**
 * `kaa doctor` in broker mode, the BUILT binary against a real token broker (`@kaa/broker` on node:http, 127.0.0.1,
 * started here) and the sandbox: the broker's health, CORS for the page's origin and a launch for a conversation, each
 * a step with a pass/fail line and a coded fix — and never a token or a secret in the output.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBroker, type Broker } from '@kaa/broker';
import { serveFetch, type NodeFetchServer } from '@kaa/broker/node';
import { BROKER_PATHS, parseSettings, signPlatformJwt } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { BOTS, CONVERSATIONS, KORE_DATA_TABLE, ORG, QUEUES, USERS, startSandbox, type Sandbox } from '@kaa/sandbox';
import { expectNoSecrets } from '@kaa/test-support';
import { buildKaa, kaa, removeBuild, tempDir, type Run } from './helpers.js';
import {
  SANDBOX_ENV,
  deployPage,
  plantedSecrets,
  startTestSite,
  writeSandboxConfig,
  type TestSite,
} from './sandbox-config.js';

let sandbox: Sandbox;
let bin: string;
let dir: string;
let site: TestSite;
let server: NodeFetchServer;
let broker: Broker;
const runs: Run[] = [];
/** What the broker minted (widget JWTs, JWEs): never in the doctor's output. */
const minted: string[] = [];

function brokerWith(
  allowedOrigins: readonly string[],
  tableSecret: string = KORE_DATA_TABLE.readApp.clientSecret,
): Broker {
  const client = createDataTableClient(
    { baseUrl: sandbox.origins.kore, appId: KORE_DATA_TABLE.readApp.appId, clientSecret: tableSecret },
    {
      fetch: (u, i) => fetch(u, i),
      now: () => Date.now(),
      signPlatformJwt,
      cacheTtlMs: 0,
      retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 10 },
      tokenOrigin: 'config',
    },
  );
  return createBroker({
    settings: parseSettings({ kore: { apiHost: sandbox.origins.kore } }),
    served: [{ environment: { ...sandbox.environment, domain: '' }, orgIds: [ORG.id] }],
    allowedOrigins,
    botSource: createKoreTableBotSource({
      client,
      table: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      lookup: { allowHttpLoopback: true },
    }),
    fetch: (u, i) => fetch(u, i),
    now: () => Date.now(),
    secrets: () => [KORE_DATA_TABLE.readApp.clientSecret],
  });
}

beforeAll(async () => {
  site = await startTestSite();
  [sandbox, bin] = await Promise.all([startSandbox({ desktop: false, pageOrigin: site.host.origin }), buildKaa()]);
  // the broker's handler is swapped per test (its CORS list); the launch answers are kept for the secret scan
  server = await serveFetch(
    async (request) => {
      const response = await broker.fetch(request);
      if (
        request.method === 'POST' &&
        new URL(request.url).pathname === BROKER_PATHS.launch &&
        response.status === 200
      ) {
        const body = (await response.clone().json()) as { widget: { token: string; secureCustomData?: string } };
        minted.push(body.widget.token, ...(body.widget.secureCustomData ? [body.widget.secureCustomData] : []));
      }
      return response;
    },
    { host: '127.0.0.1', port: 0 },
  );
  dir = await tempDir();
  await writeSandboxConfig(dir, sandbox, (c) => {
    c.settings.tokens = { serverUrl: server.url };
    c.broker = { organizations: [ORG.id] };
  });
  await deployPage(bin, site, dir);
}, 120_000);
afterAll(async () => {
  // no run printed a secret: the planted ones, every token the sandbox issued, what the broker minted
  if (sandbox)
    expectNoSecrets(
      runs.map((r) => r.stdout + r.stderr),
      [...plantedSecrets(sandbox), ...minted],
    );
  await server?.close(1_000);
  await sandbox?.close();
  await site?.host.close();
  await removeBuild(bin);
});
beforeEach(async () => {
  await sandbox.genesys.reset();
  broker = brokerWith([site.host.origin]);
});

interface DoctorOut {
  ok: boolean;
  firstFailure: { step: string; code: string; message: string } | null;
  steps: { step: string; status: string; detail: string }[];
}

async function doctor(
  args: string[],
  env: Record<string, string> = {},
  cwd = dir,
): Promise<{ r: Run; out: DoctorOut }> {
  const r = await kaa(bin, ['doctor', ...args, '--json'], { cwd, env: { ...SANDBOX_ENV, ...env } });
  runs.push(r);
  return { r, out: JSON.parse(r.stdout) as DoctorOut };
}

const step = (out: DoctorOut, name: string) => out.steps.find((s) => s.step === name);

describe('kaa doctor, broker mode', () => {
  it("with an agent's token: the broker is healthy, allows the page's origin only, and launches the conversation's bot — reported without a token", async () => {
    const token = sandbox.genesys.issueToken({ userId: USERS.agent.id });
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha], { KAA_GENESYS_TOKEN: token });
    expect(r.code, r.stdout).toBe(0);
    expect(out.steps.map((s) => s.step).slice(0, 6)).toEqual([
      'page',
      'environment',
      'token',
      'broker health',
      'broker CORS',
      'broker launch',
    ]);
    expect(out.steps.every((s) => s.status === 'ok')).toBe(true);
    expect(step(out, 'broker health')?.detail).toBe(`${server.url}: /healthz 200, /readyz 200`);
    expect(step(out, 'broker CORS')?.detail).toContain(`preflight from ${site.host.origin} allowed`);
    const launch = step(out, 'broker launch')?.detail ?? '';
    expect(launch).toContain(`bot ${BOTS.alpha.botId} for queue "${QUEUES.alpha.name}"`);
    expect(launch).toContain('widget URL minted');
    expect(launch).toContain('JWE minted');
    expect(minted.length).toBeGreaterThan(0);
    expect(r.stdout + r.stderr).not.toContain(token);

    const human = await kaa(bin, ['doctor', '--conversation', CONVERSATIONS.voiceAlpha], {
      cwd: dir,
      env: { ...SANDBOX_ENV, KAA_GENESYS_TOKEN: token },
    });
    runs.push(human);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/ok\s+broker launch/);
  });

  it('with client credentials only: health and CORS are checked, the launch is reported as not checked (it needs an agent)', async () => {
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id]);
    expect(r.code, r.stdout).toBe(0);
    expect(step(out, 'broker health')?.status).toBe('ok');
    expect(step(out, 'broker CORS')?.status).toBe('ok');
    expect(step(out, 'broker launch')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('KAA_GENESYS_TOKEN'),
    });
  });

  it('a broker whose CORS list lacks the page\'s origin: step "broker CORS" fails, E_ORIGIN_NOT_ALLOWED, naming broker.allowedOrigins', async () => {
    broker = brokerWith(['https://some-other-page.example.com']);
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id]);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'broker CORS', code: 'E_ORIGIN_NOT_ALLOWED' });
    expect(out.firstFailure?.message).toContain(site.host.origin);
    expect(out.firstFailure?.message).toContain('broker.allowedOrigins');
    expect(step(out, 'broker health')?.status).toBe('ok');
    expect(step(out, 'broker launch')?.status).toBe('skip');
    const human = await kaa(bin, ['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id], {
      cwd: dir,
      env: SANDBOX_ENV,
    });
    runs.push(human);
    expect(human.stdout).toContain('First failing step: broker CORS (E_ORIGIN_NOT_ALLOWED)');
    expect(human.stdout).toMatch(/Fix: .*broker\.allowedOrigins/);
  });

  it('a broker that is not ready (its table credentials refused): step "broker health" fails with the broker\'s code', async () => {
    broker = brokerWith([site.host.origin], 'not-the-data-app-secret');
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id]);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'broker health', code: 'E_HTTP_UNAUTHORIZED' });
    expect(out.firstFailure?.message).toMatch(/runs but is not ready.*\/readyz answered HTTP 502/);
  });

  it('an agent who is not on the conversation: step "broker launch" fails with the broker\'s 403 code', async () => {
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha], {
      KAA_GENESYS_TOKEN: sandbox.genesys.issueToken({ userId: USERS.agent2.id }),
    });
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'broker launch', code: 'E_AGENT_NOT_PARTICIPANT' });
  });

  it('a broker that is down: step "broker health" fails, E_NETWORK, saying to start it', async () => {
    const gone = await serveFetch(() => Promise.resolve(new Response('')), { host: '127.0.0.1', port: 0 });
    const goneUrl = gone.url;
    await gone.close(0);
    // a page deployed with that broker, next to the first one
    const pageDir = join(dirname(site.pageDir), 'down');
    await mkdir(pageDir, { recursive: true });
    await writeFile(
      join(pageDir, 'index.html'),
      '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>kaa</title>\n</head>\n<body></body>\n</html>\n',
      'utf8',
    );
    const d = await tempDir();
    await writeSandboxConfig(d, sandbox, (c) => {
      c.page.url = `${site.host.origin}/down/`;
      c.settings.tokens = { serverUrl: goneUrl };
      c.broker = { organizations: [ORG.id] };
    });
    const page = await kaa(bin, ['page', '--dist', pageDir], { cwd: d, env: SANDBOX_ENV });
    expect(page.code, page.stdout + page.stderr).toBe(0);
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id], {}, d);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'broker health', code: 'E_NETWORK' });
    expect(out.firstFailure?.message).toContain(goneUrl);
    expect(out.firstFailure?.message).toContain('kaa broker serve');
    expect(step(out, 'broker CORS')?.status).toBe('skip');
  });

  it('the config names a broker the deployed page does not call: step "broker health" fails, E_CONFIG_INVALID, saying to deploy the page again', async () => {
    const d = await tempDir();
    await writeSandboxConfig(d, sandbox, (c) => {
      c.settings.tokens = { serverUrl: 'https://broker.example.com' };
      c.broker = { organizations: [ORG.id] };
    });
    const { r, out } = await doctor(['--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id], {}, d);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'broker health', code: 'E_CONFIG_INVALID' });
    expect(out.firstFailure?.message).toContain(`calls the token broker ${server.url}`);
    expect(out.firstFailure?.message).toContain('kaa page --dist');
  });
});
