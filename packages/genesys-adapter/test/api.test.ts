import { describe, expect, it } from 'vitest';
import { expectNoSecrets, mockHttp } from '@kaa/test-support';
import { http, HttpResponse } from 'msw';
import fc from 'fast-check';
import { KaaError } from '@kaa/core';
import { createGenesysApi } from '../src/index.js';
import type { TokenProvider } from '../src/index.js';
import { ENV, capturingLogger, fixture, recordingTimers, rejectionOf } from './helpers.js';

const API = ENV.apiBase;
const TOKEN = 'tok-ABCDEF0123456789-secret';
const TOKEN2 = 'tok-RENEWED-987654321-secret';
const CONV = 'c0a00000-0000-4000-8000-000000000001';
const conversation = fixture<{ entities: unknown[] }>('conversations/conversations_calls_active_voice.json')
  .entities[0] as Record<string, unknown>;
const notFound = fixture<{ headers: Record<string, string>; body: unknown }>(
  'errors/error_404_not_found_extended_response.json',
);

const { server, seen } = mockHttp();

function setup(auth?: Partial<TokenProvider>) {
  let token = TOKEN;
  let relogins = 0;
  const timers = recordingTimers();
  const logger = capturingLogger();
  const api = createGenesysApi({
    environment: ENV,
    auth: {
      getToken: () => token,
      relogin: async () => {
        relogins += 1;
        token = TOKEN2;
      },
      ...auth,
    },
    timers,
    logger,
  });
  return { api, timers, logger, relogins: () => relogins };
}

const json = (body: unknown, init?: ResponseInit) => HttpResponse.json(body as never, init);

describe('createGenesysApi: success paths', () => {
  it('getMe sends the bearer token and expand=organization', async () => {
    let auth = '';
    let url = '';
    server.use(
      http.get(`${API}/api/v2/users/me`, ({ request }) => {
        auth = request.headers.get('authorization') ?? '';
        url = request.url;
        return json({ id: 'u1', name: 'Ava', organization: { id: 'o1' } });
      }),
    );
    const { api } = setup();
    const me = await api.getMe();
    expect(me.id).toBe('u1');
    expect(me.organization?.id).toBe('o1');
    expect(auth).toBe(`Bearer ${TOKEN}`);
    expect(new URL(url).searchParams.get('expand')).toBe('organization');
  });

  it('getConversation returns the real Genesys payload', async () => {
    server.use(http.get(`${API}/api/v2/conversations/:id`, ({ params }) => json({ ...conversation, id: params.id })));
    const c = await setup().api.getConversation(CONV);
    expect(c.id).toBe(CONV);
    expect(c.participants.length).toBe((conversation.participants as unknown[]).length);
    expect(c.participants[0]?.purpose).toBe('customer');
  });

  it('getQueue, getMessage, getMessages (bulk POST body = ids), sendMessage ({textBody})', async () => {
    let bulkBody: unknown;
    let sendBody: unknown;
    server.use(
      http.get(`${API}/api/v2/routing/queues/:id`, ({ params }) => json({ id: params.id, name: 'ALPHAINC_SALES' })),
      http.get(`${API}/api/v2/conversations/messages/:c/messages/:m`, ({ params }) =>
        json({ id: params.m, textBody: 'hello', direction: 'inbound', timestamp: 't' }),
      ),
      http.post(`${API}/api/v2/conversations/messages/:c/messages/bulk`, async ({ request }) => {
        bulkBody = await request.json();
        return json({ entities: (bulkBody as string[]).map((id) => ({ id, textBody: `text ${id}` })) });
      }),
      http.post(`${API}/api/v2/conversations/messages/:c/communications/:k/messages`, async ({ request }) => {
        sendBody = await request.json();
        return json({ id: 'm9', textBody: 'sent', direction: 'outbound', timestamp: 't', status: 'sent' });
      }),
    );
    const { api } = setup();
    expect((await api.getQueue('q1')).name).toBe('ALPHAINC_SALES');
    expect((await api.getMessage(CONV, 'm1')).textBody).toBe('hello');
    expect((await api.getMessages(CONV, ['a', 'b'])).map((m) => m.textBody)).toEqual(['text a', 'text b']);
    expect(bulkBody).toEqual(['a', 'b']);
    expect(await api.getMessages(CONV, [])).toEqual([]);
    expect((await api.sendMessage(CONV, 'comm-1', 'Hi there')).id).toBe('m9');
    expect(sendBody).toEqual({ textBody: 'Hi there' });
  });

  it('listDataTables follows pages; getDataTable by id and by name; getDataTableRows', async () => {
    const tables = Array.from({ length: 3 }, (_, i) => ({
      id: `da7a7ab1-0000-4000-8000-00000000000${i}`,
      name: `t${i}`,
    }));
    server.use(
      http.get(`${API}/api/v2/flows/datatables`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('pageNumber'));
        return json({ entities: page === 1 ? tables.slice(0, 2) : tables.slice(2), pageNumber: page, pageCount: 2 });
      }),
      http.get(`${API}/api/v2/flows/datatables/:id`, ({ params, request }) =>
        json({
          id: params.id,
          name: 'byId',
          schema: new URL(request.url).searchParams.get('expand') === 'schema' ? { properties: {} } : undefined,
        }),
      ),
      http.get(`${API}/api/v2/flows/datatables/:id/rows`, ({ request }) => {
        const u = new URL(request.url);
        expect(u.searchParams.get('showbrief')).toBe('false');
        expect(u.searchParams.get('pageSize')).toBe('500');
        return json({ entities: [{ key: 'a' }, { key: 'b' }], pageNumber: 1, pageCount: 1 });
      }),
    );
    const { api } = setup();
    expect((await api.listDataTables({ expandSchema: true })).map((t) => t.name)).toEqual(['t0', 't1', 't2']);
    expect((await api.getDataTable(tables[0]!.id, { schema: true })).schema).toEqual({ properties: {} });
    expect((await api.getDataTable('t2')).id).toBe(tables[2]!.id);
    expect(await rejectionOf(api.getDataTable('nope'))).toMatchObject({ code: 'E_HTTP_NOT_FOUND' });
    expect(await api.getDataTableRows(tables[0]!.id)).toEqual([{ key: 'a' }, { key: 'b' }]);
  });

  it('notification channel calls: create, HEAD (404 = gone), PUT subscriptions, DELETE', async () => {
    const created = fixture<{ id: string; connectUri: string; expires: string }>(
      'channels/notification_channel_created.json',
    );
    let put: unknown;
    server.use(
      http.post(`${API}/api/v2/notifications/channels`, () => json(created)),
      http.head(
        `${API}/api/v2/notifications/channels/:id`,
        ({ params }) => new HttpResponse(null, { status: params.id === created.id ? 200 : 404 }),
      ),
      http.put(`${API}/api/v2/notifications/channels/:id/subscriptions`, async ({ request }) => {
        put = await request.json();
        return json({
          entities: [{ id: 'v2.a' }, { id: 'v2.b', state: 'Rejected', rejectionReason: 'missing permission' }],
        });
      }),
      http.delete(
        `${API}/api/v2/notifications/channels/:id/subscriptions`,
        () => new HttpResponse(null, { status: 200 }),
      ),
    );
    const { api } = setup();
    expect(await api.createChannel()).toEqual(created);
    expect(await api.channelExists(created.id)).toBe(true);
    expect(await api.channelExists('other')).toBe(false);
    expect(await api.setSubscriptions(created.id, ['v2.a', 'v2.b'])).toEqual({
      rejected: [{ id: 'v2.b', reason: 'missing permission' }],
    });
    expect(put).toEqual([{ id: 'v2.a' }, { id: 'v2.b' }]);
    await api.deleteSubscriptions(created.id);
  });
});

describe('createGenesysApi: failures become coded KaaErrors', () => {
  it('401 → one silent re-login, then the retry succeeds with the new token', async () => {
    const tokens: string[] = [];
    server.use(
      http.get(`${API}/api/v2/users/me`, ({ request }) => {
        const a = request.headers.get('authorization') ?? '';
        tokens.push(a);
        return a === `Bearer ${TOKEN2}`
          ? json({ id: 'u1' })
          : json({ status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' }, { status: 401 });
      }),
    );
    const s = setup();
    expect((await s.api.getMe()).id).toBe('u1');
    expect(s.relogins()).toBe(1);
    expect(tokens).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN2}`]);
  });

  it('401 → one re-login, then 401 again → E_HTTP_UNAUTHORIZED (no second re-login)', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/api/v2/users/me`, () => {
        calls += 1;
        return json(
          { status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' },
          { status: 401, headers: { 'inin-correlation-id': 'corr-401' } },
        );
      }),
    );
    const s = setup();
    const e = await rejectionOf(s.api.getMe());
    expect(e).toBeInstanceOf(KaaError);
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.details).toMatchObject({ status: 401, genesysCode: 'bad.credentials', correlationId: 'corr-401' });
    expect(s.relogins()).toBe(1);
    expect(calls).toBe(2);
  });

  it('429 with Retry-After waits that many seconds, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/api/v2/users/me`, () => {
        calls += 1;
        return calls === 1
          ? json(
              {
                status: 429,
                code: 'too.many.requests.retry.after',
                message: 'Rate limit exceeded the maximum [300] requests within [60] seconds',
              },
              { status: 429, headers: { 'Retry-After': '2' } },
            )
          : json({ id: 'u1' });
      }),
    );
    const s = setup();
    expect((await s.api.getMe()).id).toBe('u1');
    expect(s.timers.delays).toEqual([2000]);
  });

  it('429 without Retry-After backs off exponentially with jitter; after 3 attempts E_RATE_LIMITED', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/api/v2/conversations/messages/:c/communications/:k/messages`, () => {
        calls += 1;
        return json(
          { status: 429, code: 'too.many.requests', message: 'slow down' },
          { status: 429, headers: { 'inin-correlation-id': 'corr-429' } },
        );
      }),
    );
    const s = setup();
    const e = await rejectionOf(s.api.sendMessage(CONV, 'comm', 'hi'));
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.details).toMatchObject({
      status: 429,
      attempts: 3,
      genesysCode: 'too.many.requests',
      correlationId: 'corr-429',
    });
    expect(calls).toBe(3);
    expect(s.timers.delays).toHaveLength(2);
    expect(s.timers.delays[0]).toBeLessThanOrEqual(500);
    expect(s.timers.delays[1]).toBeLessThanOrEqual(1000);
  });

  it('5xx: a GET is retried (then succeeds); a POST send is not retried', async () => {
    let gets = 0;
    let posts = 0;
    server.use(
      http.get(`${API}/api/v2/conversations/:id`, () => {
        gets += 1;
        return gets < 3
          ? json({ status: 503, code: 'service.unavailable', message: 'down' }, { status: 503 })
          : json({ ...conversation, id: CONV });
      }),
      http.post(`${API}/api/v2/conversations/messages/:c/communications/:k/messages`, () => {
        posts += 1;
        return json({ status: 500, code: 'internal.server.error', message: 'boom' }, { status: 500 });
      }),
    );
    const s = setup();
    expect((await s.api.getConversation(CONV)).id).toBe(CONV);
    expect(gets).toBe(3);
    const e = await rejectionOf(s.api.sendMessage(CONV, 'comm', 'hi'));
    expect(e.code).toBe('E_HTTP_SERVER');
    expect(e.details).toMatchObject({ attempts: 1, status: 500 });
    expect(posts).toBe(1);
  });

  it('5xx: the bulk message read (a POST) is retried as a read; GET gives up after 3 attempts with E_HTTP_SERVER', async () => {
    let bulk = 0;
    let gets = 0;
    server.use(
      http.post(`${API}/api/v2/conversations/messages/:c/messages/bulk`, () => {
        bulk += 1;
        return bulk === 1 ? new HttpResponse('bad gateway', { status: 502 }) : json({ entities: [{ id: 'a' }] });
      }),
      http.get(`${API}/api/v2/users/me`, () => {
        gets += 1;
        return new HttpResponse(null, { status: 500 });
      }),
    );
    const s = setup();
    expect(await s.api.getMessages(CONV, ['a'])).toHaveLength(1);
    expect(bulk).toBe(2);
    expect(await rejectionOf(s.api.getMe())).toMatchObject({ code: 'E_HTTP_SERVER', details: { attempts: 3 } });
    expect(gets).toBe(3);
  });

  it('404 on a conversation → E_CONVERSATION_NOT_FOUND keeping the Genesys code and correlation id (real payload)', async () => {
    server.use(
      http.get(`${API}/api/v2/conversations/:id`, () =>
        json(notFound.body, { status: 404, headers: notFound.headers }),
      ),
    );
    const e = await rejectionOf(setup().api.getConversation(CONV));
    expect(e.code).toBe('E_CONVERSATION_NOT_FOUND');
    expect(e.step).toBe('conversation');
    expect(e.message).toContain(CONV);
    expect(e.details).toMatchObject({
      status: 404,
      genesysCode: 'not.found',
      correlationId: 'd11bd3b3-ab7e-4fd4-9687-d04af9f30a63',
    });
  });

  it('404 elsewhere → E_HTTP_NOT_FOUND; 403 → E_HTTP_FORBIDDEN naming the scope; 400 → E_HTTP_BAD_REQUEST', async () => {
    server.use(
      http.get(`${API}/api/v2/routing/queues/:id`, () => json(notFound.body, { status: 404 })),
      http.get(`${API}/api/v2/flows/datatables`, () =>
        json(
          {
            status: 403,
            code: 'missing.any.permissions',
            message:
              'Unable to perform the requested action. You must have at least one of the following permissions assigned: [architect:datatable:view]',
          },
          { status: 403 },
        ),
      ),
      http.get(`${API}/api/v2/users/me`, () =>
        json({ status: 400, code: 'bad.request', message: 'no' }, { status: 400 }),
      ),
    );
    const { api } = setup();
    expect(await rejectionOf(api.getQueue('q1'))).toMatchObject({
      code: 'E_HTTP_NOT_FOUND',
      details: { genesysCode: 'not.found' },
    });
    const forbidden = await rejectionOf(api.listDataTables());
    expect(forbidden.code).toBe('E_HTTP_FORBIDDEN');
    expect(forbidden.message).toContain('architect:readonly');
    expect(forbidden.details.genesysCode).toBe('missing.any.permissions');
    // the panel names what was called: method, origin and path, never the query
    expect(forbidden.message).toContain(`(HTTP 403, GET ${API}/api/v2/flows/datatables)`);
    expect(forbidden.message).not.toContain('pageSize');
    expect(forbidden.details['url']).toBe(`${API}/api/v2/flows/datatables`);
    expect(await rejectionOf(api.getMe())).toMatchObject({ code: 'E_HTTP_BAD_REQUEST' });
  });

  it('malformed bodies → E_RESPONSE_INVALID (not JSON, wrong shape, empty)', async () => {
    server.use(
      http.get(
        `${API}/api/v2/users/me`,
        () => new HttpResponse('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      ),
      http.get(`${API}/api/v2/conversations/:id`, () => json({ id: CONV, participants: 'none' })),
      http.get(`${API}/api/v2/routing/queues/:id`, () => new HttpResponse('', { status: 200 })),
    );
    const { api } = setup();
    expect(await rejectionOf(api.getMe())).toMatchObject({ code: 'E_RESPONSE_INVALID' });
    const shape = await rejectionOf(api.getConversation(CONV));
    expect(shape.code).toBe('E_RESPONSE_INVALID');
    expect(shape.details.issues[0]).toContain('participants');
    expect(await rejectionOf(api.getQueue('q'))).toMatchObject({ code: 'E_RESPONSE_INVALID' });
  });

  it('network failure → retried for GET, then E_NETWORK', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/api/v2/users/me`, () => {
        calls += 1;
        return HttpResponse.error();
      }),
    );
    expect(await rejectionOf(setup().api.getMe())).toMatchObject({ code: 'E_NETWORK', details: { attempts: 3 } });
    expect(calls).toBe(3);
  });

  it('no token and no way to sign in → E_AUTH_EXPIRED without a request', async () => {
    const api = createGenesysApi({ environment: ENV, auth: { getToken: () => null } });
    expect(await rejectionOf(api.getMe())).toMatchObject({ code: 'E_AUTH_EXPIRED' });
    expect(seen).toEqual([]);
  });
});

describe('secrets', () => {
  it('no request URL, log line or error (message, details, JSON) carries the token, even when Genesys echoes it', async () => {
    server.use(
      http.get(`${API}/api/v2/users/me`, ({ request }) =>
        json(
          {
            status: 401,
            code: 'bad.credentials',
            message: `Token ${request.headers.get('authorization')?.slice(7)} is not valid`,
          },
          { status: 401 },
        ),
      ),
      http.get(`${API}/api/v2/conversations/:id`, ({ request }) =>
        json(
          { status: 500, code: 'x', message: `upstream said: ${request.headers.get('authorization')}` },
          { status: 500, headers: { 'inin-correlation-id': 'c' } },
        ),
      ),
    );
    const s = setup();
    const errors = [await rejectionOf(s.api.getMe()), await rejectionOf(s.api.getConversation(CONV))];
    const out = [
      ...seen,
      ...s.logger.lines,
      ...errors.flatMap((e) => [e.message, JSON.stringify(e.details), JSON.stringify(e)]),
    ].join('\n');
    expect(errors.map((e) => e.code)).toEqual(['E_HTTP_UNAUTHORIZED', 'E_HTTP_SERVER']);
    expect(out).toContain('[REDACTED]');
    expectNoSecrets(out, [TOKEN, TOKEN2]);
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('property: any response is a value or a KaaError', () => {
  it('getConversation never throws anything but a KaaError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.constant(JSON.stringify({ id: CONV, participants: [] })),
          fc.constant('{"id":1}'),
        ),
        fc.option(fc.constantFrom('0', '1', 'abc', '-5', '1e9'), { nil: undefined }),
        async (status, body, retryAfter) => {
          const api = createGenesysApi({
            environment: ENV,
            auth: { getToken: () => TOKEN },
            timers: { setTimeout: (fn) => (queueMicrotask(fn), 0), clearTimeout: () => {} },
            fetch: async () =>
              new Response(status === 204 ? null : body, {
                status,
                headers: retryAfter ? { 'retry-after': retryAfter } : {},
              }),
          });
          try {
            const c = await api.getConversation(CONV);
            expect(typeof c.id).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
            expect(JSON.stringify(e)).not.toContain(TOKEN);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
