import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BOTS, KORE_DATA_TABLE, OAUTH_CLIENTS, type Sandbox } from '@kaa/sandbox';

/** The environment variables the sandbox config references (the secrets never sit in the file). */
export const SANDBOX_ENV: Record<string, string> = {
  KAA_GENESYS_SECRET: OAUTH_CLIENTS.credentials.secret,
  KAA_TABLE_READ_SECRET: KORE_DATA_TABLE.readApp.clientSecret,
  KAA_TABLE_ADMIN_SECRET: KORE_DATA_TABLE.adminApp.clientSecret,
  KAA_ALPHA_SECRET: BOTS.alpha.clientSecret,
  KAA_KORE_SECRET: BOTS.kore.clientSecret,
  KAA_RS_SECRET: BOTS.rs.clientSecret,
};

/**
 * Every secret of the sandbox world, for "never printed" scans: the planted ones (environment, seeded rows, the RS
 * key), and every credential that existed at runtime — the Genesys tokens the CLI got by client credentials, the
 * table tokens and widget JWTs Kore received, the access tokens jwtgrant issued (`sandbox.issuedSecrets()`). Call it
 * after the runs.
 */
export function plantedSecrets(sandbox: Sandbox): string[] {
  const pem = sandbox.kore.bots.rs.rsPrivatePem ?? '';
  const pemBody = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).slice(0, 3);
  return [...Object.values(SANDBOX_ENV), BOTS.dupe1.clientSecret, BOTS.dupe2.clientSecret, ...pemBody, ...sandbox.issuedSecrets().map((s) => s.value)];
}

/**
 * The config for the sandbox: alpha, kore and rs bots (the seeded duplicate rows are not in it), the
 * sandbox's Genesys origins as an extra environment, secrets from {@link SANDBOX_ENV}.
 */
export function sandboxConfig(sandbox: Sandbox, patch: (config: Record<string, any>) => void = () => undefined): Record<string, any> {
  const env = sandbox.environment;
  const config: Record<string, any> = {
    version: 1,
    page: { url: 'http://127.0.0.1:5173/koreaiaa-genesys/' },
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
    },
    widget: { showWidget: true, sendEventsToVG: false, includeTargetEnv: true },
    settings: {
      genesys: {
        environments: [{ name: env.name, region: env.region, apiBase: env.apiBase, loginBase: env.loginBase, streamingHost: env.streamingHost, appsOrigin: env.appsOrigin }],
      },
    },
  };
  patch(config);
  return config;
}

/** Writes `kaa.yaml` (and `rs.pem`) into `dir`; returns the config path. */
export async function writeSandboxConfig(dir: string, sandbox: Sandbox, patch?: (config: Record<string, any>) => void): Promise<string> {
  await writeFile(join(dir, 'rs.pem'), sandbox.kore.bots.rs.rsPrivatePem ?? '', 'utf8');
  const path = join(dir, 'kaa.yaml');
  await writeFile(path, stringify(sandboxConfig(sandbox, patch)), 'utf8');
  return path;
}
