/**
 * `pnpm bench`: time-to-widget in **broker mode** — the built page in Debian Chromium inside the sandbox desktop, settings
 * `tokens.serverUrl` naming a token broker (`@kaa/broker` on node:http in this process, holding the bot-table
 * credentials and the bot secrets), 100 ms latency on every Genesys and Kore route (the broker's own calls to them
 * included; the broker itself and the page's static files have none).
 * - warm runs (the interaction opened again: the Genesys token in sessionStorage, the broker's verification and bot
 *   table cached): navigation start → widget `src` set (the page's `kaa:widget` mark), and → widget connected (the
 *   stand-in widget's jwtgrant answered);
 * - round trips on the critical path: the browser's requests to Genesys, Kore and the broker answered before the
 *   `src`, and how many of them ran one after another (depth) — goal ≤ 2 after sign-in; then the widget's own requests
 *   up to connected. The broker's own Genesys calls (inside its `POST /v1/launch`) are listed apart.
 * The figures are printed as a table and written to `.artifacts/broker-page-bench.json`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { createBroker, type Broker } from '@kaa/broker';
import { serveFetch, type NodeFetchServer } from '@kaa/broker/node';
import { BROKER_PATHS, parseSettings, signPlatformJwt } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { CONVERSATIONS, KORE_DATA_TABLE, ORG } from '@kaa/sandbox';
import { expectWidgetConnected } from '@kaa/test-support';
import { ARTIFACTS, buildPage, startHarness, waitForPhase } from '../test/browser.js';
import type { Harness } from '../test/browser.js';
import { criticalPath } from './critical-path.js';
import type { CriticalPath } from './critical-path.js';
import { openWithoutProbing } from './open-interaction.js';
import { recordSandboxRequests } from './request-log.js';
import type { RequestLog, SandboxRequest } from './request-log.js';
import { quantile } from './stats.js';

const LATENCY_MS = 100;
const WARM_RUNS = Number(process.env['KAA_BENCH_BROKER_PAGE_RUNS'] ?? 8);
const CONVERSATION = CONVERSATIONS.voiceAlpha;
/** The goal of issue 15: at most two sequential round trips from the page after sign-in. */
const GOAL_DEPTH = 2;

type Role = 'genesys login' | 'genesys api' | 'kore' | 'broker' | 'page' | 'desktop' | 'other';

interface Run {
  kind: 'first' | 'warm';
  timeToSrcMs: number;
  timeToConnectedMs: number;
  /** The browser's Genesys/Kore/broker requests answered before the src was set. */
  page: CriticalPath;
  /** Navigation start → connected: every browser request (page and widget) answered before the jwtgrant answer. */
  toConnected: CriticalPath;
  preflights: number;
  pageRequests: string[];
  widgetRequests: string[];
  /** The broker's own requests to Genesys/Kore while it answered the page. */
  brokerCalls: string[];
}

interface Session {
  h: Harness;
  pageDir: string;
  server: NodeFetchServer;
  log: RequestLog;
  roleOf(port: number): Role;
  appUrl: string;
  runs: Run[];
}

let session: Promise<Session> | undefined;

async function start(): Promise<Session> {
  const log = recordSandboxRequests();
  const pageDir = await buildPage();
  const late: { broker?: Broker } = {};
  // the broker's port first (the page's settings and CSP name it), its handler once the sandbox's origins are known
  const server = await serveFetch(
    (r) => (late.broker ? late.broker.fetch(r) : Promise.resolve(new Response('not yet', { status: 503 }))),
    { host: '127.0.0.1', port: 0 },
  );
  const h = await startHarness(pageDir, {
    watch: false,
    settings: { tokens: { minter: 'server', serverUrl: server.url }, thirdParty: { source: 'none', http: {} } },
    connectOrigins: [server.url],
  });
  const sandbox = h.s.sandbox;
  const client = createDataTableClient(
    {
      baseUrl: sandbox.origins.kore,
      appId: KORE_DATA_TABLE.readApp.appId,
      clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
    },
    { fetch: (u, i) => fetch(u, i), now: () => Date.now(), signPlatformJwt, cacheTtlMs: 0, tokenOrigin: 'config' },
  );
  late.broker = createBroker({
    settings: parseSettings(h.s.settings),
    served: [{ environment: { ...sandbox.environment, domain: '' }, orgIds: [ORG.id] }],
    allowedOrigins: [new URL(h.s.pageUrl).origin],
    botSource: createKoreTableBotSource({
      client,
      table: KORE_DATA_TABLE.name,
      qDelimiter: '_',
      lookup: { allowHttpLoopback: true },
    }),
    fetch: (u, i) => fetch(u, i),
    now: () => Date.now(),
    secrets: () => [KORE_DATA_TABLE.readApp.clientSecret],
  });
  const o = sandbox.origins;
  const roles = new Map<number, Role>([
    [Number(new URL(o.login).port), 'genesys login'],
    [Number(new URL(o.api).port), 'genesys api'],
    [Number(new URL(o.kore).port), 'kore'],
    [Number(new URL(server.url).port), 'broker'],
    [Number(new URL(h.s.pageUrl).port), 'page'],
    ...(o.apps ? [[Number(new URL(o.apps).port), 'desktop'] as [number, Role]] : []),
  ]);
  sandbox.genesys.faults({ latencyMs: LATENCY_MS }); // forwarded to every Kore route
  return {
    h,
    pageDir,
    server,
    log,
    roleOf: (port) => roles.get(port) ?? 'other',
    appUrl: h.s.appUrl({ botSource: { kind: 'genesys-legacy-table' } }),
    runs: [],
  };
}

const getSession = () => (session ??= start());

const REMOTE: readonly Role[] = ['genesys login', 'genesys api', 'kore', 'broker'];

async function measure(s: Session, kind: Run['kind']): Promise<Run> {
  const { h } = s;
  const frame = await openWithoutProbing(h, CONVERSATION, s.appUrl);
  const seen = await frame.evaluate(() => ({
    timeOrigin: performance.timeOrigin,
    requestStart:
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.requestStart ?? 0,
    widgetAt: performance.getEntriesByName('kaa:widget')[0]?.startTime,
  }));
  if (seen.widgetAt === undefined) throw new Error('the page set no kaa:widget mark');
  // the agent sees the widget connected (jwtgrant accepted the broker's token), then the page goes live
  await expectWidgetConnected(h.page, CONVERSATION);
  const phase = await waitForPhase(frame, ['live', 'failed'], 30_000);
  if (phase !== 'live')
    throw new Error(
      `the ${kind} run did not get the page live: ${
        (await frame
          .locator('#kaa-error')
          .textContent()
          .catch(() => null)) ?? 'no error panel'
      }`,
    );
  // Browser and Node clocks may disagree by a few ms: align them on the page document's request (as page.bench.ts).
  const documentRequestAt = seen.timeOrigin + seen.requestStart;
  const documentRequest = s.log.entries
    .filter((e) => s.roleOf(e.port) === 'page' && e.method === 'GET' && e.path.endsWith('/koreaiaa-genesys/'))
    .sort((a, b) => Math.abs(a.receivedAt - documentRequestAt) - Math.abs(b.receivedAt - documentRequestAt))[0];
  const skew = documentRequest ? documentRequest.receivedAt - documentRequestAt : 0;
  const navigationStart = seen.timeOrigin + skew;
  const srcSetAt = seen.timeOrigin + seen.widgetAt + skew;
  const after = s.log.entries.filter((e) => e.receivedAt >= navigationStart && !e.path.startsWith('/sandbox/'));
  const grant = after.find(
    (e) =>
      s.roleOf(e.port) === 'kore' &&
      e.fromBrowser &&
      e.path.includes('jwtgrant') &&
      e.receivedAt >= srcSetAt &&
      e.answeredAt !== undefined,
  );
  if (!grant?.answeredAt) throw new Error(`the ${kind} run saw no jwtgrant from the widget after the src was set`);
  const connectedAt = grant.answeredAt;
  const browser = after.filter((e) => e.fromBrowser && REMOTE.includes(s.roleOf(e.port)));
  const span = (e: SandboxRequest) => ({ start: e.receivedAt, end: e.answeredAt ?? Number.POSITIVE_INFINITY });
  const beforeSrc = browser.filter((e) => e.receivedAt <= srcSetAt);
  const page = criticalPath(beforeSrc.map(span), srcSetAt);
  // the run did its work: users/me, the conversation and the broker's launch were answered before the src
  const launched = beforeSrc.some(
    (e) =>
      s.roleOf(e.port) === 'broker' &&
      e.method === 'POST' &&
      e.path === BROKER_PATHS.launch &&
      (e.answeredAt ?? Infinity) <= srcSetAt,
  );
  const describe = (e: SandboxRequest) =>
    `${s.roleOf(e.port)} ${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')} +${Math.round(e.receivedAt - navigationStart)}→${Math.round((e.answeredAt ?? Number.NaN) - navigationStart)} ms`;
  if (!launched || page.completed < 3) {
    const seenNear = s.log.entries.filter(
      (e) =>
        e.receivedAt >= navigationStart - 2_000 &&
        e.receivedAt <= connectedAt &&
        !e.path.startsWith('/sandbox/') &&
        s.roleOf(e.port) !== 'page',
    );
    throw new Error(
      `the ${kind} run saw ${page.completed} requests answered before the widget src (${Math.round(srcSetAt - navigationStart)} ms)${launched ? '' : ', none of them the broker launch'}: it measured nothing. Requests around it: ${seenNear.map((e) => `${e.fromBrowser ? 'browser' : 'node'} ${describe(e)}`).join('; ')}`,
    );
  }
  const widget = browser.filter((e) => e.receivedAt > srcSetAt && e.receivedAt <= connectedAt);
  return {
    kind,
    timeToSrcMs: srcSetAt - navigationStart,
    timeToConnectedMs: connectedAt - navigationStart,
    page,
    toConnected: criticalPath(browser.filter((e) => e.receivedAt <= connectedAt).map(span), connectedAt),
    preflights: beforeSrc.filter((e) => e.method === 'OPTIONS').length,
    pageRequests: beforeSrc.map(describe),
    widgetRequests: widget.map(describe),
    brokerCalls: after
      .filter((e) => !e.fromBrowser && e.receivedAt <= srcSetAt && REMOTE.includes(s.roleOf(e.port)))
      .map(describe),
  };
}

function report(s: Session): void {
  const warm = s.runs.filter((r) => r.kind === 'warm');
  const first = s.runs.find((r) => r.kind === 'first');
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const set = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b).join('/');
  const rows: [string, string, string][] = [
    [
      `time to widget src, warm (n=${warm.length})`,
      `median ${ms(
        quantile(
          warm.map((r) => r.timeToSrcMs),
          0.5,
        ),
      )}, p95 ${ms(
        quantile(
          warm.map((r) => r.timeToSrcMs),
          0.95,
        ),
      )}, min ${ms(
        quantile(
          warm.map((r) => r.timeToSrcMs),
          0,
        ),
      )}`,
      '—',
    ],
    [
      `time to widget connected, warm (n=${warm.length})`,
      `median ${ms(
        quantile(
          warm.map((r) => r.timeToConnectedMs),
          0.5,
        ),
      )}, p95 ${ms(
        quantile(
          warm.map((r) => r.timeToConnectedMs),
          0.95,
        ),
      )}`,
      '—',
    ],
    [
      'page round trips before src, warm (depth)',
      `${set(warm.map((r) => r.page.depth))} (requests answered: ${set(warm.map((r) => r.page.completed))}; preflights: ${set(warm.map((r) => r.preflights))})`,
      `≤ ${GOAL_DEPTH}`,
    ],
    ['round trips to connected, warm (page + widget)', set(warm.map((r) => r.toConnected.depth)), '—'],
    ...(first
      ? ([
          [
            'first interaction (sign-in included): src / connected / depth before src',
            `${ms(first.timeToSrcMs)} / ${ms(first.timeToConnectedMs)} / ${first.page.depth}`,
            '—',
          ],
        ] as [string, string, string][])
      : []),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const last = warm.at(-1);
  const lines = [
    '',
    `kaa page benchmark, broker mode — Debian Chromium in the sandbox desktop, ${LATENCY_MS} ms on every Genesys and Kore route (the broker's calls included)`,
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  goal ${c}`),
    `  warm page requests before src (last run): ${last?.pageRequests.join('; ')}`,
    `  the broker's own calls inside its launch (last run): ${last?.brokerCalls.join('; ') || 'none'}`,
    `  widget requests src → connected (last run): ${last?.widgetRequests.join('; ')}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(
    join(ARTIFACTS, 'broker-page-bench.json'),
    `${JSON.stringify({ latencyMs: LATENCY_MS, goalDepth: GOAL_DEPTH, runs: s.runs }, null, 2)}\n`,
  );
}

async function close(s: Session): Promise<void> {
  s.log.stop();
  await s.h.close();
  await s.server.close(1_000);
  rmSync(s.pageDir, { recursive: true, force: true });
}

/** One line per run on stderr: a slow machine shows it is moving. */
const progress = (s: Session) => {
  const r = s.runs.at(-1);
  if (r)
    process.stderr.write(
      `broker-page bench: ${r.kind} run ${s.runs.length}: src ${r.timeToSrcMs.toFixed(0)} ms, connected ${r.timeToConnectedMs.toFixed(0)} ms, depth ${r.page.depth}\n`,
    );
};

/** A failed run says why on stderr (the bench runner only reports that it failed). */
const shown = <T>(p: Promise<T>): Promise<T> =>
  p.catch((e: unknown) => {
    process.stderr.write(`broker-page bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    throw e;
  });

// `throws: false`: vitest 3.2's bench runner hangs after a bench that throws with `throws: true`; with `false` it
// reports the error as the bench's failure and exits non-zero
const once = { time: 0, warmupTime: 0, warmupIterations: 0, throws: false };

describe(`the page in broker mode in Chromium, ${LATENCY_MS} ms on every Genesys and Kore route`, () => {
  bench(
    'first interaction: sign-in → widget connected (not counted as warm)',
    async () => {
      const s = await getSession();
      s.runs.push(await shown(measure(s, 'first')));
      progress(s);
    },
    { ...once, iterations: 1 },
  );

  bench(
    'warm: the interaction opened again → widget connected',
    async () => {
      const s = await getSession();
      s.runs.push(await shown(measure(s, 'warm')));
      progress(s);
    },
    { ...once, iterations: WARM_RUNS },
  );

  let reported = false;
  bench(
    'report',
    async () => {
      if (reported) return; // the runner may call a bench more than once
      reported = true;
      const s = await getSession();
      try {
        report(s);
      } finally {
        await close(s);
      }
    },
    { ...once, iterations: 1 },
  );
});
