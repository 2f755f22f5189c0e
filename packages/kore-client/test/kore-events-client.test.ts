import {
  createMemoryStorage,
  decodeJwtUnverified,
  isKaaError,
  KaaError,
  signPlatformJwt,
  type LifecycleEvent,
} from '@kaa/core';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { mockHttp } from '@kaa/test-support';
import { createKoreEventsClient, type KoreEventsClientOptions } from '../src/index.js';
import { captureLogger, fakeTime } from './helpers.js';

const BASE = 'https://platform.kore.ai';
const BOT = {
  botId: 'st-a1fa0000-0000-4000-8000-000000000001',
  clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
  clientSecret: 'alpha-bot-client-secret-0001',
};
const CONVERSATION = 'c0a00000-0000-4000-8000-000000000001';
const AGENT = { id: 'a9e00000-0000-4000-8000-000000000001', name: 'Ava Agent' };

const { server } = mockHttp();

interface Seen {
  path: string;
  search: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function record(seen: Seen[], reply: (n: number) => Response = () => HttpResponse.json({ STATUS: 'OK' })) {
  let n = 0;
  return async ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    seen.push({
      path: url.pathname,
      search: url.search,
      headers: Object.fromEntries(request.headers),
      body: (await request.json()) as Record<string, unknown>,
    });
    return reply(n++);
  };
}

function client(extra: Partial<KoreEventsClientOptions> = {}) {
  const time = fakeTime();
  const logger = captureLogger();
  const events = createKoreEventsClient({
    baseUrl: BASE,
    ...BOT,
    signPlatformJwt,
    fetch: (u, i) => fetch(u, i),
    now: time.now,
    sleep: time.sleep,
    settings: {},
    conversationId: CONVERSATION,
    agent: AGENT,
    logger,
    ...extra,
  });
  return { events, time, logger };
}

const entry = (transferType: 'NA' | 'cold' | 'warm' | 'redial' = 'NA'): LifecycleEvent => ({
  kind: 'transfer',
  transferType,
  transition: 'entry',
  participantId: 'p1',
});
const names = (s: Seen) =>
  (s.body.events as { name: string; transfertype?: string; transition?: string }[]).map((e) =>
    e.transfertype ? `${e.transfertype}/${e.transition}` : e.name,
  );

describe('hooks ordering', () => {
  it('sends NA/entry first, then NA/exit and END_OF_CONVERSATION once even when ended twice', async () => {
    const seen: Seen[] = [];
    server.use(http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, record(seen)));
    const { events } = client();
    expect(await events.apply(entry())).toHaveLength(1);
    await events.apply({ kind: 'held', participantId: 'p1' });
    await events.endOfConversation();
    expect(await events.endOfConversation()).toEqual([]);
    expect(seen.map(names)).toEqual([['NA/entry'], ['NA/exit', 'END_OF_CONVERSATION']]);
    expect(seen[0]?.path).toBe(`/agentassist/api/v1/hooks/${BOT.botId}`);
    expect(seen[0]?.body).toMatchObject({ conversationId: CONVERSATION, botId: BOT.botId });
    expect(seen[0]?.body.events).toEqual([
      {
        name: 'INTERNAL_TRANSFER_EVENT',
        transfertype: 'NA',
        transition: 'entry',
        isExtAD: true,
        experience: 'voice',
        participant: { identity: AGENT.id, name: AGENT.name, type: 'agent' },
      },
    ]);
    expect(events.state()).toMatchObject({ phase: 'done', endSent: true });
  });

  it('signs the auth header with the bot ClientId (appId) and ClientSecret', async () => {
    const seen: Seen[] = [];
    server.use(http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, record(seen)));
    const { events, time } = client();
    await events.apply(entry());
    const decoded = decodeJwtUnverified(seen[0]?.headers.auth);
    expect(decoded.kind === 'jws' && decoded.claims).toMatchObject({
      appId: BOT.clientId,
      iat: Math.floor(time.now() / 1000),
    });
  });

  it('a second instance sharing the storage does not send END_OF_CONVERSATION again (docs/assumptions.md#who-sends-end-of-conversation)', async () => {
    const seen: Seen[] = [];
    server.use(http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, record(seen)));
    const storage = createMemoryStorage();
    const a = client({ storage, instanceId: 'tab-a' }).events;
    const b = client({
      storage,
      instanceId: 'tab-b',
      agent: { id: 'a9e00000-0000-4000-8000-000000000002', name: 'Ben Agent' },
    }).events;
    await a.apply(entry());
    await b.apply(entry('warm'));
    await a.endOfConversation();
    await b.endOfConversation();
    expect(seen.map(names)).toEqual([['NA/entry'], ['warm/entry'], ['NA/exit', 'END_OF_CONVERSATION'], ['NA/exit']]);
  });

  it('serialises concurrent calls in the order they were applied', async () => {
    const seen: Seen[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.use(
      http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, async (info) => {
        if (seen.length === 0) await gate;
        return record(seen)(info);
      }),
    );
    const { events } = client();
    const p = Promise.all([
      events.apply(entry()),
      events.apply({ kind: 'transfer', transferType: 'cold', transition: 'exit', participantId: 'p1' }),
      events.endOfConversation(),
    ]);
    setTimeout(release, 20);
    await p;
    expect(seen.map(names)).toEqual([['NA/entry'], ['cold/exit']]);
    expect(events.state()).toMatchObject({ phase: 'done', endSent: false }); // left by transfer: the last agent owns the end
  });

  it('applies the wire settings (docs/assumptions.md#hooks-path-prefix, docs/assumptions.md#hooks-auth-header, docs/assumptions.md#hooks-field-formats)', async () => {
    const seen: Seen[] = [];
    server.use(http.post(`${BASE}/agentai/api/v1/hooks/:botId`, record(seen)));
    const { events } = client({
      settings: {
        pathPrefix: '/agentai/api/v1/hooks',
        authHeader: 'token',
        transferTypeCase: 'upper',
        isExtADAsString: true,
      },
    });
    await events.apply({ kind: 'transfer', transferType: 'cold', transition: 'entry', participantId: 'p1' });
    expect(seen[0]?.headers.token).toMatch(/^eyJ/);
    expect(seen[0]?.headers.auth).toBeUndefined();
    expect(seen[0]?.body.events).toMatchObject([{ transfertype: 'COLD', isExtAD: 'true' }]);
  });

  it('keeps failed events queued in order and retries them; END is released after a failed post', async () => {
    const seen: Seen[] = [];
    let fail = true;
    server.use(
      http.post(
        `${BASE}/agentassist/api/v1/hooks/:botId`,
        record(seen, () =>
          fail
            ? HttpResponse.json({ errors: [{ msg: 'down' }] }, { status: 503 })
            : HttpResponse.json({ STATUS: 'OK' }),
        ),
      ),
    );
    const storage = createMemoryStorage();
    const { events } = client({ storage });
    await expect(events.apply(entry())).rejects.toMatchObject({ code: 'E_HTTP_SERVER' });
    expect(events.pending).toBe(1);
    await expect(events.endOfConversation()).rejects.toMatchObject({ code: 'E_HTTP_SERVER' });
    expect(events.pending).toBe(3);
    expect(storage.getItem(`kaa:kore:eoc:${BOT.botId}:${CONVERSATION}`)).toBeNull(); // claim released
    fail = false;
    await events.flush();
    expect(events.pending).toBe(0);
    expect(seen.slice(-2).map(names)).toEqual([['NA/entry'], ['NA/exit', 'END_OF_CONVERSATION']]);
    expect(JSON.parse(storage.getItem(`kaa:kore:eoc:${BOT.botId}:${CONVERSATION}`) ?? '{}')).toMatchObject({
      sent: true,
    });
  });

  it('maps Kore refusals: 401 → E_HTTP_UNAUTHORIZED, {code:400} → E_HTTP_BAD_REQUEST; no secret leaks', async () => {
    const urls: string[] = [];
    server.use(
      http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json(
          { errors: [{ msg: `error verifying the jwt: ${request.headers.get('auth')}`, code: 401 }] },
          { status: 401 },
        );
      }),
    );
    const { events, logger } = client();
    const e = (await events.apply(entry()).catch((x: unknown) => x)) as KaaError;
    expect(e.code).toBe('E_HTTP_UNAUTHORIZED');
    expect(e.message).toContain(`ClientId "${BOT.clientId}"`);
    const text = [...urls, ...logger.lines, e.message, JSON.stringify(e.toJSON())].join('\n');
    expect(text).not.toContain(BOT.clientSecret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);

    server.use(
      http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, () =>
        HttpResponse.json({ code: 400, message: "Linked bot details couldn't be found" }),
      ),
    );
    const f = (await client()
      .events.apply(entry())
      .catch((x: unknown) => x)) as KaaError;
    expect(f.code).toBe('E_HTTP_BAD_REQUEST');
    expect(f.message).toContain("Linked bot details couldn't be found");
  });

  it('refuses bad settings with E_CONFIG_INVALID', () => {
    expect(() => client({ settings: { pathPrefix: 'no-slash' } })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
    expect(() => client({ settings: { authHeader: 'bad header' } })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
    expect(() => client({ baseUrl: 'http://platform.kore.ai' })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG_INVALID' }),
    );
  });
});

describe('the stored conversation state', () => {
  it('records savedAt (for the storage sweep), and a store that refuses the write is logged, not silent', async () => {
    server.use(http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, record([])));
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    const { events, time } = client({ storage });
    await events.apply(entry());
    const saved = JSON.parse([...map.entries()].find(([k]) => k.startsWith('kaa:kore:hooks-state:'))?.[1] ?? '{}') as {
      savedAt?: number;
    };
    expect(saved.savedAt).toBe(time.now());
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const refused = client({ storage: full });
    await refused.events.apply(entry());
    expect(
      refused.logger.lines.some(
        (l) =>
          l.startsWith('warn kore hooks: the conversation state could not be stored') &&
          l.includes('QuotaExceededError'),
      ),
    ).toBe(true);
  });
});

describe('hold sink and Control Transcription', () => {
  const CONTROL = `${BASE}/api/1.1/public/bot/:botId/control/transcription`;

  it('maps hold/resume/end to pause(handover false)/resume/end, once each, when sendEventsToVG', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(
        CONTROL,
        record(seen, () => HttpResponse.json({ status: 'success' })),
      ),
      http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, () => HttpResponse.json({ STATUS: 'OK' })),
    );
    const { events } = client({ sendEventsToVG: true });
    await events.apply(entry());
    await events.apply({ kind: 'held', participantId: 'p1' });
    await events.apply({ kind: 'held', participantId: 'p1' });
    await events.apply({ kind: 'resumed', participantId: 'p1' });
    await events.endOfConversation();
    expect(seen.map((s) => s.body)).toEqual([
      { action: 'pause', agentId: AGENT.id, handover: false },
      { action: 'resume', agentId: AGENT.id },
      { action: 'end', agentId: AGENT.id },
    ]);
    expect(seen[0]?.search).toBe(`?conversationId=${CONVERSATION}`);
    expect(seen[0]?.path).toBe(`/api/1.1/public/bot/${BOT.botId}/control/transcription`);
    expect(seen[0]?.headers.auth).toMatch(/^eyJ/);
  });

  it('sends nothing to the sink without sendEventsToVG, or with sink none', async () => {
    server.use(http.post(`${BASE}/agentassist/api/v1/hooks/:botId`, () => HttpResponse.json({ STATUS: 'OK' })));
    for (const extra of [{}, { sendEventsToVG: true, hold: { sink: 'none' as const } }]) {
      const { events } = client(extra);
      await events.apply({ kind: 'held', participantId: 'p1' }); // would be an unhandled request (error) if sent
    }
  });

  it('posts to hold.customUrl when configured', async () => {
    const seen: Seen[] = [];
    server.use(http.post('https://kvg.example.com/hold', record(seen)));
    const { events } = client({
      sendEventsToVG: true,
      hold: { sink: 'customUrl', customUrl: 'https://kvg.example.com/hold' },
    });
    await events.apply({ kind: 'held', participantId: 'p1' });
    expect(seen[0]?.body).toEqual({
      conversationId: CONVERSATION,
      botId: BOT.botId,
      agentId: AGENT.id,
      action: 'pause',
      handover: false,
    });
  });

  it('controlTranscription() calls the documented endpoint and validates its input', async () => {
    const seen: Seen[] = [];
    server.use(
      http.post(
        CONTROL,
        record(seen, () => HttpResponse.json({ status: 'success' })),
      ),
    );
    const { events } = client();
    await events.controlTranscription('pause', { conversationId: 'c 1', agentId: AGENT.id, handover: true });
    expect(seen[0]).toMatchObject({
      search: '?conversationId=c%201',
      body: { action: 'pause', agentId: AGENT.id, handover: true },
    });
    await expect(
      events.controlTranscription('pause', { conversationId: 'c1', agentId: AGENT.id }),
    ).rejects.toMatchObject({ code: 'E_EVENT_INVALID' });
  });
});

describe('property: any event sequence', () => {
  const event = fc.oneof(
    fc.record({
      kind: fc.constant('transfer' as const),
      transferType: fc.constantFrom('NA' as const, 'cold' as const, 'warm' as const, 'redial' as const),
      transition: fc.constantFrom('entry' as const, 'exit' as const),
      participantId: fc.constant('p1'),
    }),
    fc.constantFrom<LifecycleEvent>(
      { kind: 'held', participantId: 'p1' },
      { kind: 'resumed', participantId: 'p1' },
      { kind: 'disconnected', participantId: 'p1' },
      { kind: 'ended' },
    ),
    fc.anything() as fc.Arbitrary<LifecycleEvent>,
  );

  it('throws only KaaErrors, sends END_OF_CONVERSATION at most once and last', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 12 }), async (sequence) => {
        const sent: { events: { name: string }[] }[] = [];
        const fakeFetch = async (_url: string, init: RequestInit) => {
          sent.push(JSON.parse(String(init.body)) as { events: { name: string }[] });
          return new Response(JSON.stringify({ STATUS: 'OK' }), { status: 200 });
        };
        const { events } = client({ fetch: fakeFetch, sendEventsToVG: false });
        for (const e of sequence) {
          try {
            await events.apply(e);
          } catch (error) {
            if (!isKaaError(error)) throw error;
          }
        }
        const all = sent.flatMap((b) => b.events.map((e) => e.name));
        const ends = all.filter((n) => n === 'END_OF_CONVERSATION').length;
        expect(ends).toBeLessThanOrEqual(1);
        if (ends === 1) expect(all.at(-1)).toBe('END_OF_CONVERSATION');
      }),
      { numRuns: 200 },
    );
  });
});
