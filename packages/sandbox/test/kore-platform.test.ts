import { connect } from 'node:net';
import { CompactEncrypt, importJWK, importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKorePlatform } from '../src/kore/index.js';
import type { KorePlatform } from '../src/kore/index.js';
import { BOTS, KORE_DATA_TABLE, QUEUES, THIRD_PARTY, USERS } from '../src/seed.js';

const enc = new TextEncoder();
const nowS = (): number => Math.floor(Date.now() / 1000);

/** Signs HS256 with `iat`/`exp` in seconds unless `claims` sets them. */
function timed(claims: Record<string, unknown>, ttlS: number): Record<string, unknown> {
  return { iat: nowS(), exp: nowS() + ttlS, ...claims };
}
async function appJwt(appId: string, secret: string, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(timed({ sub: 'sandbox-test', appId, ...claims }, 300))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(enc.encode(secret));
}
const readJwt = (): Promise<string> => appJwt(KORE_DATA_TABLE.readApp.appId, KORE_DATA_TABLE.readApp.clientSecret);
const adminJwt = (): Promise<string> => appJwt(KORE_DATA_TABLE.adminApp.appId, KORE_DATA_TABLE.adminApp.clientSecret);

async function widgetJwt(
  bot: { clientId: string; clientSecret: string },
  extra: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(
    timed(
      {
        iss: bot.clientId,
        sub: USERS.agent.id,
        appId: bot.clientId,
        aud: 'https://idproxy.kore.com/authorize',
        isAnonymous: false,
        ...extra,
      },
      900,
    ),
  )
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(enc.encode(bot.clientSecret));
}

let kore: KorePlatform;
beforeAll(async () => {
  kore = await startKorePlatform({ tableRateLimitPerMinute: 600 });
});
afterAll(async () => {
  await kore?.close();
});
beforeEach(() => kore.reset());

async function call(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${kore.origin}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const TABLE = `/api/public/tables/${KORE_DATA_TABLE.name}`;

describe('seeded kaa_bots table', () => {
  it('holds the guide-shaped rows with system columns and generated keys', async () => {
    const { status, json } = await call(`${TABLE}/query?sys_limit=100`, {
      headers: { auth: await readJwt() },
      body: {},
    });
    expect(status).toBe(200);
    expect(json.total).toBe(6);
    expect(json.hasMore).toBe(false);
    expect(json.metaInfo).toContainEqual({ name: 'QueueIdentifier', type: 'string' });
    const byQueue = Object.fromEntries(json.queryResult.map((r: any) => [r.QueueIdentifier, r]));
    expect(Object.keys(byQueue)).toEqual(['ALPHAINC', 'Kore, KoreSupport', 'DUPE', 'DUPE, DUPE2', 'RSA', 'AUDIO']);
    expect(byQueue['AUDIO']).toMatchObject({
      BotId: BOTS.audio.botId,
      AudiohookEnabled: 'true',
      KvpConfig: byQueue['ALPHAINC'].KvpConfig,
    }); // Kore audio with secure custom data
    const alpha = byQueue['ALPHAINC'];
    expect(alpha).toMatchObject({
      BotId: BOTS.alpha.botId,
      ClientId: BOTS.alpha.clientId,
      ClientSecret: BOTS.alpha.clientSecret,
      AudiohookEnabled: 'false',
      Algorithm: 'HS256',
    });
    expect(alpha.AgentAssistWidgetURL).toBe(`${kore.origin}/koreagentassist-sdk-v3/UI/agentassist-iframe.html`);
    expect(JSON.parse(alpha.KvpConfig)).toEqual({
      queue: 'participants[0].queueName',
      state: 'participants[0].calls[0].state',
    });
    const jwk = JSON.parse(alpha.JWEPublicKey);
    expect(jwk).toMatchObject({ kty: 'RSA', kid: `${BOTS.alpha.botId}-jwe`, alg: 'RSA-OAEP' });
    expect(jwk.d).toBeUndefined();
    for (const col of ['sys_Id', '_id', 'Created_On', 'Created_By', 'Updated_On', 'Updated_By'])
      expect(alpha[col]).toBeTruthy();
    expect(byQueue['Kore, KoreSupport']).toMatchObject({
      AudiohookEnabled: 'False',
      isAgentAISDK: 'false',
      BotId: BOTS.kore.botId,
    });
    expect(byQueue['RSA'].Algorithm).toBe('RS256');
    expect(byQueue['RSA'].RSPrivatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('filters with = / != and operator or', async () => {
    const auth = await readJwt();
    const eq = await call(`${TABLE}/query`, {
      headers: { auth },
      body: { query: { expressions: [{ field: 'QueueIdentifier', operand: '=', value: 'ALPHAINC' }] } },
    });
    expect(eq.json.queryResult.map((r: any) => r.BotId)).toEqual([BOTS.alpha.botId]);
    const or = await call(`${TABLE}/query`, {
      headers: { auth },
      body: {
        query: {
          operator: 'or',
          expressions: [
            { field: 'BotId', operand: '=', value: BOTS.rs.botId },
            { field: 'BotId', operand: '=', value: BOTS.kore.botId },
          ],
        },
      },
    });
    expect(or.json.total).toBe(2);
    const ne = await call(`${TABLE}/query`, {
      headers: { auth },
      body: { query: { expressions: [{ field: 'Algorithm', operand: '!=', value: 'HS256' }] } },
    });
    expect(ne.json.queryResult.map((r: any) => r.QueueIdentifier)).toEqual(['RSA']);
  });
});

describe('data table paging, writes and permissions', () => {
  it('pages 250 rows with sys_limit 100: 100 + 100 + 50, hasMore until the end; default limit 10', async () => {
    const auth = await adminJwt();
    const extra = Array.from({ length: 244 }, (_, i) => ({
      QueueIdentifier: `Q${i}`,
      BotId: `st-${i}`,
      ClientId: `cs-${i}`,
      ClientSecret: `s-${i}`,
      AudiohookEnabled: 'false',
    }));
    const bulk = await call(`${TABLE}/bulk`, { headers: { auth }, body: { data: extra } });
    expect(bulk.status).toBe(200);
    expect(bulk.json.records).toHaveLength(244);
    const pages: number[] = [];
    const seen = new Set<string>();
    let offset = 0;
    for (;;) {
      const { json } = await call(`${TABLE}/query?sys_limit=100&sys_offset=${offset}`, { headers: { auth }, body: {} });
      expect(json.total).toBe(250);
      pages.push(json.queryResult.length);
      for (const r of json.queryResult) seen.add(r._id);
      offset += json.queryResult.length;
      if (!json.hasMore) break;
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(seen.size).toBe(250);
    const defaults = await call(`${TABLE}/query`, { headers: { auth }, body: {} });
    expect(defaults.json.queryResult).toHaveLength(10);
    expect(defaults.json.hasMore).toBe(true);
  });

  it('refuses sys_limit above 100', async () => {
    const { status, json } = await call(`${TABLE}/query?sys_limit=101`, {
      headers: { auth: await readJwt() },
      body: {},
    });
    expect(status).toBe(400);
    expect(json.errors[0].msg).toMatch(/sys_limit must be a whole number from 0 to 100/);
  });

  it('insert, update and delete with the admin app', async () => {
    const auth = await adminJwt();
    const ins = await call(TABLE, { headers: { auth }, body: { data: { QueueIdentifier: 'NEWQ', BotId: 'st-new' } } });
    expect(ins.status).toBe(200);
    expect(ins.json).toMatchObject({ QueueIdentifier: 'NEWQ', Created_By: KORE_DATA_TABLE.adminApp.appId });
    expect(ins.json.sys_Id).toBe(ins.json._id);
    const query = { expressions: [{ field: 'QueueIdentifier', operand: '=', value: 'NEWQ' }] };
    const upd = await call(TABLE, { method: 'PUT', headers: { auth }, body: { query, data: { BotId: 'st-newer' } } });
    expect(upd.json).toEqual({ nModified: 1 });
    expect(kore.tableRows().find((r) => r['QueueIdentifier'] === 'NEWQ')?.['BotId']).toBe('st-newer');
    const del = await call(TABLE, { method: 'DELETE', headers: { auth }, body: { query } });
    expect(del.json).toEqual({ nDeleted: 1 });
    expect(kore.tableRows()).toHaveLength(6);
    const bad = await call(TABLE, { headers: { auth }, body: { data: { NoSuchColumn: 'x' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].msg).toContain('Column "NoSuchColumn" does not exist');
  });

  it('the read app may query but not write or delete', async () => {
    const auth = await readJwt();
    const ins = await call(TABLE, { headers: { auth }, body: { data: { QueueIdentifier: 'X' } } });
    expect(ins.status).toBe(403);
    expect(ins.json.errors[0]).toMatchObject({ code: 403 });
    expect(ins.json.errors[0].msg).toContain('no write permission');
    const del = await call(TABLE, { method: 'DELETE', headers: { auth }, body: { query: { expressions: [] } } });
    expect(del.status).toBe(403);
    expect(kore.tableRows()).toHaveLength(6);
  });

  it("answers JWT problems in Kore's shape", async () => {
    const wrongSecret = await appJwt(KORE_DATA_TABLE.readApp.appId, 'not-the-secret');
    const r1 = await call(`${TABLE}/query`, { headers: { auth: wrongSecret }, body: {} });
    expect(r1.status).toBe(401);
    expect(r1.json).toEqual({ errors: [{ msg: 'error verifying the jwt: signature verification failed', code: 401 }] });
    const lowerAppid = await new SignJWT({ sub: 'x', appid: KORE_DATA_TABLE.readApp.appId })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(enc.encode(KORE_DATA_TABLE.readApp.clientSecret));
    const r2 = await call(`${TABLE}/query`, { headers: { auth: lowerAppid }, body: {} });
    expect(r2.status).toBe(401);
    expect(r2.json.errors[0].msg).toMatch(/^error verifying the jwt: .*appId/);
    const r3 = await call(`${TABLE}/query`, { headers: { authorization: `Bearer ${await readJwt()}` }, body: {} });
    expect(r3.status).toBe(401);
    const expired = await appJwt(KORE_DATA_TABLE.readApp.appId, KORE_DATA_TABLE.readApp.clientSecret, {
      exp: nowS() - 60,
    });
    const r4 = await call(`${TABLE}/query`, { headers: { auth: expired }, body: {} });
    expect(r4.json.errors[0].msg).toContain('expired');
    expect(kore.recorded.tableQueries.map((q) => q.status)).toEqual([401, 401, 401, 401]);
  });
});

describe('malformed requests', () => {
  it('a path with a broken %-escape matches no id (4xx, never 500) and the server keeps serving', async () => {
    const auth = await readJwt();
    for (const path of [
      `/api/public/tables/kaa%E0%A4%A/query`,
      `/api/1.1/public/bot/st-%ZZ/control/transcription?conversationId=c1`,
      `/agentassist/api/v1/hooks/st-%E0`,
      `/agentassist/api/v1/agentassist/st-%/agentassistsetting`,
    ]) {
      const { status, json } = await call(path, {
        method: path.endsWith('agentassistsetting') ? 'GET' : 'POST',
        headers: { auth },
        ...(path.endsWith('agentassistsetting') ? {} : { body: {} }),
      });
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
      expect(JSON.stringify(json)).not.toContain('Internal error');
    }
    expect((await call(`${TABLE}/query?sys_limit=1`, { headers: { auth }, body: {} })).status).toBe(200);
  });

  it("a body that is not JSON answers 400 in Kore's error shape", async () => {
    const res = await fetch(`${kore.origin}${TABLE}/query`, {
      method: 'POST',
      headers: { auth: await readJwt(), 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ code: 400 }] });
  });
});

describe('rate limit', () => {
  it("answers 429 with Kore's per-minute message after the budget, per app + table", async () => {
    let clock = 1_700_000_000_000;
    const k = await startKorePlatform({ tableRateLimitPerMinute: 3, now: () => clock });
    try {
      const q = async (auth: string) =>
        fetch(`${k.origin}${TABLE}/query`, {
          method: 'POST',
          headers: { auth, 'content-type': 'application/json' },
          body: '{}',
        });
      const read = await appJwt(KORE_DATA_TABLE.readApp.appId, KORE_DATA_TABLE.readApp.clientSecret, {
        iat: Math.floor(clock / 1000),
        exp: Math.floor(clock / 1000) + 600,
      });
      const admin = await appJwt(KORE_DATA_TABLE.adminApp.appId, KORE_DATA_TABLE.adminApp.clientSecret, {
        iat: Math.floor(clock / 1000),
        exp: Math.floor(clock / 1000) + 600,
      });
      for (let i = 0; i < 3; i++) expect((await q(read)).status).toBe(200);
      const limited = await q(read);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await limited.json()) as { errors: { msg: string }[] };
      expect(body.errors[0]?.msg).toMatch(/^You've exceeded the per-minute rate limit/);
      expect((await q(admin)).status).toBe(200); // another app has its own budget
      clock += 61_000;
      expect((await q(read)).status).toBe(200); // rolling window moved on
    } finally {
      await k.close();
    }
  });
});

describe('jwtgrant', () => {
  const grant = (assertion: string, taskBotId: string) =>
    call('/api/1.1/oAuth/token/jwtgrant', { body: { assertion, botInfo: { chatBot: 'x', taskBotId }, token: {} } });

  it('accepts an HS256 widget JWT signed with the bot ClientSecret and records it without the token', async () => {
    const token = await widgetJwt(BOTS.alpha);
    const { status, json } = await grant(token, BOTS.alpha.botId);
    expect(status).toBe(200);
    expect(json.authorization.token_type).toBe('bearer');
    expect(typeof json.authorization.accessToken).toBe('string');
    expect(json.userInfo.accountId).toBe(THIRD_PARTY.accountId);
    const rec = kore.recorded.jwtgrants.at(-1);
    expect(rec).toMatchObject({ status: 200, clientId: BOTS.alpha.clientId, botId: BOTS.alpha.botId, alg: 'HS256' });
    expect(rec?.claims).toMatchObject({ iss: BOTS.alpha.clientId, sub: USERS.agent.id });
    expect(JSON.stringify(kore.recorded)).not.toContain(token);
    expect(JSON.stringify(kore.recorded)).not.toContain(BOTS.alpha.clientSecret);
  });

  it('refuses a wrong secret, another bot id, milliseconds, alg confusion and jti replay', async () => {
    const bad = await widgetJwt({ clientId: BOTS.alpha.clientId, clientSecret: 'wrong-secret-wrong' });
    const r1 = await grant(bad, BOTS.alpha.botId);
    expect(r1.status).toBe(401);
    expect(r1.json).toEqual({ errors: [{ msg: 'error verifying the jwt: signature verification failed', code: 401 }] });
    const r2 = await grant(await widgetJwt(BOTS.alpha), BOTS.kore.botId);
    expect(r2.status).toBe(400);
    const ms = await widgetJwt(BOTS.alpha, { iat: Date.now(), exp: Date.now() + 900_000 });
    const r3 = await grant(ms, BOTS.alpha.botId);
    expect(r3.json.errors[0].msg).toContain('seconds');
    // the RS bot pins RS256/RS512: an HS256 token signed with its ClientSecret is refused
    const r4 = await grant(await widgetJwt(BOTS.rs), BOTS.rs.botId);
    expect(r4.status).toBe(401);
    expect(r4.json.errors[0].msg).toContain('not allowed');
    const withJti = await widgetJwt(BOTS.kore, { jti: 'once' });
    expect((await grant(withJti, BOTS.kore.botId)).status).toBe(200);
    const replay = await grant(withJti, BOTS.kore.botId);
    expect(replay.json.errors[0].msg).toContain('possibly a replay');
    const long = await widgetJwt(BOTS.kore, { jti: 'long', exp: nowS() + 7200 });
    expect((await grant(long, BOTS.kore.botId)).json.errors[0].msg).toBe(
      'error verifying the jwt: if "jti" claim "exp" must be <= 1 hour(s)',
    );
  });

  it('verifies RS256 with the bot public key (signed with the row RSPrivatePem) and refuses another key', async () => {
    const pem = kore.tableRows().find((r) => r['BotId'] === BOTS.rs.botId)?.['RSPrivatePem'] as string;
    const key = await importPKCS8(pem, 'RS256');
    const sign = (k: CryptoKey | Awaited<ReturnType<typeof importPKCS8>>) =>
      new SignJWT({ iss: BOTS.rs.clientId, sub: USERS.agent.id })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(k);
    const ok = await grant(await sign(key), BOTS.rs.botId);
    expect(ok.status).toBe(200);
    expect(kore.recorded.jwtgrants.at(-1)?.alg).toBe('RS256');
    const other = await import('jose').then((j) => j.generateKeyPair('RS256'));
    const ko = await grant(await sign(other.privateKey), BOTS.rs.botId);
    expect(ko.status).toBe(401);
  });

  it('rotateClientSecret makes tokens signed with the old secret fail', async () => {
    const old = await widgetJwt(BOTS.alpha);
    kore.rotateClientSecret('alpha', 'alpha-rotated-secret-0001');
    expect((await grant(old, BOTS.alpha.botId)).status).toBe(401);
    expect(
      (
        await grant(
          await widgetJwt({ clientId: BOTS.alpha.clientId, clientSecret: 'alpha-rotated-secret-0001' }),
          BOTS.alpha.botId,
        )
      ).status,
    ).toBe(200);
    expect(kore.tableRows()[0]?.['ClientSecret']).toBe('alpha-rotated-secret-0001');
  });
});

describe('hooks and control transcription', () => {
  const botJwt = (bot: { clientId: string; clientSecret: string }) => appJwt(bot.clientId, bot.clientSecret);
  const participant = { identity: USERS.agent.id, name: USERS.agent.name, type: 'agent' };

  it('records valid hooks calls in order and answers {STATUS: OK}', async () => {
    const auth = await botJwt(BOTS.alpha);
    const base = { conversationId: 'c0a00000-0000-4000-8000-000000000001', botId: BOTS.alpha.botId };
    const entry = {
      ...base,
      events: [
        {
          name: 'INTERNAL_TRANSFER_EVENT',
          transfertype: 'NA',
          transition: 'entry',
          isExtAD: true,
          experience: 'voice',
          participant,
        },
      ],
    };
    const end = {
      ...base,
      events: [
        { name: 'END_OF_CONVERSATION', reason: 'agent_initiated', language: 'en', experience: 'voice', participant },
      ],
    };
    const r1 = await call(`/agentassist/api/v1/hooks/${BOTS.alpha.botId}`, { headers: { auth }, body: entry });
    const r2 = await call(`/agentassist/api/v1/hooks/${BOTS.alpha.botId}`, { headers: { auth }, body: end });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r1.json).toEqual({ STATUS: 'OK' });
    expect(kore.recorded.hooks.map((h) => (h.body as any).events[0].name)).toEqual([
      'INTERNAL_TRANSFER_EVENT',
      'END_OF_CONVERSATION',
    ]);
    expect(kore.recorded.hooks[0]).toMatchObject({ status: 200, botId: BOTS.alpha.botId, appId: BOTS.alpha.clientId });
  });

  it('refuses a bad JWT, an unknown bot, an invalid body and the token header by default', async () => {
    const auth = await botJwt(BOTS.alpha);
    const body = { conversationId: 'c1', botId: BOTS.alpha.botId };
    expect(
      (await call(`/agentassist/api/v1/hooks/${BOTS.alpha.botId}`, { headers: { token: auth }, body })).status,
    ).toBe(401);
    const unknown = await call('/agentassist/api/v1/hooks/st-nope', {
      headers: { auth },
      body: { ...body, botId: 'st-nope' },
    });
    expect(unknown.json).toMatchObject({
      code: 400,
      message: expect.stringContaining("Linked bot details couldn't be found"),
    });
    const invalid = await call(`/agentassist/api/v1/hooks/${BOTS.alpha.botId}`, {
      headers: { auth },
      body: { ...body, events: [{ name: 'INTERNAL_TRANSFER_EVENT', transfertype: 'sideways' }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.message).toContain('events.0.transfertype');
    const propagation = await call(`/agentassist/api/v1/hooks/${BOTS.alpha.botId}`, {
      headers: { auth },
      body: { ...body, query: 'hello' },
    });
    expect(propagation.status).toBe(400);
    expect(propagation.json.message).toContain('agentId');
    expect(kore.recorded.hooks.map((h) => h.status)).toEqual([401, 400, 400, 400]);
  });

  it('honours a configured hooks path prefix and header (docs/assumptions.md#hooks-path-prefix, docs/assumptions.md#hooks-auth-header)', async () => {
    const k = await startKorePlatform({ hooksPathPrefix: '/agentai/api/v1/hooks', hooksAuthHeader: 'token' });
    try {
      const auth = await botJwt(BOTS.kore);
      const res = await fetch(`${k.origin}/agentai/api/v1/hooks/${BOTS.kore.botId}`, {
        method: 'POST',
        headers: { token: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'c2', botId: BOTS.kore.botId }),
      });
      expect(res.status).toBe(200);
      const old = await fetch(`${k.origin}/agentassist/api/v1/hooks/${BOTS.kore.botId}`, {
        method: 'POST',
        headers: { token: auth },
        body: '{}',
      });
      expect(old.status).toBe(404);
    } finally {
      await k.close();
    }
  });

  it('records control transcription calls; pause needs handover', async () => {
    const auth = await botJwt(BOTS.alpha);
    const path = `/api/1.1/public/bot/${BOTS.alpha.botId}/control/transcription?conversationId=c0a0`;
    const ok = await call(path, {
      headers: { auth },
      body: { action: 'pause', agentId: USERS.agent.id, handover: false },
    });
    expect(ok.json).toEqual({ status: 'success' });
    const missing = await call(path, { headers: { auth }, body: { action: 'pause', agentId: USERS.agent.id } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].msg).toContain('handover');
    await call(path, { headers: { auth }, body: { action: 'resume', agentId: USERS.agent.id } });
    expect(kore.recorded.controls.map((c) => [c.status, (c.body as any).action, c.conversationId])).toEqual([
      [200, 'pause', 'c0a0'],
      [400, 'pause', 'c0a0'],
      [200, 'resume', 'c0a0'],
    ]);
  });
});

describe('decrypt endpoint (secureCustomData)', () => {
  async function session(bot: typeof BOTS.alpha): Promise<string> {
    const { json } = await call('/api/1.1/oAuth/token/jwtgrant', {
      body: { assertion: await widgetJwt(bot), botInfo: { taskBotId: bot.botId } },
    });
    return json.authorization.accessToken as string;
  }
  async function encryptFor(jwkText: string, claims: unknown): Promise<string> {
    const jwk = JSON.parse(jwkText);
    const key = await importJWK(jwk, 'RSA-OAEP');
    return new CompactEncrypt(enc.encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: jwk.kid, typ: 'JWT' })
      .encrypt(key);
  }

  it('decrypts a JWE made with the row JWEPublicKey for a verified widget session only', async () => {
    const row = kore.tableRows().find((r) => r['BotId'] === BOTS.alpha.botId)!;
    const claims = {
      iss: BOTS.alpha.clientId,
      sub: USERS.agent.id,
      secureCustomData: { queue: QUEUES.alpha.name, state: 'connected' },
    };
    const jwe = await encryptFor(row['JWEPublicKey'] as string, claims);
    const noSession = await call('/sandbox/kore/v1/decrypt', { body: { jwe } });
    expect(noSession.status).toBe(401);
    const token = await session(BOTS.alpha);
    const ok = await call('/sandbox/kore/v1/decrypt', { headers: { authorization: `bearer ${token}` }, body: { jwe } });
    expect(ok.status).toBe(200);
    expect(ok.json.claims).toEqual(claims);
    expect(ok.json.header).toMatchObject({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256' });
    // a JWE for another bot's key is refused by kid
    const koreRow = kore.tableRows().find((r) => r['BotId'] === BOTS.kore.botId)!;
    const other = await encryptFor(koreRow['JWEPublicKey'] as string, claims);
    const ko = await call('/sandbox/kore/v1/decrypt', {
      headers: { authorization: `bearer ${token}` },
      body: { jwe: other },
    });
    expect(ko.status).toBe(400);
    expect(ko.json.errors[0].msg).toContain('names key');
    // a JWE whose exp has passed is refused, one still valid is decrypted
    const nowS = Math.floor(Date.now() / 1000);
    const expired = await call('/sandbox/kore/v1/decrypt', {
      headers: { authorization: `bearer ${token}` },
      body: { jwe: await encryptFor(row['JWEPublicKey'] as string, { ...claims, iat: nowS - 20, exp: nowS - 10 }) },
    });
    expect(expired.status).toBe(400);
    expect(expired.json.errors[0].msg).toContain('expired');
    expect(
      (
        await call('/sandbox/kore/v1/decrypt', {
          headers: { authorization: `bearer ${token}` },
          body: { jwe: await encryptFor(row['JWEPublicKey'] as string, { ...claims, iat: nowS, exp: nowS + 60 }) },
        })
      ).status,
    ).toBe(200);
    // expiring the access tokens ends the session
    kore.expireAccessTokens();
    expect(
      (await call('/sandbox/kore/v1/decrypt', { headers: { authorization: `bearer ${token}` }, body: { jwe } })).status,
    ).toBe(401);
  });
});

describe('secrets stay out of answers and records', () => {
  it('no planted token or secret appears in any error answer or in recorded', async () => {
    const planted = 'planted-secret-value-9f3a';
    const tokens = [
      await appJwt(KORE_DATA_TABLE.readApp.appId, planted),
      await widgetJwt({ clientId: BOTS.alpha.clientId, clientSecret: planted }),
      await appJwt(BOTS.alpha.clientId, planted),
    ];
    const answers = [
      await call(`${TABLE}/query`, { headers: { auth: tokens[0]! }, body: {} }),
      await call('/api/1.1/oAuth/token/jwtgrant', {
        body: { assertion: tokens[1], botInfo: { taskBotId: BOTS.alpha.botId } },
      }),
      await call(`/agentassist/api/v1/hooks/${BOTS.alpha.botId}`, {
        headers: { auth: tokens[2]! },
        body: { conversationId: 'c', botId: BOTS.alpha.botId },
      }),
      await call(`/api/1.1/public/bot/${BOTS.alpha.botId}/control/transcription?conversationId=c`, {
        headers: { auth: tokens[2]! },
        body: { action: 'end', agentId: 'a' },
      }),
      await call('/sandbox/kore/v1/decrypt', {
        headers: { authorization: `bearer ${tokens[1]}` },
        body: { jwe: tokens[1] },
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    const output = JSON.stringify(answers.map((a) => a.json)) + JSON.stringify(kore.recorded);
    for (const secret of [planted, ...tokens]) expect(output).not.toContain(secret);
  });
});

describe('third-party configuration lookup (docs/assumptions.md#third-party-configuration-runtime-api)', () => {
  const lookupPath = (queue: string, accountId: string = THIRD_PARTY.accountId) =>
    `/agentassist/api/v1/thirdparty/${accountId}/config?queueName=${encodeURIComponent(queue)}`;
  const readerJwt = (): Promise<string> => appJwt(THIRD_PARTY.readApp.appId, THIRD_PARTY.readApp.clientSecret);

  it('returns the record for a queue with base64-encoded keys, 404 otherwise, and records lookups', async () => {
    const auth = await readerJwt();
    const { status, json } = await call(lookupPath(QUEUES.alpha.name), { method: 'GET', headers: { auth } });
    expect(status).toBe(200);
    expect(json.botId).toBe(BOTS.alpha.botId);
    expect(Buffer.from(json.keys.AudiohookEnabled, 'base64').toString()).toBe('false');
    expect(JSON.parse(Buffer.from(json.keys.SecureCustomDataConfig, 'base64').toString())).toEqual({
      state: 'participants[0].calls[0].state',
    });
    // SecureCustomDataConfig needs the bot's JWE public key: the stringified JWK, as in the table's JWEPublicKey column
    expect(JSON.parse(json.jwePublicKey)).toEqual(kore.bots.alpha.jwePublicJwk);
    expect(JSON.parse(json.jwePublicKey)).not.toHaveProperty('d');
    const kore2 = await call(lookupPath('KoreSupport'), { method: 'GET', headers: { auth } });
    expect(kore2.json.jwePublicKey).toBeUndefined(); // no SecureCustomDataConfig, no key
    expect(Buffer.from(kore2.json.keys.BotLanguageCode, 'base64').toString()).toBe('en');
    const none = await call(lookupPath(QUEUES.unmapped.name), { method: 'GET', headers: { auth } });
    expect(none.status).toBe(404);
    expect(kore.recorded.thirdPartyLookups.map((l) => [l.status, l.appId])).toEqual([
      [200, THIRD_PARTY.readApp.appId],
      [200, THIRD_PARTY.readApp.appId],
      [404, THIRD_PARTY.readApp.appId],
    ]);
  });

  it("requires the platform JWT of an app granted the account: none or a bad one is 401, another app's is 403; no ClientSecret leaves", async () => {
    const refused = [
      [await call(lookupPath(QUEUES.alpha.name), { method: 'GET' }), 401],
      [await call(lookupPath(QUEUES.alpha.name), { method: 'GET', headers: { auth: 'not-a-jwt' } }), 401],
      [
        await call(lookupPath(QUEUES.alpha.name), {
          method: 'GET',
          headers: { auth: await appJwt(THIRD_PARTY.readApp.appId, 'wrong-secret') },
        }),
        401,
      ],
      [
        await call(lookupPath(QUEUES.alpha.name), {
          method: 'GET',
          headers: {
            auth: await appJwt(THIRD_PARTY.readApp.appId, THIRD_PARTY.readApp.clientSecret, { exp: nowS() - 10 }),
          },
        }),
        401,
      ],
      // the lookup's credential is the Data Table API's kind of JWT, but a Data app or a bot's JWT app is not granted
      [await call(lookupPath(QUEUES.alpha.name), { method: 'GET', headers: { auth: await readJwt() } }), 403],
      [
        await call(lookupPath(QUEUES.alpha.name), {
          method: 'GET',
          headers: { auth: await appJwt(BOTS.alpha.clientId, BOTS.alpha.clientSecret) },
        }),
        403,
      ],
      // a reader of this account asking for another account
      [
        await call(lookupPath(QUEUES.alpha.name, '6a1c0000-0000-4000-8000-0000000000ff'), {
          method: 'GET',
          headers: { auth: await readerJwt() },
        }),
        403,
      ],
    ] as const;
    expect(refused.map(([r]) => r.status)).toEqual(refused.map(([, status]) => status));
    for (const [r, status] of refused)
      expect(r.json.errors[0].msg).toMatch(
        status === 401 ? /^error verifying the jwt: / : /may not read the Third-Party Configuration/,
      );
    const seen = JSON.stringify(refused.map(([r]) => r.json)) + JSON.stringify(kore.recorded);
    for (const bot of Object.values(BOTS)) expect(seen).not.toContain(bot.clientSecret);
    expect(kore.recorded.thirdPartyLookups.map((l) => l.status)).toEqual([401, 401, 401, 401, 403, 403, 403]);
    expect(kore.recorded.thirdPartyLookups.filter((l) => l.status === 401).every((l) => l.appId === undefined)).toBe(
      true,
    );
  });
});

describe('CORS (configured origins only)', () => {
  const PAGE = 'http://127.0.0.1:5999';
  const preflight = (origin: string, k: KorePlatform, path = `${TABLE}/query`) =>
    fetch(`${k.origin}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'auth, content-type',
      },
    });

  it('by default no origin is allowed on the Kore routes: no Access-Control-Allow-Origin, preflights refused', async () => {
    const pre = await preflight(PAGE, kore);
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${kore.origin}${TABLE}/query`, {
      method: 'POST',
      headers: { origin: PAGE, auth: await readJwt(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200); // the server answers; the browser withholds the answer from the page
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('corsOrigins: an allowed origin gets its own origin back (Vary: Origin) and may read Retry-After; another gets nothing', async () => {
    const allowed: string[] = [PAGE];
    const k = await startKorePlatform({ corsOrigins: () => allowed });
    try {
      const pre = await preflight(PAGE, k);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE);
      expect(pre.headers.get('access-control-allow-headers')).toBe('auth, content-type');
      const res = await fetch(`${k.origin}${TABLE}/query`, {
        method: 'POST',
        headers: { origin: PAGE, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('access-control-expose-headers')).toBe('retry-after');
      const other = await preflight('http://127.0.0.1:6000', k);
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      // read on every request: an origin added later is allowed from then on
      allowed.push('http://127.0.0.1:6000');
      expect((await preflight('http://127.0.0.1:6000', k)).status).toBe(204);
      // the sandbox-only endpoints answer any origin
      const state = await fetch(`${k.origin}/sandbox/kore/v1/recorded`, {
        headers: { origin: 'http://127.0.0.1:6001' },
      });
      expect(state.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await k.close();
    }
  });
});

describe('knobs', () => {
  it('latency delays each answer by at least the configured ms', async () => {
    const k = await startKorePlatform({ latencyMs: 120 });
    try {
      const t0 = performance.now();
      await fetch(`${k.origin}${TABLE}/query`, { method: 'POST', body: '{}' });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
      k.setLatency(0);
      const t1 = performance.now();
      await fetch(`${k.origin}${TABLE}/query`, { method: 'POST', body: '{}' });
      expect(performance.now() - t1).toBeLessThan(100);
    } finally {
      await k.close();
    }
  });

  it('failNext answers only requests whose credential the route accepts: a bad credential is refused as usual and the failure waits', async () => {
    kore.failNext({ method: 'POST', pathPrefix: TABLE, status: 503, times: 1 });
    const bad = await call(`${TABLE}/query`, {
      headers: { auth: await appJwt(KORE_DATA_TABLE.readApp.appId, 'wrong-secret') },
      body: {},
    });
    expect(bad.status).toBe(401);
    expect((await call(`${TABLE}/query`, { body: {} })).status).toBe(401);
    expect((await call(`${TABLE}/query`, { headers: { auth: await readJwt() }, body: {} })).status).toBe(503);
    expect((await call(`${TABLE}/query`, { headers: { auth: await readJwt() }, body: {} })).status).toBe(200);
    // jwtgrant: a forged assertion is 401; checking a good one for the fault does not spend its jti
    kore.failNext({ method: 'POST', pathPrefix: '/api/1.1/oAuth', status: 500, times: 1 });
    expect(
      (
        await call('/api/1.1/oAuth/token/jwtgrant', {
          body: {
            assertion: await widgetJwt({ clientId: BOTS.alpha.clientId, clientSecret: 'forged' }),
            botInfo: { taskBotId: BOTS.alpha.botId },
          },
        })
      ).status,
    ).toBe(401);
    const once = await widgetJwt(BOTS.alpha, { jti: 'only-once', exp: nowS() + 600 });
    const body = { assertion: once, botInfo: { taskBotId: BOTS.alpha.botId } };
    expect((await call('/api/1.1/oAuth/token/jwtgrant', { body })).status).toBe(500);
    expect((await call('/api/1.1/oAuth/token/jwtgrant', { body })).status).toBe(200);
    expect((await call('/api/1.1/oAuth/token/jwtgrant', { body })).status).toBe(401); // now it is spent
    // the Third-Party lookup: without its JWT the answer is 401, not the queued failure
    kore.failNext({ method: 'GET', pathPrefix: '/agentassist/api/v1/thirdparty/', status: 502, times: 1 });
    const lookup = `/agentassist/api/v1/thirdparty/${THIRD_PARTY.accountId}/config?queueName=KoreSupport`;
    expect((await call(lookup, { method: 'GET' })).status).toBe(401);
    expect(
      (
        await call(lookup, {
          method: 'GET',
          headers: { auth: await appJwt(THIRD_PARTY.readApp.appId, THIRD_PARTY.readApp.clientSecret) },
        })
      ).status,
    ).toBe(502);
  });

  it('failNext fails the next N matching requests with the status, then recovers', async () => {
    kore.failNext({ method: 'POST', pathPrefix: '/api/1.1/oAuth', status: 503, times: 2 });
    const assertion = await widgetJwt(BOTS.alpha);
    const body = { assertion, botInfo: { taskBotId: BOTS.alpha.botId } };
    expect((await call('/api/1.1/oAuth/token/jwtgrant', { body })).status).toBe(503);
    expect((await call('/api/1.1/oAuth/token/jwtgrant', { body })).status).toBe(503);
    expect((await call('/api/1.1/oAuth/token/jwtgrant', { body })).status).toBe(200);
  });

  it('accessTokenTtlSeconds bounds the widget session', async () => {
    let clock = Date.now();
    const k = await startKorePlatform({ accessTokenTtlSeconds: 10, now: () => clock });
    try {
      const assertion = await widgetJwt(BOTS.alpha);
      const g = await fetch(`${k.origin}/api/1.1/oAuth/token/jwtgrant`, {
        method: 'POST',
        body: JSON.stringify({ assertion, botInfo: { taskBotId: BOTS.alpha.botId } }),
      });
      const token = ((await g.json()) as any).authorization.accessToken;
      const settings = () =>
        fetch(`${k.origin}/agentassist/api/v1/agentassist/${BOTS.alpha.botId}/agentassistsetting?e=voice`, {
          headers: { authorization: `bearer ${token}` },
        });
      expect((await settings()).status).toBe(200);
      clock += 11_000;
      expect((await settings()).status).toBe(401);
    } finally {
      await k.close();
    }
  });

  it('close() frees the port: connecting afterwards is refused', async () => {
    const k = await startKorePlatform({ latencyMs: 5_000 });
    const pending = fetch(`${k.origin}${TABLE}/query`, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await k.close();
    expect(await pending).toBeInstanceOf(Error);
    const refused = await new Promise<string>((resolve) => {
      const s = connect(k.port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
