import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KaaError, buildXMetadata, isKaaError, signPlatformJwt } from '@kaa/core';
import {
  BOTS,
  CONVERSATIONS,
  KORE_DATA_TABLE,
  OAUTH_CLIENTS,
  QUEUES,
  Q_DELIMITER,
  USERS,
  startSandbox,
  type Sandbox,
} from '@kaa/sandbox';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCliOptions } from '../resolve-bot-server/read-cli-options.js';
import {
  resolveBotForConversation,
  type ResolveBotForConversationOptions,
} from '../resolve-bot-server/resolve-bot-for-conversation.js';
import { runResolveBotCli } from '../resolve-bot-server/run-resolve-bot-cli.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const realFetch = (url: string, init?: RequestInit) => fetch(url, init);

/** Every secret of the sandbox world: none may appear in anything the example prints or returns as a summary. */
const SEED_SECRETS = [
  OAUTH_CLIENTS.credentials.secret,
  ...Object.values(BOTS).map((b) => b.clientSecret),
  KORE_DATA_TABLE.readApp.clientSecret,
  KORE_DATA_TABLE.adminApp.clientSecret,
];
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\./;

let sandbox: Sandbox;
let tableToken: string;
let settings: NonNullable<ResolveBotForConversationOptions['settings']>;
let workDir: string;

function optionsFor(
  conversationId: string,
  overrides: Partial<ResolveBotForConversationOptions> = {},
): ResolveBotForConversationOptions {
  return {
    conversationId,
    agentUserId: USERS.agent.id,
    hostOrigin: sandbox.environment.appsOrigin,
    targetEnv: 'sandbox',
    genesysClientId: OAUTH_CLIENTS.credentials.id,
    genesysClientSecret: OAUTH_CLIENTS.credentials.secret,
    datatable: { name: KORE_DATA_TABLE.name, token: tableToken, qDelimiter: Q_DELIMITER },
    lang: 'en-us',
    settings,
    fetch: realFetch,
    now: () => Date.now(),
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<KaaError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof KaaError) return e;
    throw e;
  }
  throw new Error('expected a KaaError, but the call resolved');
}

function expectNoSecrets(text: string, extra: readonly string[] = []): void {
  for (const secret of [...SEED_SECRETS, tableToken, ...extra]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(JWT_SHAPED);
  expect(text).not.toContain('PRIVATE KEY');
}

beforeAll(async () => {
  sandbox = await startSandbox({ desktop: false });
  tableToken = await signPlatformJwt({ ...KORE_DATA_TABLE.readApp, now: new Date(), ttlSeconds: 3600 });
  settings = { genesys: { environments: [sandbox.environment] }, kore: { apiHost: sandbox.origins.kore } };
  workDir = mkdtempSync(join(tmpdir(), 'kaa-examples-resolve-'));
});

afterAll(async () => {
  await sandbox?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('resolveBotForConversation against the sandbox', () => {
  it('resolves the alpha bot for the alpha queue, with a token Kore accepts and secure data Kore decrypts', async () => {
    const resolved = await resolveBotForConversation(
      optionsFor(CONVERSATIONS.voiceAlpha, { passthruMetadata: '{"crmId":"42"}' }),
    );
    const { summary } = resolved;
    expect(summary.environment).toBe('sandbox');
    expect(summary.queue).toEqual({ id: QUEUES.alpha.id, name: QUEUES.alpha.name });
    expect(summary.media).toBe('call');
    expect(summary.bot.botId).toBe(BOTS.alpha.botId);
    expect(summary.bot.queueIdentifiers).toEqual(['ALPHAINC']);
    expect(summary.widgetJwt).toMatchObject({ alg: 'HS256', iss: BOTS.alpha.clientId, sub: USERS.agent.id });
    expect(summary.customDataKeys).toEqual(['internalMetaData']);
    expect(summary.secureCustomData).toMatchObject({
      keys: ['queue', 'state'],
      missing: [],
      alg: 'RSA-OAEP',
      enc: 'A128CBC-HS256',
      transport: 'message',
    });
    expect(Object.keys(summary.timings)).toEqual(['environment', 'fetch', 'resolve', 'tokens']);

    const url = new URL(resolved.widgetUrl);
    expect(url.origin + url.pathname).toBe(sandbox.kore.widgetUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      token: resolved.token,
      botid: BOTS.alpha.botId,
      agentassisturl: sandbox.origins.kore,
      conversationid: CONVERSATIONS.voiceAlpha,
      isCall: 'true',
      channel: 'voice',
      source: 'genesys',
      interactiveLanguage: 'en',
    });
    expect(JSON.parse(url.searchParams.get('customData') ?? 'null')).toEqual({ internalMetaData: '{"crmId":"42"}' });

    // Kore's jwtgrant verifies the widget JWT with the alpha bot's secret …
    const grant = await fetch(`${sandbox.origins.kore}/api/1.1/oAuth/token/jwtgrant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        assertion: resolved.token,
        botInfo: { chatBot: BOTS.alpha.name, taskBotId: BOTS.alpha.botId },
      }),
    });
    expect(grant.status).toBe(200);
    const accessToken = ((await grant.json()) as { authorization: { accessToken: string } }).authorization.accessToken;
    // … and decrypts the KvpConfig JWE with the alpha bot's private key.
    const decrypted = await fetch(`${sandbox.origins.kore}/sandbox/kore/v1/decrypt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `bearer ${accessToken}` },
      body: JSON.stringify({ jwe: resolved.secureCustomData }),
    });
    expect(decrypted.status).toBe(200);
    const { claims } = (await decrypted.json()) as { claims: { iss: string; sub: string; secureCustomData: unknown } };
    expect(claims).toMatchObject({
      iss: BOTS.alpha.clientId,
      sub: USERS.agent.id,
      secureCustomData: { queue: QUEUES.alpha.name, state: 'connected' },
    });

    const printed = JSON.stringify(summary);
    expectNoSecrets(printed, [resolved.token, resolved.secureCustomData ?? 'no-jwe']);
    expect(printed).not.toContain('crmId'); // customData values stay out of the summary
    expect(summary.widgetUrl).toContain('token=[REDACTED]');
  });

  it('resolves the kore bot for the web-messaging conversation on KoreSupport (comma-listed identifier, no KvpConfig)', async () => {
    const resolved = await resolveBotForConversation(optionsFor(CONVERSATIONS.chatKore));
    expect(resolved.summary.queue.name).toBe(QUEUES.koreSupport.name);
    expect(resolved.summary.bot.botId).toBe(BOTS.kore.botId);
    expect(resolved.summary.secureCustomData).toBeNull();
    expect(resolved.isCall).toBe(false);
    expect(new URL(resolved.widgetUrl).searchParams.get('isCall')).toBe('false');
  });

  it('signs RS256 for the RSA row', async () => {
    const resolved = await resolveBotForConversation(optionsFor(CONVERSATIONS.voiceRsa));
    expect(resolved.summary.bot.botId).toBe(BOTS.rs.botId);
    expect(resolved.summary.widgetJwt.alg).toBe('RS256');
    expectNoSecrets(JSON.stringify(resolved.summary), [resolved.token]);
  });

  it('fails with E_QUEUE_NOT_MAPPED for the unmapped queue, naming the queue, table and identifier', async () => {
    const error = await rejection(resolveBotForConversation(optionsFor(CONVERSATIONS.voiceUnmapped)));
    expect(error.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(error.message).toContain(QUEUES.unmapped.name);
    expect(error.message).toContain(KORE_DATA_TABLE.name);
    expect(error.message).toContain('"BETA"');
    expectNoSecrets(JSON.stringify(error.toJSON()));
  });

  it('fails with E_QUEUE_AMBIGUOUS for the duplicate queue, naming both bots', async () => {
    const error = await rejection(resolveBotForConversation(optionsFor(CONVERSATIONS.voiceDuplicate)));
    expect(error.code).toBe('E_QUEUE_AMBIGUOUS');
    expect(error.message).toContain(QUEUES.duplicate.name);
    expect(error.message).toContain(BOTS.dupe1.botId);
    expect(error.message).toContain(BOTS.dupe2.botId);
    expectNoSecrets(JSON.stringify(error.toJSON()));
  });

  it('fails with E_AGENT_NOT_PARTICIPANT when the named agent is not on the conversation', async () => {
    const error = await rejection(
      resolveBotForConversation(optionsFor(CONVERSATIONS.voiceAlpha, { agentUserId: USERS.agent2.id })),
    );
    expect(error.code).toBe('E_AGENT_NOT_PARTICIPANT');
  });

  it('fails with E_AUTH_DENIED for a wrong client secret, and never echoes it', async () => {
    const wrong = 'planted-wrong-secret-7f3a91';
    const error = await rejection(
      resolveBotForConversation(optionsFor(CONVERSATIONS.voiceAlpha, { genesysClientSecret: wrong })),
    );
    expect(error.code).toBe('E_AUTH_DENIED');
    expect(JSON.stringify(error.toJSON())).not.toContain(wrong);
  });

  it('fails with E_ENVIRONMENT_UNKNOWN when the sandbox region is not configured, and E_CONFIG_INVALID without kore.apiHost', async () => {
    expect(
      (
        await rejection(
          resolveBotForConversation(
            optionsFor(CONVERSATIONS.voiceAlpha, { settings: { kore: { apiHost: sandbox.origins.kore } } }),
          ),
        )
      ).code,
    ).toBe('E_ENVIRONMENT_UNKNOWN');
    const noHost = await rejection(
      resolveBotForConversation(
        optionsFor(CONVERSATIONS.voiceAlpha, { settings: { genesys: { environments: [sandbox.environment] } } }),
      ),
    );
    expect(noHost.code).toBe('E_CONFIG_INVALID');
    expect(noHost.message).toContain('kore.apiHost');
  });

  it('refuses malformed options with a coded KaaError only, never echoing a planted secret (property)', async () => {
    const planted = 'planted-secret-c0ffee-91';
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            conversationId: fc.oneof(fc.string(), fc.constant(CONVERSATIONS.voiceAlpha), fc.integer()),
            agentUserId: fc.oneof(fc.string(), fc.constant(USERS.agent.id)),
            hostOrigin: fc.oneof(fc.string(), fc.webUrl()),
            genesysClientId: fc.string(),
            datatable: fc.oneof(
              fc.anything(),
              fc.record({ name: fc.string(), token: fc.constant(planted), qDelimiter: fc.string() }),
            ),
            lang: fc.string(),
          },
          { requiredKeys: [] },
        ),
        async (partial) => {
          // Any request that does go out is refused at once (400 is never retried), so each run stays fast.
          const refuse = async () =>
            new Response('{"error":"invalid_client"}', {
              status: 400,
              headers: { 'content-type': 'application/json' },
            });
          const options = { ...partial, genesysClientSecret: planted, fetch: refuse, now: () => 0 };
          try {
            await resolveBotForConversation(options as unknown as ResolveBotForConversationOptions);
            return false;
          } catch (e) {
            if (!isKaaError(e)) return false;
            return !JSON.stringify(e.toJSON()).includes(planted);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('readCliOptions', () => {
  const env = {
    GENESYS_CLIENT_ID: 'client',
    GENESYS_CLIENT_SECRET: 'planted-cli-secret-5e1',
    KAA_TABLE_TOKEN: 'planted-table-token-77',
  };

  it('reads the flags, the secrets from the environment, and an x_metadata value', () => {
    const parsed = readCliOptions(
      [
        '--conversation',
        'c1',
        '--agent',
        'u1',
        '--environment',
        'mypurecloud.ie',
        '--kore-api-host',
        'https://bots.kore.ai',
      ],
      { ...env, KAA_X_METADATA: buildXMetadata({ name: 'kaa_bots', token: 'tok', qDelimiter: '_' }) },
      () => '{}',
    );
    expect(parsed).toMatchObject({
      help: false,
      options: {
        conversationId: 'c1',
        agentUserId: 'u1',
        hostOrigin: 'mypurecloud.ie',
        genesysClientSecret: env.GENESYS_CLIENT_SECRET,
        datatable: { name: 'kaa_bots', token: 'tok', qDelimiter: '_' },
        settings: { kore: { apiHost: 'https://bots.kore.ai' } },
      },
    });
  });

  it('never throws anything but a KaaError, and never echoes the secrets (property)', () => {
    const flag = fc.constantFrom(
      '--conversation',
      '--agent',
      '--environment',
      '--table',
      '--q-delimiter',
      '--config',
      '--kore-api-host',
      '--verbose',
      '--help',
      '--nope',
      '-x',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(flag, fc.string()), { maxLength: 12 }),
        fc.boolean(),
        fc.oneof(fc.string(), fc.constant('{"kore":1}'), fc.constant('[]')),
        (argv, withXMetadata, file) => {
          try {
            readCliOptions(argv, withXMetadata ? { ...env, KAA_X_METADATA: 'planted-xmeta-%7B' } : env, () => file);
            return true;
          } catch (e) {
            if (!isKaaError(e)) return false;
            const text = JSON.stringify(e.toJSON());
            return !text.includes(env.GENESYS_CLIENT_SECRET) && !text.includes(env.KAA_TABLE_TOKEN);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the CLI wrapper', () => {
  it('prints usage on --help and exits 2 with E_CLI_USAGE on a missing flag', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      env: {},
      fetch: realFetch,
      now: () => 0,
      readFile: () => '{}',
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
    };
    expect(await runResolveBotCli({ ...io, argv: ['--help'] })).toBe(0);
    expect(out.join('')).toContain('--conversation <id>');
    expect(await runResolveBotCli({ ...io, argv: ['--conversation', 'c1'] })).toBe(2);
    expect(err.join('')).toMatch(/^error E_CLI_USAGE \(configuration\): The flag --agent is required/m);
  });

  it('runs as a child process (node --import tsx): the alpha bot, then E_QUEUE_NOT_MAPPED and E_QUEUE_AMBIGUOUS, with no secret on stdout or stderr', async () => {
    const configPath = join(workDir, 'kaa.settings.json');
    writeFileSync(configPath, JSON.stringify({ genesys: { environments: [sandbox.environment] } }));
    const env = {
      ...process.env,
      GENESYS_CLIENT_ID: OAUTH_CLIENTS.credentials.id,
      GENESYS_CLIENT_SECRET: OAUTH_CLIENTS.credentials.secret,
      KAA_X_METADATA: buildXMetadata({ name: KORE_DATA_TABLE.name, token: tableToken, qDelimiter: Q_DELIMITER }),
    };
    const run = (conversationId: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const args = [
          '--import',
          'tsx',
          'examples/resolve-bot-server/main.ts',
          '--conversation',
          conversationId,
          '--agent',
          USERS.agent.id,
          '--environment',
          sandbox.environment.appsOrigin,
          '--config',
          configPath,
          '--kore-api-host',
          sandbox.origins.kore,
          '--lang',
          'en-us',
          '--verbose',
        ];
        execFile(process.execPath, args, { cwd: repoRoot, env, timeout: 30_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? Number((error as { code?: unknown }).code ?? -1) : 0, stdout, stderr });
        });
      });
    const [alpha, unmapped, duplicate] = await Promise.all([
      run(CONVERSATIONS.voiceAlpha),
      run(CONVERSATIONS.voiceUnmapped),
      run(CONVERSATIONS.voiceDuplicate),
    ]);

    expect(alpha.code, alpha.stderr).toBe(0);
    const summary = JSON.parse(alpha.stdout) as { bot: { botId: string }; queue: { name: string }; widgetUrl: string };
    expect(summary.bot.botId).toBe(BOTS.alpha.botId);
    expect(summary.queue.name).toBe(QUEUES.alpha.name);
    expect(summary.widgetUrl).toContain('token=[REDACTED]');
    expect(alpha.stderr).toContain('debug step fetch'); // --verbose logged the steps

    expect(unmapped.code).toBe(1);
    expect(unmapped.stdout).toBe('');
    expect(unmapped.stderr).toContain('error E_QUEUE_NOT_MAPPED (bot table): Queue "BETA_SALES_2024"');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('error E_QUEUE_AMBIGUOUS (bot table)');

    for (const r of [alpha, unmapped, duplicate]) expectNoSecrets(r.stdout + r.stderr, [env.KAA_X_METADATA]);
  }, 60_000);
});
