/**
 * `pnpm bench`: the built page in Debian Chromium against the sandbox with 100 ms latency on every Genesys and
 * Kore route (the page's own static files are served without latency).
 * - time-to-widget: the page's navigation start → the widget iframe `src` set (the page's `kaa:widget` mark),
 *   warm (Genesys token in sessionStorage + bot table cached in localStorage) and cold (fresh tab, empty storage:
 *   the in-iframe PKCE login, timed from the first document's navigation start);
 * - round trips on the critical path: requests the sandbox received between navigation start and the `src`,
 *   answered before it, and how many of them ran one after another (depth) — goal: 1 warm;
 * - initial JS gzipped (goal ≤ 60 KB);
 * - transcript relay: the page's socket handler, frame → `postMessage`, timed in Chromium (goal p99 ≤ 2 ms, ≥ 1,000 frames).
 * The figures are printed as a table and written to `.artifacts/page-bench.json`.
 *
 * vitest's bench runner does not run `beforeAll`/`afterAll`: the session starts lazily in the first bench and the
 * last bench closes it.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bench, describe } from 'vitest';
import type { Frame } from 'playwright-core';
import { CONVERSATIONS } from '@kaa/sandbox';
import { ARTIFACTS, buildPage, clearPageStorage, freshTab, startHarness, waitForPhase } from '../test/browser.js';
import type { Harness } from '../test/browser.js';
import { installBrowserProbe } from './browser-probe.js';
import type { BrowserProbe } from './browser-probe.js';
import { criticalPath } from './critical-path.js';
import { openWithoutProbing } from './open-interaction.js';
import type { CriticalPath } from './critical-path.js';
import { recordSandboxRequests, wallNow } from './request-log.js';
import type { RequestLog, SandboxRequest } from './request-log.js';
import { quantile } from './stats.js';

const LATENCY_MS = 100;
const WARM_RUNS = Number(process.env['KAA_BENCH_WARM_RUNS'] ?? 15);
const COLD_RUNS = Number(process.env['KAA_BENCH_COLD_RUNS'] ?? 6);
const RELAY_FRAMES = Number(process.env['KAA_BENCH_RELAY_FRAMES'] ?? 1000);
const CONVERSATION = CONVERSATIONS.voiceAlpha;

type Role = 'genesys login' | 'genesys api' | 'kore' | 'page' | 'desktop' | 'other';

interface Run {
  kind: 'warm' | 'cold';
  timeToWidgetMs: number;
  /** When the sandbox received the first Genesys/Kore request, ms after navigation start. */
  firstRequestMs: number;
  /** When the sandbox sent the last answer the page waited for, ms after navigation start. */
  lastAnswerMs: number;
  /** Genesys + Kore requests (preflights included) answered before the src was set. */
  remote: CriticalPath;
  preflights: number;
  /** Static files of the page's own origin. */
  statics: CriticalPath;
  /** `kaa:*` marks, ms after the last document's navigation start. */
  marks: Record<string, number>;
  /** Resource timings of the last document: [name, start, end] (ms after its navigation start; names without query). */
  resources: [string, number, number][];
  remoteRequests: string[];
}

interface Session {
  h: Harness;
  pageDir: string;
  log: RequestLog;
  probe: BrowserProbe;
  roleOf(port: number): Role;
  bundle: { entry: string; entryGzip: number; preloadedGzip: number; chunks: string[] };
  warm: Run[];
  cold: Run[];
  /** Time-to-iframe of the floor page (see FLOOR_SCRIPT), ms after navigation start. */
  floor: number[];
  liveFrame?: Frame;
}

let session: Promise<Session> | undefined;

async function start(): Promise<Session> {
  const log = recordSandboxRequests();
  const pageDir = await buildPage();
  writeFileSync(join(pageDir, 'floor.html'), FLOOR_HTML);
  writeFileSync(join(pageDir, 'floor.js'), FLOOR_SCRIPT);
  const h = await startHarness(pageDir, { watch: false }); // no recording listener in the frames being timed
  const pageOrigin = new URL(h.s.pageUrl).origin;
  const probe = await installBrowserProbe(h.context, pageOrigin);
  const o = h.s.sandbox.origins;
  const roles = new Map<number, Role>([
    [Number(new URL(o.login).port), 'genesys login'],
    [Number(new URL(o.api).port), 'genesys api'],
    [Number(new URL(o.kore).port), 'kore'],
    [Number(new URL(pageOrigin).port), 'page'],
    ...(o.apps ? [[Number(new URL(o.apps).port), 'desktop'] as [number, Role]] : []),
  ]);
  h.s.sandbox.genesys.faults({ latencyMs: LATENCY_MS }); // forwarded to every Kore route
  return {
    h,
    pageDir,
    log,
    probe,
    roleOf: (port) => roles.get(port) ?? 'other',
    bundle: bundleSize(pageDir),
    warm: [],
    cold: [],
    floor: [],
  };
}

const getSession = () => (session ??= start());

/** The entry chunk named by index.html, and the chunks it preloads, gzipped at level 9. */
function bundleSize(pageDir: string): Session['bundle'] {
  const html = readFileSync(join(pageDir, 'index.html'), 'utf8');
  const entry = /<script[^>]*src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('index.html names no entry script');
  const gz = (file: string) => gzipSync(readFileSync(join(pageDir, 'assets', file)), { level: 9 }).length;
  const preloaded = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\.\/assets\/([^"]+\.js)"/g)].map(
    (m) => m[1] as string,
  );
  return {
    entry,
    entryGzip: gz(entry),
    preloadedGzip: preloaded.reduce((n, f) => n + gz(f), 0),
    chunks: readdirSync(join(pageDir, 'assets')),
  };
}

async function measure(s: Session, kind: Run['kind']): Promise<Run> {
  const { h } = s;
  if (kind === 'cold') {
    await h.s.sandbox.genesys.reset(); // fresh tokens and channels for the new login (keeps the per-user channel cap away)
    h.s.sandbox.genesys.faults({ latencyMs: LATENCY_MS });
    await freshTab(h); // new sessionStorage: no Genesys token
    await clearPageStorage(h); // no bot table cache, no remembered grant
  }
  const runStart = wallNow();
  const frame = await openWithoutProbing(h, CONVERSATION);
  const seen = await frame.evaluate(() => ({
    timeOrigin: performance.timeOrigin,
    requestStart:
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.requestStart ?? 0,
    marks: performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('kaa:'))
      .map((m) => [m.name, m.startTime] as [string, number]),
    // the document's own milestones, to split the time before runPage's first line
    navigation: (() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const doc: Record<string, number> = n
        ? { 'doc:request': n.requestStart, 'doc:response': n.responseEnd, 'doc:interactive': n.domInteractive }
        : {};
      return doc;
    })(),
    resources: performance.getEntriesByType('resource').map((r) => {
      const u = new URL(r.name);
      return [`${u.port}${u.pathname}`, r.startTime, (r as PerformanceResourceTiming).responseEnd] as [
        string,
        number,
        number,
      ];
    }),
  }));
  const marks: Record<string, number> = { ...Object.fromEntries(seen.marks), ...seen.navigation };
  const widgetAt = marks['kaa:widget'];
  if (widgetAt === undefined) throw new Error('the page set no kaa:widget mark');
  // Browser and Node clocks may disagree by a few ms: align them on the page document's request (sent by the
  // browser at timeOrigin + requestStart, received by the sandbox's page server on loopback < 1 ms later).
  const documentRequestAt = seen.timeOrigin + seen.requestStart;
  const documentRequest = s.log.entries
    .filter((e) => s.roleOf(e.port) === 'page' && e.method === 'GET' && e.path.endsWith('/koreaiaa-genesys/'))
    .sort((a, b) => Math.abs(a.receivedAt - documentRequestAt) - Math.abs(b.receivedAt - documentRequestAt))[0];
  const skew = documentRequest ? documentRequest.receivedAt - documentRequestAt : 0;
  const srcSetAt = seen.timeOrigin + widgetAt + skew;
  const documents = s.probe.documents
    .filter((d) => d.timeOrigin >= runStart - 50)
    .sort((a, b) => a.timeOrigin - b.timeOrigin);
  const navigationStart = (documents[0]?.timeOrigin ?? seen.timeOrigin) + skew;
  const during = s.log.entries.filter((e) => e.receivedAt >= navigationStart && e.receivedAt <= srcSetAt);
  const span = (e: SandboxRequest) => ({ start: e.receivedAt, end: e.answeredAt ?? Number.POSITIVE_INFINITY });
  // the desktop's own polling of the sandbox control API (/sandbox/…) is not the page's
  const remote = during.filter(
    (e) => ['genesys login', 'genesys api', 'kore'].includes(s.roleOf(e.port)) && !e.path.startsWith('/sandbox/'),
  );
  const statics = during.filter((e) => s.roleOf(e.port) === 'page');
  // let the live feed settle before the next run; a run whose page failed measured nothing
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
  s.liveFrame = frame;
  const remoteSpans = remote.map(span);
  const remotePath = criticalPath(remoteSpans, srcSetAt);
  // the run did its work: at least users/me and the conversation were read before the src was set
  if (remotePath.completed < 2)
    throw new Error(
      `the ${kind} run saw ${remotePath.completed} Genesys/Kore requests answered before the widget src: it measured nothing`,
    );
  return {
    kind,
    timeToWidgetMs: srcSetAt - navigationStart,
    firstRequestMs: Math.min(...remoteSpans.map((x) => x.start)) - navigationStart,
    lastAnswerMs: Math.max(...remoteSpans.filter((x) => x.end <= srcSetAt).map((x) => x.end)) - navigationStart,
    remote: remotePath,
    preflights: remote.filter((e) => e.method === 'OPTIONS').length,
    statics: criticalPath(statics.map(span), srcSetAt),
    marks,
    resources: seen.resources,
    remoteRequests: remote.map(
      (e) =>
        `${s.roleOf(e.port)} ${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')} ${Math.round((e.answeredAt ?? Number.NaN) - e.receivedAt)} ms`,
    ),
  };
}

/**
 * The floor: the least any page can do in this browser, harness and machine. A static page (served like the kaa
 * page, same headers and CSP) whose one module script marks its start, makes one Genesys API request (100 ms of
 * latency like every other; no token, so the sandbox answers 401 after the delay) and, once answered, marks
 * `kaa:widget` and mounts an iframe on the Kore origin — the shape of the kaa page's warm path with no work of its
 * own. The kaa page's warm time minus this is what the page itself costs. Written into the built page directory by
 * the bench only; never shipped.
 */
const FLOOR_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><script type="module" src="./floor.js"></script></head><body></body></html>\n';
const FLOOR_SCRIPT = `performance.mark('kaa:entry');
const q = new URLSearchParams(location.search);
fetch(q.get('api') + '/api/v2/users/me').then((r) => r.text()).then(() => {
  const frame = document.createElement('iframe');
  frame.src = q.get('widget') + '/floor-frame';
  document.body.append(frame);
  performance.mark('kaa:widget'); // after the append, as the kaa page's mark (set once mountView returns)
});
`;

async function measureFloor(s: Session): Promise<number> {
  const o = s.h.s.sandbox.origins;
  const frame = await openWithoutProbing(
    s.h,
    CONVERSATION,
    `${s.h.s.pageUrl}floor.html?c={{gcConversationId}}&api=${encodeURIComponent(o.api)}&widget=${encodeURIComponent(o.kore)}`,
  );
  const at = await frame.evaluate(() => performance.getEntriesByName('kaa:widget')[0]?.startTime);
  if (at === undefined) throw new Error('the floor page set no kaa:widget mark');
  return at;
}

async function relay(
  s: Session,
): Promise<{ frames: number; delivered: number; median: number; p95: number; p99: number; max: number }> {
  const frame = s.liveFrame;
  if (!frame) throw new Error('no live page to relay to');
  const before = (await s.probe.relaySamples(frame)).length;
  const transcript = () =>
    (s.h.s.sandbox.kore.widgetState(CONVERSATION) as { transcript?: unknown[] } | undefined)?.transcript?.length ?? 0;
  const delivered0 = transcript();
  const lines = Array.from({ length: RELAY_FRAMES }, (_, i) => ({
    channel: i % 2 ? ('INTERNAL' as const) : ('EXTERNAL' as const),
    text: `Benchmark line ${i}: my account number is one two three, and I would like to check the balance.`,
  }));
  await s.h.s.sandbox.genesys.transcribe(CONVERSATION, lines, 2);
  const deadline = Date.now() + 30_000;
  while (transcript() < delivered0 + RELAY_FRAMES && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const samples = (await s.probe.relaySamples(frame)).slice(before);
  // the path did its work: every frame was handled by the page and reached the widget, once
  if (samples.length < RELAY_FRAMES || transcript() - delivered0 !== RELAY_FRAMES) {
    throw new Error(
      `the relay did not do its work: ${samples.length} frames handled, ${transcript() - delivered0} lines delivered, of ${RELAY_FRAMES}`,
    );
  }
  return {
    frames: samples.length,
    delivered: transcript() - delivered0,
    median: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    p99: quantile(samples, 0.99),
    max: quantile(samples, 1),
  };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const summary = (runs: readonly Run[]) => {
  const t = runs.map((r) => r.timeToWidgetMs);
  return {
    median: quantile(t, 0.5),
    p95: quantile(t, 0.95),
    min: quantile(t, 0),
    depth: [...new Set(runs.map((r) => r.remote.depth))].join('/'),
    requests: [...new Set(runs.map((r) => r.remote.completed))].join('/'),
  };
};

/** Median `kaa:*` mark times of the warm runs: where the time goes before the src is set. */
function stepProfile(runs: readonly Run[]): string {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.marks)))].filter((n) =>
    runs.every((r) => r.marks[n] !== undefined),
  );
  const rows = names
    .map(
      (n) =>
        [
          n,
          quantile(
            runs.map((r) => r.marks[n] as number),
            0.5,
          ),
        ] as const,
    )
    .sort((a, b) => a[1] - b[1]);
  return rows.map(([n, t]) => `${n.replace('kaa:', '')} ${t.toFixed(1)}`).join(' → ');
}

function report(s: Session, relayResult: Awaited<ReturnType<typeof relay>>): void {
  const warm = summary(s.warm);
  const cold = summary(s.cold);
  const rows: [string, string, string][] = [
    [
      `time-to-widget, warm (n=${s.warm.length})`,
      `median ${ms(warm.median)}, p95 ${ms(warm.p95)}, min ${ms(warm.min)}`,
      '≤ 180 ms',
    ],
    [
      `floor: static page, 1 request, then an iframe (n=${s.floor.length})`,
      `median ${ms(quantile(s.floor, 0.5))}, p95 ${ms(quantile(s.floor, 0.95))}, min ${ms(quantile(s.floor, 0))}`,
      '—',
    ],
    ['kaa page over the floor, warm (medians)', ms(warm.median - quantile(s.floor, 0.5)), '—'],
    [
      `time-to-widget, cold (n=${s.cold.length})`,
      `median ${ms(cold.median)}, p95 ${ms(cold.p95)}, min ${ms(cold.min)}`,
      '—',
    ],
    [
      'round trips on the critical path, warm',
      `${warm.depth} (Genesys/Kore requests answered before src: ${warm.requests}; preflights: ${[...new Set(s.warm.map((r) => r.preflights))].join('/')})`,
      '1',
    ],
    ['round trips on the critical path, cold', `${cold.depth} (requests: ${cold.requests})`, '—'],
    [
      'page static files before src, warm',
      `${[...new Set(s.warm.map((r) => r.statics.completed))].join('/')} files in ${[...new Set(s.warm.map((r) => r.statics.depth))].join('/')} sequential waves`,
      '—',
    ],
    [
      `initial JS gzipped (${s.bundle.entry})`,
      `${(s.bundle.entryGzip / 1024).toFixed(1)} KB${s.bundle.preloadedGzip ? ` (+ ${(s.bundle.preloadedGzip / 1024).toFixed(1)} KB modulepreloaded)` : ''}`,
      '≤ 60 KB',
    ],
    [
      `relay frame → postMessage (${relayResult.frames} frames, ${relayResult.delivered} delivered)`,
      `median ${relayResult.median.toFixed(2)} ms, p95 ${relayResult.p95.toFixed(2)} ms, p99 ${relayResult.p99.toFixed(2)} ms, max ${relayResult.max.toFixed(2)} ms`,
      'p99 ≤ 2 ms',
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    '',
    `kaa page benchmark — Debian Chromium, sandbox with ${LATENCY_MS} ms on every Genesys and Kore route`,
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  goal ${c}`),
    `  warm steps (median ms after navigation start): ${stepProfile(s.warm)}`,
    `  warm split (median): navigation → first Genesys/Kore request received ${ms(
      quantile(
        s.warm.map((r) => r.firstRequestMs),
        0.5,
      ),
    )}; last answer sent ${ms(
      quantile(
        s.warm.map((r) => r.lastAnswerMs),
        0.5,
      ),
    )}; → src set ${ms(warm.median)}`,
    `  warm critical-path requests (last run): ${s.warm.at(-1)?.remoteRequests.join('; ')}`,
    `  cold critical-path requests (last run): ${s.cold.at(-1)?.remoteRequests.join('; ')}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(
    join(ARTIFACTS, 'page-bench.json'),
    `${JSON.stringify({ latencyMs: LATENCY_MS, bundle: s.bundle, warm: s.warm, floor: s.floor, cold: s.cold, relay: relayResult }, null, 2)}\n`,
  );
}

async function close(s: Session): Promise<void> {
  s.log.stop();
  await s.h.close();
  rmSync(s.pageDir, { recursive: true, force: true });
}

const once = { time: 0, warmupTime: 0, warmupIterations: 0, throws: true };

describe(`the page in Chromium, ${LATENCY_MS} ms on every Genesys and Kore route`, () => {
  bench(
    'cold: first login → widget src',
    async () => {
      const s = await getSession();
      s.cold.push(await measure(s, 'cold'));
    },
    { ...once, iterations: COLD_RUNS },
  );

  bench(
    'floor: static page, one request → iframe src',
    async () => {
      const s = await getSession();
      s.floor.push(await measureFloor(s));
    },
    { ...once, iterations: WARM_RUNS },
  );

  bench(
    'warm: token + table cached → widget src',
    async () => {
      const s = await getSession();
      s.warm.push(await measure(s, 'warm'));
    },
    { ...once, iterations: WARM_RUNS },
  );

  bench(
    `relay: ${RELAY_FRAMES} transcription frames → postMessage (then report)`,
    async () => {
      const s = await getSession();
      try {
        report(s, await relay(s));
      } finally {
        await close(s);
      }
    },
    { ...once, iterations: 1 },
  );
});
