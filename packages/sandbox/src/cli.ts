/**
 * `pnpm sandbox` / `pnpm --filter @kaa/sandbox start`: starts the whole sandbox and prints every origin and
 * the desktop URL. Environment:
 * - `KAA_SANDBOX_PORT_BASE` — fixed ports: login = base, API = base+1, desktop = base+2, Kore = base+3, page = base+4
 *   (default: ephemeral ports);
 * - `KAA_SANDBOX_PAGE_DIR` — the built kaa page (default `apps/iframe/dist` when it is built); a temporary copy with
 *   the sandbox's settings is served under `/koreaiaa-genesys/` (the directory itself is never modified);
 * - `KAA_SANDBOX_LATENCY_MS` — latency on every Genesys and Kore route (default 0);
 * - `KAA_SANDBOX_REDIRECT_URIS` — comma-separated extra registered OAuth redirect URIs;
 * - `KAA_SANDBOX_CORS_ORIGINS` — comma-separated extra origins allowed by CORS on Genesys and Kore (a page served
 *   elsewhere, e.g. a dev server); the served page and the desktop are always allowed;
 * - `KAA_SANDBOX_WIDGET_URL` — the Interaction Widget URL the desktop frames (same as `--widget-url`).
 * Flags: `--json` prints one JSON line (origins, environment, desktopUrl) instead of the table;
 * `--widget-url '<template>'` makes the desktop frame an admin's own Interaction Widget URL, with Genesys'
 * placeholders (`{{gcConversationId}}`, `{{gcHostOrigin}}`, …), instead of the served page.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KaaError } from '@kaa/core';
import { z } from 'zod';
import { widgetUrlTemplateSchema } from './desktop/index.js';
import { copyBuiltPage, sandboxPageSettings } from './page-copy.js';
import type { BuiltPageCopy } from './page-copy.js';
import { startSandbox } from './sandbox.js';

const USAGE = "pnpm sandbox [--json] [--widget-url '<Interaction Widget URL with {{gcConversationId}}…>']";

const EnvSchema = z.object({
  KAA_SANDBOX_PORT_BASE: z.coerce.number().int().min(1024).max(65_530).optional(),
  KAA_SANDBOX_PAGE_DIR: z.string().min(1).optional(),
  KAA_SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  KAA_SANDBOX_REDIRECT_URIS: z.string().optional(),
  KAA_SANDBOX_CORS_ORIGINS: z.string().optional(),
  KAA_SANDBOX_WIDGET_URL: widgetUrlTemplateSchema.optional(),
});

const HINTS: Record<string, string> = {
  KAA_SANDBOX_PORT_BASE: 'a port between 1024 and 65530',
  KAA_SANDBOX_LATENCY_MS: 'milliseconds',
  KAA_SANDBOX_WIDGET_URL: 'the Interaction Widget URL, as for --widget-url',
};

function readArgs(): { json: boolean; widgetUrl?: string } {
  try {
    const { values } = parseArgs({
      options: { json: { type: 'boolean', default: false }, 'widget-url': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    return {
      json: values.json ?? false,
      ...(values['widget-url'] !== undefined ? { widgetUrl: values['widget-url'] } : {}),
    };
  } catch (e) {
    throw new KaaError('E_CONFIG_INVALID', `${e instanceof Error ? e.message : String(e)}. Usage: ${USAGE}`);
  }
}

async function main(): Promise<void> {
  const args = readArgs();
  const parsed = EnvSchema.safeParse({
    KAA_SANDBOX_PORT_BASE: process.env.KAA_SANDBOX_PORT_BASE || undefined,
    KAA_SANDBOX_PAGE_DIR: process.env.KAA_SANDBOX_PAGE_DIR || undefined,
    KAA_SANDBOX_LATENCY_MS: process.env.KAA_SANDBOX_LATENCY_MS || undefined,
    KAA_SANDBOX_REDIRECT_URIS: process.env.KAA_SANDBOX_REDIRECT_URIS || undefined,
    KAA_SANDBOX_CORS_ORIGINS: process.env.KAA_SANDBOX_CORS_ORIGINS || undefined,
    KAA_SANDBOX_WIDGET_URL: process.env.KAA_SANDBOX_WIDGET_URL || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? '?');
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Environment variable ${name} is invalid: ${issue?.message ?? ''}. ${name} is ${HINTS[name] ?? 'described in the sandbox README'}.`,
    );
  }
  const env = parsed.data;
  let widgetUrlTemplate = env.KAA_SANDBOX_WIDGET_URL;
  if (args.widgetUrl !== undefined) {
    const flag = widgetUrlTemplateSchema.safeParse(args.widgetUrl);
    if (!flag.success)
      throw new KaaError(
        'E_CONFIG_INVALID',
        `--widget-url is invalid: ${flag.error.issues[0]?.message ?? ''}. Usage: ${USAGE}`,
      );
    widgetUrlTemplate = flag.data;
  }
  const base = env.KAA_SANDBOX_PORT_BASE;
  const defaultPage = fileURLToPath(new URL('../../../apps/iframe/dist', import.meta.url));
  const pageDir = env.KAA_SANDBOX_PAGE_DIR ?? (existsSync(`${defaultPage}/index.html`) ? defaultPage : undefined);
  if (pageDir !== undefined && !existsSync(pageDir)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `KAA_SANDBOX_PAGE_DIR "${pageDir}" does not exist. Build the page (pnpm build) or point the variable at its dist directory.`,
    );
  }
  const copy: BuiltPageCopy | undefined = pageDir ? copyBuiltPage(pageDir) : undefined;
  const sandbox = await startSandbox({
    ...(base !== undefined
      ? { ports: { login: base, api: base + 1, apps: base + 2, kore: base + 3, page: base + 4 } }
      : {}),
    ...(copy ? { page: { dir: copy.dir } } : {}),
    ...(env.KAA_SANDBOX_LATENCY_MS !== undefined ? { latencyMs: env.KAA_SANDBOX_LATENCY_MS } : {}),
    ...(env.KAA_SANDBOX_REDIRECT_URIS
      ? {
          redirectUris: env.KAA_SANDBOX_REDIRECT_URIS.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(env.KAA_SANDBOX_CORS_ORIGINS
      ? {
          corsOrigins: env.KAA_SANDBOX_CORS_ORIGINS.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(widgetUrlTemplate ? { desktop: { widgetUrlTemplate } } : {}),
  }).catch((e: unknown) => {
    copy?.remove();
    throw e;
  });
  copy?.configure(sandboxPageSettings(sandbox));
  const o = sandbox.origins;
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ origins: o, environment: sandbox.environment, desktopUrl: sandbox.desktopUrl ?? null })}\n`,
    );
  } else {
    // the template's origin and path only: its query may carry an x_metadata token
    const framed = widgetUrlTemplate ? new URL(widgetUrlTemplate.replace(/\{\{[^}]*\}\}/g, 'x')) : undefined;
    const rows: [string, string | undefined][] = [
      ['Genesys login', o.login],
      ['Genesys API', `${o.api}   (control API: ${o.api}/sandbox/v1/state)`],
      ['Agent desktop', o.apps ?? '(not available yet)'],
      ['Kore platform', o.kore],
      [
        'kaa page',
        o.page
          ? `${o.page}/koreaiaa-genesys/   (a copy of ${pageDir ?? ''} with the sandbox's settings)`
          : '(no page served: build it, or set KAA_SANDBOX_PAGE_DIR)',
      ],
      [
        'Desktop frames',
        framed
          ? `${framed.origin}${framed.pathname}   (--widget-url)`
          : o.page
            ? 'the kaa page above'
            : '(nothing: no page and no --widget-url)',
      ],
      ['Desktop URL', sandbox.desktopUrl ?? '(no desktop)'],
    ];
    process.stdout.write(
      `kaa sandbox running on 127.0.0.1\n${rows.map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n')}\nPress Ctrl+C to stop.\n`,
    );
  }
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    // a close that fails still removes the page copy and ends the process, saying why (no unhandled rejection)
    void sandbox.close().then(
      () => {
        copy?.remove();
        process.exit(0);
      },
      (e: unknown) => {
        copy?.remove();
        process.stderr.write(`The sandbox did not close cleanly: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const message =
    e instanceof KaaError
      ? `${e.code}: ${e.message}`
      : `The sandbox failed to start: ${e instanceof Error ? e.message : String(e)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
