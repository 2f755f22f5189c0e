import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import { diffConversation } from '@kaa/core';

/**
 * diffConversation step by step, on small flattened snapshots: which lifecycle events one change produces for THIS
 * agent (`me`), in order, and which changes produce none.
 */

type P = Record<string, unknown>;
const ME = 'me';
const customer = (state = 'connected'): P => ({ id: 'cust', purpose: 'customer', state });
const agent = (id: string, userId: string, state: string, extra: P = {}): P => ({
  id,
  purpose: 'agent',
  user: { id: userId },
  state,
  ...extra,
});
const conv = (...participants: P[]): P => ({ id: 'c1', participants });

describe('diffConversation: one change at a time', () => {
  it.each<[string, P | undefined, P, unknown[]]>([
    ['first snapshot, me alerting: nothing', undefined, conv(customer(), agent('a1', ME, 'alerting')), []],
    [
      'first snapshot, me already gone: only disconnected (no exit: no entry was seen)',
      undefined,
      conv(customer(), agent('a1', ME, 'disconnected', { disconnectType: 'client' })),
      [{ kind: 'disconnected', participantId: 'a1', disconnectType: 'client' }],
    ],
    [
      'first snapshot, me gone without a disconnect type',
      undefined,
      conv(customer(), agent('a1', ME, 'terminated')),
      [{ kind: 'disconnected', participantId: 'a1' }],
    ],
    [
      'me alerting then gone (never connected): nothing',
      conv(customer(), agent('a1', ME, 'alerting')),
      conv(customer(), agent('a1', ME, 'disconnected')),
      [],
    ],
    [
      'first snapshot of a conversation that is over, without me',
      undefined,
      conv(customer('disconnected')),
      [{ kind: 'ended' }],
    ],
    [
      'a conversation already over stays over: no second ended',
      conv(customer('disconnected')),
      conv(customer('disconnected')),
      [],
    ],
    [
      'no participant of mine: nothing',
      conv(customer(), agent('a2', 'other', 'alerting')),
      conv(customer(), agent('a2', 'other', 'connected')),
      [],
    ],
    [
      'my agent leaves as the last agent: NA exit, disconnected, then ended',
      conv(customer(), agent('a1', ME, 'connected')),
      conv(customer('disconnected'), agent('a1', ME, 'disconnected', { disconnectType: 'peer' })),
      [
        { kind: 'transfer', transferType: 'NA', transition: 'exit', participantId: 'a1' },
        { kind: 'disconnected', participantId: 'a1', disconnectType: 'peer' },
        { kind: 'ended' },
      ],
    ],
    [
      'held on a snapshot where I was not there before: entry then held',
      conv(customer()),
      conv(customer(), agent('a1', ME, 'connected', { held: true })),
      [
        { kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'a1' },
        { kind: 'held', participantId: 'a1' },
      ],
    ],
    [
      'taken off hold while going: exit only (no resumed for a leg that ended)',
      conv(customer(), agent('a1', ME, 'connected', { held: true })),
      conv(customer(), agent('a1', ME, 'disconnected', { held: false })),
      [
        { kind: 'transfer', transferType: 'NA', transition: 'exit', participantId: 'a1' },
        { kind: 'disconnected', participantId: 'a1' },
      ],
    ],
  ])('%s', (_, previous, next, events) => {
    expect(diffConversation(previous, next, ME)).toStrictEqual(events);
  });

  it('a null previous is a first snapshot', () => {
    expect(diffConversation(null, conv(customer(), agent('a1', ME, 'connected')), ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'a1' },
    ]);
  });
});

describe('diffConversation: other agents', () => {
  const before = conv(customer(), agent('a1', ME, 'connected'), agent('a2', 'u2', 'alerting'));

  it('a joining agent with its user id, and whether it is a consult', () => {
    expect(
      diffConversation(before, conv(customer(), agent('a1', ME, 'connected'), agent('a2', 'u2', 'connected')), ME),
    ).toStrictEqual([{ kind: 'agentJoined', participantId: 'a2', userId: 'u2', consult: false }]);
    const consult = conv(
      customer(),
      agent('a1', ME, 'connected', { consultParticipantId: 'a2' }),
      agent('a2', 'u2', 'connected'),
    );
    expect(diffConversation(before, consult, ME)).toStrictEqual([
      { kind: 'agentJoined', participantId: 'a2', userId: 'u2', consult: true },
    ]);
  });

  it('an agent leg without a user id joins and leaves without one', () => {
    const a = conv(customer(), agent('a1', ME, 'connected'), { id: 'a2', purpose: 'agent', state: 'alerting' });
    const b = conv(customer(), agent('a1', ME, 'connected'), { id: 'a2', purpose: 'agent', state: 'connected' });
    const c = conv(customer(), agent('a1', ME, 'connected'), { id: 'a2', purpose: 'agent', state: 'disconnected' });
    expect(diffConversation(a, b, ME)).toStrictEqual([{ kind: 'agentJoined', participantId: 'a2', consult: false }]);
    expect(diffConversation(b, c, ME)).toStrictEqual([{ kind: 'agentLeft', participantId: 'a2' }]);
  });

  it('agents already there when I enter did not join; another leg of mine or a non-agent never joins', () => {
    const a = conv(customer(), agent('a1', ME, 'alerting'), agent('a2', 'u2', 'connected'));
    const b = conv(customer(), agent('a1', ME, 'connected'), agent('a2', 'u2', 'connected'));
    expect(diffConversation(a, b, ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'warm', transition: 'entry', participantId: 'a1' },
    ]);
    expect(diffConversation(undefined, b, ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'warm', transition: 'entry', participantId: 'a1' },
    ]);
    const c = conv(
      customer(),
      agent('a1', ME, 'connected'),
      agent('a2', 'u2', 'connected'),
      agent('a3', ME, 'connected'),
      { id: 'x', purpose: 'acd', state: 'connected' },
    );
    const d = conv(
      customer(),
      agent('a1', ME, 'connected', { startTime: '2024-01-01T00:00:02Z' }),
      agent('a2', 'u2', 'connected'),
      agent('a3', ME, 'disconnected', { startTime: '2024-01-01T00:00:01Z' }),
      { id: 'x', purpose: 'acd', state: 'connected' },
      { id: 'y', purpose: 'ivr', state: 'connected' },
    );
    expect(diffConversation(b, d, ME)).toStrictEqual([]);
    // from c, where my latest live leg was a3: that leg exits (warm: a2 is still there), a1 was already connected
    expect(diffConversation(c, d, ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'warm', transition: 'exit', participantId: 'a3' },
      { kind: 'disconnected', participantId: 'a3' },
    ]);
  });

  it('an agent leaving is reported only while I was connected', () => {
    const gone = (mine: string) => conv(customer(), agent('a1', ME, mine), agent('a2', 'u2', 'disconnected'));
    const there = (mine: string) => conv(customer(), agent('a1', ME, mine), agent('a2', 'u2', 'connected'));
    expect(diffConversation(there('connected'), gone('connected'), ME)).toStrictEqual([
      { kind: 'agentLeft', participantId: 'a2', userId: 'u2' },
    ]);
    expect(diffConversation(there('alerting'), gone('alerting'), ME)).toStrictEqual([]);
  });
});

describe('diffConversation: legs of mine', () => {
  it('my connected leg missing from the next snapshot reports nothing (no exit without a sign that it ended)', () => {
    const a = conv(customer(), agent('a1', ME, 'connected'));
    expect(diffConversation(a, conv(customer()), ME)).toStrictEqual([]);
  });

  it('leaving while another agent connects: a warm exit, no agentJoined; an agent alerting throughout never joins', () => {
    const a = conv(customer(), agent('a1', ME, 'connected'), agent('a2', 'u2', 'alerting'));
    const b = conv(customer(), agent('a1', ME, 'disconnected'), agent('a2', 'u2', 'connected'));
    expect(diffConversation(a, b, ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'warm', transition: 'exit', participantId: 'a1' },
      { kind: 'disconnected', participantId: 'a1' },
    ]);
    expect(diffConversation(a, a, ME)).toStrictEqual([]);
  });

  it('an earlier leg that is still connected when a new leg appears does not exit', () => {
    const a = conv(customer(), agent('a1', ME, 'connected', { startTime: '2024-01-01T00:00:01Z' }));
    const b = conv(
      customer(),
      agent('a1', ME, 'connected', { startTime: '2024-01-01T00:00:01Z' }),
      agent('a2', ME, 'connected', { startTime: '2024-01-01T00:00:02Z' }),
    );
    expect(diffConversation(a, b, ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'a2' },
    ]);
  });

  it('an earlier leg that ended exits before the new leg enters as redial', () => {
    const a = conv(customer(), agent('a1', ME, 'connected'));
    const b = conv(
      customer(),
      agent('a1', ME, 'disconnected', { disconnectType: 'error', connectedTime: 't1' }),
      agent('a2', ME, 'connected'),
    );
    expect(diffConversation(a, b, ME)).toStrictEqual([
      { kind: 'transfer', transferType: 'NA', transition: 'exit', participantId: 'a1' },
      { kind: 'disconnected', participantId: 'a1', disconnectType: 'error' },
      { kind: 'transfer', transferType: 'redial', transition: 'entry', participantId: 'a2' },
    ]);
  });

  it('an earlier leg that was never connected does not exit', () => {
    const a = conv(customer(), agent('a1', ME, 'alerting'));
    const b = conv(customer(), agent('a1', ME, 'disconnected'), agent('a2', ME, 'alerting'));
    expect(diffConversation(a, b, ME)).toStrictEqual([]);
  });
});

describe('diffConversation: messages', () => {
  const withMessages = (...ids: [string, string?][]): P =>
    conv(
      customer(),
      agent('a1', ME, 'connected', {
        messages: ids.map(([messageId, messageTime]) => (messageTime ? { messageId, messageTime } : { messageId })),
      }),
    );

  it('on the first snapshot by default, not with messagesOnFirstSnapshot false', () => {
    const first = withMessages(['m1', '2024-01-01T00:00:01Z']);
    const entry = { kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'a1' };
    expect(diffConversation(undefined, first, ME)).toStrictEqual([
      entry,
      {
        kind: 'messageAdded',
        messages: [{ messageId: 'm1', messageTime: '2024-01-01T00:00:01Z', participantId: 'a1', purpose: 'agent' }],
      },
    ]);
    expect(diffConversation(undefined, first, ME, { messagesOnFirstSnapshot: true })).toHaveLength(2);
    expect(diffConversation(undefined, first, ME, { messagesOnFirstSnapshot: false })).toStrictEqual([entry]);
  });

  it('later snapshots report only new ids (even with messagesOnFirstSnapshot false), missing times first, then by time, then order', () => {
    const a = withMessages(['m1', '2024-01-01T00:00:01Z']);
    const b = withMessages(
      ['m1', '2024-01-01T00:00:01Z'],
      ['m4', '2024-01-01T00:00:05Z'],
      ['m3', '2024-01-01T00:00:03Z'],
      ['m2'],
      ['m5', '2024-01-01T00:00:03Z'],
      ['m3', '2024-01-01T00:00:03Z'],
    );
    const added = diffConversation(a, b, ME, { messagesOnFirstSnapshot: false });
    expect(added).toHaveLength(1);
    const [event] = added;
    expect(event?.kind === 'messageAdded' && event.messages.map((m) => m.messageId)).toEqual(['m2', 'm3', 'm5', 'm4']);
    expect(diffConversation(b, b, ME)).toStrictEqual([]);
  });
});

describe('diffConversation: conversations and signals', () => {
  it('snapshots without an id, or with one id missing, are compared', () => {
    const a = { participants: [customer(), agent('a1', ME, 'alerting')] };
    const b = conv(customer(), agent('a1', ME, 'connected'));
    expect(diffConversation(a, b, ME)).toHaveLength(1);
    expect(diffConversation(b, { participants: [customer(), agent('a1', ME, 'connected')] }, ME)).toStrictEqual([]);
  });

  it('different conversations: the exact error', () => {
    const e = errorOf(() => diffConversation({ id: 'a', participants: [] }, { id: 'b', participants: [] }, ME));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(
      'Two snapshots of different conversations were compared ("a" then "b"). Drop notifications whose eventBody.id is not the conversation this page assists.',
    );
    expect(e.details).toEqual({ previousId: 'a', nextId: 'b' });
  });

  it('a partial signals override keeps the other defaults', () => {
    const a = conv(customer(), agent('a1', ME, 'alerting'));
    const b = conv(customer(), agent('a1', ME, 'connected'));
    expect(diffConversation(a, b, ME, { signals: { entryType: () => 'cold' } })).toStrictEqual([
      { kind: 'transfer', transferType: 'cold', transition: 'entry', participantId: 'a1' },
    ]);
  });
});
