import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { toConversationView } from '@kaa/core';

/**
 * toConversationView participant by participant: which media session speaks for the participant, which fields win
 * when both the participant and a session carry them, what counts as "ever connected", which message references are
 * found where, and that empty or null fields are left out of the view rather than copied.
 */

const view = (participant: Record<string, unknown>) =>
  toConversationView({ participants: [participant] }).participants[0];

describe('toConversationView: the session that speaks for a participant', () => {
  it.each([
    [
      'a connected session first, even after one that is not ended',
      [{ state: 'disconnected' }, { state: 'alerting' }, { state: 'connected' }, { state: 'dialing' }],
      'connected',
    ],
    [
      'else the first one not ended',
      [{ state: 'terminated' }, { state: 'alerting' }, { state: 'dialing' }],
      'alerting',
    ],
    ['else the last one', [{ state: 'disconnected', disconnectType: 'x' }, { state: 'terminated' }], 'terminated'],
    ['a session without state is not "not ended"', [{ held: true }, { state: 'disconnected' }], 'disconnected'],
  ])('%s', (_, calls, state) => {
    expect(view({ id: 'a1', calls })?.state).toBe(state);
  });

  it('takes held, confined and disconnectType from that session when the participant has none', () => {
    expect(
      view({
        id: 'a1',
        calls: [
          { state: 'disconnected', held: false, confined: false, disconnectType: 'old' },
          { state: 'connected', held: true, confined: true, disconnectType: 'peer' },
        ],
      }),
    ).toStrictEqual({
      id: 'a1',
      index: 0,
      state: 'connected',
      held: true,
      confined: true,
      disconnectType: 'peer',
      everConnected: true,
      messages: [],
    });
  });

  it("the participant's own fields win over the session's; null falls through to the session", () => {
    expect(
      view({
        id: 'a1',
        state: 'disconnected',
        held: false,
        confined: null,
        disconnectType: 'client',
        calls: [{ state: 'connected', held: true, confined: true, disconnectType: 'peer' }],
      }),
    ).toMatchObject({ state: 'disconnected', held: false, confined: true, disconnectType: 'client' });
  });

  it('reads sessions of every media', () => {
    for (const media of ['calls', 'callbacks', 'chats', 'emails', 'messages', 'socialExpressions', 'videos']) {
      expect(view({ id: 'a1', [media]: [{ state: 'connected', held: true }] })).toMatchObject({
        state: 'connected',
        held: true,
      });
    }
  });
});

describe('toConversationView: ever connected', () => {
  it.each([
    ['connectedTime on the participant', { connectedTime: '2024-01-01T00:00:00Z', state: 'disconnected' }, true],
    ['state connected', { state: 'connected' }, true],
    ['a session state connected', { calls: [{ state: 'connected' }] }, true],
    [
      'connectedTime on an ended session',
      { state: 'disconnected', calls: [{ state: 'x' }, { connectedTime: 't' }] },
      true,
    ],
    ['an alerting leg', { state: 'alerting', calls: [{ state: 'alerting' }] }, false],
    ['an empty connectedTime', { state: 'disconnected', connectedTime: '', calls: [{ connectedTime: '' }] }, false],
    ['a null connectedTime', { state: 'disconnected', connectedTime: null, calls: [{ connectedTime: null }] }, false],
  ])('%s → %s', (_, fields, expected) => {
    expect(view({ id: 'a1', ...fields })?.everConnected).toBe(expected);
  });
});

describe('toConversationView: fields left out', () => {
  it('empty or null strings are not copied, and held/confined default to false', () => {
    const v = toConversationView({
      id: '',
      endTime: null,
      participants: [
        {
          id: 'p1',
          purpose: '',
          userId: null,
          user: { id: '' },
          state: null,
          disconnectType: '',
          startTime: '',
          endTime: null,
          consultParticipantId: '',
        },
      ],
    });
    expect(v).toStrictEqual({
      participants: [{ id: 'p1', index: 0, held: false, confined: false, everConnected: false, messages: [] }],
    });
  });

  it('copies every field that is set, userId from user.id when userId is missing', () => {
    expect(
      toConversationView({
        id: 'c1',
        endTime: '2024-01-01T00:10:00Z',
        participants: [
          { id: 'x', purpose: 'customer' },
          {
            id: 'p1',
            purpose: 'agent',
            user: { id: 'u1' },
            state: 'connected',
            held: true,
            confined: true,
            disconnectType: 'client',
            startTime: '2024-01-01T00:00:00Z',
            endTime: '2024-01-01T00:09:00Z',
            consultParticipantId: 'x',
          },
        ],
      }),
    ).toStrictEqual({
      id: 'c1',
      endTime: '2024-01-01T00:10:00Z',
      participants: [
        { id: 'x', index: 0, purpose: 'customer', held: false, confined: false, everConnected: false, messages: [] },
        {
          id: 'p1',
          index: 1,
          purpose: 'agent',
          userId: 'u1',
          state: 'connected',
          held: true,
          confined: true,
          disconnectType: 'client',
          startTime: '2024-01-01T00:00:00Z',
          endTime: '2024-01-01T00:09:00Z',
          everConnected: true,
          consultParticipantId: 'x',
          messages: [],
        },
      ],
    });
    expect(view({ id: 'p', userId: 'direct', user: { id: 'nested' } })?.userId).toBe('direct');
    expect(view({ id: 'p', userId: null, user: { id: 'nested' } })?.userId).toBe('nested');
  });
});

describe('toConversationView: message references', () => {
  it('finds flattened refs only in participant.messages[], nested ones in any session, skipping ids that are empty', () => {
    expect(
      view({
        id: 'm1',
        purpose: 'customer',
        messages: [
          { messageId: 'flat-1', messageTime: '2024-01-01T00:00:01Z' },
          { message: { id: 'flat-2' } },
          {
            state: 'connected',
            messages: [
              { messageId: 'nested-1', messageTime: '2024-01-01T00:00:03Z' },
              { message: { id: 'nested-2' }, messageTime: '' },
              { messageId: '', message: { id: '' } },
              { messageId: null, message: null },
            ],
          },
        ],
        calls: [{ state: 'connected', messageId: 'not-a-ref', messages: [{ messageId: 'nested-3' }] }],
      })?.messages,
    ).toStrictEqual([
      // media in a fixed order: calls before messages
      { messageId: 'nested-3', participantId: 'm1', purpose: 'customer' },
      { messageId: 'flat-1', messageTime: '2024-01-01T00:00:01Z', participantId: 'm1', purpose: 'customer' },
      { messageId: 'flat-2', participantId: 'm1', purpose: 'customer' },
      { messageId: 'nested-1', messageTime: '2024-01-01T00:00:03Z', participantId: 'm1', purpose: 'customer' },
      { messageId: 'nested-2', participantId: 'm1', purpose: 'customer' },
    ]);
  });

  it('a flattened ref is not a session: its state does not speak for the participant', () => {
    const v = view({ id: 'm1', messages: [{ messageId: 'r1', state: 'connected', held: true }] });
    expect(v).toStrictEqual({
      id: 'm1',
      index: 0,
      held: false,
      confined: false,
      everConnected: false,
      messages: [{ messageId: 'r1', participantId: 'm1' }],
    });
  });

  it('messageId wins over message.id', () => {
    expect(view({ id: 'm1', messages: [{ messageId: 'a', message: { id: 'b' } }] })?.messages).toStrictEqual([
      { messageId: 'a', participantId: 'm1' },
    ]);
    expect(
      view({ id: 'm1', chats: [{ messages: [{ messageId: 'a', message: { id: 'b' } }] }] })?.messages,
    ).toStrictEqual([{ messageId: 'a', participantId: 'm1' }]);
  });
});

describe('toConversationView: errors', () => {
  it('names the broken path and says what to pass', () => {
    const e = errorOf(() => toConversationView({ participants: [{}] }));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(
      'A conversation snapshot has an unexpected shape: conversation.participants[0].id is missing or is not a string. Pass the body of GET /api/v2/conversations/{id} or the eventBody of a v2.users.{id}.conversations notification.',
    );
    expect(e.details).toEqual({ issues: ['conversation.participants[0].id'] });
  });
});
