import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixtureText } from '@kaa/test-support';
import { KaaError, normalizeTranscription, parseNotification, unwrapEventBridge } from '@kaa/core';

const fixture = (name: string): string => readFixtureText(`notifications/${name}`);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof KaaError ? e.code : `not a KaaError: ${String(e)}`;
  }
  return undefined;
}

describe('parseNotification', () => {
  it('reads the heartbeat fixture', () => {
    expect(parseNotification(fixture('channel_metadata_heartbeat.json'))).toEqual({
      kind: 'heartbeat',
      topicName: 'channel.metadata',
      message: 'WebSocket Heartbeat',
    });
  });

  it('unwraps the EventBridge transcription fixture and names the conversation', () => {
    const n = parseNotification(fixture('transcription_internal_external_ongoing.eventbridge.json'));
    expect(n.kind).toBe('transcription');
    if (n.kind !== 'transcription') return;
    expect(n.conversationId).toBe('test-conversation-id-1');
    expect(n.correlationId).toBe('test-correlation-id-1');
    expect(n.eventBody.communicationId).toBe('test-communication-id-1');
  });

  it('refuses an EventBridge event when eventBridge is "never"', () => {
    expect(
      codeOf(() =>
        parseNotification(fixture('transcription_session_ended.eventbridge.json'), { eventBridge: 'never' }),
      ),
    ).toBe('E_EVENT_INVALID');
  });

  it('reads the user conversations fixture', () => {
    const n = parseNotification(JSON.parse(fixture('user_conversations_callback_disconnected.json')));
    expect(n).toMatchObject({
      kind: 'userConversation',
      userId: 'AGENT_USER_ID',
      media: 'all',
      conversationId: 'ffff-ffff-ffff-ffff',
    });
  });

  it.each([
    ['v2.users.u1.conversations.calls', 'calls'],
    ['v2.users.u1.conversations.messages', 'messages'],
    ['v2.users.u1.conversations.chats', 'chats'],
    ['v2.users.u1.conversations.emails', 'emails'],
    ['v2.users.u1.conversations.callbacks', 'callbacks'],
  ])('tells the media of %s', (topicName, media) => {
    expect(parseNotification({ topicName, eventBody: { id: 'c1', participants: [] } })).toMatchObject({
      kind: 'userConversation',
      media,
      userId: 'u1',
    });
  });

  it('tells the system topics apart', () => {
    expect(parseNotification({ topicName: 'v2.system.socket_closing', eventBody: { message: 'closing' } }).kind).toBe(
      'socketClosing',
    );
    expect(parseNotification({ topicName: 'v2.system.no_longer_subscribed.ch1', eventBody: {} }).kind).toBe(
      'noLongerSubscribed',
    );
    expect(parseNotification({ topicName: 'v2.system.token_revoked', eventBody: {} }).kind).toBe('tokenRevoked');
    expect(parseNotification({ topicName: 'channel.metadata', eventBody: { message: 'pong' } })).toMatchObject({
      kind: 'heartbeat',
      message: 'pong',
    });
  });

  it('keeps unknown topics whole', () => {
    const body = { x: 1 };
    expect(parseNotification({ topicName: 'v2.users.u1.conversations.inbound.typing.event', eventBody: body })).toEqual(
      {
        kind: 'unknown',
        topicName: 'v2.users.u1.conversations.inbound.typing.event',
        eventBody: body,
      },
    );
  });

  it('rejects malformed frames with a clear coded error that does not echo the frame', () => {
    const secret = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln-PLANTED';
    for (const frame of [
      `{"topicName": "${secret}"`,
      `not json ${secret}`,
      JSON.stringify({ eventBody: { token: secret } }),
      '[]',
      'null',
    ]) {
      let error: unknown;
      try {
        parseNotification(frame);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KaaError);
      const e = error as KaaError;
      expect(e.code).toBe('E_EVENT_INVALID');
      expect(e.message).toMatch(/notification/);
      expect(JSON.stringify(e.toJSON())).not.toContain('PLANTED');
    }
    expect(() => parseNotification('{}')).toThrow(/topicName is missing or is not a string/);
    expect(
      codeOf(() => parseNotification({ topicName: 'v2.users.u1.conversations', eventBody: { participants: [] } })),
    ).toBe('E_EVENT_INVALID');
    expect(codeOf(() => parseNotification({ topicName: 'v2.conversations.c1.transcription', eventBody: 'x' }))).toBe(
      'E_EVENT_INVALID',
    );
  });

  it('only ever throws KaaError, for any string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const code = codeOf(() => parseNotification(s));
        return code === undefined || code === 'E_EVENT_INVALID';
      }),
      { numRuns: 500 },
    );
  });

  it('only ever throws KaaError, for any JSON-like value or envelope', () => {
    const topic = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'channel.metadata',
        'v2.system.socket_closing',
        'v2.conversations.c1.transcription',
        'v2.users.u1.conversations.calls',
        'v2.system.token_revoked.x',
      ),
    );
    const value = fc.oneof(
      fc.anything(),
      fc.record({ topicName: topic, eventBody: fc.anything(), metadata: fc.anything() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(value, fc.boolean(), (v, asString) => {
        let input: unknown = v;
        if (asString) {
          try {
            input = JSON.stringify(v) ?? 'undefined';
          } catch {
            input = 'x';
          }
        }
        const code = codeOf(() => parseNotification(input));
        return code === undefined || code === 'E_EVENT_INVALID';
      }),
      { numRuns: 500 },
    );
  });
});

describe('unwrapEventBridge', () => {
  it('returns the detail of an EventBridge event and leaves other values alone', () => {
    const event = JSON.parse(fixture('transcription_session_ended.eventbridge.json')) as { detail: unknown };
    expect(unwrapEventBridge(event)).toBe(event.detail);
    const plain = { topicName: 'x', detail: {} };
    expect(unwrapEventBridge(plain)).toBe(plain);
    expect(unwrapEventBridge('x')).toBe('x');
  });
});

describe('normalizeTranscription', () => {
  it('normalises the ongoing fixture: INTERNAL → agent, EXTERNAL → customer', () => {
    const n = parseNotification(fixture('transcription_internal_external_ongoing.eventbridge.json'));
    if (n.kind !== 'transcription') throw new Error('expected transcription');
    const t = normalizeTranscription(n.eventBody);
    expect(t.status).toBe('SESSION_ONGOING');
    expect(t.sessionEnded).toBe(false);
    expect(t.utterances).toEqual([
      {
        utteranceId: 'test-utterance-id-1',
        isFinal: true,
        speaker: 'agent',
        text: 'gracias por llamar',
        offsetMs: 2300,
        durationMs: 6980,
        confidence: 0.985,
        channel: 'INTERNAL',
        communicationId: 'test-communication-id-1',
        conversationId: 'test-conversation-id-1',
      },
      {
        utteranceId: 'test-utterance-id-2',
        isFinal: true,
        speaker: 'customer',
        text: 'español',
        offsetMs: 23280,
        durationMs: 240,
        confidence: 0.864,
        channel: 'EXTERNAL',
        communicationId: 'test-communication-id-1',
        conversationId: 'test-conversation-id-1',
      },
    ]);
  });

  it('reports SESSION_ENDED with no transcripts', () => {
    const n = parseNotification(fixture('transcription_session_ended.eventbridge.json'));
    if (n.kind !== 'transcription') throw new Error('expected transcription');
    expect(normalizeTranscription(n.eventBody)).toEqual({
      conversationId: 'test-conversation-id-2',
      communicationId: 'test-communication-id-2',
      status: 'SESSION_ENDED',
      statusOffsetMs: 63020,
      sessionEnded: true,
      utterances: [],
    });
  });

  it('names the broken field and never the transcript text', () => {
    const body = {
      conversationId: 'c1',
      transcripts: [
        {
          utteranceId: 'u1',
          isFinal: true,
          channel: 'MIXED',
          alternatives: [{ transcript: 'my card is PLANTED-4111', offsetMs: 0, durationMs: 1 }],
        },
      ],
    };
    try {
      normalizeTranscription(body);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KaaError);
      expect((e as KaaError).code).toBe('E_EVENT_INVALID');
      expect((e as KaaError).message).toContain('eventBody.transcripts[0].channel');
      expect(JSON.stringify((e as KaaError).toJSON())).not.toContain('PLANTED');
    }
    expect(
      codeOf(() =>
        normalizeTranscription({
          conversationId: 'c1',
          transcripts: [{ utteranceId: 'u', isFinal: true, channel: 'INTERNAL', alternatives: [] }],
        }),
      ),
    ).toBe('E_EVENT_INVALID');
  });

  it('only ever throws KaaError, for any value', () => {
    const transcript = fc.record(
      {
        utteranceId: fc.oneof(fc.string(), fc.anything()),
        isFinal: fc.oneof(fc.boolean(), fc.anything()),
        channel: fc.oneof(fc.constantFrom('INTERNAL', 'EXTERNAL'), fc.anything()),
        alternatives: fc.oneof(
          fc.array(
            fc.record(
              { transcript: fc.string(), offsetMs: fc.integer(), durationMs: fc.integer() },
              { requiredKeys: [] },
            ),
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.anything(),
      fc.record(
        {
          conversationId: fc.oneof(fc.string(), fc.anything()),
          transcripts: fc.oneof(fc.array(transcript), fc.anything()),
          status: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(body, (b) => {
        const code = codeOf(() => normalizeTranscription(b));
        return code === undefined || code === 'E_EVENT_INVALID';
      }),
      { numRuns: 500 },
    );
  });
});
