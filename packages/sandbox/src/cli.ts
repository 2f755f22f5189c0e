/**
 * `pnpm sandbox` / `pnpm --filter @kaa/sandbox start`: starts the whole sandbox and prints every origin and
 * the desktop URL. Environment:
 * - `KAA_SANDBOX_PORT_BASE` — fixed ports: login = base, API = base+1, desktop = base+2, Kore = base+3, page = base+4
 *   (default: ephemeral ports);
 * - `KAA_SANDBOX_PAGE_DIR` — the built kaa page to serve under `/koreaiaa-genesys/` (default `apps/iframe/dist` when it exists);
 * - `KAA_SANDBOX_LATENCY_MS` — latency on every Genesys and Kore route (default 0);
 * - `KAA_SANDBOX_REDIRECT_URIS` — comma-separated extra registered OAuth redirect URIs;
 * - `KAA_SANDBOX_CORS_ORIGINS` — comma-separated extra origins allowed by CORS on Genesys and Kore (a page served
 *   elsewhere, e.g. a dev server); the served page and the desktop are always allowed.
 * `--json` prints one JSON line (origins, environment, desktopUrl) instead of the table.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KaaError } from '@kaa/core';
import { z } from 'zod';
import { startSandbox } from './sandbox.js';

const EnvSchema = z.object({
  KAA_SANDBOX_PORT_BASE: z.coerce.number().int().min(1024).max(65_530).optional(),
  KAA_SANDBOX_PAGE_DIR: z.string().min(1).optional(),
  KAA_SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  KAA_SANDBOX_REDIRECT_URIS: z.string().optional(),
  KAA_SANDBOX_CORS_ORIGINS: z.string().optional(),
});

async function main(): Promise<void> {
  const parsed = EnvSchema.safeParse({
    KAA_SANDBOX_PORT_BASE: process.env.KAA_SANDBOX_PORT_BASE || undefined,
    KAA_SANDBOX_PAGE_DIR: process.env.KAA_SANDBOX_PAGE_DIR || undefined,
    KAA_SANDBOX_LATENCY_MS: process.env.KAA_SANDBOX_LATENCY_MS || undefined,
    KAA_SANDBOX_REDIRECT_URIS: process.env.KAA_SANDBOX_REDIRECT_URIS || undefined,
    KAA_SANDBOX_CORS_ORIGINS: process.env.KAA_SANDBOX_CORS_ORIGINS || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KaaError('E_CONFIG_INVALID', `Environment variable ${String(issue?.path[0] ?? '?')} is invalid: ${issue?.message ?? ''}. KAA_SANDBOX_PORT_BASE is a port between 1024 and 65530; KAA_SANDBOX_LATENCY_MS is milliseconds.`);
  }
  const env = parsed.data;
  const base = env.KAA_SANDBOX_PORT_BASE;
  const defaultPage = fileURLToPath(new URL('../../../apps/iframe/dist', import.meta.url));
  const pageDir = env.KAA_SANDBOX_PAGE_DIR ?? (existsSync(defaultPage) ? defaultPage : undefined);
  if (pageDir !== undefined && !existsSync(pageDir)) {
    throw new KaaError('E_CONFIG_INVALID', `KAA_SANDBOX_PAGE_DIR "${pageDir}" does not exist. Build the page (pnpm build) or point the variable at its dist directory.`);
  }
  const sandbox = await startSandbox({
    ...(base !== undefined ? { ports: { login: base, api: base + 1, apps: base + 2, kore: base + 3, page: base + 4 } } : {}),
    ...(pageDir ? { page: { dir: pageDir } } : {}),
    ...(env.KAA_SANDBOX_LATENCY_MS !== undefined ? { latencyMs: env.KAA_SANDBOX_LATENCY_MS } : {}),
    ...(env.KAA_SANDBOX_REDIRECT_URIS ? { redirectUris: env.KAA_SANDBOX_REDIRECT_URIS.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(env.KAA_SANDBOX_CORS_ORIGINS ? { corsOrigins: env.KAA_SANDBOX_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
  });
  const o = sandbox.origins;
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ origins: o, environment: sandbox.environment, desktopUrl: sandbox.desktopUrl ?? null })}\n`);
  } else {
    const rows: [string, string | undefined][] = [
      ['Genesys login', o.login],
      ['Genesys API', `${o.api}   (control API: ${o.api}/sandbox/v1/state)`],
      ['Agent desktop', o.apps ?? '(not available yet)'],
      ['Kore platform', o.kore],
      ['kaa page', o.page ? `${o.page}/koreaiaa-genesys/` : '(no page served: set KAA_SANDBOX_PAGE_DIR)'],
      ['Desktop URL', sandbox.desktopUrl ?? '(no desktop)'],
    ];
    process.stdout.write(`kaa sandbox running on 127.0.0.1\n${rows.map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n')}\nPress Ctrl+C to stop.\n`);
  }
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const message = e instanceof KaaError ? `${e.code}: ${e.message}` : `The sandbox failed to start: ${e instanceof Error ? e.message : String(e)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
