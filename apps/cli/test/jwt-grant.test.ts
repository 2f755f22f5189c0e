/**
 * checkJwtGrant in process, with an injected fetch: the request it sends, each refusal's code and fix, and
 * fast-check properties (any status and body → a result or a KaaError; planted secrets never leak).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKaaError, KaaError } from '@kaa/core';
import { checkJwtGrant, type JwtGrantInput } from '../src/doctor/jwt-grant.js';

const SECRET = 'planted-client-secret-4e1d';
const ASSERTION = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJjcy0xIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

function input(fetch: JwtGrantInput['fetch']): JwtGrantInput {
  return {
    agentAssistUrl: 'https://agentassist.kore.ai/',
    assertion: ASSERTION,
    botId: 'st-a1fa0000-0000-4000-8000-000000000001',
    clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
    credentials: 'the ClientSecret in row 0 of Kore Data Table "kaa_bots"',
    fetch,
    timeoutMs: 1000,
    secrets: [SECRET],
  };
}

const answer = (status: number, body: unknown) => async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('checkJwtGrant', () => {
  it('posts {assertion, botInfo: {chatBot, taskBotId}, token: {}} to {agentassisturl}/api/1.1/oAuth/token/jwtgrant and drops the access token', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const result = await checkJwtGrant(
      input(async (url, init) => {
        seen.push({ url, init });
        return new Response(JSON.stringify({ authorization: { token_type: 'bearer', accessToken: 'opaque-access-token' }, userInfo: { accountId: 'acc-1' } }), { status: 200 });
      }),
    );
    expect(seen[0]?.url).toBe('https://agentassist.kore.ai/api/1.1/oAuth/token/jwtgrant');
    expect(seen[0]?.init.method).toBe('POST');
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual({ assertion: ASSERTION, botInfo: { chatBot: 'st-a1fa0000-0000-4000-8000-000000000001', taskBotId: 'st-a1fa0000-0000-4000-8000-000000000001' }, token: {} });
    expect(result).toEqual({ status: 200, tokenType: 'bearer', accountId: 'acc-1' });
    expect(JSON.stringify(result)).not.toContain('opaque-access-token');
  });

  it('401 → E_HTTP_UNAUTHORIZED saying the credentials do not match the bot, with Kore\'s message redacted', async () => {
    const error = await checkJwtGrant(input(answer(401, { errors: [{ msg: `error verifying the jwt: invalid signature for ${SECRET}`, code: 401 }] }))).catch((e: unknown) => e);
    expect(isKaaError(error, 'E_HTTP_UNAUTHORIZED')).toBe(true);
    const e = error as KaaError;
    expect(e.message).toContain('the ClientSecret in row 0 of Kore Data Table "kaa_bots" does not match bot st-a1fa0000-0000-4000-8000-000000000001');
    expect(e.message).toContain('error verifying the jwt');
    expect(JSON.stringify(e.toJSON())).not.toContain(SECRET);
    expect(JSON.stringify(e.toJSON())).not.toContain(ASSERTION);
  });

  it.each([
    [400, 'E_HTTP_BAD_REQUEST', 'same bot'],
    [403, 'E_HTTP_FORBIDDEN', 'published'],
    [404, 'E_HTTP_NOT_FOUND', 'kore.agentAssistUrl'],
    [429, 'E_RATE_LIMITED', 'again'],
    [500, 'E_HTTP_SERVER', 'backend services'],
  ] as const)('HTTP %i → %s with the fix', async (status, code, fix) => {
    const error = await checkJwtGrant(input(answer(status, 'not json'))).catch((e: unknown) => e);
    expect(isKaaError(error, code)).toBe(true);
    expect((error as KaaError).message).toContain(fix);
  });

  it('no answer → E_NETWORK with details.unreachable; a 200 without accessToken → E_RESPONSE_INVALID', async () => {
    const down = await checkJwtGrant(input(async () => { throw new TypeError('fetch failed'); })).catch((e: unknown) => e);
    expect(isKaaError(down, 'E_NETWORK') && down.details['unreachable']).toBe(true);
    const empty = await checkJwtGrant(input(answer(200, { authorization: {} }))).catch((e: unknown) => e);
    expect(isKaaError(empty, 'E_RESPONSE_INVALID')).toBe(true);
  });

  it('property: any status and body give a result or a KaaError, never leaking the planted secret or the assertion', async () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ errors: fc.array(fc.record({ msg: fc.oneof(fc.string(), fc.constant(SECRET), fc.constant(`bad ${ASSERTION}`)), code: fc.anything() })) }),
      fc.record({ authorization: fc.record({ accessToken: fc.oneof(fc.string(), fc.integer()), token_type: fc.string() }, { requiredKeys: [] }), userInfo: fc.anything() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), body, async (status, payload) => {
        try {
          const result = await checkJwtGrant(input(answer(status, payload)));
          expect(status >= 200 && status < 300).toBe(true);
          expect(typeof result.tokenType).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(KaaError);
          const text = JSON.stringify((e as KaaError).toJSON());
          expect(text).not.toContain(SECRET);
          expect(text).not.toContain(ASSERTION);
        }
      }),
      { numRuns: 300 },
    );
  });
});
