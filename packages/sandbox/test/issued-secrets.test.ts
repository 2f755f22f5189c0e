/**
 * `sandbox.issuedSecrets()`: every credential that exists at runtime, recorded where it is issued or received, so
 * secret scans know the opaque tokens the sandbox hands out, not only the seeded secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPlatformJwt, signWidgetJwt } from '@kaa/core';
import { BOTS, KORE_DATA_TABLE, OAUTH_CLIENTS, SecretLog, USERS, s256Challenge, startSandbox } from '@kaa/sandbox';
import type { Sandbox, SandboxSecret, SandboxSecretKind } from '@kaa/sandbox';

const PAGE = 'http://127.0.0.1:5998';
const LANDING = `${PAGE}/koreaiaa-genesys/`;
const VERIFIER = 'secretsVerifier-0123456789abcdefghijklmnopqrstuv';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ pageOrigin: PAGE, desktop: false });
});
afterAll(async () => {
  await sandbox?.close();
});

const kindOf = (value: string): SandboxSecretKind | undefined =>
  sandbox.issuedSecrets().find((s) => s.value === value)?.kind;

async function pkceLogin(): Promise<{ code: string; token: string }> {
  const q = new URLSearchParams({
    client_id: OAUTH_CLIENTS.pkce.id,
    response_type: 'code',
    redirect_uri: LANDING,
    code_challenge: s256Challenge(VERIFIER),
    code_challenge_method: 'S256',
    state: 's',
  });
  const res = await fetch(`${sandbox.origins.login}/oauth/authorize?${q}`, { redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: LANDING,
    client_id: OAUTH_CLIENTS.pkce.id,
    code_verifier: VERIFIER,
  });
  const answer = (await (
    await fetch(`${sandbox.origins.login}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    })
  ).json()) as { access_token: string };
  return { code, token: answer.access_token };
}

describe('sandbox.issuedSecrets()', () => {
  it('knows the seeded secrets from the start: OAuth client secret, bot ClientSecrets and private keys, Data-app secrets', async () => {
    const kinds = new Map(sandbox.issuedSecrets().map((s) => [s.value, s.kind]));
    expect(kinds.get(OAUTH_CLIENTS.credentials.secret)).toBe('genesys-client-secret');
    for (const bot of Object.values(BOTS)) expect(kinds.get(bot.clientSecret)).toBe('bot-client-secret');
    expect(kinds.get(KORE_DATA_TABLE.readApp.clientSecret)).toBe('data-app-secret');
    expect(kinds.get(KORE_DATA_TABLE.adminApp.clientSecret)).toBe('data-app-secret');
    const pemLine = (sandbox.kore.bots.rs.rsPrivatePem ?? '').split('\n')[1] ?? '';
    expect(pemLine.length).toBeGreaterThan(40);
    expect(kinds.get(pemLine)).toBe('bot-rs-private-key');
    expect(sandbox.issuedSecrets().filter((s) => s.kind === 'bot-jwe-private-key').length).toBeGreaterThanOrEqual(
      Object.keys(BOTS).length * 2,
    );
  });

  it('records Genesys codes, PKCE verifiers and access tokens (browser grants, client credentials, issueToken)', async () => {
    const { code, token } = await pkceLogin();
    expect(code.length).toBeGreaterThan(20);
    expect(kindOf(code)).toBe('genesys-authorization-code');
    expect(kindOf(VERIFIER)).toBe('genesys-pkce-verifier');
    expect(kindOf(token)).toBe('genesys-access-token');
    const basic = Buffer.from(`${OAUTH_CLIENTS.credentials.id}:${OAUTH_CLIENTS.credentials.secret}`).toString('base64');
    const cc = (await (
      await fetch(`${sandbox.origins.login}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })
    ).json()) as { access_token: string };
    expect(kindOf(cc.access_token)).toBe('genesys-access-token');
    expect(kindOf(sandbox.genesys.issueToken())).toBe('genesys-access-token');
  });

  it('records the Kore credentials it receives and issues: table token, bot-app JWT, widget JWT, jwtgrant access token, rows served', async () => {
    const kore = sandbox.origins.kore;
    const tableToken = await signPlatformJwt({
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
      now: new Date(),
    });
    const planted = 'planted-row-secret-for-the-scan-0001';
    sandbox.kore.setRows(
      sandbox.kore.tableRows().map((r) => (r['QueueIdentifier'] === 'ALPHAINC' ? { ...r, ClientSecret: planted } : r)),
    );
    const rows = await fetch(`${kore}/api/public/tables/${KORE_DATA_TABLE.name}/query?sys_limit=100`, {
      method: 'POST',
      headers: { auth: tableToken, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rows.status).toBe(200);
    expect(kindOf(tableToken)).toBe('kore-table-token');
    expect(kindOf(planted)).toBe('bot-client-secret');

    const hookJwt = await signPlatformJwt({
      appId: BOTS.kore.clientId,
      clientSecret: BOTS.kore.clientSecret,
      now: new Date(),
    });
    await fetch(`${kore}/agentassist/api/v1/hooks/${BOTS.kore.botId}`, {
      method: 'POST',
      headers: { auth: hookJwt, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(kindOf(hookJwt)).toBe('kore-platform-jwt');

    const widgetJwt = await signWidgetJwt({
      clientId: BOTS.alpha.clientId,
      clientSecret: BOTS.alpha.clientSecret,
      subject: USERS.agent.id,
      now: new Date(),
    });
    const grant = (await (
      await fetch(`${kore}/api/1.1/oAuth/token/jwtgrant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ assertion: widgetJwt, botInfo: { chatBot: 'Alpha', taskBotId: BOTS.alpha.botId } }),
      })
    ).json()) as { authorization: { accessToken: string } };
    expect(kindOf(widgetJwt)).toBe('kore-widget-jwt');
    expect(kindOf(grant.authorization.accessToken)).toBe('kore-access-token');

    sandbox.kore.rotateClientSecret('kore', 'rotated-kore-secret-for-the-scan');
    expect(kindOf('rotated-kore-secret-for-the-scan')).toBe('bot-client-secret');
  });

  it("keeps everything across a reset (a suite-wide scan still knows the first test's tokens)", async () => {
    const before = sandbox.issuedSecrets();
    await sandbox.genesys.reset();
    sandbox.kore.reset();
    expect(sandbox.issuedSecrets()).toEqual(expect.arrayContaining(before));
    expect(sandbox.issuedSecrets()).toHaveLength(before.length);
  });
});

describe('SecretLog', () => {
  it('de-duplicates, trims, ignores short and non-string values, and splits PEM bodies into lines', () => {
    const log = new SecretLog();
    log.add('kore-access-token', '  abcdefghijklmnop  ');
    log.add('kore-access-token', 'abcdefghijklmnop');
    log.add('kore-access-token', 'short');
    log.add('kore-access-token', undefined);
    log.addPem(
      'bot-rs-private-key',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
    );
    expect(log.list()).toEqual<SandboxSecret[]>([
      { kind: 'kore-access-token', value: 'abcdefghijklmnop' },
      { kind: 'bot-rs-private-key', value: 'MIIEvQIBADANBgkqhkiG9w0BAQEF' },
      { kind: 'bot-rs-private-key', value: 'AASCBKcwggSjAgEAAoIBAQC7' },
    ]);
  });
});
