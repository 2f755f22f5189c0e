import { isKaaError, signPlatformJwt } from '@kaa/core';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { expectNoSecrets, mockHttp, rejectionOf } from '@kaa/test-support';
import { createDataTableCache, createDataTableClient, type DataTableDeps } from '../src/index.js';
import { botRow, captureLogger, fakeTime } from './helpers.js';

const BASE = 'https://bots.kore.ai';
const TABLE = 'kaa_bots';
const QUERY_URL = `${BASE}/api/public/tables/${TABLE}/query`;
const TOKEN = 'x-metadata-table-token-abcdef123456';

const { server } = mockHttp();

const ALL = Array.from({ length: 250 }, (_, i) => botRow(i));

/** Serves ALL with Kore's paging and records every request. */
function servePaged(seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[]) {
  server.use(
    http.post(QUERY_URL, async ({ request }) => {
      const url = new URL(request.url);
      seen.push({
        url: request.url,
        auth: request.headers.get('auth'),
        body: await request.json(),
        contentType: request.headers.get('content-type'),
      });
      const limit = Number(url.searchParams.get('sys_limit'));
      const offset = Number(url.searchParams.get('sys_offset'));
      const page = ALL.slice(offset, offset + limit);
      return HttpResponse.json({
        hasMore: offset + page.length < ALL.length,
        total: ALL.length,
        metaInfo: [{ name: 'BotId', type: 'string' }],
        queryResult: page,
      });
    }),
  );
}

function client(extra: Partial<DataTableDeps> = {}, token = TOKEN) {
  const time = fakeTime();
  const logger = captureLogger();
  const deps: DataTableDeps = { fetch: (u, i) => fetch(u, i), now: time.now, sleep: time.sleep, logger, ...extra };
  return { time, logger, dt: createDataTableClient({ baseUrl: BASE, token }, deps) };
}

describe('queryAll paging', () => {
  it('pages through 250 rows with sys_limit=100 and the auth header', async () => {
    const seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];
    servePaged(seen);
    const { dt } = client();
    const rows = await dt.queryAll(TABLE);
    expect(rows).toHaveLength(250);
    expect(rows.map((r) => r.BotId)).toEqual(ALL.map((r) => r.BotId));
    expect(seen.map((s) => new URL(s.url).search)).toEqual([
      '?sys_limit=100&sys_offset=0',
      '?sys_limit=100&sys_offset=100',
      '?sys_limit=100&sys_offset=200',
    ]);
    expect(seen.every((s) => s.auth === TOKEN && s.contentType === 'application/json')).toBe(true);
    expect(seen[0]?.body).toEqual({});
  });

  it('sends the query and one page with query()', async () => {
    const seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];
    servePaged(seen);
    const { dt } = client();
    const q = {
      expressions: [{ field: 'QueueIdentifier', operand: '=' as const, value: 'ALPHAINC' }],
      operator: 'and' as const,
    };
    const page = await dt.query(TABLE, q, { limit: 10, offset: 240 });
    expect(page).toMatchObject({ hasMore: false, total: 250, metaInfo: [{ name: 'BotId', type: 'string' }] });
    expect(page.rows).toHaveLength(10);
    expect(seen[0]?.body).toEqual({ query: q });
    expect(new URL(seen[0]!.url).search).toBe('?sys_limit=10&sys_offset=240');
  });

  it('derives hasMore from total when the server omits it', async () => {
    let calls = 0;
    server.use(
      http.post(QUERY_URL, ({ request }) => {
        calls++;
        const offset = Number(new URL(request.url).searchParams.get('sys_offset'));
        return HttpResponse.json({ total: 150, queryResult: ALL.slice(offset, Math.min(150, offset + 100)) });
      }),
    );
    expect(await client().dt.queryAll(TABLE)).toHaveLength(150);
    expect(calls).toBe(2);
  });

  it('stops with E_RESPONSE_INVALID when hasMore stays true on an empty page', async () => {
    server.use(http.post(QUERY_URL, () => HttpResponse.json({ hasMore: true, queryResult: [] })));
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe('E_RESPONSE_INVALID');
    expect(e.message).toContain('hasMore=true with an empty page');
  });
});

describe('queryAll cache', () => {
  it('hits within the TTL, misses after expiry, and is shared through a memory cache', async () => {
    const seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];
    servePaged(seen);
    const cache = createDataTableCache();
    const { dt, time } = client({ cache, cacheTtlMs: 300_000 });
    await dt.queryAll(TABLE);
    expect(seen).toHaveLength(3);
    time.advance(299_999);
    expect(await dt.queryAll(TABLE)).toHaveLength(250);
    expect(seen).toHaveLength(3); // hit
    // a second client with the same cache, credential and clock shares the entry
    const other = createDataTableClient(
      { baseUrl: BASE, token: TOKEN },
      { fetch: (u, i) => fetch(u, i), now: time.now, cache },
    );
    expect(await other.queryAll(TABLE)).toHaveLength(250);
    expect(seen).toHaveLength(3);
    time.advance(1); // exactly the TTL: expired
    await dt.queryAll(TABLE);
    expect(seen).toHaveLength(6);
  });

  it('binds each entry to the credential: another token sharing the cache reads from Kore, and is refused there', async () => {
    const seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];
    servePaged(seen);
    const cache = createDataTableCache();
    const time = fakeTime();
    const good = createDataTableClient(
      { baseUrl: BASE, token: TOKEN },
      { fetch: (u, i) => fetch(u, i), now: time.now, sleep: time.sleep, cache },
    );
    expect(await good.queryAll(TABLE)).toHaveLength(250);
    const wrongToken = 'wrong-x-metadata-token-0987654321';
    server.use(
      http.post(QUERY_URL, ({ request }) =>
        request.headers.get('auth') === TOKEN
          ? undefined
          : HttpResponse.json({ errors: [{ msg: 'invalid token' }] }, { status: 401 }),
      ),
    );
    const wrong = createDataTableClient(
      { baseUrl: BASE, token: wrongToken },
      { fetch: (u, i) => fetch(u, i), now: time.now, sleep: time.sleep, cache },
    );
    const e = await rejectionOf(wrong.queryAll(TABLE));
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    // the keys hold a hash of the credential, never the credential
    const keys = [...cache.entries.keys()].join('\n');
    expect(keys).not.toContain(TOKEN);
    expect(keys).toMatch(/^[0-9a-f]{64}\|/);
    // the good token still hits
    const before = seen.length;
    expect(await good.queryAll(TABLE)).toHaveLength(250);
    expect(seen).toHaveLength(before);
  });

  it('sweeps expired entries on every access and keeps at most maxEntries', async () => {
    server.use(
      http.post(`${BASE}/api/public/tables/:table/query`, ({ params }) =>
        HttpResponse.json({ hasMore: false, queryResult: [{ t: params['table'] }] }),
      ),
    );
    const cache = createDataTableCache({ maxEntries: 2 });
    const { dt, time } = client({ cache, cacheTtlMs: 1000 });
    await dt.queryAll('t1');
    time.advance(600);
    await dt.queryAll('t2');
    expect(cache.entries.size).toBe(2);
    time.advance(500); // t1 is 1100 ms old: expired
    await dt.queryAll('t3');
    expect([...cache.entries.keys()].map((k) => k.split('|')[2])).toEqual(['t2', 't3']);
    await dt.queryAll('t4'); // over maxEntries: the oldest (t2) goes
    expect([...cache.entries.keys()].map((k) => k.split('|')[2])).toEqual(['t3', 't4']);
  });

  it('keys on baseUrl, table and query; fresh bypasses; ttl 0 disables', async () => {
    const seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];
    servePaged(seen);
    server.use(
      http.post(`${BASE}/api/public/tables/other/query`, () =>
        HttpResponse.json({ hasMore: false, queryResult: [{ a: 1 }] }),
      ),
    );
    const { dt } = client();
    await dt.queryAll(TABLE);
    expect(await dt.queryAll('other')).toEqual([{ a: 1 }]);
    await dt.queryAll(TABLE, { expressions: [{ field: 'BotId', operand: '=', value: 'st-1' }] });
    expect(seen).toHaveLength(6);
    await dt.queryAll(TABLE, undefined, { fresh: true });
    expect(seen).toHaveLength(9);
    const noCache = client({ cacheTtlMs: 0 }).dt;
    await noCache.queryAll(TABLE);
    await noCache.queryAll(TABLE);
    expect(seen).toHaveLength(15);
  });

  it('shares one read between concurrent callers', async () => {
    const seen: { url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];
    servePaged(seen);
    const { dt } = client();
    const [a, b] = await Promise.all([dt.queryAll(TABLE), dt.queryAll(TABLE)]);
    expect(a).toBe(b);
    expect(seen).toHaveLength(3);
  });
});

describe('queryAll: concurrent callers and abort', () => {
  /** Serves ALL page by page, but every page waits for `releaseAll()`; records the request signals. */
  function gatedPages() {
    const seen: string[] = [];
    const signals: AbortSignal[] = [];
    let open: () => void = () => undefined;
    let gate = new Promise<void>((r) => (open = r));
    server.use(
      http.post(QUERY_URL, async ({ request }) => {
        const offset = Number(new URL(request.url).searchParams.get('sys_offset'));
        seen.push(`offset=${offset}`);
        signals.push(request.signal);
        await gate;
        const page = ALL.slice(offset, offset + 100);
        return HttpResponse.json({ hasMore: offset + page.length < ALL.length, queryResult: page });
      }),
    );
    const releaseAll = () => {
      open();
      gate = Promise.resolve();
    };
    return { seen, signals, releaseAll };
  }
  const waitFor = async (probe: () => boolean) => {
    for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(probe()).toBe(true);
  };

  it('the first caller aborting detaches only that caller: the others still get every row from the one read', async () => {
    const pages = gatedPages();
    const { dt } = client();
    const first = new AbortController();
    const a = dt.queryAll(TABLE, undefined, { signal: first.signal });
    const b = dt.queryAll(TABLE);
    const c = dt.queryAll(TABLE, undefined, { signal: new AbortController().signal });
    await waitFor(() => pages.seen.length === 1);
    first.abort(new Error('agent closed the first interaction'));
    await expect(a).rejects.toThrow('agent closed the first interaction');
    pages.releaseAll();
    const [rowsB, rowsC] = await Promise.all([b, c]);
    expect(rowsB).toHaveLength(250);
    expect(rowsC).toBe(rowsB);
    expect(pages.seen).toEqual(['offset=0', 'offset=100', 'offset=200']); // one read
    expect(pages.signals.some((sig) => sig.aborted)).toBe(false);
    expect(await dt.queryAll(TABLE)).toHaveLength(250); // cached
    expect(pages.seen).toHaveLength(3);
  });

  it('the read is cancelled only when every caller aborted; the next caller starts a fresh read', async () => {
    const pages = gatedPages();
    const { dt } = client();
    const [x, y] = [new AbortController(), new AbortController()];
    const a = dt.queryAll(TABLE, undefined, { signal: x.signal });
    const b = dt.queryAll(TABLE, undefined, { signal: y.signal });
    await waitFor(() => pages.seen.length === 1);
    x.abort(new Error('x'));
    await expect(a).rejects.toThrow('x');
    expect(pages.signals[0]!.aborted).toBe(false);
    y.abort(new Error('y'));
    await expect(b).rejects.toThrow('y');
    await waitFor(() => pages.signals[0]!.aborted);
    const c = dt.queryAll(TABLE);
    await waitFor(() => pages.seen.length === 2);
    pages.releaseAll();
    expect(await c).toHaveLength(250);
    expect(pages.seen).toEqual(['offset=0', 'offset=0', 'offset=100', 'offset=200']);
    await expect(dt.queryAll(TABLE, undefined, { signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow(
      'already',
    );
  });
});

describe('rate limits', () => {
  it('honours Retry-After on 429, then succeeds', async () => {
    let n = 0;
    server.use(
      http.post(QUERY_URL, () =>
        ++n === 1
          ? HttpResponse.json(
              { errors: [{ msg: "You've exceeded the per-minute rate limit" }] },
              { status: 429, headers: { 'Retry-After': '7' } },
            )
          : HttpResponse.json({ hasMore: false, queryResult: [{ x: 1 }] }),
      ),
    );
    const { dt, time } = client();
    expect(await dt.queryAll(TABLE)).toEqual([{ x: 1 }]);
    expect(time.waits).toEqual([7000]);
  });

  it('backs off exponentially without Retry-After and raises E_RATE_LIMITED', async () => {
    let n = 0;
    server.use(http.post(QUERY_URL, () => (n++, new HttpResponse('Too Many Requests', { status: 429 }))));
    const { dt, time } = client({ retry: { maxRetries: 3, baseDelayMs: 1000 } });
    const e = await rejectionOf(dt.queryAll(TABLE));
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.message).toMatch(/throttled by Kore \(HTTP 429.*no Retry-After given\) after 4 attempt/);
    expect(e.message).toContain('600 requests per minute');
    expect(time.waits).toEqual([1000, 2000, 4000]);
    expect(n).toBe(4);
    expect(e.details).toMatchObject({ status: 429, attempts: 4 });
  });

  it('fails at once when Retry-After is longer than maxDelayMs (hourly limit)', async () => {
    server.use(
      http.post(QUERY_URL, () =>
        HttpResponse.json(
          { message: 'hourly rate limit exceeded' },
          { status: 429, headers: { 'Retry-After': '3600' } },
        ),
      ),
    );
    const { dt, time } = client();
    const e = await rejectionOf(dt.queryAll(TABLE));
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.message).toContain('Retry-After 3600 s');
    expect(e.details).toMatchObject({ retryAfterMs: 3_600_000, attempts: 1 });
    expect(time.waits).toEqual([]);
  });

  it.each([200, 400])('treats a rate-limit message in a %i body as throttling', async (status) => {
    let n = 0;
    server.use(
      http.post(QUERY_URL, () =>
        ++n === 1
          ? HttpResponse.json({ errors: [{ msg: 'Rate limit for this API has been reached' }] }, { status })
          : HttpResponse.json({ hasMore: false, queryResult: [] }),
      ),
    );
    const { dt, time } = client();
    expect(await dt.queryAll(TABLE)).toEqual([]);
    expect(time.waits).toEqual([1000]);
  });

  it('keeps under the client-side budget per table with the injected clock', async () => {
    const stamps: number[] = [];
    const { dt, time } = client({ requestsPerMinute: 2, cacheTtlMs: 0 });
    server.use(
      http.post(QUERY_URL, () => (stamps.push(time.now()), HttpResponse.json({ hasMore: false, queryResult: [] }))),
    );
    const t0 = time.now();
    for (let i = 0; i < 5; i++) await dt.query(TABLE);
    expect(stamps.map((s) => s - t0)).toEqual([0, 0, 60_000, 60_000, 120_000]);
  });
});

describe('errors', () => {
  it('401 with the x_metadata token → E_HTTP_UNAUTHORIZED naming the fix', async () => {
    server.use(
      http.post(QUERY_URL, () =>
        HttpResponse.json(
          { errors: [{ msg: 'error verifying the jwt: invalid signature', code: 401 }] },
          { status: 401 },
        ),
      ),
    );
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.message).toMatch(
      /^x_metadata token rejected: .*error verifying the jwt: invalid signature.*make a new Data app token with read access/i,
    );
    expect(e.step).toBe('network');
  });

  it.each([200, 400])('errors[].code == 401 in a %i body → E_HTTP_UNAUTHORIZED', async (status) => {
    server.use(
      http.post(QUERY_URL, () =>
        HttpResponse.json({ errors: [{ msg: 'error verifying the jwt: jwt expired', code: 401 }] }, { status }),
      ),
    );
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.message).toContain('jwt expired');
  });

  it.each([
    [500, 'E_HTTP_SERVER'],
    [503, 'E_HTTP_SERVER'],
    [403, 'E_HTTP_FORBIDDEN'],
    [404, 'E_HTTP_NOT_FOUND'],
    [400, 'E_HTTP_BAD_REQUEST'],
  ] as const)('HTTP %i → %s with status and correlation id', async (status, code) => {
    server.use(
      http.post(QUERY_URL, () =>
        HttpResponse.json({ errors: [{ msg: 'boom' }] }, { status, headers: { 'x-request-id': 'req-42' } }),
      ),
    );
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe(code);
    expect(e.message).toContain(`HTTP ${status}: boom`);
    expect(e.details).toMatchObject({ status, correlationId: 'req-42', method: 'POST' });
  });

  it.each([
    ['queryResult missing', () => HttpResponse.json({ hasMore: false })],
    ['queryResult not an array', () => HttpResponse.json({ hasMore: false, queryResult: 'rows' })],
    ['hasMore not a boolean', () => HttpResponse.json({ hasMore: 'no', queryResult: [] })],
    ['rows not objects', () => HttpResponse.json({ hasMore: false, queryResult: [1, 2] })],
    ['an empty body', () => new HttpResponse('', { status: 200 })],
  ])('malformed body (%s) → E_RESPONSE_INVALID', async (_name, reply) => {
    server.use(http.post(QUERY_URL, reply));
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe('E_RESPONSE_INVALID');
  });

  it('a network failure → E_NETWORK naming the method, origin and path called (never the query)', async () => {
    server.use(http.post(QUERY_URL, () => HttpResponse.error()));
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe('E_NETWORK');
    expect(e.message).toContain(`(POST ${QUERY_URL}) got no answer`);
    expect(e.message).not.toContain('sys_limit');
    expect(e.details['url']).toBe(QUERY_URL);
  });

  // a static host (nginx, python http.server, a CDN) answering the Data Table API: the host is wrong, Kore did not fail
  it.each([
    [
      'a 200 HTML page (an SPA fallback)',
      () =>
        new HttpResponse('<!doctype html><title>kaa</title>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
      'an HTML page',
    ],
    [
      'a 200 body that is not JSON',
      () => new HttpResponse('hello', { status: 200, headers: { 'content-type': 'text/plain' } }),
      'a body that is not JSON (text/plain)',
    ],
    [
      'nginx 405 Not Allowed',
      () =>
        new HttpResponse('<html><head><title>405 Not Allowed</title></head></html>', {
          status: 405,
          headers: { 'content-type': 'text/html' },
        }),
      'an HTML page',
    ],
    [
      'python http.server 501',
      () =>
        new HttpResponse('<!DOCTYPE HTML><html><body><h1>Error response</h1><p>Error code: 501</p></body></html>', {
          status: 501,
          headers: { 'content-type': 'text/html;charset=utf-8' },
        }),
      'an HTML page',
    ],
    [
      'a bare 404',
      () => new HttpResponse('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } }),
      'a body that is not JSON (text/plain)',
    ],
    ['an empty 405', () => new HttpResponse(null, { status: 405 }), 'an empty body'],
    [
      'a 403 HTML page (a CDN refusing POST)',
      () => new HttpResponse('<html>Forbidden</html>', { status: 403, headers: { 'content-type': 'text/html' } }),
      'an HTML page',
    ],
  ])('%s → E_KORE_HOST_WRONG naming the URL and the setting to fix', async (_name, reply, answer) => {
    server.use(http.post(QUERY_URL, reply));
    const e = await rejectionOf(client().dt.queryAll(TABLE));
    expect(e.code).toBe('E_KORE_HOST_WRONG');
    expect(e.step).toBe('configuration');
    expect(e.message).toContain(`POST ${QUERY_URL} answered HTTP`);
    expect(e.message).toContain(answer);
    expect(e.message).toContain(`so ${BASE} is not the Kore API`);
    expect(e.message).toMatch(/agentAi\.url.*kaa page --dist/);
    expect(e.message).not.toContain('sys_limit');
    expect(e.message).not.toMatch(/contact Kore support/);
  });

  it.each([
    [501, 'E_HTTP_SERVER'],
    [404, 'E_HTTP_NOT_FOUND'],
    [405, 'E_HTTP_BAD_REQUEST'],
  ] as const)(
    'Kore\'s own JSON error with HTTP %i stays "Kore answered" (%s), naming the URL',
    async (status, code) => {
      server.use(
        http.post(QUERY_URL, () => HttpResponse.json({ errors: [{ msg: 'nope', code: status }] }, { status })),
      );
      const e = await rejectionOf(client().dt.queryAll(TABLE));
      expect(e.code).toBe(code);
      expect(e.message).toContain(`(POST ${QUERY_URL}) failed with HTTP ${status}: nope`);
    },
  );

  it('a gateway error page (502 HTML) is "Kore failed", not a wrong host', async () => {
    server.use(
      http.post(
        QUERY_URL,
        () => new HttpResponse('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      ),
    );
    const e = await rejectionOf(client({ retry: { maxRetries: 0 } }).dt.queryAll(TABLE));
    expect(e.code).toBe('E_HTTP_SERVER');
  });

  it('bad configuration → E_CONFIG_INVALID', async () => {
    const deps = { fetch: (u: string, i: RequestInit) => fetch(u, i), now: Date.now };
    expect(() => createDataTableClient({ baseUrl: 'not a url', token: TOKEN }, deps)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
    expect(() => createDataTableClient({ baseUrl: 'http://bots.kore.ai', token: TOKEN }, deps)).toThrow(
      /must use https/,
    );
    await expect(client().dt.queryAll('')).rejects.toMatchObject({ code: 'E_CONFIG_INVALID' });
  });
});

describe('writes', () => {
  it('insert, bulkInsert, update, delete send the documented requests and clear the cache', async () => {
    const seen: { method: string; path: string; body: unknown }[] = [];
    const record = async (request: Request) =>
      void seen.push({ method: request.method, path: new URL(request.url).pathname, body: await request.json() });
    let reads = 0;
    server.use(
      http.post(QUERY_URL, () => (reads++, HttpResponse.json({ hasMore: false, queryResult: [] }))),
      http.post(
        `${BASE}/api/public/tables/${TABLE}`,
        async ({ request }) => (
          await record(request),
          HttpResponse.json({ QueueIdentifier: 'ALPHAINC', sys_Id: 's1' })
        ),
      ),
      http.post(
        `${BASE}/api/public/tables/${TABLE}/bulk`,
        async ({ request }) => (
          await record(request),
          HttpResponse.json({ records: [{ sys_Id: 'a' }, { sys_Id: 'b' }] })
        ),
      ),
      http.put(
        `${BASE}/api/public/tables/${TABLE}`,
        async ({ request }) => (await record(request), HttpResponse.json({ nModified: 1 })),
      ),
      http.delete(
        `${BASE}/api/public/tables/${TABLE}`,
        async ({ request }) => (await record(request), HttpResponse.json({ nDeleted: 2 })),
      ),
    );
    const { dt } = client();
    const q = { expressions: [{ field: 'QueueIdentifier', operand: '=' as const, value: 'ALPHAINC' }] };
    await dt.queryAll(TABLE);
    expect(await dt.insert(TABLE, { QueueIdentifier: 'ALPHAINC' })).toMatchObject({ sys_Id: 's1' });
    await dt.queryAll(TABLE);
    expect(reads).toBe(2); // insert cleared the cache
    expect(await dt.bulkInsert(TABLE, [{ a: 1 }, { a: 2 }])).toHaveLength(2);
    expect(await dt.update(TABLE, q, { BotId: 'st-9' })).toEqual({ nModified: 1 });
    expect(await dt.delete(TABLE, q)).toEqual({ nDeleted: 2 });
    expect(seen).toEqual([
      { method: 'POST', path: `/api/public/tables/${TABLE}`, body: { data: { QueueIdentifier: 'ALPHAINC' } } },
      { method: 'POST', path: `/api/public/tables/${TABLE}/bulk`, body: { data: [{ a: 1 }, { a: 2 }] } },
      { method: 'PUT', path: `/api/public/tables/${TABLE}`, body: { query: q, data: { BotId: 'st-9' } } },
      { method: 'DELETE', path: `/api/public/tables/${TABLE}`, body: { query: q } },
    ]);
  });

  it('a malformed write answer → E_RESPONSE_INVALID', async () => {
    server.use(http.put(`${BASE}/api/public/tables/${TABLE}`, () => HttpResponse.json({ nModified: 'one' })));
    const e = await rejectionOf(client().dt.update(TABLE, { expressions: [] }, {}));
    expect(e.code).toBe('E_RESPONSE_INVALID');
    expect(e.message).toContain('nModified');
  });
});

describe('secrets', () => {
  it('no request URL, log line or error carries the table token', async () => {
    const urls: string[] = [];
    let n = 0;
    server.use(
      http.post(QUERY_URL, ({ request }) => {
        urls.push(request.url);
        n++;
        if (n === 1) return HttpResponse.json({ message: `rate limit; your token ${TOKEN} echoed` }, { status: 429 });
        return HttpResponse.json({ errors: [{ msg: `error verifying the jwt ${TOKEN}`, code: 401 }] }, { status: 401 });
      }),
    );
    const { dt, logger } = client();
    const e = await rejectionOf(dt.queryAll(TABLE));
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    const everything = [...urls, ...logger.lines, e.message, JSON.stringify(e.toJSON()), String(e.cause ?? '')].join(
      '\n',
    );
    expect(everything).toContain('[REDACTED]');
    expect(everything).not.toContain(TOKEN);
  });
});

describe('property: no response makes the client throw anything but a KaaError', () => {
  it('holds for arbitrary statuses and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }),
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ hasMore: false, queryResult: v })),
        ),
        fc.option(fc.string(), { nil: undefined }),
        async (status, body, retryAfter) => {
          server.resetHandlers();
          const headers: Record<string, string> =
            retryAfter === undefined ? {} : { 'retry-after': retryAfter.replace(/[^\x20-\x7e]/g, '') };
          const s = [204, 205, 304].includes(status) ? 200 : status;
          server.use(http.post(QUERY_URL, () => new HttpResponse(body, { status: s, headers })));
          const { dt } = client({ cacheTtlMs: 0, retry: { maxRetries: 1, baseDelayMs: 1 } });
          try {
            const rows = await dt.queryAll(TABLE);
            expect(Array.isArray(rows)).toBe(true);
          } catch (e) {
            if (!isKaaError(e)) throw e;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('app credentials', () => {
  const APP = { appId: 'cs-da7a0000-0000-4000-8000-0000000000a1', clientSecret: 'data-app-read-secret-00a1' };

  it('mints {sub, appId, iat, exp} JWTs, reuses them, and re-mints before expiry', async () => {
    const { decodeJwtUnverified } = await import('@kaa/core');
    const auths: string[] = [];
    server.use(
      http.post(
        QUERY_URL,
        ({ request }) => (
          auths.push(request.headers.get('auth') ?? ''),
          HttpResponse.json({ hasMore: false, queryResult: [] })
        ),
      ),
    );
    const time = fakeTime();
    const dt = createDataTableClient(
      { baseUrl: BASE, ...APP, ttlSeconds: 300 },
      { fetch: (u, i) => fetch(u, i), now: time.now, sleep: time.sleep, cacheTtlMs: 0, signPlatformJwt },
    );
    await dt.query(TABLE);
    time.advance(239_000); // 80 % of the lifetime not yet reached
    await dt.query(TABLE);
    time.advance(1_000);
    await dt.query(TABLE);
    expect(auths[0]).toBe(auths[1]);
    expect(auths[2]).not.toBe(auths[1]);
    const decoded = decodeJwtUnverified(auths[0]);
    expect(decoded.kind).toBe('jws');
    if (decoded.kind !== 'jws') return;
    expect(decoded.header).toMatchObject({ alg: 'HS256' });
    expect(decoded.claims).toMatchObject({
      appId: APP.appId,
      iat: Math.floor(time.now() / 1000) - 240,
      exp: Math.floor(time.now() / 1000) + 60,
    });
  });

  it('re-mints once after a 401, then raises E_HTTP_UNAUTHORIZED naming the app; no secret leaks', async () => {
    const auths: string[] = [];
    const urls: string[] = [];
    server.use(
      http.post(QUERY_URL, ({ request }) => {
        auths.push(request.headers.get('auth') ?? '');
        urls.push(request.url);
        return HttpResponse.json(
          {
            errors: [
              { msg: `error verifying the jwt: ${request.headers.get('auth')} secret ${APP.clientSecret}`, code: 401 },
            ],
          },
          { status: 401 },
        );
      }),
    );
    const time = fakeTime();
    const logger = captureLogger();
    const dt = createDataTableClient(
      { baseUrl: BASE, ...APP },
      { fetch: (u, i) => fetch(u, i), now: time.now, sleep: time.sleep, logger, signPlatformJwt },
    );
    const e = await rejectionOf(dt.queryAll(TABLE));
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.message).toContain(`refused the JWT signed for app "${APP.appId}"`);
    expect(auths).toHaveLength(2);
    const everything = [...urls, ...logger.lines, e.message, JSON.stringify(e.toJSON())].join('\n');
    expectNoSecrets(everything, [APP.clientSecret, ...auths]);
  });
});
