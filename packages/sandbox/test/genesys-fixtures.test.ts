import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONVERSATIONS, USERS, startGenesys, type GenesysServers } from '@kaa/sandbox';
import { readFixture } from '@kaa/test-support';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

async function fixture(path: string): Promise<Record<string, Json>> {
  return readFixture<Record<string, Json>>(path);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Where `actual` and `expected` disagree on the parts both have: the same key must hold the same JSON type, and
 * nested objects/arrays (first elements) are compared recursively. Keys present in only one side are ignored here.
 */
function shapeMismatches(actual: unknown, expected: unknown, path = '$'): string[] {
  if (kind(actual) !== kind(expected)) return [`${path}: ${kind(actual)} vs fixture ${kind(expected)}`];
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length && expected.length ? shapeMismatches(actual[0], expected[0], `${path}[0]`) : [];
  }
  if (kind(actual) !== 'object') return [];
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  return Object.keys(e)
    .filter((k) => k in a)
    .flatMap((k) => shapeMismatches(a[k], e[k], `${path}.${k}`));
}

/** Keys of `expected` missing in `actual` (one level), minus the ones listed as not modelled by the sandbox. */
function missingKeys(
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  notModelled: readonly string[],
): string[] {
  return Object.keys(expected).filter((k) => !(k in actual) && !notModelled.includes(k));
}

function byPurpose(list: Json, purpose: string): Record<string, Json> {
  const found = (list as Record<string, Json>[]).filter((p) => p.purpose === purpose).at(-1);
  if (!found) throw new Error(`no ${purpose} participant`);
  return found;
}

describe('sandbox bodies have the structure of the real Genesys fixtures', () => {
  let g: GenesysServers;
  let token: string;
  const frames: Record<string, Json>[] = [];
  let ws: WebSocket;
  let channel: Record<string, Json>;

  beforeAll(async () => {
    g = await startGenesys({ heartbeatIntervalMs: 50 });
    token = g.driver.issueToken();
    channel = (await (
      await fetch(`${g.apiOrigin}/api/v2/notifications/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as Record<string, Json>;
    const topics = [
      `v2.users.${USERS.agent.id}.conversations`,
      `v2.users.${USERS.agent.id}.conversations.calls`,
      `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`,
    ];
    await fetch(`${g.apiOrigin}/api/v2/notifications/channels/${channel.id}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(topics.map((id) => ({ id }))),
    });
    ws = new WebSocket(String(channel.connectUri));
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, Json>));
    await new Promise((r) => ws.once('open', r));
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [
      { channel: 'INTERNAL', text: 'thank you for calling' },
      { channel: 'EXTERNAL', text: 'hello' },
    ]);
    g.driver.disconnect(CONVERSATIONS.voiceAlpha);
    const start = Date.now();
    while (
      Date.now() - start < 3000 &&
      !(
        frames.some((f) => f.topicName === 'channel.metadata') &&
        frames.some((f) => String(f.topicName).endsWith('.calls'))
      )
    ) {
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  afterAll(async () => {
    ws.terminate();
    await g.close();
  });

  it('GET /api/v2/conversations/{id} matches the nested conversation fixture', async () => {
    const fx = await fixture('conversations/conversation_callback_agent_alert_retries.json');
    const c = (await (
      await fetch(`${g.apiOrigin}/api/v2/conversations/${CONVERSATIONS.voiceAlpha}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as Record<string, Json>;
    expect(missingKeys(c, fx, [])).toEqual([]);
    for (const purpose of ['customer', 'acd', 'agent']) {
      const mine = byPurpose(c.participants!, purpose);
      const theirs = (fx.participants as Record<string, Json>[]).find((p) => p.purpose === purpose)!;
      const { callbacks: fxSession, ...fxRest } = theirs;
      const { calls: mySession, ...myRest } = mine;
      expect(shapeMismatches(myRest, fxRest), purpose).toEqual([]);
      expect(missingKeys(myRest, fxRest, ['calls']), purpose).toEqual([]);
      // the media session: the fixture is a callback, the sandbox a call; compare what both have
      expect(shapeMismatches((mySession as Json[])[0], (fxSession as Json[])[0]), `${purpose} session`).toEqual([]);
      expect(
        missingKeys((mySession as Record<string, Json>[])[0]!, (fxSession as Record<string, Json>[])[0]!, [
          'callbackNumbers',
          'callbackUserName',
          'scriptId',
          'externalCampaign',
          'skipEnabled',
          'timeoutSeconds',
          'callbackScheduledTime',
          'callerId',
          'callerIdName',
          'automatedCallbackConfigId',
        ]),
        `${purpose} session keys`,
      ).toEqual([]);
    }
    expect(shapeMismatches(c, fx)).toEqual([]);
  });

  it('v2.users.{id}.conversations.calls matches the flattened call fixture, participant by participant', async () => {
    const fx = await fixture('conversations/conversations_calls_active_voice.json');
    const fxConv = (fx.entities as Record<string, Json>[])[0]!;
    const event = frames.filter((f) => String(f.topicName).endsWith('.conversations.calls')).at(-1)!;
    const body = event.eventBody as Record<string, Json>;
    expect(missingKeys(body, fxConv, ['selfUri'])).toEqual([]);
    for (const purpose of ['customer', 'ivr', 'acd', 'agent']) {
      const mine = byPurpose(body.participants!, purpose);
      const theirs = byPurpose(fxConv.participants!, purpose);
      expect(shapeMismatches(mine, theirs), purpose).toEqual([]);
      expect(missingKeys(mine, theirs, ['externalContact']), purpose).toEqual([]);
    }
  });

  it('v2.users.{id}.conversations matches the user-conversation event fixture (envelope and nested participants)', async () => {
    const fx = await fixture('notifications/user_conversations_callback_disconnected.json');
    const event = frames.filter((f) => f.topicName === `v2.users.${USERS.agent.id}.conversations`).at(-1)!;
    expect(Object.keys(event).sort()).toEqual(Object.keys(fx).sort());
    expect(shapeMismatches({ ...event, eventBody: {} }, { ...fx, eventBody: {} })).toEqual([]);
    const body = event.eventBody as Record<string, Json>;
    const fxBody = fx.eventBody as Record<string, Json>;
    expect(missingKeys(body, fxBody, [])).toEqual([]);
    for (const purpose of ['customer', 'acd', 'agent']) {
      const { calls, ...mine } = byPurpose(body.participants!, purpose);
      const { callbacks, additionalProperties, ...theirs } = byPurpose(fxBody.participants!, purpose);
      expect(shapeMismatches(mine, theirs), purpose).toEqual([]);
      expect(missingKeys(mine, theirs, ['startAcwTime']), purpose).toEqual([]);
      expect(shapeMismatches((calls as Json[])[0], (callbacks as Json[])[0]), `${purpose} session`).toEqual([]);
    }
    const agent = byPurpose(body.participants!, 'agent');
    expect(((agent.calls as Record<string, Json>[])[0] as Record<string, Json>).disconnectType).toBe('client');
  });

  it('transcription events match the EventBridge-delivered fixture’s notification message', async () => {
    const fx = (await fixture('notifications/transcription_internal_external_ongoing.eventbridge.json'))
      .detail as Record<string, Json>;
    const ended = (await fixture('notifications/transcription_session_ended.eventbridge.json')).detail as Record<
      string,
      Json
    >;
    const events = frames.filter((f) => String(f.topicName).endsWith('.transcription'));
    const ongoing = events.find((f) => (f.eventBody as Record<string, Json>).transcripts)!;
    const { timestamp, ...fxMessage } = fx;
    expect(Object.keys(ongoing).sort()).toEqual(Object.keys(fxMessage).sort());
    expect(shapeMismatches(ongoing, fxMessage)).toEqual([]);
    const body = ongoing.eventBody as Record<string, Json>;
    expect(missingKeys(body, fxMessage.eventBody as Record<string, Json>, [])).toEqual([]);
    const t = (body.transcripts as Record<string, Json>[])[0]!;
    expect(
      missingKeys(t, ((fxMessage.eventBody as Record<string, Json>).transcripts as Record<string, Json>[])[0]!, []),
    ).toEqual([]);
    const end = events.find(
      (f) => ((f.eventBody as Record<string, Json>).status as Record<string, Json>).status === 'SESSION_ENDED',
    )!;
    const { timestamp: _t, ...endMessage } = ended;
    expect(shapeMismatches(end, endMessage)).toEqual([]);
    expect(Object.keys(end.eventBody as object).sort()).toEqual(Object.keys(endMessage.eventBody as object).sort());
  });

  it('the heartbeat frame equals the fixture; the channel body has the fixture’s keys', async () => {
    expect(frames.find((f) => f.topicName === 'channel.metadata')).toEqual(
      await fixture('notifications/channel_metadata_heartbeat.json'),
    );
    const fx = await fixture('channels/notification_channel_created.json');
    expect(Object.keys(channel).sort()).toEqual(Object.keys(fx).sort());
    expect(shapeMismatches(channel, fx)).toEqual([]);
    expect(String(channel.connectUri).endsWith(`/channels/${channel.id}`)).toBe(true);
    expect(String(channel.id)).toMatch(/^streaming-0-/);
  });

  it('a 404 has the fixture’s ErrorBody and rate-limit/correlation headers', async () => {
    const fx = await fixture('errors/error_404_not_found_extended_response.json');
    const res = await fetch(`${g.apiOrigin}/api/v2/conversations/00000000-0000-4000-8000-00000000dead`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as Record<string, Json>;
    expect(body).toEqual({ ...(fx.body as Record<string, Json>), contextId: body.contextId });
    for (const h of [
      'inin-ratelimit-allowed',
      'inin-ratelimit-count',
      'inin-ratelimit-reset',
      'inin-correlation-id',
      'content-type',
    ])
      expect(res.headers.get(h), h).not.toBeNull();
    expect(res.headers.get('inin-correlation-id')).toBe(body.contextId);
  });
});
