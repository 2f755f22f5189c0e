import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A request handler; it must end the response or hand it to another handler. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** An HTTP server bound to 127.0.0.1, with its origin and a `close()` that leaves no socket behind. */
export interface Listener {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and destroys every open connection (keep-alive and upgraded sockets too). */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on 127.0.0.1 (port 0 = ephemeral). A handler that throws answers 500.
 *
 * @example
 * ```ts
 * const l = await listen((req, res) => res.end('ok'), 0);
 * console.log(l.origin); // http://127.0.0.1:54321
 * await l.close();
 * ```
 */
export async function listen(handler: RequestHandler, port = 0): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('sandbox internal error');
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  let closed: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    server,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
