import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * A running Node HTTP server around a web-standard handler.
 *
 * @example
 * ```ts
 * const server = await serveFetch(broker.fetch, { host: '127.0.0.1', port: 8787 });
 * await server.close(10_000);
 * ```
 */
export interface NodeFetchServer {
  /** `http://host:port` it listens on. */
  readonly url: string;
  /**
   * Graceful shutdown: stops accepting connections, lets requests in flight finish for at most `graceMs`, then
   * closes what is left. Resolves when the port is released.
   */
  close(graceMs: number): Promise<void>;
}

/**
 * Serves `(Request) => Promise<Response>` (e.g. `createBroker(…).fetch`) on node:http: each request becomes a
 * web-standard `Request` (the body streamed, so the handler's size limit applies while reading), each `Response`
 * is written back as is. A handler that throws answers a bare 500 (the broker itself never throws).
 *
 * @example
 * ```ts
 * import { createBroker } from '@kaa/broker';
 * import { serveFetch } from '@kaa/broker/node';
 *
 * const broker = createBroker(options);
 * const server = await serveFetch((r) => broker.fetch(r), { host: '0.0.0.0', port: 8787 });
 * process.once('SIGTERM', () => void server.close(10_000));
 * ```
 */
export async function serveFetch(handler: (request: Request) => Promise<Response>, options: { host: string; port: number }): Promise<NodeFetchServer> {
  const server: Server = createServer((req, res) => {
    void handle(handler, req, res, options.host);
  });
  // a slow client cannot hold a socket open forever
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        // kept referenced: the process lives until the port is released or the grace period ends
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function handle(handler: (request: Request) => Promise<Response>, req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? host}`), {
      method,
      headers,
      signal: controller.signal,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    } as RequestInit);
    const response = await handler(request);
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    // a body the handler refused unread (too large): answer, then close the connection instead of reading the rest
    if (hasBody && !req.readableEnded) out['connection'] = 'close';
    res.writeHead(response.status, out);
    res.end(body);
  } catch {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end('{"error":{"code":"E_INTERNAL","message":"The token broker failed unexpectedly."}}');
  }
}
