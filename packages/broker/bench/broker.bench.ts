/**
 * `pnpm bench`: the token broker's `POST /v1/launch` under load — the broker alone on the bench's main thread, the
 * sandbox (Genesys + Kore, no injected latency) in a child process, autocannon in a worker thread; JWE on, warm
 * caches (see `broker-load.ts`, which also runs on its own for profiling).
 * - launches per second on one core — goal ≥ 1,000/s;
 * - server-side p99 at 200 concurrent connections — goal ≤ 10 ms.
 * With each run it prints what tells a CPU-starved broker from a slow one on a shared machine: event-loop
 * utilisation, the main thread's own CPU share and CPU time per launch, the load average, and the sandbox's CPU.
 * The figures are printed as a table and written to `.artifacts/broker-bench.json`.
 *
 * The sandbox's Genesys rate limits (per token, per user) and the broker's per-agent limit would refuse a flood from
 * one agent: the bench raises them and says so in its output.
 */
import { bench, describe } from 'vitest';
import { brokerBench, formatReport } from './broker-load.js';

const SECONDS = Number(process.env['KAA_BENCH_BROKER_SECONDS'] ?? 10);

describe('the token broker over node:http, sandbox in its own process on 127.0.0.1 without latency', () => {
  // the runner may call a bench function more than once even with `iterations: 1`: the load runs once
  let once: Promise<void> | undefined;
  const runOnce = () =>
    (once ??= brokerBench({ seconds: SECONDS, connections: [1, 200], artifact: 'broker-bench.json' }).then(
      ({ runs, notes }) =>
        void process.stdout.write(
          formatReport(
            `kaa broker benchmark — POST /v1/launch over node:http on 127.0.0.1, ${SECONDS} s per run, autocannon`,
            runs,
            notes,
          ),
        ),
      (e: unknown) => {
        process.stdout.write(`broker bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
        throw e;
      },
    ));
  // `throws: false`: vitest 3.2's bench runner hangs after a bench that throws with `throws: true`; with `false` it
  // reports the error as the bench's failure and exits non-zero
  bench('POST /v1/launch: c=1 and c=200 with autocannon (then report)', runOnce, {
    time: 0,
    warmupTime: 0,
    warmupIterations: 0,
    iterations: 1,
    throws: false,
  });
});
