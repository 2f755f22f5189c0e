import { BROKER_PATHS, parseSettings, signPlatformJwt } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { CONVERSATIONS, KORE_DATA_TABLE, ORG, USERS, startSandbox, type Sandbox } from '@kaa/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBroker, createRedisStore, type Broker, type BrokerStore } from '../src/index.js';
import { startRedis, type TestRedis } from '@kaa/test-support';

// Two broker instances sharing one real redis-server (Debian's, started here on a Unix socket): what one verified,
// the other serves from the cache; the per-agent limit and the end-of-conversation claim are shared.

let sandbox: Sandbox;
let redis: TestRedis;
const stores: BrokerStore[] = [];

beforeAll(async () => {
  [sandbox, redis] = await Promise.all([startSandbox({ desktop: false }), startRedis()]);
});
afterAll(async () => {
  for (const s of stores) await s.close?.();
  await redis?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  await sandbox.genesys.reset();
});

async function instance(prefix: string, limits: { requestsPerMinute?: number } = {}): Promise<Broker> {
  const conn = await redis.connect();
  const store = createRedisStore({ command: conn.command, quit: conn.quit, keyPrefix: prefix });
  stores.push(store);
  const client = createDataTableClient(
    {
      baseUrl: sandbox.origins.kore,
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
    },
    { fetch: (u, i) => fetch(u, i), now: () => Date.now(), signPlatformJwt, cacheTtlMs: 0, tokenOrigin: 'config' },
  );
  return createBroker({
    settings: parseSettings({ kore: { apiHost: sandbox.origins.kore } }),
    served: [{ environment: { ...sandbox.environment, domain: '' }, orgIds: [ORG.id] }],
    allowedOrigins: ['https://kaa.example.com'],
    botSource: createKoreTableBotSource({
      client,
      table: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      lookup: { allowHttpLoopback: true },
    }),
    store,
    limits,
    fetch: (u, i) => fetch(u, i),
    now: () => Date.now(),
  });
}

const launch = (b: Broker, token: string) =>
  b.fetch(
    new Request(`http://broker.test${BROKER_PATHS.launch}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox' }),
    }),
  );

describe('two broker instances on one Redis', () => {
  it('a token verified on one instance is served from the shared cache on the other (no users/me call)', async () => {
    const prefix = `t1:${Date.now()}:`;
    const [a, b] = await Promise.all([instance(prefix), instance(prefix)]);
    const token = sandbox.genesys.issueToken();
    expect((await launch(a, token)).status).toBe(200);
    // from now on Genesys refuses users/me: only a cached verification lets b answer
    sandbox.genesys.faults({ failNext: { method: 'GET', pathPrefix: '/api/v2/users/me', status: 503, times: 10 } });
    expect((await launch(b, token)).status).toBe(200);
    // a third instance with another key prefix (no shared cache) has to ask Genesys, and is refused
    const c = await instance(`other:${prefix}`);
    expect((await launch(c, token)).status).toBe(503);
  });

  it('the per-agent rate limit is shared', async () => {
    const prefix = `t2:${Date.now()}:`;
    const [a, b] = await Promise.all([
      instance(prefix, { requestsPerMinute: 3 }),
      instance(prefix, { requestsPerMinute: 3 }),
    ]);
    const token = sandbox.genesys.issueToken();
    expect([(await launch(a, token)).status, (await launch(b, token)).status, (await launch(a, token)).status]).toEqual(
      [200, 200, 200],
    );
    const limited = await launch(b, token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('END_OF_CONVERSATION is sent once over both instances', async () => {
    const prefix = `t3:${Date.now()}:`;
    const [a, b] = await Promise.all([instance(prefix), instance(prefix)]);
    const token = sandbox.genesys.issueToken();
    const event = {
      name: 'END_OF_CONVERSATION',
      reason: 'agent_initiated',
      experience: 'voice',
      participant: { identity: USERS.agent.id, name: USERS.agent.name, type: 'agent' },
    };
    const post = (x: Broker) =>
      x.fetch(
        new Request(`http://broker.test${BROKER_PATHS.events(CONVERSATIONS.voiceAlpha)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ environment: 'sandbox', events: [event] }),
        }),
      );
    const answers = await Promise.all([post(a), post(b)]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { sent: string[] }[];
    expect(bodies.map((x) => x.sent.length).sort()).toEqual([0, 1]);
    expect(sandbox.kore.recorded.hooks.filter((h) => h.status === 200)).toHaveLength(1);
  });
});
