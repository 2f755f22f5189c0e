import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { redact, type Logger } from '@kaa/core';

export { nodeJoseEngine } from './node-jose-engine.js';
export { createNodeFetch } from './node-fetch.js';
export type { NodeFetch } from './node-fetch.js';

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
 * web-standard `Request`, each `Response` is written back as is. The body is read into memory first, at most
 * `maxBodyBytes` (default 1 MiB; a larger body — declared or sent — is answered 413 and the connection closed without
 * reading the rest), so the handler gets a plain buffered body (no stream adapter per request); the handler's own,
 * smaller, limit still applies. The request's `signal` aborts when the client goes away before the answer is written.
 * A handler that throws answers a bare coded 500 (the broker itself never throws) and is logged as `error`
 * (`handler failed`: method, path and the error's name and message, redacted of `secrets`) when a `logger` is given.
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
export async function serveFetch(
  handler: (request: Request) => Promise<Response>,
  options: {
    host: string;
    port: number;
    maxBodyBytes?: number;
    /** Where a handler failure is reported (`error`). Default: nowhere. */
    logger?: Logger;
    /** Text removed from a logged failure (the broker's own `secrets`). */
    secrets?: () => readonly string[];
  },
): Promise<NodeFetchServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const onError = (req: IncomingMessage, error: unknown) => {
    if (!options.logger) return;
    const text = (t: string) => redact(t, options.secrets?.() ?? []);
    options.logger.error('handler failed', {
      method: req.method,
      path: text((req.url ?? '/').split('?')[0] as string),
      error: error instanceof Error ? `${error.name}: ${text(error.message)}` : 'a non-Error value was thrown',
    });
  };
  const server: Server = createServer((req, res) => {
    void handle(handler, req, res, options.host, maxBodyBytes, onError);
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

const TOO_LARGE =
  '{"error":{"code":"E_PARAM_INVALID","message":"The request body is larger than the server accepts."}}';

/** The body, or undefined when it passed `max` bytes (the rest is left unread). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

async function handle(
  handler: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
  maxBodyBytes: number,
  onError: (req: IncomingMessage, error: unknown) => void,
): Promise<void> {
  try {
    const raw = req.rawHeaders;
    const headers = new Headers();
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    let body: Buffer | undefined;
    if (hasBody) {
      const declared = Number(req.headers['content-length'] ?? 0);
      body = declared > maxBodyBytes ? undefined : await readBody(req, maxBodyBytes);
      if (body === undefined) {
        res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' });
        res.end(TOO_LARGE);
        return;
      }
    }
    // the client going away before the answer is written aborts the handler's signal
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort(new Error('the client closed the connection'));
    });
    const request = new Request(`http://${req.headers.host ?? host}${req.url ?? '/'}`, {
      method,
      headers,
      signal: gone.signal,
      ...(body && body.length > 0
        ? { body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) }
        : {}),
    });
    const response = await handler(request);
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    const answer = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    res.writeHead(response.status, out);
    res.end(answer);
  } catch (error) {
    onError(req, error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end('{"error":{"code":"E_INTERNAL","message":"The token broker failed unexpectedly."}}');
  }
}
