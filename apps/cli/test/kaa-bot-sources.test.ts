/**
 * The BUILT kaa binary in the three bot-source modes (Kore Data Table, Third-Party Configuration, legacy Genesys
 * data table) and the jwtgrant check of "kaa doctor", run as a child process against the sandbox (127.0.0.1 only).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWidgetContext, signPlatformJwt } from '@kaa/core';
import {
  BOTS,
  CONVERSATIONS,
  KORE_DATA_TABLE,
  LEGACY_TABLE,
  OAUTH_CLIENTS,
  QUEUES,
  THIRD_PARTY,
  USERS,
  startSandbox,
  type Sandbox,
} from '@kaa/sandbox';
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
let site: TestSite;
const runs: Run[] = [];

beforeAll(async () => {
  site = await startTestSite();
  [sandbox, bin] = await Promise.all([startSandbox({ desktop: false, pageOrigin: site.host.origin }), buildKaa()]);
  const dir = await tempDir();
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

type Patch = (config: Record<string, any>) => void;

/** Third-Party Configuration: no dataTable; the bots' queues are full queue names (docs/assumptions.md#queue-matching-details). */
const thirdParty =
  (extra: Record<string, unknown> = {}): Patch =>
  (c) => {
    delete c.dataTable;
    c.botSource = { kind: 'third-party', accountId: THIRD_PARTY.accountId, ...extra };
    c.bots.alpha.queues = [QUEUES.alpha.name];
    c.bots.kore.queues = [QUEUES.koreSupport.name];
    c.bots.rs.queues = [QUEUES.rsa.name];
  };

/** Legacy Genesys data table: no dataTable, exactly one bot (the one the sandbox's legacy table holds). */
const legacy: Patch = (c) => {
  delete c.dataTable;
  c.botSource = { kind: 'genesys-legacy-table' };
  c.bots = {
    alpha: {
      botId: BOTS.alpha.botId,
      clientId: BOTS.alpha.clientId,
      clientSecret: { env: 'KAA_ALPHA_SECRET' },
      queues: [QUEUES.alpha.name],
      widgetUrl: sandbox.kore.widgetUrl,
    },
  };
};

async function run(patch: Patch | undefined, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const dir = await tempDir();
  await writeSandboxConfig(dir, sandbox, patch);
  const r = await kaa(bin, args, { cwd: dir, env: { ...SANDBOX_ENV, ...env } });
  runs.push(r);
  return r;
}

async function doctor(patch: Patch | undefined, conversation: string) {
  const r = await run(patch, ['doctor', '--conversation', conversation, '--user', USERS.agent.id, '--json']);
  const out = JSON.parse(r.stdout) as {
    ok: boolean;
    firstFailure: { step: string; code: string; message: string } | null;
    steps: { step: string; status: string; detail: string }[];
  };
  return { r, out, detail: (step: string) => out.steps.find((s) => s.step === step)?.detail ?? '' };
}

function fill(url: string): string {
  return url
    .replace('{{gcConversationId}}', CONVERSATIONS.voiceAlpha)
    .replace('{{gcLangTag}}', 'en-us')
    .replace('{{gcHostOrigin}}', encodeURIComponent(sandbox.environment.appsOrigin))
    .replace('{{gcTargetEnv}}', 'sandbox');
}

describe('kaa url in each bot-source mode', () => {
  it('the URL of every mode parses back with parseWidgetContext to the configured bot source', async () => {
    const expected = [
      {
        patch: undefined,
        source: { kind: 'kore-data-table', datatable: { name: KORE_DATA_TABLE.name, qDelimiter: '_' } },
      },
      { patch: thirdParty(), source: { kind: 'third-party', accountId: THIRD_PARTY.accountId } },
      { patch: legacy, source: { kind: 'genesys-legacy-table' } },
    ] as const;
    for (const { patch, source } of expected) {
      const r = await run(patch, ['url', '--reveal', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { url: string; botSource: { kind: string } };
      const ctx = parseWidgetContext(fill(out.url));
      expect(ctx.botSource).toMatchObject(source);
      expect(out.botSource.kind).toBe(source.kind);
      expect(ctx).toMatchObject({
        genesysClientId: OAUTH_CLIENTS.pkce.id,
        hostOrigin: sandbox.environment.appsOrigin,
        showWidget: true,
        sendEventsToVG: false,
      });
    }
  });

  it("third-party: accountId in the URL, no x_metadata; lists each bot's record with base64 keys", async () => {
    const r = await run(thirdParty(), ['url', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      url: string;
      thirdPartyRecords: { bot: string; queueIdentifiers: string[]; keys: Record<string, string> }[];
      oauth: { scopes: string[] };
    };
    expect(out.url).toContain(`&accountId=${THIRD_PARTY.accountId}`);
    expect(out.url).not.toContain('x_metadata');
    expect(out.url).not.toContain('multibot');
    const alpha = out.thirdPartyRecords.find((t) => t.bot === 'alpha');
    expect(alpha?.queueIdentifiers).toEqual([QUEUES.alpha.name]);
    expect(Buffer.from(alpha?.keys['AudiohookEnabled'] ?? '', 'base64').toString()).toBe('false');
    expect(JSON.parse(Buffer.from(alpha?.keys['SecureCustomDataConfig'] ?? '', 'base64').toString())).toEqual({
      queue: 'participants[0].queueName',
      state: 'participants[0].calls[0].state',
    });
    expect(out.oauth.scopes).not.toContain('architect:readonly');
    const human = await run(thirdParty(), ['url']);
    expect(human.stdout).toContain('Third Party Configuration');
    expect(human.stdout).toContain(QUEUES.koreSupport.name);
    // lookup static (the default): the page would have no lookup, and kaa url says what it needs and where it is explained
    expect(human.stdout).toContain('What the page still needs for this mode');
    expect(human.stdout).toContain('"thirdParty.source": "http"');
    expect(human.stdout).toContain('docs/assumptions.md#third-party-configuration-runtime-api');
    expect((out as unknown as { thirdPartyLookupMissing: string | null }).thirdPartyLookupMissing).toMatch(
      /thirdParty\.http\.url/,
    );
    const withLookup = await run(
      thirdParty({ lookup: 'http', url: `${sandbox.origins.kore}/agentassist/api/v1/thirdparty/{accountId}/config` }),
      ['url', '--json'],
    );
    expect(
      (JSON.parse(withLookup.stdout) as { thirdPartyLookupMissing: string | null }).thirdPartyLookupMissing,
    ).toBeNull();
  });

  it('legacy: no bot-source parameter; the Reference Key and the five custom fields, Client Secret masked unless --reveal', async () => {
    const r = await run(legacy, ['url', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      url: string;
      legacyTable: { referenceKey: string; fields: { label: string; value: string }[] };
      oauth: { scopes: string[] };
    };
    expect(out.url).not.toMatch(/multibot|x_metadata|accountId/);
    expect(out.legacyTable.referenceKey).toBe('agentAssist');
    expect(out.legacyTable.fields.map((f) => f.label)).toEqual([
      'AgentAssist URL',
      'Bot Id',
      'Client Id',
      'Client Secret',
      'is Audiohook Enabled',
    ]);
    const value = (label: string) => out.legacyTable.fields.find((f) => f.label === label)?.value;
    expect(value('Bot Id')).toBe(BOTS.alpha.botId);
    expect(value('Client Id')).toBe(BOTS.alpha.clientId);
    expect(value('Client Secret')).toBe('********');
    expect(value('is Audiohook Enabled')).toBe('false');
    expect(value('AgentAssist URL')).toBe(sandbox.kore.widgetUrl);
    expect(out.oauth.scopes).toContain('architect:readonly');
    const human = await run(legacy, ['url']);
    expect(human.stdout).toContain('Reference Key label "agentAssist"');
    expect(human.stdout).toContain('Client Secret masked');

    const revealed = await run(legacy, ['url', '--reveal', '--json']);
    runs.splice(runs.indexOf(revealed), 1);
    expect(JSON.parse(revealed.stdout).legacyTable.fields[3].value).toBe(BOTS.alpha.clientSecret);
  });
});

describe('kaa doctor in the Third-Party Configuration and legacy modes', () => {
  it("third-party, static lookup (the config's bots as records): every step passes", async () => {
    const { r, out, detail } = await doctor(thirdParty(), CONVERSATIONS.voiceAlpha);
    expect(r.code, r.stdout).toBe(0);
    expect(out.steps.every((s) => s.status === 'ok')).toBe(true);
    expect(detail('identifier')).toContain(QUEUES.alpha.name);
    expect(detail('table')).toContain(`Third-Party Configuration of account "${THIRD_PARTY.accountId}"`);
    expect(detail('row')).toContain('record "alpha"');
    expect(detail('row')).toContain(BOTS.alpha.botId);
    expect(detail('JWE')).toContain('2 KvpConfig value(s) encrypted');
  });

  it('third-party, static: a queue no record lists → step "row", E_QUEUE_NOT_MAPPED, naming the queue and the fix', async () => {
    const { r, out } = await doctor(thirdParty(), CONVERSATIONS.voiceUnmapped);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'row', code: 'E_QUEUE_NOT_MAPPED' });
    expect(out.firstFailure?.message).toContain(QUEUES.unmapped.name);
    expect(out.firstFailure?.message).toContain('Third Party Configuration');
  });

  it('third-party, http lookup against the sandbox\'s Third-Party API (with setting thirdParty.http.token): resolves the record; an unmapped queue is E_QUEUE_NOT_MAPPED; without the token, step "row" is E_HTTP_UNAUTHORIZED', async () => {
    const token = await signPlatformJwt({
      appId: THIRD_PARTY.readApp.appId,
      clientSecret: THIRD_PARTY.readApp.clientSecret,
      now: new Date(),
      ttlSeconds: 600,
    });
    const url = `${sandbox.origins.kore}/agentassist/api/v1/thirdparty/{accountId}/config`;
    const http: Patch = (c) => {
      thirdParty({ lookup: 'http', url })(c);
      c.settings.thirdParty = { http: { token } };
    };
    const refused = await doctor(thirdParty({ lookup: 'http', url }), CONVERSATIONS.chatKore);
    expect(refused.out.firstFailure).toMatchObject({ code: 'E_HTTP_UNAUTHORIZED' });
    expect(refused.out.firstFailure?.message).toContain('thirdParty.http.token');
    const ok = await doctor(http, CONVERSATIONS.chatKore);
    expect(ok.r.code, ok.r.stdout).toBe(0);
    expect(ok.r.stdout + ok.r.stderr).not.toContain(token);
    expect(ok.detail('row')).toContain(BOTS.kore.botId);
    expect(
      sandbox.kore.recorded.thirdPartyLookups.some((l) => l.queueName === QUEUES.koreSupport.name && l.status === 200),
    ).toBe(true);
    const missing = await doctor(http, CONVERSATIONS.voiceUnmapped);
    expect(missing.out.firstFailure).toMatchObject({ step: 'row', code: 'E_QUEUE_NOT_MAPPED' });
  });

  it('third-party, http lookup without a URL is a config error (exit 2) naming botSource.url', async () => {
    const r = await run(thirdParty({ lookup: 'http' }), [
      'doctor',
      '--conversation',
      CONVERSATIONS.voiceAlpha,
      '--user',
      USERS.agent.id,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_CONFIG_INVALID: kaa\.yaml:\d+:\d+: "botSource\.url" is missing/);
  });

  it('legacy: reads the Architect table with Reference Key "agentAssist" with client credentials; every step passes for any queue', async () => {
    for (const conversation of [CONVERSATIONS.voiceAlpha, CONVERSATIONS.chatKore]) {
      const { r, out, detail } = await doctor(legacy, conversation);
      expect(r.code, r.stdout).toBe(0);
      expect(out.steps.every((s) => s.status === 'ok')).toBe(true);
      expect(detail('table')).toContain(LEGACY_TABLE.name);
      expect(detail('row')).toContain(BOTS.alpha.botId);
      expect(detail('widget token')).toContain("accepted by Kore's jwtgrant");
    }
  });

  it('legacy: a tableId that does not exist → step "table" fails with a coded error', async () => {
    const { r, out } = await doctor((c) => {
      legacy(c);
      c.botSource.tableId = 'da7a7ab1-0000-4000-8000-0000000000ff';
    }, CONVERSATIONS.voiceAlpha);
    expect(r.code).toBe(1);
    expect(out.firstFailure?.step).toBe('table');
    expect(out.firstFailure?.code).toMatch(/^E_/);
  });
});

describe("kaa doctor: widget token checked at Kore's jwtgrant", () => {
  it('a healthy row: jwtgrant accepts the token (recorded by the sandbox)', async () => {
    const { r, detail } = await doctor(undefined, CONVERSATIONS.voiceAlpha);
    expect(r.code, r.stdout).toBe(0);
    expect(detail('widget token')).toContain(`accepted by Kore's jwtgrant at ${sandbox.origins.kore}`);
    expect(sandbox.kore.recorded.jwtgrants.some((g) => g.status === 200 && g.botId === BOTS.alpha.botId)).toBe(true);
  });

  it('a row whose ClientSecret is wrong → step "widget token", E_HTTP_UNAUTHORIZED, names the row and the bot; the secret is never printed', async () => {
    const wrong = 'planted-wrong-client-secret-7f3a9c';
    sandbox.kore.setRows(
      sandbox.kore
        .tableRows()
        .map((row) => (row['QueueIdentifier'] === 'ALPHAINC' ? { ...row, ClientSecret: wrong } : row)),
    );
    const { r, out } = await doctor(undefined, CONVERSATIONS.voiceAlpha);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'widget token', code: 'E_HTTP_UNAUTHORIZED' });
    expect(out.firstFailure?.message).toMatch(
      new RegExp(`the ClientSecret in row \\d+ of Kore Data Table "kaa_bots" does not match bot ${BOTS.alpha.botId}`),
    );
    expect(out.firstFailure?.message).toContain('JWT App Details');
    expect(out.steps.find((s) => s.step === 'row')?.status).toBe('ok');
    expect(out.steps.find((s) => s.step === 'JWE')?.status).toBe('skip');
    const human = await run(undefined, [
      'doctor',
      '--conversation',
      CONVERSATIONS.voiceAlpha,
      '--user',
      USERS.agent.id,
    ]);
    expect(human.stdout).toContain('First failing step: widget token (E_HTTP_UNAUTHORIZED)');
    for (const text of [r.stdout, r.stderr, human.stdout, human.stderr]) expect(text).not.toContain(wrong);
  });

  it('a legacy table whose Client Secret is wrong → step "widget token" names the legacy field', async () => {
    sandbox.kore.rotateClientSecret('alpha', 'rotated-alpha-secret-0042');
    const { r, out } = await doctor(legacy, CONVERSATIONS.voiceAlpha);
    expect(r.code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'widget token', code: 'E_HTTP_UNAUTHORIZED' });
    expect(out.firstFailure?.message).toContain(
      `the "Client Secret" field of legacy Genesys data table "${LEGACY_TABLE.name}" does not match bot ${BOTS.alpha.botId}`,
    );
  });
});

describe('config and commands outside the Kore Data Table mode', () => {
  it('bad bot-source configs are E_CONFIG_INVALID naming file, line and field', async () => {
    const cases: [Patch, RegExp][] = [
      [(c) => void (c.botSource = { kind: 'third-party' }), /kaa\.yaml:\d+:\d+: "botSource\.accountId" is missing/],
      [
        (c) => void (c.botSource = { kind: 'thirdparty', accountId: 'x' }),
        /kaa\.yaml:\d+:\d+: "botSource\.kind" must be one of "kore-data-table", "third-party", "genesys-legacy-table"/,
      ],
      [
        (c) => void (c.botSource = { kind: 'third-party', accountId: 'has spaces' }),
        /kaa\.yaml:\d+:\d+: "botSource\.accountId" must be the Agent AI account id/,
      ],
      [(c) => void delete c.dataTable, /kaa\.yaml:\d+:\d+: "dataTable" is missing: botSource kind "kore-data-table"/],
      [
        (c) => void (legacy(c), (c.bots.beta = { ...c.bots.alpha })),
        /kaa\.yaml:\d+:\d+: "bots" must define exactly one bot with botSource kind "genesys-legacy-table"/,
      ],
      [
        (c) => void (legacy(c), (c.bots.alpha.kvpConfig = { q: 'participants[0].queueName' })),
        /kaa\.yaml:\d+:\d+: "bots\.alpha\.kvpConfig" is not available with botSource kind "genesys-legacy-table"/,
      ],
    ];
    for (const [patch, message] of cases) {
      const r = await run(patch, ['url']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('"kaa table" refuses a config without a Kore Data Table (exit 2, names botSource); "kaa lint" checks the config only', async () => {
    const table = await run(thirdParty(), ['table', 'plan']);
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/E_CONFIG_INVALID: kaa\.yaml:\d+:\d+: "botSource\.kind" is "third-party"/);
    const lint = await run(thirdParty(), ['lint', '--json']);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const findings = (JSON.parse(lint.stdout) as { findings: { code: string; severity: string }[] }).findings;
    expect(findings).toEqual([expect.objectContaining({ code: 'no-live-table', severity: 'info' })]);
    const dup = await run(
      (c) => {
        thirdParty()(c);
        c.bots.kore.queues = [QUEUES.koreSupport.name, QUEUES.alpha.name];
      },
      ['lint', '--offline', '--json'],
    );
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.stdout).findings.map((f: { code: string }) => f.code)).toContain('duplicate-identifier');
  });

  it('no run printed a planted secret or a JWT (runs last)', () => {
    expect(runs.length).toBeGreaterThan(15);
    const secrets = [...plantedSecrets(sandbox), 'rotated-alpha-secret-0042'];
    // the runtime credentials are in the scan, not only the planted ones: what the runs got from Genesys and Kore
    const kinds = new Set(sandbox.issuedSecrets().map((x) => x.kind));
    for (const kind of ['genesys-access-token', 'kore-table-token', 'kore-widget-jwt', 'kore-access-token'] as const)
      expect(kinds, kind).toContain(kind);
    for (const r of runs) {
      if (r.stdout.includes('"revealed": true')) continue;
      const text = r.stdout + r.stderr;
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    }
  });
});
