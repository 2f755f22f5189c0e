import { KaaError } from '@kaa/core';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { expectNoSecrets, mockHttp, rejectionOf } from '@kaa/test-support';
import { exchangeWidgetToken, type WidgetTokenExchangeInput } from '../src/index.js';
import { captureLogger, fakeTime } from './helpers.js';

const AA = 'https://platform.kore.ai';
const GRANT_URL = `${AA}/api/1.1/oAuth/token/jwtgrant`;
const BOT = 'st-a1fa0000-0000-4000-8000-000000000001';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.widget-token-payload.signature-SECRET';
const ACCESS = 'kore-access-token-SECRET-0123456789';

const { server, seen } = mockHttp();

const ok = (over: Record<string, unknown> = {}) =>
  HttpResponse.json({
    authorization: {
      token_type: 'bearer',
      accessToken: ACCESS,
      issuedDate: '2026-11-26T09:00:00.000Z',
      expiresDate: '2026-11-26T10:00:00.000Z',
    },
    userInfo: { userId: 'u-a9e0', accountId: '6a1c0000000000000000acc1' },
    ...over,
  });

function call(over: Partial<WidgetTokenExchangeInput> = {}) {
  const time = fakeTime();
  const logger = captureLogger();
  const input: WidgetTokenExchangeInput = {
    agentAssistUrl: AA,
    token: TOKEN,
    botId: BOT,
    fetch: (u, i) => fetch(u, i),
    now: time.now,
    sleep: time.sleep,
    logger,
    ...over,
  };
  return { time, logger, result: exchangeWidgetToken(input) };
}

describe('exchangeWidgetToken', () => {
  it('POSTs {assertion, botInfo: {chatBot, taskBotId}, token: {}} to {agentassisturl}/api/1.1/oAuth/token/jwtgrant and returns tokenType and accountId only', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      http.post(GRANT_URL, async ({ request }) => {
        body = await request.json();
        contentType = request.headers.get('content-type');
        return ok();
      }),
    );
    const { result, logger } = call({ agentAssistUrl: `${AA}/` });
    const grant = await result;
    expect(grant).toEqual({
      tokenType: 'bearer',
      accountId: '6a1c0000000000000000acc1',
      userId: 'u-a9e0',
      expiresAt: Date.parse('2026-11-26T10:00:00.000Z'),
    });
    expect('accessToken' in grant).toBe(false);
    expect(body).toEqual({ assertion: TOKEN, botInfo: { chatBot: BOT, taskBotId: BOT }, token: {} });
    expect(contentType).toBe('application/json');
    expect(seen).toEqual([`POST ${GRANT_URL}`]);
    expectNoSecrets([logger.lines, grant], [TOKEN, ACCESS]);
  });

  it('returns the access token only when asked; chatBot is passed through', async () => {
    let body: { botInfo?: { chatBot?: string } } = {};
    server.use(
      http.post(
        GRANT_URL,
        async ({ request }) => ((body = (await request.json()) as typeof body), ok({ userInfo: undefined })),
      ),
    );
    const grant = await call({ includeAccessToken: true, chatBot: 'Alpha Customer Service' }).result;
    expect(grant).toMatchObject({ tokenType: 'bearer', accessToken: ACCESS });
    expect(grant.accountId).toBeUndefined();
    expect(body.botInfo?.chatBot).toBe('Alpha Customer Service');
  });

  it('a refused token → E_HTTP_UNAUTHORIZED naming the bot and the credentials to check; no secret anywhere', async () => {
    server.use(
      http.post(GRANT_URL, () =>
        HttpResponse.json(
          { errors: [{ msg: 'error verifying the jwt: signature verification failed', code: 401 }] },
          { status: 401 },
        ),
      ),
    );
    const { result, logger } = call();
    const e = await rejectionOf(result);
    expect(e).toBeInstanceOf(KaaError);
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.message).toContain(
      `the widget token was rejected: check ClientId/ClientSecret (or RSPrivatePem) of bot "${BOT}"`,
    );
    expect(e.message).toContain('signature verification failed');
    expect(e.details).toMatchObject({ status: 401, url: GRANT_URL });
    expectNoSecrets([logger.lines, e], [TOKEN, ACCESS]);
  });

  it('a 400 body whose errors[].code is 401 also counts as a refused token; a wrong taskBotId (400) is E_HTTP_BAD_REQUEST', async () => {
    server.use(
      http.post(GRANT_URL, () =>
        HttpResponse.json({ errors: [{ msg: 'error verifying the jwt: jwt expired', code: 401 }] }, { status: 400 }),
      ),
    );
    expect((await rejectionOf(call().result)).code).toBe('E_HTTP_UNAUTHORIZED');
    server.use(
      http.post(GRANT_URL, () =>
        HttpResponse.json(
          { errors: [{ msg: 'botInfo.taskBotId "st-x" is not the bot of client id "cs-1"', code: 400 }] },
          { status: 400 },
        ),
      ),
    );
    const e = await rejectionOf(call().result);
    expect(e.code).toBe('E_HTTP_BAD_REQUEST');
    expect(e.message).toContain('taskBotId');
  });

  it('maps 403, 404 (wrong agentassisturl), 5xx, a network failure and a body without accessToken to coded errors', async () => {
    const cases: [number | 'network' | 'no-token', string][] = [
      [403, 'E_HTTP_FORBIDDEN'],
      [404, 'E_HTTP_NOT_FOUND'],
      [500, 'E_HTTP_SERVER'],
      ['network', 'E_NETWORK'],
      ['no-token', 'E_RESPONSE_INVALID'],
    ];
    for (const [kind, code] of cases) {
      server.use(
        http.post(GRANT_URL, () =>
          kind === 'network'
            ? HttpResponse.error()
            : kind === 'no-token'
              ? HttpResponse.json({ authorization: { token_type: 'bearer' } })
              : HttpResponse.json({ errors: [{ msg: 'nope' }] }, { status: kind }),
        ),
      );
      const e = await rejectionOf(call().result);
      expect([kind, e.code]).toEqual([kind, code]);
      expectNoSecrets(e, [TOKEN]);
    }
  });

  it('retries once after throttling (Retry-After), then raises E_RATE_LIMITED', async () => {
    let n = 0;
    server.use(
      http.post(GRANT_URL, () =>
        ++n === 1
          ? HttpResponse.json({ errors: [{ msg: 'rate limit' }] }, { status: 429, headers: { 'Retry-After': '3' } })
          : ok(),
      ),
    );
    const first = call();
    expect((await first.result).tokenType).toBe('bearer');
    expect(first.time.waits).toEqual([3000]);
    server.use(
      http.post(GRANT_URL, () =>
        HttpResponse.json({ errors: [{ msg: 'rate limit' }] }, { status: 429, headers: { 'Retry-After': '1' } }),
      ),
    );
    expect((await rejectionOf(call().result)).code).toBe('E_RATE_LIMITED');
  });

  it('refuses an unusable agentassisturl, token or bot id with E_CONFIG_INVALID and sends nothing', async () => {
    for (const over of [
      { agentAssistUrl: 'not a url' },
      { agentAssistUrl: 'http://platform.kore.ai' },
      { agentAssistUrl: `${AA}/?x=1` },
      { token: '  ' },
      { botId: '' },
    ]) {
      const e = await rejectionOf(call(over).result);
      expect(e.code).toBe('E_CONFIG_INVALID');
    }
    expect(seen).toEqual([]);
    const loopback = 'http://127.0.0.1:9/';
    server.use(http.post('http://127.0.0.1:9/api/1.1/oAuth/token/jwtgrant', () => ok()));
    expect((await call({ agentAssistUrl: loopback }).result).tokenType).toBe('bearer');
  });

  it('property: no answer makes it throw anything but a KaaError, and the tokens never show', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 200, max: 299 }), fc.integer({ min: 400, max: 599 })), // (3xx: fetch follows redirects)
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.constant(JSON.stringify({ authorization: { accessToken: ACCESS } })),
          fc.constant(`{"errors":[{"msg":"${TOKEN}","code":401}]}`),
        ),
        async (status, text) => {
          server.use(
            http.post(
              GRANT_URL,
              () =>
                new HttpResponse(status === 204 || status === 205 || status === 304 ? null : text, {
                  status,
                  headers: { 'content-type': 'application/json' },
                }),
            ),
          );
          const { result, logger } = call({ retry: { maxRetries: 0 } });
          try {
            const grant = await result;
            expectNoSecrets([grant, logger.lines], [TOKEN, ACCESS]);
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
            expectNoSecrets([e, logger.lines], [TOKEN, ACCESS]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
