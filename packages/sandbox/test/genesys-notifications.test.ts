import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CONVERSATIONS,
  OAUTH_CLIENTS,
  TOKEN_EXPIRED_CLOSE,
  USERS,
  startGenesys,
  type GenesysServers,
} from '@kaa/sandbox';

interface Frame {
  topicName: string;
  version?: string;
  eventBody: Record<string, unknown>;
  metadata?: { CorrelationId: string };
}

/** A socket that records every frame, with a waiter for the next matching one. */
class Recorder {
  readonly frames: Frame[] = [];
  readonly ws: WebSocket;
  closed?: { code: number };
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (d) => this.frames.push(JSON.parse(String(d)) as Frame));
    this.ws.on('close', (code) => (this.closed = { code }));
    this.ws.on('error', () => undefined);
  }
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
  }
  async next(accept: (f: Frame) => boolean, timeoutMs = 3000): Promise<Frame> {
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
      const f = this.frames.find(accept);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no matching frame');
  }
  async waitClosed(timeoutMs = 3000): Promise<{ code: number }> {
    const start = Date.now();
    while (!this.closed && Date.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 10));
    if (!this.closed) throw new Error('socket still open');
    return this.closed;
  }
}

describe('sandbox notification channels and sockets', () => {
  let g: GenesysServers;
  let now = Date.parse('2026-03-01T10:00:00Z');
  const sockets: Recorder[] = [];

  beforeAll(async () => {
    g = await startGenesys({
      heartbeatIntervalMs: 60,
      socketClosingGraceMs: 80,
      channelTtlMs: 3_600_000,
      tokenTtlSeconds: 7200,
      env: { now: () => now },
    });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.ws.terminate();
    await g.driver.reset();
  });
  afterAll(async () => {
    await g.close();
  });

  async function api(token: string, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${g.apiOrigin}/api/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
  async function channel(
    token: string,
    topics: string[],
  ): Promise<{ id: string; connectUri: string; expires: string }> {
    const ch = (await (await api(token, 'POST', '/notifications/channels')).json()) as {
      id: string;
      connectUri: string;
      expires: string;
    };
    if (topics.length)
      expect(
        (
          await api(
            token,
            'POST',
            `/notifications/channels/${ch.id}/subscriptions`,
            topics.map((id) => ({ id })),
          )
        ).status,
      ).toBe(200);
    return ch;
  }
  async function connect(uri: string): Promise<Recorder> {
    const r = new Recorder(uri);
    sockets.push(r);
    await r.open();
    return r;
  }
  const transcription = `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`;

  it('the socket handshake gets the injected latency of its path, like the API routes', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, []);
    const time = async (): Promise<number> => {
      const r = new Recorder(ch.connectUri);
      sockets.push(r);
      const t0 = performance.now();
      await r.open();
      const ms = performance.now() - t0;
      r.ws.terminate();
      return ms;
    };
    g.driver.faults({ latencyMs: { '/channels': 250 } });
    expect(await time()).toBeGreaterThanOrEqual(240);
    g.driver.faults({ latencyMs: 0 });
    expect(await time()).toBeLessThan(200);
  });

  it('sends heartbeats every interval and answers {"message":"ping"} with a pong', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, []);
    const s = await connect(ch.connectUri);
    const hb = await s.next((f) => f.topicName === 'channel.metadata' && f.eventBody.message === 'WebSocket Heartbeat');
    expect(hb).toEqual({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    s.ws.send(JSON.stringify({ message: 'ping' }));
    await s.next((f) => f.topicName === 'channel.metadata' && f.eventBody.message === 'pong');
  });

  it('keeps one socket per channel: a second connection kicks the first; subscriptions survive the reconnect', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, [transcription]);
    const first = await connect(ch.connectUri);
    const second = await connect(ch.connectUri);
    await first.waitClosed();
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'INTERNAL', text: 'hello there' }]);
    await second.next((f) => f.topicName === transcription);
    expect(first.frames.some((f) => f.topicName === transcription)).toBe(false);
    const listed = (await (await api(token, 'GET', `/notifications/channels/${ch.id}/subscriptions`)).json()) as {
      entities: { id: string }[];
    };
    expect(listed.entities.map((e) => e.id)).toEqual([transcription]);
  });

  it('publishes partials then the final with the same utteranceId', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, [transcription]);
    const s = await connect(ch.connectUri);
    const { utteranceIds } = await g.driver.transcribe(
      CONVERSATIONS.voiceAlpha,
      [{ channel: 'EXTERNAL', text: 'one two three four five six', partials: true }],
      5,
    );
    await s.next(
      (f) => f.topicName === transcription && (f.eventBody.transcripts as { isFinal: boolean }[])[0]?.isFinal === true,
    );
    const results = s.frames
      .filter((f) => f.topicName === transcription)
      .map(
        (f) =>
          (
            f.eventBody.transcripts as {
              utteranceId: string;
              isFinal: boolean;
              alternatives: { transcript: string }[];
            }[]
          )[0]!,
      );
    expect(results.length).toBe(3);
    expect(new Set(results.map((r) => r.utteranceId))).toEqual(new Set(utteranceIds));
    expect(results.map((r) => r.isFinal)).toEqual([false, false, true]);
    expect(results[2]?.alternatives[0]?.transcript).toBe('one two three four five six');
  });

  it('replaces (PUT), lists and deletes subscriptions; refuses unknown topics with 400', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, [transcription]);
    const calls = `v2.users.${USERS.agent.id}.conversations.calls`;
    const put = (await (
      await api(token, 'PUT', `/notifications/channels/${ch.id}/subscriptions`, [{ id: calls }])
    ).json()) as { entities: { id: string }[] };
    expect(put.entities.map((e) => e.id)).toEqual([calls]);
    const bad = await api(token, 'POST', `/notifications/channels/${ch.id}/subscriptions`, [{ id: 'v2.nonsense' }]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'bad.request', status: 400 });
    expect((await api(token, 'DELETE', `/notifications/channels/${ch.id}/subscriptions`)).status).toBe(204);
    const after = (await (await api(token, 'GET', `/notifications/channels/${ch.id}/subscriptions`)).json()) as {
      entities: unknown[];
    };
    expect(after.entities).toEqual([]);
  });

  it('channel expiry: HEAD answers 200, then 404 after the TTL; the socket is closed and reconnects are refused', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, [transcription]);
    expect(Date.parse(ch.expires) - now).toBe(3_600_000);
    expect((await api(token, 'HEAD', `/notifications/channels/${ch.id}`)).status).toBe(200);
    const s = await connect(ch.connectUri);
    now += 3_600_001;
    expect((await api(token, 'HEAD', `/notifications/channels/${ch.id}`)).status).toBe(404);
    await s.waitClosed();
    await expect(new Recorder(ch.connectUri).open()).rejects.toThrow('HTTP 404');
    await expect(new Recorder(ch.connectUri.replace(ch.id, '%E0%A4%A')).open()).rejects.toThrow('HTTP 404');
    await expect(new Recorder(`${g.apiOrigin.replace('http', 'ws')}/elsewhere`).open()).rejects.toThrow('HTTP 404');
  });

  it('token expiry (default expiredTokenSockets: close): the socket closes 1008, the channel refuses sockets until a live token subscribes on it', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, [transcription]);
    const s = await connect(ch.connectUri);
    g.driver.faults({ expireTokens: true });
    expect(await s.waitClosed()).toEqual({ code: TOKEN_EXPIRED_CLOSE.code });
    await expect(new Recorder(ch.connectUri).open()).rejects.toThrow('HTTP 401');
    expect((await api(token, 'POST', '/notifications/channels')).status).toBe(401);
    expect((await api(token, 'HEAD', `/notifications/channels/${ch.id}`)).status).toBe(401);
    const fresh = g.driver.issueToken();
    expect((await api(fresh, 'HEAD', `/notifications/channels/${ch.id}`)).status).toBe(200);
    // a HEAD does not take the channel over: only a subscription call with the new token does
    await expect(new Recorder(ch.connectUri).open()).rejects.toThrow('HTTP 401');
    expect(
      (await api(fresh, 'PUT', `/notifications/channels/${ch.id}/subscriptions`, [{ id: transcription }])).status,
    ).toBe(200);
    const again = await connect(ch.connectUri);
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'found words' }]);
    await again.next((f) => f.topicName === transcription);
    expect(s.frames.some((f) => f.topicName === transcription)).toBe(false);
  });

  it('a token that reaches its lifetime under the injected clock is noticed at the next heartbeat: its socket closes', async () => {
    g.driver.faults({ tokenTtlSeconds: 60 });
    const token = g.driver.issueToken();
    const s = await connect((await channel(token, [transcription])).connectUri);
    await s.next((f) => f.topicName === 'channel.metadata');
    now += 60_000;
    expect((await s.waitClosed()).code).toBe(TOKEN_EXPIRED_CLOSE.code);
    expect((await api(token, 'GET', '/users/me')).status).toBe(401);
  });

  it("the expireTokens fault leaves a revoked token's channel to token_revoked (its socket stays open)", async () => {
    const token = g.driver.issueToken();
    const s = await connect((await channel(token, [transcription])).connectUri);
    expect((await api(token, 'DELETE', '/tokens/me')).status).toBe(204);
    await s.next((f) => f.topicName === 'v2.system.token_revoked');
    g.driver.faults({ expireTokens: true });
    await s.next(
      (f) =>
        f.topicName === 'channel.metadata' &&
        s.frames.indexOf(f) > s.frames.findIndex((x) => x.topicName === 'v2.system.token_revoked'),
    );
    expect(s.closed).toBeUndefined();
  });

  it('revocation sends v2.system.token_revoked (DELETE /tokens/me and the revokeTokens fault)', async () => {
    const token = g.driver.issueToken();
    const s = await connect((await channel(token, [transcription])).connectUri);
    expect((await api(token, 'DELETE', '/tokens/me')).status).toBe(204);
    await s.next((f) => f.topicName === 'v2.system.token_revoked');
    expect((await api(token, 'GET', '/users/me')).status).toBe(401);
    const other = g.driver.issueToken();
    const s2 = await connect((await channel(other, [])).connectUri);
    g.driver.faults({ revokeTokens: true });
    await s2.next((f) => f.topicName === 'v2.system.token_revoked');
  });

  it('dropSockets terminates sockets without a close frame; the channel and its subscriptions stay', async () => {
    const token = g.driver.issueToken();
    const ch = await channel(token, [transcription]);
    const s = await connect(ch.connectUri);
    await fetch(`${g.apiOrigin}/sandbox/v1/faults`, { method: 'POST', body: JSON.stringify({ dropSockets: true }) });
    expect((await s.waitClosed()).code).toBe(1006);
    const again = await connect(ch.connectUri);
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'back again' }]);
    await again.next((f) => f.topicName === transcription);
  });

  it('socketClosing sends v2.system.socket_closing, then closes the socket after the grace period', async () => {
    const s = await connect((await channel(g.driver.issueToken(), [])).connectUri);
    g.driver.faults({ socketClosing: true });
    await s.next((f) => f.topicName === 'v2.system.socket_closing');
    expect(s.closed).toBeUndefined();
    expect((await s.waitClosed()).code).toBe(1001);
  });

  it('user conversation topics: hold shows up as held in .calls (flattened) and in the nested topic', async () => {
    const token = g.driver.issueToken();
    const calls = `v2.users.${USERS.agent.id}.conversations.calls`;
    const all = `v2.users.${USERS.agent.id}.conversations`;
    const s = await connect((await channel(token, [calls, all])).connectUri);
    g.driver.hold(CONVERSATIONS.voiceAlpha);
    const flat = await s.next((f) => f.topicName === calls);
    const me = (
      flat.eventBody.participants as { purpose: string; held: boolean; startHoldTime?: string; user?: { id: string } }[]
    ).find((p) => p.purpose === 'agent');
    expect(me).toMatchObject({ held: true, user: { id: USERS.agent.id } });
    expect(me?.startHoldTime).toEqual(expect.any(String));
    const nested = await s.next((f) => f.topicName === all);
    const agent = (nested.eventBody.participants as { purpose: string; calls: { held: boolean }[] }[]).find(
      (p) => p.purpose === 'agent',
    );
    expect(agent?.calls[0]?.held).toBe(true);
  });

  it('evicts the least recently used channel past 20 per user and client', async () => {
    const token = g.driver.issueToken();
    const first = await channel(token, []);
    for (let i = 0; i < 20; i++) await channel(token, []);
    expect((await api(token, 'HEAD', `/notifications/channels/${first.id}`)).status).toBe(404);
  });
});

describe('sandbox token expiry with the real clock and with expiredTokenSockets: silent', () => {
  const opened: WebSocket[] = [];
  afterEach(() => {
    for (const ws of opened.splice(0)) ws.terminate();
  });

  async function setUp(g: GenesysServers, token: string): Promise<{ rec: Recorder; channelId: string }> {
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${g.apiOrigin}/api/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const ch = (await (await api('POST', '/notifications/channels')).json()) as { id: string; connectUri: string };
    expect(
      (
        await api('POST', `/notifications/channels/${ch.id}/subscriptions`, [
          { id: `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription` },
        ])
      ).status,
    ).toBe(200);
    const rec = new Recorder(ch.connectUri);
    opened.push(rec.ws);
    await rec.open();
    return { rec, channelId: ch.id };
  }

  it('a token issued with a 1 s lifetime really expires: its socket is closed and the API answers 401, with no fault injected', async () => {
    const g = await startGenesys({ tokenTtlSeconds: 1, heartbeatIntervalMs: 60_000 });
    try {
      const token = g.driver.issueToken();
      const { rec } = await setUp(g, token);
      expect((await rec.waitClosed(5_000)).code).toBe(TOKEN_EXPIRED_CLOSE.code);
      const me = await fetch(`${g.apiOrigin}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(401);
      expect(await me.json()).toMatchObject({ code: 'bad.credentials' });
    } finally {
      await g.close();
    }
  });

  it('the tokenTtlSeconds fault sets the lifetime of tokens issued afterwards (expires_in too); reset restores it', async () => {
    const g = await startGenesys({});
    try {
      g.driver.faults({ tokenTtlSeconds: 1 });
      const basic = `Basic ${Buffer.from(`${OAUTH_CLIENTS.credentials.id}:${OAUTH_CLIENTS.credentials.secret}`).toString('base64')}`;
      const login = async () =>
        (await (
          await fetch(`${g.loginOrigin}/oauth/token`, {
            method: 'POST',
            headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials',
          })
        ).json()) as { access_token: string; expires_in: number };
      const short = await login();
      expect(short.expires_in).toBe(1);
      const { rec } = await setUp(g, short.access_token);
      expect((await rec.waitClosed(5_000)).code).toBe(TOKEN_EXPIRED_CLOSE.code);
      await g.driver.reset();
      expect((await login()).expires_in).toBe(86_400);
    } finally {
      await g.close();
    }
  });

  it('expiredTokenSockets: silent keeps the socket open with heartbeats and stops delivery; a new token on the channel resumes it', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const g = await startGenesys({
      expiredTokenSockets: 'silent',
      heartbeatIntervalMs: 60,
      tokenTtlSeconds: 7200,
      env: { now: () => now },
    });
    try {
      const token = g.driver.issueToken();
      const { rec: s, channelId } = await setUp(g, token);
      const transcription = `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`;
      now += 7_200_000;
      await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'lost words' }]);
      const beats = s.frames.filter((f) => f.topicName === 'channel.metadata').length;
      await s.next(
        (f) =>
          f.topicName === 'channel.metadata' &&
          s.frames.filter((x) => x.topicName === 'channel.metadata').length > beats,
      );
      expect(s.frames.some((f) => f.topicName === transcription)).toBe(false);
      expect(s.closed).toBeUndefined();
      const fresh = g.driver.issueToken();
      await fetch(`${g.apiOrigin}/api/v2/notifications/channels/${channelId}/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fresh}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ id: transcription }]),
      });
      await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'found words' }]);
      await s.next((f) => f.topicName === transcription);
    } finally {
      await g.close();
    }
  });
});
