import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_CLIENTS, s256Challenge, startGenesys, type GenesysServers } from '@kaa/sandbox';

const PAGE = 'http://127.0.0.1:5998';
const LANDING = `${PAGE}/koreaiaa-genesys/`;
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('sandbox fault refuseFraming (docs/genesys-protocol.md#redirect-or-popup-inside-the-iframe: an IdP that refuses to be framed)', () => {
  let g: GenesysServers;
  beforeAll(async () => {
    g = await startGenesys({ pageOrigin: PAGE });
  });
  afterAll(async () => {
    await g.close();
  });
  beforeEach(async () => {
    await g.service.reset();
  });

  const pkce = {
    client_id: OAUTH_CLIENTS.pkce.id,
    response_type: 'code',
    redirect_uri: LANDING,
    code_challenge: s256Challenge(VERIFIER),
    code_challenge_method: 'S256',
    state: 'st-1',
  };
  const authorize = (params: Record<string, string>) =>
    fetch(`${g.loginOrigin}/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });

  it('off by default: a plain 302 without framing headers', async () => {
    const res = await authorize(pkce);
    expect(res.status).toBe(302);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('on: X-Frame-Options DENY + frame-ancestors none, a sign-in page that continues to the same answer; the code still works', async () => {
    g.service.faults({ refuseFraming: true });
    expect(g.service.faultState.toJSON().refuseFraming).toBe(true);
    const res = await authorize(pkce);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    const html = await res.text();
    const next = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(html)?.[1]?.replaceAll('&#38;', '&');
    expect(next).toBeDefined();
    const location = new URL(next!);
    expect(location.origin + location.pathname).toBe(LANDING);
    expect(location.searchParams.get('state')).toBe('st-1');
    const token = await fetch(`${g.loginOrigin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: location.searchParams.get('code')!,
        redirect_uri: LANDING,
        client_id: OAUTH_CLIENTS.pkce.id,
        code_verifier: VERIFIER,
      }),
    });
    expect(token.status).toBe(200);
  });

  it('on: error pages and error answers carry the headers too', async () => {
    g.service.faults({ refuseFraming: true });
    const bad = await authorize({ client_id: 'nobody', redirect_uri: LANDING });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-frame-options')).toBe('DENY');
    const refused = await authorize({ ...pkce, client_id: OAUTH_CLIENTS.implicit.id });
    expect(refused.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(await refused.text()).toContain('error=unauthorized_client');
  });

  it('false, or reset, turns it off', async () => {
    g.service.faults({ refuseFraming: true });
    g.service.faults({ refuseFraming: false });
    expect((await authorize(pkce)).headers.get('x-frame-options')).toBeNull();
    g.service.faults({ refuseFraming: true });
    await g.service.reset();
    expect((await authorize(pkce)).status).toBe(302);
  });

  it('a non-boolean is E_PARAM_INVALID', () => {
    expect(() => g.service.faults({ refuseFraming: 'yes' })).toThrow(
      expect.objectContaining({ code: 'E_PARAM_INVALID' }),
    );
  });
});
