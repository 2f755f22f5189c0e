import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BOTS, KORE_DATA_TABLE, OAUTH_CLIENTS, type Sandbox } from '@kaa/sandbox';
import { startStaticHost, type StaticHost } from '@kaa/test-support';
import { kaa, tempDir } from './helpers.js';

/** The environment variables the sandbox config references (the secrets never sit in the file). */
export const SANDBOX_ENV: Record<string, string> = {
  KAA_GENESYS_SECRET: OAUTH_CLIENTS.credentials.secret,
  KAA_TABLE_READ_SECRET: KORE_DATA_TABLE.readApp.clientSecret,
  KAA_TABLE_ADMIN_SECRET: KORE_DATA_TABLE.adminApp.clientSecret,
  KAA_ALPHA_SECRET: BOTS.alpha.clientSecret,
  KAA_KORE_SECRET: BOTS.kore.clientSecret,
  KAA_RS_SECRET: BOTS.rs.clientSecret,
  KAA_AUDIO_SECRET: BOTS.audio.clientSecret,
};

/**
 * Every secret of the sandbox world, for "never printed" scans: the planted ones (environment, seeded rows, the RS
 * key), and every credential that existed at runtime — the Genesys tokens the CLI got by client credentials, the
 * table tokens and widget JWTs Kore received, the access tokens jwtgrant issued (`sandbox.issuedSecrets()`). Call it
 * after the runs.
 */
export function plantedSecrets(sandbox: Sandbox): string[] {
  const pem = sandbox.kore.bots.rs.rsPrivatePem ?? '';
  const pemBody = pem
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----'))
    .slice(0, 3);
  return [
    ...Object.values(SANDBOX_ENV),
    BOTS.dupe1.clientSecret,
    BOTS.dupe2.clientSecret,
    ...pemBody,
    ...sandbox.issuedSecrets().map((s) => s.value),
  ];
}

/**
 * The config for the sandbox: alpha, kore, rs and audio bots (the seeded duplicate rows are not in it), the
 * sandbox's Genesys origins as an extra environment, secrets from {@link SANDBOX_ENV}. `page.url` is the page on the
 * sandbox's `pageOrigin` ({@link startTestSite}), else an address where nothing is deployed.
 */
export function sandboxConfig(
  sandbox: Sandbox,
  patch: (config: Record<string, any>) => void = () => undefined,
): Record<string, any> {
  const env = sandbox.environment;
  const config: Record<string, any> = {
    version: 1,
    page: { url: `${sandbox.origins.page ?? 'http://127.0.0.1:5173'}/koreaiaa-genesys/` },
    agentAi: { url: sandbox.origins.kore, widgetUrl: sandbox.kore.widgetUrl },
    genesys: {
      environment: env.appsOrigin,
      targetEnv: 'sandbox',
      oauthClientId: OAUTH_CLIENTS.pkce.id,
      clientCredentials: { clientId: OAUTH_CLIENTS.credentials.id, clientSecret: { env: 'KAA_GENESYS_SECRET' } },
    },
    dataTable: {
      name: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      readApp: { clientId: KORE_DATA_TABLE.readApp.appId, clientSecret: { env: 'KAA_TABLE_READ_SECRET' } },
      adminApp: { clientId: KORE_DATA_TABLE.adminApp.appId, clientSecret: { env: 'KAA_TABLE_ADMIN_SECRET' } },
    },
    bots: {
      alpha: {
        botId: BOTS.alpha.botId,
        clientId: BOTS.alpha.clientId,
        clientSecret: { env: 'KAA_ALPHA_SECRET' },
        queues: ['ALPHAINC'],
        kvpConfig: { queue: 'participants[0].queueName', state: 'participants[0].calls[0].state' },
        jwePublicKey: sandbox.kore.bots.alpha.jwePublicJwk,
      },
      kore: {
        botId: BOTS.kore.botId,
        clientId: BOTS.kore.clientId,
        clientSecret: { env: 'KAA_KORE_SECRET' },
        queues: ['Kore', 'KoreSupport'],
        jwePublicKey: sandbox.kore.bots.kore.jwePublicJwk,
      },
      rs: {
        botId: BOTS.rs.botId,
        clientId: BOTS.rs.clientId,
        clientSecret: { env: 'KAA_RS_SECRET' },
        queues: ['RSA'],
        algorithm: 'RS256',
        rsPrivatePem: { file: 'rs.pem' },
        jwePublicKey: sandbox.kore.bots.rs.jwePublicJwk,
      },
      audio: {
        botId: BOTS.audio.botId,
        clientId: BOTS.audio.clientId,
        clientSecret: { env: 'KAA_AUDIO_SECRET' },
        queues: ['AUDIO'],
        audiohookEnabled: true,
        kvpConfig: { queue: 'participants[0].queueName', state: 'participants[0].calls[0].state' },
        jwePublicKey: sandbox.kore.bots.audio.jwePublicJwk,
      },
    },
    widget: { showWidget: true, sendEventsToVG: false, includeTargetEnv: true },
    settings: {
      genesys: {
        environments: [
          {
            name: env.name,
            region: env.region,
            apiBase: env.apiBase,
            loginBase: env.loginBase,
            streamingHost: env.streamingHost,
            appsOrigin: env.appsOrigin,
          },
        ],
      },
    },
  };
  patch(config);
  return config;
}

/** Writes `kaa.yaml` (and `rs.pem`) into `dir`; returns the config path. */
export async function writeSandboxConfig(
  dir: string,
  sandbox: Sandbox,
  patch?: (config: Record<string, any>) => void,
): Promise<string> {
  await writeFile(join(dir, 'rs.pem'), sandbox.kore.bots.rs.rsPrivatePem ?? '', 'utf8');
  const path = join(dir, 'kaa.yaml');
  await writeFile(path, stringify(sandboxConfig(sandbox, patch)), 'utf8');
  return path;
}

/** A plain static host for the page (the admin's web server), with a minimal page under `/koreaiaa-genesys/`. */
export interface TestSite {
  host: StaticHost;
  /** The directory served as `/koreaiaa-genesys/` ("kaa page --dist" writes into it). */
  pageDir: string;
}

/**
 * Starts a static host serving a minimal page (an `index.html` with a `<head>`: what "kaa page --dist" needs) at
 * `/koreaiaa-genesys/`; pass `host.origin` as the sandbox's `pageOrigin` so {@link sandboxConfig} points page.url at it.
 */
export async function startTestSite(): Promise<TestSite> {
  const root = await tempDir();
  const pageDir = join(root, 'koreaiaa-genesys');
  await mkdir(pageDir);
  await writeFile(
    join(pageDir, 'index.html'),
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>kaa</title>\n</head>\n<body></body>\n</html>\n',
    'utf8',
  );
  return { host: await startStaticHost({ dir: root }), pageDir };
}

/** Runs the built "kaa page --dist" with the config in `configDir`, as an admin deploys the page. */
export async function deployPage(bin: string, site: TestSite, configDir: string): Promise<void> {
  const r = await kaa(bin, ['page', '--dist', site.pageDir], { cwd: configDir, env: SANDBOX_ENV });
  if (r.code !== 0) throw new Error(`kaa page --dist failed: ${r.stdout}${r.stderr}`);
}
