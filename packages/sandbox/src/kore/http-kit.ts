/**
 * Tiny `node:http` helpers shared by the Kore platform and the agent desktop servers:
 * read a bounded body, answer JSON or text, listen on 127.0.0.1, and close without leaving
 * a socket or a timer behind.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KaaError } from '@kaa/core';

/** What a route handler answers. `json` wins over `text`. */
export interface HttpAnswer {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A body larger than this is refused with 413 (Kore documents 50 MB for bulk inserts). */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** Reads the whole request body as UTF-8, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new KaaError('E_HTTP_BAD_REQUEST', `The request body is larger than ${limit} bytes. Send a smaller body.`, { details: { status: 413 } }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON body; an empty body is `undefined`, text that is not JSON is a coded error. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KaaError('E_HTTP_BAD_REQUEST', 'The request body is not JSON. Send a JSON body with content-type application/json.', { details: { status: 400 } });
  }
}

/** Writes an {@link HttpAnswer}. */
export function writeAnswer(res: ServerResponse, answer: HttpAnswer, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...extraHeaders, ...answer.headers };
  let body: string;
  if (answer.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(answer.json);
  } else {
    headers['content-type'] = answer.contentType ?? 'text/plain; charset=utf-8';
    body = answer.text ?? '';
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}

/** A started `node:http` server bound to 127.0.0.1, with a `close()` that also ends open connections. */
export interface Listening {
  server: Server;
  port: number;
  origin: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1:`port` (0 = ephemeral). */
export async function listenLocal(port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
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
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: bound,
    origin: `http://127.0.0.1:${bound}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/**
 * Timers that a server starts (injected latency, polling) so that `close()` can cancel them all.
 * `sleep` resolves early (with `false`) when the set is cleared.
 */
export class TimerSet {
  readonly #pending = new Map<ReturnType<typeof setTimeout>, () => void>();

  sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve(true);
      }, ms);
      this.#pending.set(timer, () => resolve(false));
    });
  }

  clear(): void {
    for (const [timer, cancel] of this.#pending) {
      clearTimeout(timer);
      cancel();
    }
    this.#pending.clear();
  }

  get size(): number {
    return this.#pending.size;
  }
}
