/**
 * The BUILT kaa binary, run as a child process against the sandbox started in this process (127.0.0.1 only).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwtUnverified, parseWidgetContext, signPlatformJwt } from '@kaa/core';
import { CONVERSATIONS, KORE_DATA_TABLE, OAUTH_CLIENTS, QUEUES, USERS, startSandbox, type Sandbox } from '@kaa/sandbox';
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
const runs: Run[] = [];

beforeAll(async () => {
  site = await startTestSite();
  [sandbox, bin] = await Promise.all([startSandbox({ desktop: false, pageOrigin: site.host.origin }), buildKaa()]);
  dir = await tempDir();
  await writeSandboxConfig(dir, sandbox);
  await deployPage(bin, site, dir);
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await site?.host.close();
  await removeBuild(bin);
});
beforeEach(() => {
  sandbox.kore.reset();
});

async function run(args: string[], env: Record<string, string> = {}, cwd = dir): Promise<Run> {
  const r = await kaa(bin, args, { cwd, env: { ...SANDBOX_ENV, ...env } });
  runs.push(r);
  return r;
}

function fill(url: string): string {
  return url
    .replace('{{gcConversationId}}', CONVERSATIONS.voiceAlpha)
    .replace('{{gcLangTag}}', 'en-us')
    .replace('{{gcHostOrigin}}', encodeURIComponent(sandbox.environment.appsOrigin))
    .replace('{{gcTargetEnv}}', 'sandbox')
    .replace('{{gcUsePopupAuth}}', 'false');
}

describe('kaa url', () => {
  it('--reveal --json: the URL parses back with parseWidgetContext to the config, and its token reads the table', async () => {
    const r = await run(['url', '--reveal', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      url: string;
      oauth: { redirectUris: string[]; scopes: string[]; clientId: string };
      sandboxOptions: string;
      permissions: string;
    };
    expect(
      out.url.startsWith(
        `${site.host.origin}/koreaiaa-genesys/?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=`,
      ),
    ).toBe(true);
    const ctx = parseWidgetContext(fill(out.url));
    expect(ctx).toMatchObject({
      conversationId: CONVERSATIONS.voiceAlpha,
      hostOrigin: sandbox.environment.appsOrigin,
      targetEnv: 'sandbox',
      genesysClientId: OAUTH_CLIENTS.pkce.id,
      showWidget: true,
      sendEventsToVG: false,
      lang: 'en-us',
    });
    expect(ctx.botSource.kind).toBe('kore-data-table');
    if (ctx.botSource.kind !== 'kore-data-table') return;
    expect(ctx.botSource.datatable).toMatchObject({ name: KORE_DATA_TABLE.name, qDelimiter: '_' });
    const token = ctx.botSource.datatable.token;
    const decoded = decodeJwtUnverified(token);
    expect(decoded.kind === 'jws' && decoded.claims['appId']).toBe(KORE_DATA_TABLE.readApp.appId);
    const res = await fetch(`${sandbox.origins.kore}/api/public/tables/${KORE_DATA_TABLE.name}/query?sys_limit=10`, {
      method: 'POST',
      headers: { auth: token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    // the popup callback too: the page signs in through a popup when asked, or when the framed login fails
    expect(out.oauth.redirectUris).toEqual([
      `${site.host.origin}/koreaiaa-genesys/`,
      `${site.host.origin}/koreaiaa-genesys/auth-callback.html`,
    ]);
    expect(out.oauth.scopes).toContain('conversations');
    expect(out.sandboxOptions).toContain('allow-scripts');
    expect(out.permissions).toContain('microphone');
  });

  it('passthru metadata, grant, popup and debug options round-trip through parseWidgetContext', async () => {
    const d = await tempDir();
    await writeSandboxConfig(d, sandbox, (c) => {
      c.widget = {
        passthruMetadata: { env: 'KAA_PASSTHRU' },
        showWidget: false,
        sendEventsToVG: true,
        includeTargetEnv: false,
        usePopupAuth: true,
        grant: 'implicit',
        debug: true,
      };
      c.dataTable.qDelimiter = '-';
    });
    const passthru = '{"crmId":"42","note":"a&b=c"}';
    const r = await run(['url', '--reveal', '--json'], { KAA_PASSTHRU: passthru }, d);
    expect(r.code, r.stderr).toBe(0);
    const { url } = JSON.parse(r.stdout) as { url: string };
    expect(url).not.toContain('gcTargetEnv');
    const ctx = parseWidgetContext(fill(url));
    expect(ctx).toMatchObject({
      passthruMetadata: passthru,
      showWidget: false,
      sendEventsToVG: true,
      usePopupAuth: false,
      grant: 'implicit',
      debug: true,
    });
    expect(ctx.botSource.kind === 'kore-data-table' && ctx.botSource.datatable.qDelimiter).toBe('-');
    const masked = await run(['url'], { KAA_PASSTHRU: passthru }, d);
    expect(masked.stdout).not.toContain(encodeURIComponent(passthru));
  });

  it('without --reveal the x_metadata token is masked', async () => {
    const r = await run(['url']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('x_metadata=');
    expect(r.stdout).toContain('REDACTED');
    expect(r.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(r.stdout).toContain('Authorized redirect URIs');
  });
});

describe('kaa table plan / apply', () => {
  it('plan lists inserts, updates and deletes with secrets masked; apply converges (a second plan is empty)', async () => {
    const plan = await run(['table', 'plan', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const first = JSON.parse(plan.stdout) as {
      changes: { action: string; botId: string; body?: Record<string, string> }[];
    };
    expect(
      first.changes
        .filter((c) => c.action === 'delete')
        .map((c) => c.botId)
        .sort(),
    ).toEqual(['st-d0be0000-0000-4000-8000-000000000003', 'st-d0be0000-0000-4000-8000-000000000004']);
    const bodies = first.changes.filter((c) => c.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const c of bodies) expect(c.body?.['ClientSecret']).toMatch(/^(\*{8}|\[REDACTED\])$/);

    const human = await run(['table', 'plan']);
    expect(human.stdout).toContain('- delete');
    expect(human.stdout).toContain('PUT /api/public/tables/kaa_bots');

    const dry = await run(['table', 'apply', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run');
    expect(sandbox.kore.tableRows().length).toBe(6);

    const apply = await run(['table', 'apply']);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toContain('Applied');
    const rows = sandbox.kore.tableRows();
    expect(rows.map((r) => r['QueueIdentifier']).sort()).toEqual(['ALPHAINC', 'AUDIO', 'Kore, KoreSupport', 'RSA']);
    expect(rows.find((r) => r['QueueIdentifier'] === 'RSA')?.['Algorithm']).toBe('RS256');
    // written as the guide's rows show it ("False"); the seeded "false" of the Kore row is read as the same value and left alone
    expect(rows.map((r) => `${String(r['QueueIdentifier'])}=${String(r['isAgentAISDK'])}`).sort()).toEqual([
      'ALPHAINC=False',
      'AUDIO=False',
      'Kore, KoreSupport=false',
      'RSA=False',
    ]);
    expect(rows.find((r) => r['QueueIdentifier'] === 'AUDIO')?.['AudiohookEnabled']).toBe('true');

    const again = await run(['table', 'plan', '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { changes: unknown[] }).changes).toEqual([]);
    const human2 = await run(['table', 'plan']);
    expect(human2.stdout).toContain('no changes');

    // the page's routing still works on the applied table
    const doctor = await run([
      'doctor',
      '--conversation',
      CONVERSATIONS.voiceAlpha,
      '--user',
      USERS.agent.id,
      '--json',
    ]);
    expect(doctor.code, doctor.stdout).toBe(0);
  }, 60_000); // eleven runs of the binary: slow on a loaded 2-core box

  it('a write failing half-way says how many changes were applied (exit 3); the next apply finishes the job', async () => {
    sandbox.kore.failNext({ method: 'PUT', pathPrefix: '/api/public/tables/', status: 500, times: 1 });
    const r = await run(['table', 'apply']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/E_HTTP_SERVER: .*2 of 5 changes were applied before this failure .*kaa table plan/);
    const again = await run(['table', 'apply', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse((await run(['table', 'plan', '--json'])).stdout).changes).toEqual([]);
  });

  it('apply refuses a config whose table would be ambiguous (lintBotTable error) and writes nothing', async () => {
    const amb = await tempDir();
    await writeSandboxConfig(amb, sandbox, (c) => {
      c.bots.kore.queues = ['Kore', 'KoreSupport', 'ALPHAINC'];
    });
    const before = JSON.stringify(sandbox.kore.tableRows());
    const r = await run(['table', 'apply'], {}, amb);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('duplicate-identifier');
    expect(r.stdout).toContain('Refused');
    expect(JSON.stringify(sandbox.kore.tableRows())).toBe(before);
    const lint = await run(['lint', '--offline', '--json'], {}, amb);
    expect(lint.code).toBe(1);
    const findings = (JSON.parse(lint.stdout) as { findings: { code: string; where: string }[] }).findings;
    expect(findings.find((f) => f.code === 'duplicate-identifier')?.where).toMatch(/kaa\.yaml:\d+:\d+$/);
  });
});

describe('kaa doctor', () => {
  const doctor = async (conversation: string, env: Record<string, string> = {}, cwd = dir) => {
    const r = await run(['doctor', '--conversation', conversation, '--user', USERS.agent.id, '--json'], env, cwd);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      firstFailure: { step: string; code: string; message: string } | null;
      steps: { step: string; status: string; ms: number }[];
    };
    return { r, out };
  };

  it('a healthy conversation passes every step, each timed', async () => {
    const { r, out } = await doctor(CONVERSATIONS.voiceAlpha);
    expect(r.code, r.stdout).toBe(0);
    expect(out.ok).toBe(true);
    expect(out.steps.map((s) => s.step)).toEqual([
      'page',
      'environment',
      'token',
      'conversation',
      'agent participant',
      'queue',
      'identifier',
      'table',
      'row',
      'widget token',
      'JWE',
      'widget URL',
      'transcripts',
    ]);
    expect(out.steps.every((s) => s.status === 'ok' && typeof s.ms === 'number')).toBe(true);
    const human = await run(['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Every step passed');
  });

  it('queue not mapped → step "row", E_QUEUE_NOT_MAPPED, with the fix', async () => {
    const { r, out } = await doctor(CONVERSATIONS.voiceUnmapped);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'row', code: 'E_QUEUE_NOT_MAPPED' });
    expect(out.firstFailure?.message).toContain(QUEUES.unmapped.name);
    const human = await run(['doctor', '--conversation', CONVERSATIONS.voiceUnmapped, '--user', USERS.agent.id]);
    expect(human.stdout).toContain('First failing step: row (E_QUEUE_NOT_MAPPED)');
    expect(human.stdout).toMatch(/Fix: .*Add a row/);
  });

  it('duplicate rows → step "row", E_QUEUE_AMBIGUOUS', async () => {
    const { r, out } = await doctor(CONVERSATIONS.voiceDuplicate);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'row', code: 'E_QUEUE_AMBIGUOUS' });
  });

  it('bad JWK → step "JWE"', async () => {
    sandbox.kore.setRows(
      sandbox.kore
        .tableRows()
        .map((row) =>
          row['QueueIdentifier'] === 'ALPHAINC'
            ? { ...row, JWEPublicKey: '{"kty":"RSA","n":"private-or-broken","e":"AQAB","d":"x"}' }
            : row,
        ),
    );
    const { r, out } = await doctor(CONVERSATIONS.voiceAlpha);
    expect(r.code).toBe(1);
    expect(out.firstFailure?.step).toBe('JWE');
    expect(out.firstFailure?.message).toContain('JWEPublicKey');
    expect(out.steps.find((s) => s.step === 'widget token')?.status).toBe('ok');

    sandbox.kore.setRows(
      sandbox.kore
        .tableRows()
        .map((row) =>
          row['QueueIdentifier'] === 'ALPHAINC' ? { ...row, JWEPublicKey: '{"kty":"RSA","n":"AQAB","e":"AQAB"}' } : row,
        ),
    );
    const small = await doctor(CONVERSATIONS.voiceAlpha);
    expect(small.out.firstFailure).toMatchObject({ step: 'JWE', code: 'E_JWE_KEY_INVALID' });
  });

  it('expired table token → step "table", E_HTTP_UNAUTHORIZED naming x_metadata', async () => {
    const expired = await signPlatformJwt({
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
      now: Math.floor(Date.now() / 1000) - 7200,
      ttlSeconds: 60,
    });
    const d = await tempDir();
    await writeSandboxConfig(d, sandbox, (c) => {
      c.dataTable.token = { env: 'KAA_TABLE_TOKEN' };
    });
    const { r, out } = await doctor(CONVERSATIONS.voiceAlpha, { KAA_TABLE_TOKEN: expired }, d);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'table', code: 'E_HTTP_UNAUTHORIZED' });
    expect(out.firstFailure?.message).toContain('x_metadata');
    expect(r.stdout + r.stderr).not.toContain(expired);
  });

  it('unreachable widget URL → step "widget URL", E_NETWORK', async () => {
    const port = await closedPort();
    sandbox.kore.setRows(
      sandbox.kore.tableRows().map((row) =>
        row['QueueIdentifier'] === 'ALPHAINC'
          ? {
              ...row,
              AgentAssistWidgetURL: `http://127.0.0.1:${port}/koreagentassist-sdk-v3/UI/agentassist-iframe.html`,
            }
          : row,
      ),
    );
    const { r, out } = await doctor(CONVERSATIONS.voiceAlpha);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'widget URL', code: 'E_NETWORK' });
    expect(out.firstFailure?.message).toContain('AgentAssistWidgetURL');
    // the same host serves jwtgrant: not a failure of "widget token", which says it could not check
    expect(out.steps.find((s) => s.step === 'widget token')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(`not checked at jwtgrant: http://127.0.0.1:${port} cannot be reached`),
    });
  });

  it("with KAA_GENESYS_TOKEN (an agent's token) users/me names the agent; --user is not needed and the token is never printed", async () => {
    const token = sandbox.genesys.issueToken({ userId: USERS.agent.id });
    const r = await run(['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--json'], { KAA_GENESYS_TOKEN: token });
    expect(r.code, r.stdout).toBe(0);
    const out = JSON.parse(r.stdout) as { steps: { step: string; detail: string }[] };
    expect(out.steps.find((s) => s.step === 'token')?.detail).toContain(USERS.agent.id);
    expect(r.stdout + r.stderr).not.toContain(token);
  });

  it('a missing client-credentials secret is a config error (exit 2) before any step runs', async () => {
    const r = await run(['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id], {
      KAA_GENESYS_SECRET: '',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /E_CONFIG_INVALID: kaa\.yaml:\d+:\d+: "genesys\.clientCredentials\.clientSecret" reads the environment variable KAA_GENESYS_SECRET/,
    );
    expect(r.stdout).not.toContain('environment');
  });

  it('reads the deployed page as the page does: not deployed, deployed without "kaa page --dist", or with another Kore host → step "page"', async () => {
    const root = dirname(site.pageDir);
    const plain = join(root, 'plain');
    await mkdir(plain, { recursive: true });
    await writeFile(
      join(plain, 'index.html'),
      '<!doctype html><html><head><title>kaa</title></head><body></body></html>',
    );
    const cases: [string, string, string, RegExp][] = [
      [
        'nothing at page.url',
        `${site.host.origin}/nowhere/`,
        'E_HTTP_NOT_FOUND',
        /answered HTTP 404\. Deploy the built page there/,
      ],
      [
        'a page without settings (the build uploaded as is)',
        `${site.host.origin}/plain/`,
        'E_CONFIG_INVALID',
        /no "kore\.apiHost".*kaa page --dist/,
      ],
    ];
    for (const [name, url, code, message] of cases) {
      const d = await tempDir();
      await writeSandboxConfig(d, sandbox, (c) => {
        c.page.url = url;
      });
      const { r, out } = await doctor(CONVERSATIONS.voiceAlpha, {}, d);
      expect(r.code, name).toBe(1);
      expect(out.firstFailure, name).toMatchObject({ step: 'page', code });
      expect(out.firstFailure?.message, name).toMatch(message);
      expect(out.steps.find((s) => s.step === 'table')?.status, name).toBe('skip');
    }
    // the page was built for another Kore host: doctor would read the table where the page does not
    const moved = await tempDir();
    await writeSandboxConfig(moved, sandbox, (c) => {
      c.agentAi.apiHost = 'http://127.0.0.1:9';
    });
    const { r, out } = await doctor(CONVERSATIONS.voiceAlpha, {}, moved);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'page', code: 'E_CONFIG_INVALID' });
    expect(out.firstFailure?.message).toContain(`reads the Kore Data Table at ${sandbox.origins.kore}`);
    expect(out.firstFailure?.message).toContain('kaa page --dist');
  });

  it('the "page" step names the deployed page and its Kore API host; "table" reads there', async () => {
    const { out } = await doctor(CONVERSATIONS.voiceAlpha);
    const steps = out.steps as unknown as { step: string; detail: string }[];
    expect(steps.find((s) => s.step === 'page')?.detail).toBe(
      `${site.host.origin}/koreaiaa-genesys/: settings embedded in index.html; Kore API host ${sandbox.origins.kore}`,
    );
    expect(steps.find((s) => s.step === 'table')?.detail).toContain(`at ${sandbox.origins.kore}`);
  });

  it('without --user it is a usage error (exit 2) that explains why', async () => {
    const r = await run(['doctor', '--conversation', CONVERSATIONS.voiceAlpha]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_CLI_USAGE');
    expect(r.stderr).toContain('users/me');
  });
});

describe('secrets', () => {
  it('kaa token prints only the token; it verifies as the bot', async () => {
    const r = await run(['token', 'widget', '--bot', 'alpha', '--user', USERS.agent.id]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const decoded = decodeJwtUnverified(r.stdout.trim());
    expect(decoded.kind === 'jws' && decoded.claims).toMatchObject({
      iss: 'cs-a1fa0000-0000-4000-8000-000000000001',
      sub: USERS.agent.id,
    });
    const platform = await run(['token', 'platform']);
    expect(platform.stdout.trim().split('\n')).toHaveLength(1);
    runs.splice(runs.indexOf(r), 1);
    runs.splice(runs.indexOf(platform), 1);
  });

  it('no other run printed a planted secret or a JWT (this test runs last)', async () => {
    await run(['lint']);
    await run(['url', '--json']);
    expect(runs.length).toBeGreaterThan(10);
    const secrets = plantedSecrets(sandbox);
    // the runtime credentials are in the scan, not only the planted ones: what the runs got from Genesys and Kore
    const kinds = new Set(sandbox.issuedSecrets().map((x) => x.kind));
    for (const kind of ['genesys-access-token', 'kore-table-token', 'kore-widget-jwt', 'kore-access-token'] as const)
      expect(kinds, kind).toContain(kind);
    for (const r of runs) {
      if (r.stdout.includes('"revealed": true')) continue; // kaa url --reveal prints the token by request
      const text = r.stdout + r.stderr;
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    }
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 9;
      server.close(() => resolve(port));
    });
  });
}
