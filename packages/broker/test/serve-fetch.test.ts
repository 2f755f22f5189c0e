/**
 * `serveFetch`, the node:http binding of the broker's web-standard handler, on a real socket on 127.0.0.1: the body
 * the handler gets, the body limit it enforces itself (declared and streamed), and a handler that throws.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { serveFetch } from '../src/node.js';
import type { NodeFetchServer } from '../src/node.js';

let server: NodeFetchServer | undefined;
afterEach(async () => {
  await server?.close(1_000);
  server = undefined;
});

/** A POST sent in chunks with no Content-Length, as a client streaming a body would. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // the server may answer and close before the whole body is written
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e),
    );
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('serveFetch', () => {
  it('hands the handler the method, path, headers and the exact body bytes, and writes its answer back', async () => {
    const seen: { method: string; path: string; type: string | null; body: string }[] = [];
    server = await serveFetch(
      async (r) => {
        seen.push({
          method: r.method,
          path: new URL(r.url).pathname + new URL(r.url).search,
          type: r.headers.get('content-type'),
          body: await r.text(),
        });
        return new Response('{"ok":true}', {
          status: 201,
          headers: { 'content-type': 'application/json', 'x-kaa': 'yes' },
        });
      },
      { host: '127.0.0.1', port: 0 },
    );
    const body = JSON.stringify({ conversationId: 'c-1', text: 'grüße ✓' });
    const answer = await fetch(`${server.url}/v1/launch?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-kaa')).toBe('yes');
    expect(await answer.json()).toEqual({ ok: true });
    expect(seen).toEqual([{ method: 'POST', path: '/v1/launch?x=1', type: 'application/json', body }]);
    // a streamed body in several chunks arrives whole
    const streamed = await postChunked(`${server.url}/v1/events`, ['{"a":', '"b"', '}']);
    expect(streamed.status).toBe(201);
    expect(seen[1]?.body).toBe('{"a":"b"}');
  });

  it('answers 413 with a coded error to a body over maxBodyBytes, declared or streamed, and never calls the handler', async () => {
    let calls = 0;
    server = await serveFetch(
      () => {
        calls += 1;
        return Promise.resolve(new Response('{}'));
      },
      { host: '127.0.0.1', port: 0, maxBodyBytes: 64 },
    );
    const declared = await fetch(`${server.url}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(65),
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('cache-control')).toBe('no-store');
    expect(await declared.json()).toMatchObject({ error: { code: 'E_PARAM_INVALID' } });
    const streamed = await postChunked(`${server.url}/v1/launch`, ['x'.repeat(40), 'x'.repeat(40)]);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'E_PARAM_INVALID' } });
    // exactly the limit is accepted
    const atLimit = await fetch(`${server.url}/v1/launch`, { method: 'POST', body: 'x'.repeat(64) });
    expect(atLimit.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('answers a bare coded 500 when the handler throws, logs it without the secrets, and keeps serving', async () => {
    let fail = true;
    const logged: { level: string; msg: string; data?: Readonly<Record<string, unknown>> }[] = [];
    const log = (level: string) => (msg: string, data?: Readonly<Record<string, unknown>>) =>
      void logged.push({ level, msg, ...(data ? { data } : {}) });
    const planted = 'table-app-secret-0123456789';
    server = await serveFetch(
      () => {
        if (fail) throw new Error(`secret-ish internal detail ${planted}`);
        return Promise.resolve(new Response('fine'));
      },
      {
        host: '127.0.0.1',
        port: 0,
        logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
        secrets: () => [planted],
      },
    );
    const broken = await fetch(`${server.url}/healthz`);
    expect(broken.status).toBe(500);
    const text = await broken.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'E_INTERNAL' } });
    expect(text).not.toContain('secret-ish');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'error',
      msg: 'handler failed',
      data: { method: 'GET', path: '/healthz' },
    });
    expect(String(logged[0]?.data?.['error'])).toContain('Error: secret-ish internal detail');
    expect(JSON.stringify(logged)).not.toContain(planted);
    fail = false;
    expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('fine');
  });

  it("aborts the request's signal when the client goes away before the answer", async () => {
    let seenAbort: (reason: unknown) => void = () => undefined;
    const aborted = new Promise<unknown>((resolve) => (seenAbort = resolve));
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    server = await serveFetch(
      (r) =>
        new Promise<Response>((resolve) => {
          r.signal.addEventListener('abort', () => {
            seenAbort(r.signal.reason);
            resolve(new Response('too late'));
          });
          started();
        }),
      { host: '127.0.0.1', port: 0 },
    );
    const req = httpRequest(`${server.url}/v1/launch`, { method: 'GET' });
    req.on('error', () => undefined);
    req.end();
    await running;
    req.destroy();
    expect(String(await aborted)).toContain('the client closed the connection');
  });

  it('leaves the signal alone when the answer is written', async () => {
    let signal: AbortSignal | undefined;
    server = await serveFetch(
      (r) => {
        signal = r.signal;
        return Promise.resolve(new Response('done'));
      },
      { host: '127.0.0.1', port: 0 },
    );
    expect(await (await fetch(`${server.url}/x`)).text()).toBe('done');
    await server.close(1_000);
    server = undefined;
    expect(signal?.aborted).toBe(false);
  });
});
