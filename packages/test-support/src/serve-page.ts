import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One fixed answer of {@link servePage}: a content type and a body.
 *
 * @example
 * ```ts
 * const route: PageRoute = { type: 'text/html; charset=utf-8', body: '<!doctype html><p>hi</p>' };
 * ```
 */
export interface PageRoute {
  type: string;
  body: string;
}

/**
 * What {@link servePage} serves: fixed answers by path (anything else is 404), or a handler.
 *
 * @example
 * ```ts
 * const routes: PageRoutes = { '/host.html': { type: 'text/html; charset=utf-8', body: HOST_HTML } };
 * ```
 */
export type PageRoutes = Readonly<Record<string, PageRoute>> | ((req: IncomingMessage, res: ServerResponse) => void);

/**
 * A test page server on its own 127.0.0.1 origin.
 *
 * @example
 * ```ts
 * const page = await servePage({ '/': { type: 'text/html', body: '<p>hi</p>' } });
 * ```
 */
export interface ServedPage {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly server: Server;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Serves test pages on 127.0.0.1 (ephemeral port), never cached: fixed routes by path (query ignored) or a handler.
 *
 * @example
 * ```ts
 * const host = await servePage({ '/host.js': { type: 'text/javascript; charset=utf-8', body: js } });
 * await page.goto(`${host.origin}/host.js`);
 * await host.close();
 * ```
 */
export async function servePage(routes: PageRoutes): Promise<ServedPage> {
  const server = createServer(
    typeof routes === 'function'
      ? routes
      : (req, res) => {
          const route = routes[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
          if (!route) return void res.writeHead(404).end();
          res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
        },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
