import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { findAgentParticipant, mediaOf, queueOf } from '@kaa/core';
import type { GenesysConversation, GenesysParticipant } from '@kaa/core';

/**
 * Which leg is the agent's, which queue routed the interaction and which media it is, at the edges of each rule: equal
 * times, missing or unreadable times, ended legs, blank values.
 */

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:01:00Z';
const agent = (id: string, extra: Partial<GenesysParticipant> = {}): GenesysParticipant => ({
  id,
  purpose: 'agent',
  userId: 'u',
  ...extra,
});

describe('findAgentParticipant', () => {
  it('among legs with equal times (or none), the later one in the list wins, live or not', () => {
    expect(
      findAgentParticipant(
        {
          participants: [
            agent('a', { startTime: T0, state: 'connected' }),
            agent('b', { startTime: T0, state: 'connected' }),
          ],
        },
        'u',
      ).id,
    ).toBe('b');
    expect(
      findAgentParticipant({ participants: [agent('a', { endTime: T1 }), agent('b', { endTime: T1 })] }, 'u').id,
    ).toBe('b');
    expect(findAgentParticipant({ participants: [agent('a'), agent('b')] }, 'u').id).toBe('b');
  });

  it('a later start wins over list order', () => {
    expect(
      findAgentParticipant(
        {
          participants: [
            agent('late', { startTime: T1, state: 'alerting' }),
            agent('early', { startTime: T0, state: 'alerting' }),
          ],
        },
        'u',
      ).id,
    ).toBe('late');
    expect(
      findAgentParticipant({ participants: [agent('late', { endTime: T1 }), agent('early', { endTime: T0 })] }, 'u').id,
    ).toBe('late');
  });

  it('the time of a leg is its start, else its connection, else its end; an unreadable time is the earliest', () => {
    const c = (a: Partial<GenesysParticipant>, b: Partial<GenesysParticipant>) =>
      findAgentParticipant({ participants: [agent('a', a), agent('b', b)] }, 'u').id;
    expect(c({ connectedTime: T1 }, { startTime: T0 })).toBe('a');
    expect(c({ startTime: 'garbage', connectedTime: T1 }, { startTime: T0 })).toBe('a');
    expect(c({ endTime: T1 }, { connectedTime: T0 })).toBe('a');
    expect(c({ startTime: T1 }, { startTime: 'garbage' })).toBe('a');
    expect(c({ startTime: 5 as unknown as string, connectedTime: T1 }, { startTime: T0 })).toBe('a');
  });

  it('a leg is live when its own state or one of its media sessions is alerting or connected, and it has not ended', () => {
    const live = (extra: Partial<GenesysParticipant>) =>
      findAgentParticipant(
        {
          participants: [
            agent('candidate', { startTime: T0, ...extra }),
            agent('later', { startTime: T1, endTime: T1 }),
          ],
        },
        'u',
      ).id;
    expect(live({ state: 'alerting' })).toBe('candidate');
    expect(live({ state: 'connected' })).toBe('candidate');
    expect(live({ chats: [{ state: 'disconnected' }, { state: 'alerting' }] })).toBe('candidate');
    expect(live({ emails: [{ state: 'connected' }] })).toBe('candidate');
    expect(live({ state: 'connected', endTime: T0 })).toBe('later');
    expect(live({ state: 'disconnected' })).toBe('later');
    expect(live({ calls: [{ state: 'dialing' }, null as unknown as { state: string }] })).toBe('later');
    expect(live({ calls: 'connected' as unknown as [] })).toBe('later');
  });

  it('matches the user by userId or user.id, on agent legs only', () => {
    expect(findAgentParticipant({ participants: [{ id: 'x', purpose: 'agent', user: { id: 'u' } }] }, 'u').id).toBe(
      'x',
    );
    expect(
      findAgentParticipant({ participants: [{ id: 'x', purpose: 'agent', userId: 'u', user: { id: 'other' } }] }, 'u')
        .id,
    ).toBe('x');
    expect(
      errorOf(() =>
        findAgentParticipant(
          { participants: [{ id: 'x', purpose: 'agent', userId: 'other', user: { id: 'u' } }] },
          'u',
        ),
      ).code,
    ).toBe('E_AGENT_NOT_PARTICIPANT');
  });

  it('says why the assistant is not shown, with the conversation and the number of participants', () => {
    const e = errorOf(() =>
      findAgentParticipant(
        { id: 'conv-9', participants: [null as unknown as GenesysParticipant, { purpose: 'customer', userId: 'u' }] },
        'u',
      ),
    );
    expect(e.message).toBe(
      'User "u" is not an agent participant of conversation "conv-9". The assistant shows only for the agent handling the interaction: if this user is monitoring or coaching, that is expected; otherwise check that the Interaction Widget URL passes conversationid={{gcConversationId}}.',
    );
    expect(e.details).toEqual({ userId: 'u', conversationId: 'conv-9', participants: 2 });
    const unknown = errorOf(() => findAgentParticipant({ participants: 'x' } as unknown as GenesysConversation, 'u'));
    expect(unknown.details).toEqual({ userId: 'u', conversationId: '(unknown)', participants: 0 });
  });
});

describe('queueOf', () => {
  const me = (extra: Partial<GenesysParticipant> = {}) => agent('me', extra);

  it('reads the nested queue {id, name} of the participant; blank values do not count', () => {
    expect(queueOf({ participants: [] }, me({ queue: { id: 'q1', name: 'Q_ONE' } }))).toEqual({
      id: 'q1',
      name: 'Q_ONE',
    });
    expect(queueOf({ participants: [] }, me({ queueId: ' ', queue: { id: 'q1' }, queueName: '' }))).toEqual({
      id: 'q1',
    });
    expect(queueOf({ participants: [] }, me({ queueId: 'q1', queue: { id: 'q2', name: 'Q_TWO' } }))).toEqual({
      id: 'q1',
      name: 'Q_TWO',
    });
  });

  it('the latest acd participant wins; at equal or unreadable times the later one in the list', () => {
    const acd = (queueId: string, startTime?: string): GenesysParticipant => ({
      purpose: 'acd',
      queueId,
      queueName: `N_${queueId}`,
      ...(startTime === undefined ? {} : { startTime }),
    });
    expect(queueOf({ participants: [acd('a', T1), acd('b', T0)] }, me())).toEqual({ id: 'a', name: 'N_a' });
    expect(queueOf({ participants: [acd('a', T0), acd('b', T0)] }, me())).toEqual({ id: 'b', name: 'N_b' });
    expect(queueOf({ participants: [acd('a'), acd('b')] }, me())).toEqual({ id: 'b', name: 'N_b' });
    expect(queueOf({ participants: [acd('a', T0), acd('b', 'garbage')] }, me())).toEqual({ id: 'a', name: 'N_a' });
    expect(queueOf({ participants: [null as unknown as GenesysParticipant, acd('a', T0)] }, me())).toEqual({
      id: 'a',
      name: 'N_a',
    });
  });

  it("the participant's own queue comes before the acd participant; a name is taken only from the level of the chosen id or a level without one", () => {
    const acd: GenesysParticipant = { purpose: 'acd', queueId: 'q-acd', queueName: 'ACD_NAME' };
    expect(queueOf({ participants: [acd] }, me({ queueId: 'q-own' }))).toEqual({ id: 'q-own' });
    expect(queueOf({ participants: [acd] }, me({ queueName: 'OWN_NAME' }))).toEqual({ id: 'q-acd', name: 'OWN_NAME' });
    expect(
      queueOf({ participants: [{ purpose: 'acd', queueName: 'ACD_ONLY_NAME' }] }, me({ queueId: 'q-own' })),
    ).toEqual({ id: 'q-own', name: 'ACD_ONLY_NAME' });
  });

  it("routing data: the participant's own first, else any participant's", () => {
    const other: GenesysParticipant = { purpose: 'customer', conversationRoutingData: { queue: { id: 'q-other' } } };
    expect(queueOf({ participants: [other] }, me({ conversationRoutingData: { queue: { id: 'q-mine' } } }))).toEqual({
      id: 'q-mine',
    });
    expect(
      queueOf(
        { participants: [{ purpose: 'customer', conversationRoutingData: { queue: { id: ' ' } } }, other] },
        me(),
      ),
    ).toEqual({ id: 'q-other' });
    expect(queueOf({ participants: [] }, me())).toEqual({});
  });
});

describe('mediaOf', () => {
  it('the first media kind with a session that has not ended, in the order calls, callbacks, messages, chats, emails', () => {
    expect(mediaOf({ calls: [{ state: 'connected' }], callbacks: [{ state: 'connected' }] })).toBe('call');
    expect(mediaOf({ emails: [{ state: 'connected' }], chats: [{ state: 'connected' }] })).toBe('chat');
    expect(mediaOf({ calls: [{ state: 'terminated' }], chats: [{ state: 'alerting' }] })).toBe('chat');
  });

  it('a session that is not an object, or has no state, counts as not ended', () => {
    expect(mediaOf({ calls: [{ state: 'disconnected' }], callbacks: [null as unknown as { state: string }] })).toBe(
      'callback',
    );
    expect(mediaOf({ calls: [{ state: 'disconnected' }], messages: [{} as { state: string }] })).toBe('message');
  });

  it('when every session ended, the first kind that had one; else the fallback', () => {
    expect(mediaOf({ chats: [{ state: 'disconnected' }], emails: [{ state: 'terminated' }] }, 'call')).toBe('chat');
    expect(mediaOf({ calls: [], chats: 'x' as unknown as [] }, 'message')).toBe('message');
    expect(mediaOf({}, 'callback')).toBe('callback');
  });
});
