/**
 * The doctor's widget token check in process, with an injected fetch: kore-client's exchangeWidgetToken does the
 * jwtgrant call; this checks the doctor's wrapping — each refusal keeps its code and gets the admin's fix (which
 * row holds the credentials), an unreachable host is "not checked", and no planted secret or token leaks.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKaaError, KaaError } from '@kaa/core';
import { checkWidgetToken, type WidgetTokenCheckInput } from '../src/doctor/check-widget-token.js';

const SECRET = 'planted-client-secret-4e1d';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjcy0xIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const BOT = 'st-a1fa0000-0000-4000-8000-000000000001';
const CREDENTIALS = 'the ClientSecret in row 0 of Kore Data Table "kaa_bots"';

function input(
  fetch: WidgetTokenCheckInput['fetch'],
  patch: Partial<WidgetTokenCheckInput> = {},
): WidgetTokenCheckInput {
  return {
    agentAssistUrl: 'https://agentassist.kore.ai',
    token: TOKEN,
    botId: BOT,
    clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
    credentials: CREDENTIALS,
    fetch,
    now: () => Date.UTC(2026, 0, 1),
    timeoutMs: 1000,
    secrets: [SECRET],
    ...patch,
  };
}

const answer = (status: number, body: unknown) => async () =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** Every rendering of an error a person or a log could see. */
const renderings = (e: KaaError) => [
  e.message,
  JSON.stringify(e.toJSON()),
  String(e),
  e.stack ?? '',
  inspect(e, { depth: 10 }),
];

describe('checkWidgetToken (doctor step "widget token")', () => {
  it('posts the widget token to {agentassisturl}/api/1.1/oAuth/token/jwtgrant through kore-client and keeps no access token', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const check = await checkWidgetToken(
      input(async (url, init) => {
        seen.push({ url, init });
        return new Response(
          JSON.stringify({
            authorization: { token_type: 'bearer', accessToken: 'opaque-access-token' },
            userInfo: { accountId: 'acc-1' },
          }),
          { status: 200 },
        );
      }),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://agentassist.kore.ai/api/1.1/oAuth/token/jwtgrant');
    expect(seen[0]?.init.method).toBe('POST');
    expect(seen[0]?.init.signal).toBeInstanceOf(AbortSignal);
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual({
      assertion: TOKEN,
      botInfo: { chatBot: BOT, taskBotId: BOT },
      token: {},
    });
    expect(check).toEqual({ checked: true, grant: { tokenType: 'bearer', accountId: 'acc-1' } });
    expect(JSON.stringify(check)).not.toContain('opaque-access-token');
  });

  it("401 → E_HTTP_UNAUTHORIZED naming the row's credentials and the bot, with Kore's words; the planted secret and the token never appear", async () => {
    const error = await checkWidgetToken(
      input(
        answer(401, {
          errors: [{ msg: `error verifying the jwt: invalid signature for ${SECRET} in ${TOKEN}`, code: 401 }],
        }),
      ),
    ).catch((e: unknown) => e);
    expect(isKaaError(error, 'E_HTTP_UNAUTHORIZED')).toBe(true);
    const e = error as KaaError;
    expect(e.message).toContain(
      `${CREDENTIALS} does not match bot ${BOT} (ClientId cs-a1fa0000-0000-4000-8000-000000000001)`,
    );
    expect(e.message).toContain('JWT App Details of bot');
    expect(e.message).toContain('error verifying the jwt');
    expect(e.details).toMatchObject({ status: 401, botId: BOT, agentAssistUrl: 'https://agentassist.kore.ai' });
    for (const text of renderings(e)) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('errors[].code 401 in a 200 is a refusal too', async () => {
    const error = await checkWidgetToken(input(answer(200, { errors: [{ msg: 'invalid token', code: 401 }] }))).catch(
      (e: unknown) => e,
    );
    expect(isKaaError(error, 'E_HTTP_UNAUTHORIZED')).toBe(true);
    expect((error as KaaError).message).toContain(`${CREDENTIALS} does not match`);
  });

  it.each([
    [400, 'E_HTTP_BAD_REQUEST', "same bot's JWT App Details"],
    [403, 'E_HTTP_FORBIDDEN', 'published'],
    [404, 'E_KORE_HOST_WRONG', 'settings kore.agentAssistUrl'], // a bare 404: the host is not Agent AI
    [429, 'E_RATE_LIMITED', 'Run kaa doctor again in a minute'],
    [500, 'E_HTTP_SERVER', 'backend services'],
    [503, 'E_HTTP_SERVER', 'backend services'],
  ] as const)("HTTP %i → %s with the doctor's fix, asked once (no retry)", async (status, code, fix) => {
    let calls = 0;
    const error = await checkWidgetToken(input(async () => (calls++, answer(status, 'not json')()))).catch(
      (e: unknown) => e,
    );
    expect(isKaaError(error, code)).toBe(true);
    expect((error as KaaError).message).toContain(fix);
    expect((error as KaaError).details['status']).toBe(status);
    expect(calls).toBe(1);
  });

  it('no answer (connection refused, or nothing within timeoutMs) → not checked, the E_NETWORK kept for the report', async () => {
    const refused = await checkWidgetToken(
      input(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    expect(refused.checked).toBe(false);
    expect(!refused.checked && refused.unreachable.code).toBe('E_NETWORK');

    const started = Date.now();
    const hanging = await checkWidgetToken(
      input(
        (_url, init) =>
          new Promise<Response>((_resolve, reject) =>
            init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
          ),
        { timeoutMs: 50 },
      ),
    );
    expect(hanging.checked).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an answer that breaks off while being read is a failure (E_NETWORK with the status), not "not checked"', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"authorization":'));
        controller.error(new Error('socket hang up'));
      },
    });
    const error = await checkWidgetToken(input(async () => new Response(broken, { status: 200 }))).catch(
      (e: unknown) => e,
    );
    expect(isKaaError(error, 'E_NETWORK')).toBe(true);
    expect((error as KaaError).message).toContain('broke off');
    expect((error as KaaError).details['status']).toBe(200);
  });

  it('a 2xx without authorization.accessToken → E_RESPONSE_INVALID pointing at the agentassisturl', async () => {
    const error = await checkWidgetToken(input(answer(200, { authorization: {} }))).catch((e: unknown) => e);
    expect(isKaaError(error, 'E_RESPONSE_INVALID')).toBe(true);
    expect((error as KaaError).message).toContain('AgentAssistWidgetURL');
    expect((error as KaaError).message).toContain('settings kore.agentAssistUrl');
  });

  it('an agentassisturl that is not https (outside loopback) → E_CONFIG_INVALID before any request', async () => {
    let calls = 0;
    const error = await checkWidgetToken(
      input(async () => (calls++, answer(200, {})()), { agentAssistUrl: 'http://agentassist.example.com' }),
    ).catch((e: unknown) => e);
    expect(isKaaError(error, 'E_CONFIG_INVALID')).toBe(true);
    expect((error as KaaError).message).toContain('settings kore.agentAssistUrl');
    expect(calls).toBe(0);
  });

  it('property: any status and body give a checked grant or a KaaError, never leaking the planted secret or the token', async () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({
        errors: fc.array(
          fc.record({
            msg: fc.oneof(fc.string(), fc.constant(SECRET), fc.constant(`bad ${TOKEN}`)),
            code: fc.anything(),
          }),
        ),
      }),
      fc.record(
        {
          authorization: fc.record(
            { accessToken: fc.oneof(fc.string(), fc.integer()), token_type: fc.string() },
            { requiredKeys: [] },
          ),
          userInfo: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }).filter((s) => ![204, 205, 304].includes(s)),
        body,
        async (status, payload) => {
          try {
            const check = await checkWidgetToken(input(answer(status, payload)));
            expect(check.checked).toBe(true);
            // only a 2xx answer is a grant (an unfollowed 3xx is E_RESPONSE_INVALID)
            expect(status).toBeLessThan(300);
            expect(JSON.stringify(check)).not.toContain(TOKEN);
          } catch (e) {
            expect(e).toBeInstanceOf(KaaError);
            for (const text of renderings(e as KaaError)) {
              expect(text).not.toContain(SECRET);
              expect(text).not.toContain(TOKEN);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
