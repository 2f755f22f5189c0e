import { describe, expect, it } from 'vitest';
import { errorOf, readFixtureText } from '@kaa/test-support';
import { normalizeTranscription, parseNotification, unwrapEventBridge } from '@kaa/core';

/**
 * Notification frames and transcription bodies at their edges: the exact coded errors an admin reads, the correlation
 * id carried on every kind, the EventBridge switch, topics that only look like known ones, and optional fields that
 * are left out (not set to undefined) when Genesys does not send them.
 */

const FIX =
  'Check that the page reads the socket whose connectUri POST /api/v2/notifications/channels returned; if it does, report this frame (without its text) to the kaa maintainers.';

describe('parseNotification: the errors an admin reads', () => {
  it.each([
    {
      frame: '{bad' as unknown,
      message: `A notification frame is not valid JSON (4 characters). ${FIX}`,
      details: { length: 4 },
    },
    {
      frame: '[1]',
      message: `A notification frame is not a Genesys notification envelope {topicName, eventBody}: (root) is missing or is not an object. ${FIX}`,
      details: { issues: ['(root)'], receivedType: 'array' },
    },
    {
      frame: null,
      message: `A notification frame is not a Genesys notification envelope {topicName, eventBody}: (root) is missing or is not an object. ${FIX}`,
      details: { issues: ['(root)'], receivedType: 'null' },
    },
    {
      frame: 42,
      message: `A notification frame is not a Genesys notification envelope {topicName, eventBody}: (root) is missing or is not an object. ${FIX}`,
      details: { issues: ['(root)'], receivedType: 'number' },
    },
    {
      frame: { topicName: '' },
      message: `A notification frame is not a Genesys notification envelope {topicName, eventBody}: topicName is invalid (too_small). ${FIX}`,
      details: { issues: ['topicName'], receivedType: 'object' },
    },
    {
      frame: { topicName: 'v2.users.u1.conversations', eventBody: { id: '' } },
      message: `A "v2.users.u1.conversations" notification has no conversation id: eventBody.id is invalid (too_small). ${FIX}`,
      details: { topicName: 'v2.users.u1.conversations', issues: ['eventBody.id'] },
    },
    {
      frame: { topicName: 'v2.users.u1.conversations.calls', eventBody: [] },
      message: `A "v2.users.u1.conversations.calls" notification has no eventBody object (got array). ${FIX}`,
      details: { topicName: 'v2.users.u1.conversations.calls', receivedType: 'array' },
    },
    {
      frame: { topicName: 'v2.conversations.c1.transcription', eventBody: null },
      message: `A "v2.conversations.c1.transcription" notification has no eventBody object (got null). ${FIX}`,
      details: { topicName: 'v2.conversations.c1.transcription', receivedType: 'null' },
    },
    {
      frame: { topicName: 'v2.conversations.c1.transcription', eventBody: 'hello' },
      message: `A "v2.conversations.c1.transcription" notification has no eventBody object (got string). ${FIX}`,
      details: { topicName: 'v2.conversations.c1.transcription', receivedType: 'string' },
    },
    {
      frame: { topicName: 'v2.conversations.c1.transcription' },
      message: `A "v2.conversations.c1.transcription" notification has no eventBody object (got undefined). ${FIX}`,
      details: { topicName: 'v2.conversations.c1.transcription', receivedType: 'undefined' },
    },
  ])('$message', ({ frame, message, details }) => {
    const e = errorOf(() => parseNotification(frame));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(message);
    expect(e.details).toEqual(details);
  });

  it('counts the characters of a frame that is not JSON', () => {
    expect(errorOf(() => parseNotification('')).details).toEqual({ length: 0 });
    expect(errorOf(() => parseNotification('x'.repeat(1234))).message).toContain('(1234 characters)');
  });
});

describe('parseNotification: the correlation id rides on every kind', () => {
  const metadata = { CorrelationId: 'corr-1' };
  it.each([
    [
      { topicName: 'channel.metadata', eventBody: { message: 'pong' } },
      { kind: 'heartbeat', message: 'pong' },
    ],
    [{ topicName: 'v2.system.socket_closing', eventBody: {} }, { kind: 'socketClosing' }],
    [{ topicName: 'v2.system.no_longer_subscribed', eventBody: {} }, { kind: 'noLongerSubscribed' }],
    [{ topicName: 'v2.system.token_revoked.ch1', eventBody: {} }, { kind: 'tokenRevoked' }],
    [
      { topicName: 'v2.analytics.x', eventBody: 7 },
      { kind: 'unknown', eventBody: 7 },
    ],
  ])('%j', (envelope, expected) => {
    expect(parseNotification({ ...envelope, metadata })).toStrictEqual({
      ...expected,
      topicName: envelope.topicName,
      correlationId: 'corr-1',
    });
    // without metadata (or with metadata null or without the id) the key is left out, not set to undefined
    for (const m of [undefined, null, {}]) {
      const n = parseNotification(m === undefined ? envelope : { ...envelope, metadata: m });
      expect(n).toStrictEqual({ ...expected, topicName: envelope.topicName });
    }
  });

  it('on transcription and user-conversation notifications, passing the body on by reference', () => {
    const body = { conversationId: 'c1', transcripts: [] };
    const t = parseNotification({ topicName: 'v2.conversations.c1.transcription', eventBody: body, metadata });
    expect(t).toStrictEqual({
      kind: 'transcription',
      topicName: 'v2.conversations.c1.transcription',
      conversationId: 'c1',
      eventBody: body,
      correlationId: 'corr-1',
    });
    if (t.kind === 'transcription') expect(t.eventBody).toBe(body);
    expect(parseNotification({ topicName: 'v2.conversations.c1.transcription', eventBody: body })).toStrictEqual({
      kind: 'transcription',
      topicName: 'v2.conversations.c1.transcription',
      conversationId: 'c1',
      eventBody: body,
    });
    const conversation = { id: 'conv-9', participants: [] };
    const u = parseNotification({ topicName: 'v2.users.agent-7.conversations', eventBody: conversation, metadata });
    expect(u).toStrictEqual({
      kind: 'userConversation',
      topicName: 'v2.users.agent-7.conversations',
      correlationId: 'corr-1',
      userId: 'agent-7',
      media: 'all',
      conversationId: 'conv-9',
      eventBody: conversation,
    });
    if (u.kind === 'userConversation') expect(u.eventBody).toBe(conversation);
  });
});

describe('parseNotification: heartbeats', () => {
  it.each([
    ['no eventBody', undefined],
    ['a null eventBody', null],
    ['a string eventBody', 'WebSocket Heartbeat'],
    ['a message that is not a string', { message: 5 }],
    ['a body without message', { other: 'x' }],
  ])('with %s is a heartbeat without a message', (_, eventBody) => {
    expect(parseNotification({ topicName: 'channel.metadata', eventBody })).toStrictEqual({
      kind: 'heartbeat',
      topicName: 'channel.metadata',
    });
  });

  it('keeps an empty message', () => {
    expect(parseNotification('{"topicName":"channel.metadata","eventBody":{"message":""}}')).toStrictEqual({
      kind: 'heartbeat',
      topicName: 'channel.metadata',
      message: '',
    });
  });
});

describe('parseNotification: topics that only look like known ones are unknown', () => {
  it.each([
    'v2.conversations.c1.transcription.extra',
    'v2.conversations.c1.c2.transcription',
    'v2.conversations..transcription',
    'v2.conversations.c1.transcriptions',
    'channel.metadata.x',
    'v2.system.socket_closing.x',
    'v2.system.token_revoked.a.b',
    'x.v2.system.token_revoked',
    'v2.system.no_longer_subscribed.a.b',
    'v2.users.u1.conversations.videos',
    'v2.users.u1.conversationsx',
    'v2.users.a.b.conversations',
  ])('%s', (topicName) => {
    const eventBody = { id: 'c1', conversationId: 'c1' };
    expect(parseNotification({ topicName, eventBody })).toStrictEqual({ kind: 'unknown', topicName, eventBody });
  });
});

describe('parseNotification: EventBridge', () => {
  const event = readFixtureText('notifications/transcription_session_ended.eventbridge.json');

  it('unwraps by default and with eventBridge "auto"; "never" still reads a plain WebSocket frame', () => {
    expect(parseNotification(event).kind).toBe('transcription');
    expect(parseNotification(event, { eventBridge: 'auto' }).kind).toBe('transcription');
    expect(errorOf(() => parseNotification(event, { eventBridge: 'never' })).details).toEqual({
      issues: ['topicName'],
      receivedType: 'object',
    });
    const plain = (JSON.parse(event) as { detail: unknown }).detail;
    expect(parseNotification(plain, { eventBridge: 'never' })).toMatchObject({
      kind: 'transcription',
      conversationId: 'test-conversation-id-2',
    });
  });

  it.each([
    ['detail-type and detail', { 'detail-type': 'x', detail: { topicName: 't' } }, true],
    ['source and detail', { source: 'aws.partner/genesys.com', detail: { topicName: 't' } }, true],
    ['detail alone', { detail: { topicName: 't' } }, false],
    ['a detail that is not an object', { 'detail-type': 'x', source: 's', detail: 'x' }, false],
    ['a detail that is an array', { 'detail-type': 'x', source: 's', detail: [] }, false],
    ['a null detail', { 'detail-type': 'x', source: 's', detail: null }, false],
    ['no detail', { 'detail-type': 'x', source: 's' }, false],
  ])('an event with %s is unwrapped: %s', (_, value: Record<string, unknown>, unwrapped) => {
    expect(unwrapEventBridge(value)).toBe(unwrapped ? value.detail : value);
  });

  it('leaves arrays and null alone', () => {
    const array = [{ detail: {} }];
    expect(unwrapEventBridge(array)).toBe(array);
    expect(unwrapEventBridge(null)).toBeNull();
  });
});

describe('normalizeTranscription: optional fields', () => {
  const transcript = (alternatives: unknown[], channel = 'EXTERNAL') => ({
    utteranceId: 'u1',
    isFinal: false,
    channel,
    alternatives,
  });

  it('leaves out confidence, communicationId and the status when Genesys sends none', () => {
    expect(
      normalizeTranscription({
        conversationId: 'c1',
        transcripts: [transcript([{ transcript: 'hi', offsetMs: 5, durationMs: 6 }], 'INTERNAL')],
      }),
    ).toStrictEqual({
      conversationId: 'c1',
      sessionEnded: false,
      utterances: [
        {
          utteranceId: 'u1',
          isFinal: false,
          speaker: 'agent',
          text: 'hi',
          offsetMs: 5,
          durationMs: 6,
          channel: 'INTERNAL',
          conversationId: 'c1',
        },
      ],
    });
  });

  it('reads only the first alternative, and keeps a confidence of 0', () => {
    const t = normalizeTranscription({
      conversationId: 'c1',
      communicationId: 'comm-1',
      transcripts: [
        transcript([
          { transcript: 'first', offsetMs: 1, durationMs: 2, confidence: 0 },
          { transcript: 'second', offsetMs: 3, durationMs: 4, confidence: 0.5 },
        ]),
      ],
    });
    expect(t.utterances).toStrictEqual([
      {
        utteranceId: 'u1',
        isFinal: false,
        speaker: 'customer',
        text: 'first',
        offsetMs: 1,
        durationMs: 2,
        confidence: 0,
        channel: 'EXTERNAL',
        communicationId: 'comm-1',
        conversationId: 'c1',
      },
    ]);
    expect(t.communicationId).toBe('comm-1');
  });

  it.each([
    [{ status: 'SESSION_ONGOING' }, { status: 'SESSION_ONGOING', sessionEnded: false }],
    [{ status: 'SESSION_ENDED' }, { status: 'SESSION_ENDED', sessionEnded: true }],
    [
      { status: 'SESSION_PAUSED', offsetMs: 0 },
      { status: 'SESSION_PAUSED', statusOffsetMs: 0, sessionEnded: false },
    ],
    [{ offsetMs: 12 }, { statusOffsetMs: 12, sessionEnded: false }],
    [{}, { sessionEnded: false }],
  ])('status %j', (status, expected) => {
    expect(normalizeTranscription({ conversationId: 'c1', status })).toStrictEqual({
      conversationId: 'c1',
      utterances: [],
      ...expected,
    });
  });

  it('keeps the order Genesys sent, whatever the offsets', () => {
    const t = normalizeTranscription({
      conversationId: 'c1',
      transcripts: [
        { ...transcript([{ transcript: 'late', offsetMs: 900, durationMs: 1 }]), utteranceId: 'b' },
        { ...transcript([{ transcript: 'early', offsetMs: 100, durationMs: 1 }]), utteranceId: 'a' },
      ],
    });
    expect(t.utterances.map((x) => `${x.utteranceId}:${x.text}`)).toEqual(['b:late', 'a:early']);
  });

  it('names the path of the broken field, with the exact message', () => {
    const e = errorOf(() => normalizeTranscription({ conversationId: '' }));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(
      'A transcription notification has an unexpected shape: eventBody.conversationId is invalid (too_small). kaa cannot relay these transcripts; report the event (without its text) to the kaa maintainers, or switch the bot to Kore audio (AudiohookEnabled=true).',
    );
    expect(e.details).toEqual({ issues: ['eventBody.conversationId'] });
  });
});
