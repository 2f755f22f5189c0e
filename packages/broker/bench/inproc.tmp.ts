import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BROKER_PATHS, parseSettings, signPlatformJwt } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { CONVERSATIONS, KORE_DATA_TABLE, ORG } from '@kaa/sandbox';
import { createBroker } from '../src/index.js';
import { createNodeFetch, nodeJoseEngine } from '../src/node.js';
const child = fork(fileURLToPath(new URL('./sandbox-process.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], env: { ...process.env } });
const ready: any = await new Promise((r) => child.once('message', r));
const upstream = createNodeFetch();
const mode = process.env.MODE ?? 'memory';
let convText: string | undefined;
const fetchLike = async (u: string, i: RequestInit) => {
  if (mode === 'memory' && u.includes('/api/v2/conversations/') && convText) return new Response(convText, { status: 200, headers: { 'content-type': 'application/json' } });
  const r = await upstream.fetch(u, i);
  if (u.includes('/api/v2/conversations/')) { convText = await r.clone().text(); }
  return r;
};
const settings = parseSettings({ kore: { apiHost: ready.origins.kore } });
const client = createDataTableClient({ baseUrl: ready.origins.kore, appId: KORE_DATA_TABLE.readApp.appId, clientSecret: KORE_DATA_TABLE.readApp.clientSecret }, { fetch: (u, i) => fetch(u, i), now: () => Date.now(), signPlatformJwt, cacheTtlMs: 0, tokenOrigin: 'config' });
const broker = createBroker({ settings, served: [{ environment: { ...ready.environment, domain: '' }, orgIds: [ORG.id] }], allowedOrigins: ['https://kaa.example.com'],
  botSource: createKoreTableBotSource({ client, table: KORE_DATA_TABLE.name, qDelimiter: '_', lookup: { allowHttpLoopback: true } }),
  fetch: fetchLike, now: () => Date.now(), limits: { requestsPerMinute: 1e8, verifyCacheSeconds: 3600 }, ...(process.env.ENGINE === 'jose' ? {} : { engine: nodeJoseEngine }) });
const launch = () => broker.fetch(new Request(`http://127.0.0.1${BROKER_PATHS.launch}`, { method: 'POST', headers: { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json', origin: 'https://kaa.example.com' }, body: JSON.stringify({ conversationId: CONVERSATIONS.voiceAlpha, environment: 'sandbox' }) })).then(async (r) => { const t = await r.text(); if (r.status !== 200) throw new Error(t); return t; });
for (let i = 0; i < 300; i++) await launch();
const N = Number(process.env.N ?? 3000);
const c0 = process.cpuUsage(); const t0 = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < N / 8; i++) await launch(); }));
const c = process.cpuUsage(c0); const wall = performance.now() - t0;
console.log(`mode=${mode} engine=${process.env.ENGINE ?? 'node'}: cpu µs/launch ${((c.user + c.system) / N).toFixed(0)}, wall µs/launch ${((wall * 1000) / N).toFixed(0)}`);
await upstream.close(); child.send({ type: 'close' });
