import { describe, expect, it } from 'vitest';
import { errorOf, expectOnlyKaaError, readFixture } from '@kaa/test-support';
import fc from 'fast-check';
import { experienceOf, findAgentParticipant, mediaOf, parseConversation, queueOf } from '@kaa/core';
import type { GenesysConversation } from '@kaa/core';

const load = (path: string): unknown => readFixture(path);
const callback = parseConversation(load('conversations/conversation_callback_agent_alert_retries.json'));
const notification = load('notifications/user_conversations_callback_disconnected.json') as { eventBody: unknown };
const disconnected = parseConversation(notification.eventBody);
const callsList = load('conversations/conversations_calls_active_voice.json') as { entities: unknown[] };
const voice = parseConversation(callsList.entities[0]);

describe('parseConversation', () => {
  it('accepts the nested, notification and flattened fixtures', () => {
    expect(callback.participants).toHaveLength(7);
    expect(disconnected.participants).toHaveLength(5);
    expect(voice.participants).toHaveLength(4);
  });
  it('rejects a body without participants with E_RESPONSE_INVALID naming the place', () => {
    const e = errorOf(() => parseConversation({ id: 'x', participants: 'nope' }));
    expect(e.code).toBe('E_RESPONSE_INVALID');
    expect(e.message).toContain('participants');
  });
  it('never throws anything but KaaError (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectOnlyKaaError(() => parseConversation(value));
      }),
      { numRuns: 300 },
    );
  });
});

describe('findAgentParticipant', () => {
  it('picks the still-alerting leg out of five legs of the same user (callback fixture)', () => {
    const legs = callback.participants.filter((p) => p.userId === 'AGENT_USER_ID');
    expect(legs).toHaveLength(5);
    expect(findAgentParticipant(callback, 'AGENT_USER_ID').id).toBe('00000000-0000-4000-8000-00000000000f');
  });
  it('falls back to the latest leg when every leg ended (notification fixture, no startTime: connectedTime/endTime/list order)', () => {
    expect(findAgentParticipant(disconnected, 'AGENT_USER_ID').id).toBe('00000000-0000-4000-8000-00000000003b');
  });
  it('accepts the flattened user{id} shape (calls list fixture)', () => {
    const me = findAgentParticipant(voice, '00000000-0000-4000-8000-00000000001d');
    expect(me.id).toBe('00000000-0000-4000-8000-00000000001b');
  });
  it('prefers a live leg over a later ended one', () => {
    const c: GenesysConversation = {
      participants: [
        {
          id: 'live',
          purpose: 'agent',
          userId: 'u',
          startTime: '2024-01-01T00:00:00Z',
          calls: [{ state: 'connected' }],
        },
        {
          id: 'ended',
          purpose: 'agent',
          userId: 'u',
          startTime: '2024-01-01T00:05:00Z',
          endTime: '2024-01-01T00:06:00Z',
          calls: [{ state: 'disconnected' }],
        },
      ],
    };
    expect(findAgentParticipant(c, 'u').id).toBe('live');
  });
  it('ignores non-agent participants of the same user and throws E_AGENT_NOT_PARTICIPANT', () => {
    const c: GenesysConversation = {
      id: 'conv-1',
      participants: [
        { purpose: 'customer', userId: 'u' },
        { purpose: 'agent', userId: 'other' },
      ],
    };
    const e = errorOf(() => findAgentParticipant(c, 'u'));
    expect(e.code).toBe('E_AGENT_NOT_PARTICIPANT');
    expect(e.message).toContain('conv-1');
    expect(e.step).toBe('conversation');
  });
});

describe('queueOf', () => {
  it('reads the participant queueId/queueName (callback fixture)', () => {
    const me = findAgentParticipant(callback, 'AGENT_USER_ID');
    expect(queueOf(callback, me)).toEqual({ id: '00000000-0000-4000-8000-000000000002', name: 'Callback_Queue' });
  });
  it('reads the flattened queue{id} (no name available in the calls list)', () => {
    const me = findAgentParticipant(voice, '00000000-0000-4000-8000-00000000001d');
    expect(queueOf(voice, me)).toEqual({ id: '00000000-0000-4000-8000-000000000015' });
  });
  it('falls back to the latest acd participant, then conversationRoutingData', () => {
    const c: GenesysConversation = {
      participants: [
        { purpose: 'acd', queueId: 'q-old', queueName: 'OLD_Q', startTime: '2024-01-01T00:00:00Z' },
        { purpose: 'acd', queueId: 'q-new', queueName: 'ALPHAINC_SALES', startTime: '2024-01-01T00:01:00Z' },
        { purpose: 'agent', userId: 'u', calls: [{ state: 'connected' }] },
      ],
    };
    expect(queueOf(c, findAgentParticipant(c, 'u'))).toEqual({ id: 'q-new', name: 'ALPHAINC_SALES' });
    const routed: GenesysConversation = {
      participants: [{ purpose: 'agent', userId: 'u', conversationRoutingData: { queue: { id: 'q-r' } } }],
    };
    expect(queueOf(routed, findAgentParticipant(routed, 'u'))).toEqual({ id: 'q-r' });
  });
  it('fills a missing name from the acd participant of the same queue only', () => {
    const c: GenesysConversation = {
      participants: [
        { purpose: 'acd', queueId: 'q1', queueName: 'ALPHAINC_SALES' },
        { purpose: 'agent', userId: 'u', queueId: 'q1' },
      ],
    };
    expect(queueOf(c, findAgentParticipant(c, 'u'))).toEqual({ id: 'q1', name: 'ALPHAINC_SALES' });
    const other: GenesysConversation = {
      participants: [
        { purpose: 'acd', queueId: 'q2', queueName: 'OTHER' },
        { purpose: 'agent', userId: 'u', queueId: 'q1' },
      ],
    };
    expect(queueOf(other, findAgentParticipant(other, 'u'))).toEqual({ id: 'q1' });
  });
  it('returns {} for a direct interaction', () => {
    const c: GenesysConversation = { participants: [{ purpose: 'agent', userId: 'u' }] };
    expect(queueOf(c, findAgentParticipant(c, 'u'))).toEqual({});
  });
});

describe('mediaOf / experienceOf', () => {
  it('reads callbacks from the fixtures', () => {
    expect(mediaOf(findAgentParticipant(callback, 'AGENT_USER_ID'))).toBe('callback');
    expect(mediaOf(findAgentParticipant(disconnected, 'AGENT_USER_ID'))).toBe('callback');
  });
  it('prefers an active session and uses the fallback for flattened call entities', () => {
    expect(mediaOf({ callbacks: [{ state: 'disconnected' }], calls: [], messages: [{ state: 'connected' }] })).toBe(
      'message',
    );
    expect(mediaOf({ emails: [{ state: 'connected' }] })).toBe('email');
    expect(mediaOf({ chats: [{ state: 'alerting' }] })).toBe('chat');
    expect(mediaOf(findAgentParticipant(voice, '00000000-0000-4000-8000-00000000001d'), 'call')).toBe('call');
    expect(mediaOf({ purpose: 'agent' })).toBeUndefined();
  });
  it('maps media to the Kore experience (docs/genesys-protocol.md#media-sessions)', () => {
    expect(experienceOf('call')).toBe('voice');
    expect(experienceOf('callback')).toBe('voice');
    expect(experienceOf('message')).toBe('chat');
    expect(experienceOf('chat')).toBe('chat');
    expect(experienceOf('email')).toBe('email');
  });
});
