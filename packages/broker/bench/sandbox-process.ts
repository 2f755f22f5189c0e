/**
 * Bench only: the sandbox (Genesys + Kore emulation) in its own process, so that the broker bench measures the broker
 * alone on the bench's main thread. Started by `broker.bench.ts` with `fork(…, { execArgv: ['--import', 'tsx'] })`.
 * Protocol over the IPC channel:
 * - child → parent, once: `{ type: 'ready', origins, environment, widgetUrl, token }` (an agent token issued for the bench);
 * - parent → child: `{ type: 'cpu' }` → `{ type: 'cpu', userMs, systemMs, conversationReads }` (the sandbox's own CPU
 *   time and the conversation reads it served, so the bench can tell whether the sandbox was the bound);
 * - parent → child: `{ type: 'close' }` → the sandbox closes and the process exits.
 * @packageDocumentation
 */
import { Server } from 'node:http';
import { startSandbox } from '@kaa/sandbox';

/** Raised limits: one bench agent sends what a whole contact centre would. */
const FLOOD_LIMIT_PER_MINUTE = 100_000_000;

async function main(): Promise<void> {
  const send = (m: unknown) => process.send?.(m);
  let conversationReads = 0;
  // counts the conversation reads the Genesys emulation received (the broker's per-launch participation check)
  const original = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const url = (args[0] as { url?: string }).url ?? '';
      if (url.startsWith('/api/v2/conversations/')) conversationReads += 1;
    }
    return Reflect.apply(original, this, [event, ...args]) as boolean;
  } as typeof Server.prototype.emit;
  const latencyMs = Number(process.env['KAA_BENCH_SANDBOX_LATENCY_MS'] ?? 0);
  const sandbox = await startSandbox({ desktop: false });
  sandbox.genesys.faults({
    latencyMs,
    rateLimitPerMinute: FLOOD_LIMIT_PER_MINUTE,
    userRateLimitPerMinute: FLOOD_LIMIT_PER_MINUTE,
  });
  const token = sandbox.genesys.issueToken();
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu', userMs: u.user / 1000, systemMs: u.system / 1000, conversationReads });
    } else if (m.type === 'close') {
      void sandbox.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void sandbox.close().finally(() => process.exit(0)));
  send({
    type: 'ready',
    origins: sandbox.origins,
    environment: sandbox.environment,
    widgetUrl: sandbox.kore.widgetUrl,
    token,
    floodLimitPerMinute: FLOOD_LIMIT_PER_MINUTE,
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox process failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
