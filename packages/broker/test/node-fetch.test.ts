/**
 * `createNodeFetch` against a real node:http server on 127.0.0.1: what the adapters read from a `Response` (status,
 * headers, body) is what the global `fetch` gives them, and its documented differences hold.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from '../src/node.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

let server: Server;
let origin: string;
const seen: Seen[] = [];
const sockets = new Map<object, number>();

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/no-content') return void res.writeHead(204).end();
  if (path === '/moved') return void res.writeHead(302, { location: '/json' }).end('moved');
  if (path === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2_000);
  if (path === '/status') {
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('s'));
    return void res
      .writeHead(status, { 'retry-after': '7', 'content-type': 'application/json' })
      .end('{"status":' + status + '}');
  }
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'set-cookie': ['a=1', 'b=2'],
    'inin-correlation-id': 'corr-1',
  });
  res.end(JSON.stringify({ method: req.method, url: req.url, body, é: 'ü' }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let id = sockets.get(req.socket);
    if (id === undefined) sockets.set(req.socket, (id = sockets.size + 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: id });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createNodeFetch', () => {
  it('answers like the global fetch: status, headers (repeated ones too), the whole body', async () => {
    const upstream = createNodeFetch();
    try {
      const init = { headers: { authorization: 'Bearer t-1', accept: 'application/json' } };
      const [mine, theirs] = await Promise.all([
        upstream.fetch(`${origin}/api/v2/conversations/c-1?x=1&y=%20`, init),
        fetch(`${origin}/api/v2/conversations/c-1?x=1&y=%20`, init),
      ]);
      expect(mine).toBeInstanceOf(Response);
      expect(mine.status).toBe(theirs.status);
      expect(mine.ok).toBe(true);
      expect(mine.headers.get('content-type')).toBe(theirs.headers.get('content-type'));
      expect(mine.headers.get('inin-correlation-id')).toBe('corr-1');
      expect(mine.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await mine.json()).toEqual(await theirs.json());
      for (const request of seen.slice(-2)) {
        expect(request.url).toBe('/api/v2/conversations/c-1?x=1&y=%20');
        expect(request.headers['authorization']).toBe('Bearer t-1');
      }
    } finally {
      await upstream.close();
    }
  });

  it('sends string, byte and form bodies with the Content-Type fetch would add, and keeps one that is given', async () => {
    const upstream = createNodeFetch();
    try {
      const cases: [RequestInit, string, string][] = [
        [
          { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } },
          '{"a":1}',
          'application/json',
        ],
        [{ method: 'POST', body: 'plain' }, 'plain', 'text/plain;charset=UTF-8'],
        [
          { method: 'POST', body: new URLSearchParams({ grant_type: 'x', a: 'b c' }) },
          'grant_type=x&a=b+c',
          'application/x-www-form-urlencoded;charset=UTF-8',
        ],
        [
          {
            method: 'put',
            body: new TextEncoder().encode('bytes'),
            headers: { 'content-type': 'application/octet-stream' },
          },
          'bytes',
          'application/octet-stream',
        ],
      ];
      for (const [init, body, type] of cases) {
        const response = await upstream.fetch(`${origin}/echo`, init);
        const echoed = (await response.json()) as { method: string; body: string };
        expect(echoed.body).toBe(body);
        expect(echoed.method).toBe(String(init.method).toUpperCase());
        expect(seen.at(-1)?.headers['content-type']).toBe(type);
      }
      await expect(upstream.fetch(`${origin}/echo`, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(
        TypeError,
      );
    } finally {
      await upstream.close();
    }
  });

  it('returns error statuses, 204 without a body, and a redirect as it is (not followed)', async () => {
    const upstream = createNodeFetch();
    try {
      const busy = await upstream.fetch(`${origin}/status?s=503`, {});
      expect([busy.status, busy.ok, busy.headers.get('retry-after')]).toEqual([503, false, '7']);
      expect(await busy.json()).toEqual({ status: 503 });
      const empty = await upstream.fetch(`${origin}/no-content`, { method: 'DELETE' });
      expect([empty.status, empty.body]).toEqual([204, null]);
      const moved = await upstream.fetch(`${origin}/moved`, {});
      expect([moved.status, moved.headers.get('location'), await moved.text()]).toEqual([302, '/json', 'moved']);
    } finally {
      await upstream.close();
    }
  });

  it('keeps connections alive: twenty sequential calls reuse their sockets', async () => {
    const upstream = createNodeFetch();
    try {
      const before = seen.length;
      for (let i = 0; i < 20; i++) await (await upstream.fetch(`${origin}/json?i=${i}`, {})).text();
      // undici may open a second connection while the first one's answer is being released; never one per call
      expect(new Set(seen.slice(before).map((s) => s.socket)).size).toBeLessThanOrEqual(2);
    } finally {
      await upstream.close();
    }
  });

  it('rejects with the signal reason when aborted before or during the call, and with a TypeError when nothing listens', async () => {
    const upstream = createNodeFetch();
    try {
      const early = new AbortController();
      early.abort(new Error('gave up early'));
      await expect(upstream.fetch(`${origin}/json`, { signal: early.signal })).rejects.toThrow('gave up early');
      const late = new AbortController();
      const pending = upstream.fetch(`${origin}/slow`, { signal: late.signal });
      setTimeout(() => late.abort(new Error('took too long')), 50);
      await expect(pending).rejects.toThrow('took too long');
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const refused = await upstream.fetch(`http://127.0.0.1:${port}/`, {}).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TypeError);
      expect((refused as TypeError).message).toBe('fetch failed');
      expect((refused as TypeError).cause).toBeDefined();
      await expect(upstream.fetch('ftp://127.0.0.1/x', {})).rejects.toThrow(TypeError);
    } finally {
      await upstream.close();
    }
  });

  it('sends any path, query and header value as the global fetch does (property)', async () => {
    const upstream = createNodeFetch();
    try {
      const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{1,12}$/).filter((s) => !/%(?![0-9A-Fa-f]{2})/.test(s));
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 1, maxLength: 4 }),
          fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
          fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((s) => s.trim()),
          async (segments, query, headerValue) => {
            const url = `${origin}/${segments.join('/')}?${new URLSearchParams(query).toString()}`;
            const init = { headers: { 'x-kaa-test': headerValue } };
            const mine = await upstream.fetch(url, init);
            const mineSeen = seen.at(-1);
            const theirs = await fetch(url, init);
            const theirsSeen = seen.at(-1);
            expect(await mine.json()).toEqual(await theirs.json());
            expect(mineSeen?.url).toBe(theirsSeen?.url);
            expect(mineSeen?.headers['x-kaa-test']).toBe(theirsSeen?.headers['x-kaa-test']);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await upstream.close();
    }
  });
});
