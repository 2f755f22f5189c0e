/**
 * `kaa provision plan|apply`: the BUILT kaa binary as a child process against the sandbox started in this process,
 * whose Genesys org starts empty (no browser OAuth client, no widget, no role, transcription off). The admin API is
 * the sandbox's, driven by the platform SDK inside kaa.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIOHOOK_INTEGRATION_TYPE,
  decodeJwtUnverified,
  DATATABLE_VIEW_PERMISSION,
  INTERACTION_WIDGET_ADVANCED,
  INTERACTION_WIDGET_TYPE,
  LEGACY_FIELDS,
  parseWidgetContext,
  TRANSCRIPTION_VIEW_PERMISSION,
} from '@kaa/core';
import {
  BOTS,
  CONVERSATIONS,
  DIVISIONS,
  GROUPS,
  OAUTH_CLIENTS,
  QUEUES,
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

const ENV = {
  ...SANDBOX_ENV,
  KAA_ADMIN_SECRET: OAUTH_CLIENTS.admin.secret,
  KAA_KVG_TOKEN: 'kvg-token-planted-for-provision-tests',
  KAA_DEBUG: '1',
};
/** The queues mapped to a bot that takes Genesys transcripts (voice transcription on). */
const MAPPED = [QUEUES.alpha, QUEUES.koreSupport, QUEUES.rsa];
/** Every mapped queue (the widget's queue filter): also the AUDIO row's, whose bot streams audio through AudioHook. */
const WIDGET_QUEUES = [...MAPPED, QUEUES.audiohook];

let sandbox: Sandbox;
let bin: string;
let dir: string;
let site: TestSite;
const runs: Run[] = [];

/** The sandbox config without a browser OAuth client id, with the admin client and a provision section. */
function provisioned(extra: (c: Record<string, any>) => void = () => undefined) {
  return (c: Record<string, any>) => {
    delete c['genesys'].oauthClientId;
    c['genesys'].adminClient = { clientId: OAUTH_CLIENTS.admin.id, clientSecret: { env: 'KAA_ADMIN_SECRET' } };
    c['provision'] = { groups: [GROUPS.agents.name] };
    extra(c);
  };
}

beforeAll(async () => {
  site = await startTestSite();
  [sandbox, bin] = await Promise.all([
    startSandbox({ desktop: false, pageOrigin: site.host.origin, genesys: { org: 'empty' } }),
    buildKaa(),
  ]);
  dir = await tempDir();
  await writeSandboxConfig(dir, sandbox, provisioned());
  await deployPage(bin, site, dir);
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await site?.host.close();
  await removeBuild(bin);
});
beforeEach(() => {
  sandbox.genesys.restoreOrg();
});

async function run(args: string[], cwd = dir): Promise<Run> {
  const r = await kaa(bin, args, { cwd, env: ENV });
  runs.push(r);
  return r;
}

interface PlanOutput {
  changes: { object: string; name: string; id?: string; action: string; changed: string[]; detail: string[] }[];
  notices: string[];
  applied: number;
  oauthClientId: string | null;
}

async function plan(cwd = dir): Promise<PlanOutput> {
  const r = await run(['provision', 'plan', '--json'], cwd);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PlanOutput;
}

async function apply(cwd = dir): Promise<PlanOutput> {
  const r = await run(['provision', 'apply', '--json'], cwd);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PlanOutput;
}

const summary = (p: PlanOutput) =>
  p.changes.map(
    (c) =>
      `${c.action} ${c.object} ${c.name}${c.changed.length > 0 && c.action === 'update' ? ` [${c.changed.join(',')}]` : ''}`,
  );

describe('kaa provision on an empty org', { timeout: 90_000 }, () => {
  it('plan lists every object to create; apply creates them; a second plan is empty', async () => {
    const first = await plan();
    expect(summary(first).sort()).toEqual(
      [
        'create oauth-client Kore Agent AI',
        'create role Kore Agent AI',
        `grant grant role "Kore Agent AI" to group "${GROUPS.agents.name}" in division "${DIVISIONS.home.name}"`,
        ...MAPPED.map((q) => `update queue ${q.name} [enableTranscription]`),
        'create interaction-widget Kore Agent AI',
      ].sort(),
    );
    expect(first.oauthClientId).toBeNull();
    // plan wrote nothing
    expect([...sandbox.genesys.org.integrations.values()]).toEqual([]);

    const applied = await apply();
    expect(applied.applied).toBe(first.changes.length);
    const client = [...sandbox.genesys.org.clients.values()].find((c) => c.name === 'Kore Agent AI');
    expect(client).toBeDefined();
    expect(applied.oauthClientId).toBe(client?.id);
    const pageUrl = `${sandbox.origins.page ?? 'http://127.0.0.1:5173'}/koreaiaa-genesys/`;
    expect(client?.redirectUris).toEqual([pageUrl, `${pageUrl}auth-callback.html`]);
    expect(client?.grants).toEqual(['pkce']);
    expect(client?.scopes).toContain('notifications');

    const [widget] = sandbox.genesys.interactionWidgets();
    expect(widget).toMatchObject({ name: 'Kore Agent AI', enabled: true });
    const props = widget?.config.properties as Record<string, unknown>;
    expect(props['groups']).toEqual([GROUPS.agents.id]);
    expect(props['queueIdFilterList']).toEqual(WIDGET_QUEUES.map((q) => q.id).sort());
    expect(widget?.config.advanced).toEqual(INTERACTION_WIDGET_ADVANCED);
    const ctx = parseWidgetContext(
      String(props['url'])
        .replace('{{gcConversationId}}', 'c0')
        .replace('{{gcLangTag}}', 'en-us')
        .replace('{{gcHostOrigin}}', encodeURIComponent(sandbox.environment.appsOrigin))
        .replace('{{gcTargetEnv}}', 'sandbox'),
    );
    expect(ctx.genesysClientId).toBe(client?.id);

    expect(sandbox.genesys.org.hasPermission(USERS.agent.id, TRANSCRIPTION_VIEW_PERMISSION, DIVISIONS.home.id)).toBe(
      true,
    );
    for (const q of Object.values(QUEUES))
      expect(sandbox.genesys.org.queues.get(q.id)?.enableTranscription, q.name).toBe(MAPPED.some((m) => m.id === q.id));

    const second = await plan();
    expect(second.changes).toEqual([]);
    expect(second.oauthClientId).toBe(client?.id);
    // the human plan says so too
    const text = await run(['provision', 'plan']);
    expect(text.stdout).toContain('The Genesys org matches the config: no changes.');
  });

  it('a drifted org converges: each drift is one update, and apply puts it back', async () => {
    await apply();
    const org = sandbox.genesys.org;
    const client = [...org.clients.values()].find((c) => c.name === 'Kore Agent AI')!;
    client.redirectUris = [...client.redirectUris, 'https://attacker.example/'];
    const widget = [...org.integrations.values()].find((i) => i.typeId === INTERACTION_WIDGET_TYPE)!;
    widget.config.properties['groups'] = [GROUPS.supervisors.id];
    widget.intendedState = 'DISABLED';
    org.queues.get(QUEUES.alpha.id)!.enableTranscription = false;

    const drifted = await plan();
    expect(summary(drifted).sort()).toEqual(
      [
        'update interaction-widget Kore Agent AI [groups,intendedState]',
        `update oauth-client Kore Agent AI [registeredRedirectUri]`,
        `update queue ${QUEUES.alpha.name} [enableTranscription]`,
      ].sort(),
    );
    expect(drifted.changes.find((c) => c.object === 'oauth-client')?.detail).toEqual([
      'redirect URI: - https://attacker.example/',
    ]);
    expect(drifted.changes.find((c) => c.object === 'interaction-widget')?.detail).toEqual([
      `group filter: + ${GROUPS.agents.name}`,
      `group filter: - ${GROUPS.supervisors.id}`,
      'enabled',
    ]);
    await apply();
    expect((await plan()).changes).toEqual([]);
    expect(org.clients.get(client.id)?.redirectUris).not.toContain('https://attacker.example/');
    expect(sandbox.genesys.interactionWidgets()[0]).toMatchObject({
      enabled: true,
      config: { properties: { groups: [GROUPS.agents.id] } },
    });
  });

  it('a config change is exactly one update: a queue filter, a redirect URI (the popup callback), the page URL (client and widget)', async () => {
    await apply();
    const d = await tempDir();
    await writeSandboxConfig(
      d,
      sandbox,
      provisioned((c) => (c['provision'].widget = { queues: [QUEUES.alpha.name] })),
    );
    expect(summary(await plan(d))).toEqual(['update interaction-widget Kore Agent AI [queueIdFilterList]']);

    await writeSandboxConfig(
      d,
      sandbox,
      provisioned((c) => (c['settings'].auth = { popupRedirectUri: 'https://kaa.example.com/popup-callback.html' })),
    );
    const popup = await plan(d);
    expect(summary(popup)).toEqual(['update oauth-client Kore Agent AI [registeredRedirectUri]']);

    await writeSandboxConfig(
      d,
      sandbox,
      provisioned((c) => (c['page'].url = 'https://kaa.example.com/agents/')),
    );
    const moved = await plan(d);
    // the page URL is both the client's redirect URIs and the widget's Application URL
    expect(summary(moved).sort()).toEqual([
      'update interaction-widget Kore Agent AI [url]',
      'update oauth-client Kore Agent AI [registeredRedirectUri]',
    ]);
    expect(moved.changes.find((c) => c.object === 'interaction-widget')?.detail).toEqual([
      expect.stringContaining('page address'),
    ]);
  });

  it('a client without the admin scopes: plan reads, apply stops with a coded error naming the scope', async () => {
    const d = await tempDir();
    await writeSandboxConfig(
      d,
      sandbox,
      provisioned(
        (c) =>
          (c['genesys'].adminClient = {
            clientId: OAUTH_CLIENTS.credentials.id,
            clientSecret: { env: 'KAA_GENESYS_SECRET' },
          }),
      ),
    );
    expect((await plan(d)).changes.length).toBeGreaterThan(0);
    const r = await run(['provision', 'apply', '--json'], d);
    expect(r.code).toBe(3);
    const { error } = JSON.parse(r.stdout) as {
      error: { code: string; message: string; details: Record<string, unknown> };
    };
    expect(error.code).toBe('E_HTTP_FORBIDDEN');
    expect(error.message).toContain(
      `Give OAuth client ${OAUTH_CLIENTS.credentials.id} (genesys.adminClient) the scope "oauth"`,
    );
    expect(error.message).toContain('0 of');
    expect(error.details).toMatchObject({ status: 403, genesysCode: 'missing.any.scopes', scope: 'oauth' });
    expect([...sandbox.genesys.org.clients.values()].some((c) => c.name === 'Kore Agent AI')).toBe(false);
  });

  it('an apply that fails half-way says what was applied, and the next apply finishes', async () => {
    const admin = sandbox.genesys.org.clients.get(OAUTH_CLIENTS.admin.id)!;
    const scopes = [...admin.scopes];
    admin.scopes = [...scopes.filter((s) => s !== 'routing'), 'routing:readonly'];
    try {
      const r = await run(['provision', 'apply', '--json']);
      expect(r.code).toBe(3);
      const { error } = JSON.parse(r.stdout) as {
        error: { code: string; message: string; details: Record<string, unknown> };
      };
      expect(error.code).toBe('E_HTTP_FORBIDDEN');
      expect(error.message).toContain('the scope "routing"');
      expect(error.message).toMatch(
        /3 of 7 changes were applied before this failure \(create oauth-client "Kore Agent AI"; create role "Kore Agent AI"; grant grant .*\)/,
      );
      expect(error.details).toMatchObject({ applied: 3, total: 7 });
    } finally {
      admin.scopes = scopes;
    }
    const rest = await plan();
    expect(summary(rest).sort()).toEqual(
      [
        ...MAPPED.map((q) => `update queue ${q.name} [enableTranscription]`),
        'create interaction-widget Kore Agent AI',
      ].sort(),
    );
    await apply();
    expect((await plan()).changes).toEqual([]);
  });

  it('"kaa url" finds the OAuth client provisioning created by name; before apply it says to run it', async () => {
    const before = await run(['url', '--json']);
    expect(before.code).toBe(2);
    expect(JSON.parse(before.stdout)).toMatchObject({
      error: { code: 'E_CONFIG_INVALID', message: expect.stringContaining('Run "kaa provision apply" first') },
    });
    const { oauthClientId } = await apply();
    const after = await run(['url', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as { oauth: { clientId: string } }).oauth.clientId).toBe(oauthClientId);
  });

  it('is listed in "kaa --help" and has its own help', async () => {
    const main = await run(['--help']);
    expect(main.stdout).toContain('  provision  ');
    const help = await run(['provision', '--help']);
    expect(help.stdout).toContain('Usage: kaa provision plan [--json]');
    expect((await run(['help', 'provision'])).stdout).toBe(help.stdout);
    const usage = await run(['provision', 'destroy']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('"kaa provision" needs "plan" or "apply"');
  });

  it('--dry-run writes nothing; a config without "provision" or without an admin client is refused with the fix', async () => {
    const dry = await run(['provision', 'apply', '--dry-run', '--json']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as PlanOutput).changes.length).toBe(7);
    expect(sandbox.genesys.interactionWidgets()).toEqual([]);

    const d = await tempDir();
    await writeSandboxConfig(d, sandbox);
    const none = await run(['provision', 'plan'], d);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('there is no "provision" section');
    await writeSandboxConfig(
      d,
      sandbox,
      provisioned((c) => delete c['genesys'].adminClient),
    );
    const noAdmin = await run(['provision', 'plan'], d);
    expect(noAdmin.code).toBe(2);
    expect(noAdmin.stderr).toContain('needs "genesys.adminClient"');
  });
});

describe('kaa provision in an organization without the voice transcription licence', { timeout: 90_000 }, () => {
  it("apply stops at the first queue with Genesys's words, says what was applied, and changes nothing more", async () => {
    const unlicensed = await startSandbox({
      desktop: false,
      genesys: { org: 'empty', features: { voiceTranscription: false } },
    });
    try {
      const d = await tempDir();
      await writeSandboxConfig(d, unlicensed, provisioned());
      const r = await run(['provision', 'apply', '--json'], d);
      expect(r.code).toBe(3);
      const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string } };
      expect(error.code).toBe('E_HTTP_BAD_REQUEST');
      expect(error.message).toContain('licence');
      expect(error.message).toContain('3 of 7 changes were applied before this failure');
      expect(unlicensed.genesys.interactionWidgets()).toEqual([]);
    } finally {
      await unlicensed.close();
    }
  });
});

describe('kaa provision: AudioHook and the legacy Genesys data table', { timeout: 90_000 }, () => {
  it('an audiohookEnabled bot: the AudioHook Monitor integration holds what "kaa audiohook" computes; its queue gets audio monitoring, not transcription', async () => {
    const d = await tempDir();
    await writeSandboxConfig(
      d,
      sandbox,
      provisioned((c) => {
        c['bots'].kore.audiohookEnabled = true;
        c['audiohook'] = {
          sipuri: 'sip:st-kore@kore.ai',
          token: { env: 'KAA_KVG_TOKEN' },
          accountId: '6a1c0000-0000-4000-8000-0000000000ac',
        };
        // the Advanced JSON wants a Genesys domain and an https Agent AI URL (no Kore call is made here)
        c['settings'].genesys.environments[0].domain = 'sandbox.kaa.test';
        c['agentAi'].url = 'https://platform.kore.ai';
      }),
    );
    const first = await plan(d);
    expect(summary(first)).toContain('create audiohook Kore Agent AI AudioHook');
    expect(summary(first)).toContain(`update queue ${QUEUES.koreSupport.name} [enableAudioMonitoring]`);
    expect([...first.notices].sort()).toEqual([
      expect.stringContaining(
        `Queue "${QUEUES.audiohook.name}" is mapped to bot "audio" but has voice transcription off (its bot streams audio through AudioHook)`,
      ),
      expect.stringContaining(
        `Queue "${QUEUES.koreSupport.name}" is mapped to bot "kore" but has voice transcription off (its bot streams audio through AudioHook)`,
      ),
    ]);
    await apply(d);
    expect((await plan(d)).changes).toEqual([]); // the Advanced token is kept while it verifies

    const hook = [...sandbox.genesys.org.integrations.values()].find((i) => i.typeId === AUDIOHOOK_INTEGRATION_TYPE);
    expect(hook).toMatchObject({ name: 'Kore Agent AI AudioHook', intendedState: 'ENABLED' });
    const printed = await kaa(bin, ['audiohook', '--reveal', '--json'], { cwd: d, env: ENV }); // asked to reveal: not in the scanned runs
    const computed = JSON.parse(printed.stdout) as { connectionUri: string; advanced: Record<string, unknown> };
    expect(hook?.config.properties).toEqual({ channel: 'both', connectionUri: computed.connectionUri });
    const { token, ...advanced } = hook?.config.advanced as Record<string, unknown>;
    const { token: _printedToken, ...printedAdvanced } = computed.advanced;
    expect(advanced).toEqual(printedAdvanced);
    const claims = decodeJwtUnverified(String(token));
    expect(claims.kind === 'jws' && claims.claims['appId']).toBe(BOTS.kore.clientId);
    const credentialId = Object.values(hook?.config.credentials ?? {})[0]?.id ?? '';
    expect(sandbox.genesys.org.credentials.get(credentialId)?.fields).toEqual({
      apiKey: BOTS.kore.clientId,
      clientSecret: BOTS.kore.clientSecret,
    });
    expect(sandbox.genesys.org.queues.get(QUEUES.koreSupport.id)).toMatchObject({
      enableAudioMonitoring: true,
      enableTranscription: false,
    });
    // the human plan names the fields, never their values
    const text = await run(['provision', 'plan'], d);
    expect(text.stdout).toContain('no changes');
  });

  it("legacy mode: the Architect data table with the guide's Reference Key and fields, and the role can read it", async () => {
    const d = await tempDir();
    await writeSandboxConfig(
      d,
      sandbox,
      provisioned((c) => {
        delete c['dataTable'];
        c['botSource'] = { kind: 'genesys-legacy-table' };
        c['bots'] = {
          alpha: {
            botId: BOTS.alpha.botId,
            clientId: BOTS.alpha.clientId,
            clientSecret: { env: 'KAA_ALPHA_SECRET' },
            queues: [QUEUES.alpha.name],
            widgetUrl: sandbox.kore.widgetUrl,
          },
        };
      }),
    );
    const first = await plan(d);
    expect(summary(first)).toEqual(
      expect.arrayContaining([
        'create legacy-table Kore Agent AI',
        `update queue ${QUEUES.alpha.name} [enableTranscription]`,
      ]),
    );
    const table = first.changes.find((c) => c.object === 'legacy-table');
    expect(table?.detail).toContain(`${LEGACY_FIELDS.clientSecret}: set`);
    expect(JSON.stringify(first)).not.toContain(BOTS.alpha.clientSecret);
    await apply(d);
    expect((await plan(d)).changes).toEqual([]);
    const created = sandbox.genesys.org.tables.find((t) => t.table.name === 'Kore Agent AI')?.table;
    const props = created?.schema?.properties as Record<string, { title?: string; default?: string }>;
    expect(props['key']?.title).toBe('agentAssist');
    expect(props[LEGACY_FIELDS.botId]?.default).toBe(BOTS.alpha.botId);
    expect(props[LEGACY_FIELDS.clientSecret]?.default).toBe(BOTS.alpha.clientSecret);
    expect(sandbox.genesys.org.hasPermission(USERS.agent.id, DATATABLE_VIEW_PERMISSION)).toBe(true);
  });
});

describe('kaa doctor: what an agent or a queue is missing for Genesys transcripts', { timeout: 90_000 }, () => {
  interface DoctorOutput {
    ok: boolean;
    firstFailure: { step: string; code: string; message: string } | null;
    steps: { step: string; status: string; detail: string }[];
  }
  const doctor = async (): Promise<{ code: number | null; out: DoctorOutput }> => {
    const r = await run(['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id, '--json']);
    return { code: r.code, out: JSON.parse(r.stdout) as DoctorOutput };
  };

  it('an empty org: the agent lacks the permission; after apply every step passes', async () => {
    const before = await doctor();
    expect(before.code).toBe(1);
    expect(before.out.firstFailure).toMatchObject({ step: 'transcripts', code: 'E_PERMISSION_MISSING' });
    expect(before.out.firstFailure?.message).toContain(
      `the roles of agent ${USERS.agent.id} (none) lack "Conversation > Transcription > View" (${TRANSCRIPTION_VIEW_PERMISSION})`,
    );
    expect(before.out.firstFailure?.message).toContain('"kaa provision apply" creates that role');
    await apply();
    const after = await doctor();
    expect(after.code, JSON.stringify(after.out.firstFailure)).toBe(0);
    expect(after.out.steps.find((s) => s.step === 'transcripts')?.detail).toContain(
      `queue "${QUEUES.alpha.name}" has voice transcription on`,
    );
  });

  it('a queue with voice transcription off is named, with the setting to change', async () => {
    await apply();
    sandbox.genesys.setQueueTranscription(QUEUES.alpha.id, false);
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(out.firstFailure).toMatchObject({ step: 'transcripts', code: 'E_TRANSCRIPTION_OFF' });
    expect(out.firstFailure?.message).toContain(`voice transcription is off for queue "${QUEUES.alpha.name}"`);
    expect(out.firstFailure?.message).toContain('"kaa provision apply" turns it on');
  });

  it('a client that may not read roles: the missing scope is named', async () => {
    await apply();
    const reader = sandbox.genesys.org.clients.get(OAUTH_CLIENTS.credentials.id)!;
    const scopes = [...reader.scopes];
    reader.scopes = scopes.filter((s) => !s.startsWith('authorization'));
    try {
      const d = await tempDir();
      await writeSandboxConfig(
        d,
        sandbox,
        provisioned((c) => delete c['genesys'].adminClient),
      );
      const r = await run(
        ['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id, '--json'],
        d,
      );
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as DoctorOutput;
      expect(out.firstFailure).toMatchObject({ step: 'transcripts', code: 'E_HTTP_FORBIDDEN' });
      expect(out.firstFailure?.message).toContain(
        `Give OAuth client ${OAUTH_CLIENTS.credentials.id} (genesys.clientCredentials) the scope "authorization`,
      );
    } finally {
      reader.scopes = scopes;
    }
  });
});

afterAll(() => {
  // no run printed a secret: the config's, the admin client's, or a secret Genesys issued (tokens, the new client's secret)
  const secrets = [
    ...plantedSecrets(sandbox),
    OAUTH_CLIENTS.admin.secret,
    ENV.KAA_KVG_TOKEN,
    ...sandbox.genesys.issuedSecrets().map((s) => s.value),
  ];
  expect(runs.length).toBeGreaterThan(10);
  for (const r of runs)
    for (const s of secrets) if (s.length >= 8) expect(r.stdout + r.stderr, 'a secret was printed').not.toContain(s);
});
