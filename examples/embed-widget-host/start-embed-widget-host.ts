import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { KaaError, redact } from '@kaa/core';
import { build } from 'esbuild';
import type { WidgetSession } from './widget-session.js';

/**
 * Options of {@link startEmbedWidgetHost}.
 *
 * @example
 * ```ts
 * const options: EmbedWidgetHostOptions = { widgetOrigin: 'https://agentassist.kore.ai', session: () => mintWidgetSession(…) };
 * ```
 */
export interface EmbedWidgetHostOptions {
  /** Mints a fresh session for every page load (the widget JWT lives 15 minutes). */
  session: () => Promise<WidgetSession>;
  /** Origin of the widget (`AgentAssistWidgetURL`): the only origin the page may frame (`frame-src`). */
  widgetOrigin: string;
  /** Listen port on 127.0.0.1; default 0 (ephemeral). */
  port?: number;
  /** Errors while minting a session, already redacted. Default: ignored (the page shows the error). */
  onError?: (error: KaaError) => void;
}

/**
 * The running example host.
 *
 * @example
 * ```ts
 * const host: EmbedWidgetHost = await startEmbedWidgetHost(options);
 * console.log(host.url);
 * await host.close();
 * ```
 */
export interface EmbedWidgetHost {
  /** `http://127.0.0.1:<port>/` — open it. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Bundles `main.ts` with esbuild (browser, ESM, minified) and serves the example page on 127.0.0.1 with a strict
 * Content-Security-Policy: scripts and fetches from its own origin only, frames from the widget origin only, no
 * inline script. `GET /session.json` mints a new widget session per request (`Cache-Control: no-store`).
 *
 * @example
 * ```ts
 * import { startEmbedWidgetHost } from './start-embed-widget-host.js';
 * import { mintWidgetSession } from './mint-widget-session.js';
 *
 * const host = await startEmbedWidgetHost({ widgetOrigin: kore.origin, session: () => mintWidgetSession({ … }) });
 * console.log(`open ${host.url}`);
 * ```
 */
export async function startEmbedWidgetHost(options: EmbedWidgetHostOptions): Promise<EmbedWidgetHost> {
  const widgetOrigin = new URL(options.widgetOrigin).origin;
  const bundle = await build({
    entryPoints: [here('./main.ts')],
    tsconfig: here('../../tsconfig.json'),
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const html = await readFile(here('./index.html'), 'utf8');
  const csp = `default-src 'none'; script-src 'self'; connect-src 'self'; frame-src ${widgetOrigin}; style-src 'self'; base-uri 'none'; form-action 'none'`;
  const common = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET') return void res.writeHead(405, common).end();
    if (path === '/' || path === '/index.html')
      return void res.writeHead(200, { ...common, 'content-type': 'text/html; charset=utf-8' }).end(html);
    if (path === '/main.js')
      return void res.writeHead(200, { ...common, 'content-type': 'text/javascript; charset=utf-8' }).end(js);
    if (path === '/session.json') {
      options
        .session()
        .then((session) =>
          res.writeHead(200, { ...common, 'content-type': 'application/json' }).end(JSON.stringify(session)),
        )
        .catch((e: unknown) => {
          const error =
            e instanceof KaaError
              ? e
              : new KaaError(
                  'E_INTERNAL',
                  `Minting the widget session failed: ${redact(String((e as Error)?.message ?? e))}. Check the bot credentials.`,
                );
          options.onError?.(error);
          res
            .writeHead(500, { ...common, 'content-type': 'application/json' })
            .end(JSON.stringify({ error: error.toJSON() }));
        });
      return;
    }
    res.writeHead(404, { ...common, 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
