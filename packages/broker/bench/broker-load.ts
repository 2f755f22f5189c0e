/**
 * Bench only: the token broker's `POST /v1/launch` under load (run by `broker.bench.ts` in `pnpm bench`, or directly —
 * e.g. to profile — with `TSX_TSCONFIG_PATH=tsconfig.json node --cpu-prof --import tsx packages/broker/bench/broker-load.ts`).
 *
 * Three parties, each on its own thread of execution:
 * - the broker (`createBroker` over `serveFetch`, node:http on 127.0.0.1) on this process's main thread, alone;
 * - the sandbox (Genesys + Kore emulation, no injected latency) in a child process (`sandbox-process.ts`);
 * - autocannon in a worker thread (its own event loop).
 * JWE on (the bot row has a JWE public key); warm caches (agent verification and bot table cached by one launch
 * first; each launch still reads the conversation with the agent's token, signs the widget JWT and encrypts the JWE).
 *
 * Besides throughput and latency it records, per run, what tells a CPU-starved broker from a slow one on a shared
 * machine: the main thread's event-loop utilisation (share of wall time the loop was busy), the main thread's own CPU
 * time from `/proc/self/task/<tid>/stat` (on Linux), the load average, and the sandbox process's CPU time.
 * @packageDocumentation
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { BROKER_PATHS, BrokerLaunchResponseSchema, parseSettings, signPlatformJwt } from '@kaa/core';
import type { GenesysEnvironment } from '@kaa/core';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { BOTS, CONVERSATIONS, KORE_DATA_TABLE, ORG } from '@kaa/sandbox';
import { createBroker } from '../src/index.js';
import type { BrokerLimits } from '../src/index.js';
import { createNodeFetch, nodeJoseEngine, serveFetch } from '../src/node.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = join(REPO, '.artifacts');
const PAGE_ORIGIN = 'https://kaa.example.com';
const CONVERSATION = CONVERSATIONS.voiceAlpha;
export const GOAL_LAUNCHES_PER_SECOND = 1_000;
export const GOAL_P99_MS = 10;

/** Options of {@link brokerBench}. */
export interface BrokerBenchOptions {
  /** Seconds per run. */
  seconds: number;
  /** Connection counts, one run each. */
  connections: readonly number[];
  /** Extra broker limits. */
  limits?: BrokerLimits;
  /** Where the JSON figures go (file name under `.artifacts/`); none when undefined. */
  artifact?: string;
}

export interface RunFigures {
  connections: number;
  seconds: number;
  /** Answers autocannon received, and its mean rate. */
  requests: number;
  requestsPerSecond: number;
  /** Client-side latency (autocannon, ms): includes queueing in the broker's event loop. */
  client: { p50: number; p90: number; p99: number; max: number };
  /** Server-side: the handler's time from the `Request` to the `Response` body ready (ms). */
  server: { p50: number; p90: number; p99: number; max: number };
  /** Share of the main thread's wall time its event loop was busy (event-loop utilisation): 1 = never idle. */
  mainThreadUtilisation: number;
  /**
   * Share of wall time the main thread actually ran on a CPU (Linux `/proc/self/task/<tid>/stat`, 10 ms ticks).
   * Well below the utilisation above = the thread was ready to run but waited for a core (CPU-starved).
   */
  mainThreadCpuShare: number | undefined;
  /** Main-thread CPU time per answered launch (µs): the broker's own cost, independent of waiting for a core. */
  cpuMicrosPerLaunch: number | undefined;
  /** Event-loop delay p99 during the run (ms). */
  eventLoopDelayP99Ms: number;
  /** `os.loadavg()` at the end of the run (1, 5, 15 min) on this 2-core machine shared with others. */
  loadAverage: [number, number, number];
  /** The sandbox process's CPU share of the wall time, and the conversation reads it served during the run. */
  sandbox: { cpuShare: number; conversationReads: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Answers the server checked: 200 with a widget url and a JWE. */
  verifiedAnswers: number;
}

/** Server-side record of each answer, reset per run. */
class Recorder {
  durations: number[] = [];
  good = 0;
  badCount = 0;
  /** The first few bad answers, for the failure message. */
  bad: { status: number; body: string }[] = [];
  reset(): void {
    this.durations = [];
    this.good = 0;
    this.badCount = 0;
    this.bad = [];
  }
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1] as number;
}

/** CPU ms of this process's main thread (its task id is the process id), or undefined off Linux. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

interface SandboxProcess {
  origins: { kore: string; api: string };
  environment: GenesysEnvironment;
  widgetUrl: string;
  token: string;
  floodLimitPerMinute: number;
  cpu(): Promise<{ userMs: number; systemMs: number; conversationReads: number }>;
  close(): Promise<void>;
}

/** Starts `sandbox-process.ts` (tsx, the repository's tsconfig paths) and waits for its origins and token. */
async function startSandboxProcess(): Promise<SandboxProcess> {
  const child = fork(fileURLToPath(new URL('./sandbox-process.ts', import.meta.url)), [], {
    cwd: REPO,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO, 'tsconfig.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Omit<SandboxProcess, 'cpu' | 'close'>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox process did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}) before it was ready`)));
    child.once('message', (m: { type: string } & Omit<SandboxProcess, 'cpu' | 'close'>) => {
      clearTimeout(timer);
      if (m.type === 'ready') resolve(m);
      else reject(new Error(`unexpected message from the sandbox process: ${m.type}`));
    });
  });
  return {
    ...ready,
    cpu: () =>
      new Promise((resolve) => {
        const onMessage = (m: { type: string; userMs: number; systemMs: number; conversationReads: number }) => {
          if (m.type !== 'cpu') return;
          child.off('message', onMessage);
          resolve(m);
        };
        child.on('message', onMessage);
        child.send({ type: 'cpu' });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.send({ type: 'close' });
      }),
  };
}

async function run(
  url: string,
  token: string,
  connections: number,
  seconds: number,
  recorder: Recorder,
  sandbox: SandboxProcess,
): Promise<RunFigures> {
  recorder.reset();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = mainThreadCpuMs();
  const sandbox0 = await sandbox.cpu();
  const wall0 = performance.now();
  const result = await autocannon({
    url: `${url}${BROKER_PATHS.launch}`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: PAGE_ORIGIN },
    body: JSON.stringify({ conversationId: CONVERSATION, environment: 'sandbox' }),
    connections,
    duration: seconds,
    timeout: 10,
    workers: 1, // its own thread: the load generator does not share the broker's event loop
  });
  const wall = performance.now() - wall0;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu1 = mainThreadCpuMs();
  const sandbox1 = await sandbox.cpu();
  delay.disable();
  const sorted = [...recorder.durations].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  const cpuMs = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
  const answered = recorder.good + recorder.badCount;
  const load = loadavg();
  return {
    connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / (result.duration || seconds)),
    client: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    server: {
      p50: round(percentile(sorted, 0.5)),
      p90: round(percentile(sorted, 0.9)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted.at(-1) ?? Number.NaN),
    },
    mainThreadUtilisation: round(elu.utilization),
    mainThreadCpuShare: cpuMs === undefined ? undefined : round(cpuMs / wall),
    cpuMicrosPerLaunch: cpuMs === undefined || answered === 0 ? undefined : Math.round((cpuMs * 1000) / answered),
    eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6),
    loadAverage: [round(load[0] ?? 0), round(load[1] ?? 0), round(load[2] ?? 0)],
    sandbox: {
      cpuShare: round((sandbox1.userMs + sandbox1.systemMs - sandbox0.userMs - sandbox0.systemMs) / wall),
      conversationReads: sandbox1.conversationReads - sandbox0.conversationReads,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    verifiedAnswers: recorder.good,
  };
}

/** The run did its work: every answer was a 200 holding a widget url and a JWE, and there were answers. */
function checkRun(r: RunFigures, recorder: Recorder): void {
  const firstBad = recorder.bad[0];
  if (firstBad)
    throw new Error(
      `the broker answered ${recorder.badCount} launches with something other than a widget launch; first: ${firstBad.status} ${firstBad.body.slice(0, 300)}`,
    );
  if (r.non2xx !== 0 || r.errors !== 0 || r.timeouts !== 0)
    throw new Error(
      `c=${r.connections}: ${r.non2xx} non-2xx answers, ${r.errors} errors, ${r.timeouts} timeouts (must all be 0)`,
    );
  if (r.requests === 0) throw new Error(`c=${r.connections}: no request was answered`);
  // requests in flight when autocannon stops are answered by the server but not counted by the client
  if (r.verifiedAnswers < r.requests)
    throw new Error(
      `c=${r.connections}: the server checked ${r.verifiedAnswers} answers, autocannon received ${r.requests}`,
    );
}

/** Runs the load (one run per connection count) and returns the figures; writes them to `.artifacts/<artifact>`. */
export async function brokerBench(options: BrokerBenchOptions): Promise<{ runs: RunFigures[]; notes: string[] }> {
  const sandbox = await startSandboxProcess();
  const closers: (() => Promise<void>)[] = [() => sandbox.close()];
  try {
    const settings = parseSettings({ kore: { apiHost: sandbox.origins.kore } });
    const client = createDataTableClient(
      {
        baseUrl: sandbox.origins.kore,
        appId: KORE_DATA_TABLE.readApp.appId,
        clientSecret: KORE_DATA_TABLE.readApp.clientSecret,
      },
      { fetch: (u, i) => fetch(u, i), now: () => Date.now(), signPlatformJwt, cacheTtlMs: 0, tokenOrigin: 'config' },
    );
    // as `kaa broker serve` does: Genesys calls through the pooled undici client, signing on node:crypto
    const upstream = createNodeFetch();
    closers.push(() => upstream.close());
    const broker = createBroker({
      settings,
      served: [{ environment: { ...sandbox.environment, domain: '' }, orgIds: [ORG.id] }],
      allowedOrigins: [PAGE_ORIGIN],
      botSource: createKoreTableBotSource({
        client,
        table: KORE_DATA_TABLE.name,
        qDelimiter: '_',
        lookup: { allowHttpLoopback: true },
      }),
      fetch: upstream.fetch,
      now: () => Date.now(),
      secrets: () => [KORE_DATA_TABLE.readApp.clientSecret],
      engine: nodeJoseEngine,
      // the per-agent limit raised for the flood; the verification cached for the whole bench (warm caches)
      limits: { requestsPerMinute: sandbox.floodLimitPerMinute, verifyCacheSeconds: 3_600, ...options.limits },
    });
    const widgetBase = sandbox.widgetUrl.split('?')[0] as string;
    const recorder = new Recorder();
    const server = await serveFetch(
      async (request) => {
        const started = performance.now();
        const response = await broker.fetch(request);
        const text = await response.text();
        recorder.durations.push(performance.now() - started);
        // a cheap check of every answer (the full schema is checked on the warm-up launch below)
        if (response.status === 200 && text.includes(`"url":"${widgetBase}`) && text.includes('"secureCustomData":"'))
          recorder.good += 1;
        else {
          recorder.badCount += 1;
          if (recorder.bad.length < 10) recorder.bad.push({ status: response.status, body: text });
        }
        return new Response(text, { status: response.status, headers: response.headers });
      },
      { host: '127.0.0.1', port: 0 },
    );
    closers.unshift(() => server.close(2_000));

    // warm the caches (agent verification, bot table) with one launch, and check it fully: JWE on
    const token = sandbox.token;
    const warm = await fetch(`${server.url}${BROKER_PATHS.launch}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: PAGE_ORIGIN },
      body: JSON.stringify({ conversationId: CONVERSATION, environment: 'sandbox' }),
    });
    const warmText = await warm.text();
    if (warm.status !== 200) throw new Error(`the warm-up launch answered ${warm.status}: ${warmText.slice(0, 300)}`);
    const answer = BrokerLaunchResponseSchema.parse(JSON.parse(warmText));
    if (answer.bot.botId !== BOTS.alpha.botId)
      throw new Error(`the warm-up launch resolved bot ${answer.bot.botId}, not ${BOTS.alpha.botId}`);
    if (
      !answer.widget.secureCustomData ||
      !/^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/.test(answer.widget.secureCustomData)
    )
      throw new Error('the warm-up launch holds no compact JWE: the bench needs JWE on');

    const runs: RunFigures[] = [];
    for (const connections of options.connections) {
      const r = await run(server.url, token, connections, options.seconds, recorder, sandbox);
      checkRun(r, recorder);
      runs.push(r);
    }
    const notes = [
      "no injected latency; JWE on (bot alpha has a JWE public key); warm caches: agent verification and bot table cached by one launch before the runs; every launch still reads the conversation from the sandbox with the agent's token",
      "the broker runs alone on the bench's main thread; the sandbox (Genesys + Kore) in a child process; autocannon in a worker thread",
      `limits raised for the flood from one agent: sandbox Genesys rateLimitPerMinute and userRateLimitPerMinute, broker requestsPerMinute = ${sandbox.floodLimitPerMinute}; broker verifyCacheSeconds = 3600`,
      'server-side latency: the handler from the Request to the Response body ready (node:http parsing and writing not included); client-side: autocannon, includes queueing in the event loop',
      "main-thread busy = event-loop utilisation; main-thread on CPU = its CPU time / wall time (busy well above on-CPU = waiting for a core on the shared machine); CPU µs/launch = the broker's own cost per launch",
    ];
    if (options.artifact) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const best = Math.max(...runs.map((r) => r.requestsPerSecond));
      writeFileSync(
        join(ARTIFACTS, options.artifact),
        `${JSON.stringify({ goals: { launchesPerSecond: GOAL_LAUNCHES_PER_SECOND, serverP99Ms: GOAL_P99_MS }, launchesPerSecond: best, runs, notes }, null, 2)}\n`,
      );
    }
    return { runs, notes };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

/** The figures as the table `pnpm bench` prints. */
export function formatReport(title: string, runs: readonly RunFigures[], notes: readonly string[]): string {
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${(n * 100).toFixed(0)} %`);
  const rows: [string, string, string][] = [];
  for (const r of runs) {
    const c = `c=${r.connections}`;
    rows.push([
      `launches/s, ${c}`,
      r.requestsPerSecond.toFixed(0),
      r.connections > 1 ? `≥ ${GOAL_LAUNCHES_PER_SECOND}` : '',
    ]);
    rows.push([
      `server p50 / p99, ${c}`,
      `${ms(r.server.p50)} / ${ms(r.server.p99)}`,
      r.connections >= 200 ? `p99 ≤ ${GOAL_P99_MS} ms` : '',
    ]);
    rows.push([`client p50 / p99, ${c}`, `${ms(r.client.p50)} / ${ms(r.client.p99)}`, '']);
    rows.push([
      `main thread busy / on CPU, ${c}`,
      `${pct(r.mainThreadUtilisation)} / ${pct(r.mainThreadCpuShare)}`,
      '',
    ]);
    rows.push([
      `CPU per launch (main thread), ${c}`,
      r.cpuMicrosPerLaunch === undefined
        ? 'n/a'
        : `${r.cpuMicrosPerLaunch} µs (≈ ${Math.round(1e6 / r.cpuMicrosPerLaunch)}/s per CPU-second)`,
      '',
    ]);
    rows.push([
      `sandbox process CPU / conversation reads, ${c}`,
      `${pct(r.sandbox.cpuShare)} / ${r.sandbox.conversationReads}`,
      '',
    ]);
    rows.push([`load average (1/5/15 min), ${c}`, r.loadAverage.join(' / '), '']);
    rows.push([`answers (all 200 + widget url + JWE), ${c}`, String(r.verifiedAnswers), 'non-2xx 0']);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return [
    '',
    title,
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}${c ? `  goal ${c}` : ''}`),
    ...notes.map((n) => `  - ${n}`),
    '',
  ].join('\n');
}

// run directly (profiling): one run per connection count from KAA_BENCH_BROKER_CONNECTIONS (default 1,200)
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seconds = Number(process.env['KAA_BENCH_BROKER_SECONDS'] ?? 10);
  const connections = (process.env['KAA_BENCH_BROKER_CONNECTIONS'] ?? '1,200').split(',').map(Number);
  brokerBench({ seconds, connections })
    .then(({ runs, notes }) => process.stdout.write(formatReport('kaa broker load (direct run)', runs, notes)))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    });
}
