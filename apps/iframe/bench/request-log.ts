/**
 * Node only (benchmark): records every HTTP request the in-process sandbox servers receive — CORS preflights
 * included — with the moment it arrived and the moment its answer was sent, on the wall clock the browser's
 * `performance.timeOrigin` uses. Query strings are dropped on arrival (they can carry tokens).
 * @packageDocumentation
 */
import { Server } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as the sandbox saw it. */
export interface SandboxRequest {
  /** Local port of the server that received it (tells Genesys login / API, Kore, page and desktop apart). */
  port: number;
  method: string;
  /** Path without the query. */
  path: string;
  /** Epoch ms (sub-ms precision) when the request arrived. */
  receivedAt: number;
  /** Epoch ms when the answer was finished; undefined while pending. */
  answeredAt?: number;
  /** Sent by the browser (a Mozilla user agent) rather than by a Node client such as a token broker in this process. */
  fromBrowser: boolean;
}

/** The running recorder. */
export interface RequestLog {
  readonly entries: SandboxRequest[];
  /** Entries received in [from, to] (epoch ms). */
  between(from: number, to: number): SandboxRequest[];
  clear(): void;
  /** Puts `Server.prototype.emit` back. */
  stop(): void;
}

/** Epoch milliseconds with sub-millisecond precision (the same clock as the browser's timeOrigin + performance.now()). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * Starts recording the requests of every `node:http` server of this process (the sandbox runs in-process).
 *
 * @example
 * ```ts
 * const log = recordSandboxRequests();
 * const sandbox = await startSandbox({ latencyMs: 100 });
 * // … drive the browser …
 * log.between(t0, t1).length;
 * log.stop();
 * ```
 */
export function recordSandboxRequests(): RequestLog {
  const entries: SandboxRequest[] = [];
  const original = Server.prototype.emit;
  const patched = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const req = args[0] as IncomingMessage;
      const res = args[1] as ServerResponse;
      const entry: SandboxRequest = {
        port: req.socket.localPort ?? 0,
        method: req.method ?? '?',
        path: (req.url ?? '').split('?')[0] ?? '',
        receivedAt: wallNow(),
        fromBrowser: /Mozilla\//.test(req.headers['user-agent'] ?? ''),
      };
      entries.push(entry);
      res.once('finish', () => void (entry.answeredAt = wallNow()));
    }
    return Reflect.apply(original, this, [event, ...args]) as boolean;
  };
  Server.prototype.emit = patched as typeof Server.prototype.emit;
  return {
    entries,
    between: (from, to) => entries.filter((e) => e.receivedAt >= from && e.receivedAt <= to),
    clear: () => void (entries.length = 0),
    stop: () => void (Server.prototype.emit = original),
  };
}
