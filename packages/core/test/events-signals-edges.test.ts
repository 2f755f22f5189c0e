import { describe, expect, it } from 'vitest';
import { defaultConversationSignals as s } from '@kaa/core';
import type { ConversationView, ParticipantView } from '@kaa/core';

/**
 * The default conversation signals one predicate at a time, on hand-made views: the table of docs/assumptions.md#hold-and-transfer-detection
 * at its edges (which leg is mine, entry and exit types, when a conversation is over, consults).
 */

let next = 0;
function pv(fields: Partial<ParticipantView> = {}): ParticipantView {
  return {
    id: `p${next}`,
    index: next++,
    held: false,
    confined: false,
    everConnected: false,
    messages: [],
    ...fields,
  };
}
const agent = (userId: string, state: string, fields: Partial<ParticipantView> = {}): ParticipantView =>
  pv({ purpose: 'agent', userId, state, everConnected: state === 'connected', ...fields });
const conv = (...participants: ParticipantView[]): ConversationView => ({ participants });

describe('isEnded / isConnected / isCustomer / isAgent', () => {
  it.each([
    [{ state: 'connected' }, false, true],
    [{ state: 'disconnected' }, true, false],
    [{ state: 'terminated' }, true, false],
    [{ state: 'alerting' }, false, false],
    [{}, false, false],
    [{ state: 'connected', endTime: '2024-01-01T00:00:00Z' }, true, false],
    [{ endTime: '' }, true, false],
  ])('%j → ended %s, connected %s', (fields, ended, connected) => {
    expect(s.isEnded(pv(fields), s)).toBe(ended);
    expect(s.isConnected(pv(fields), s)).toBe(connected);
  });

  it.each([
    ['customer', true, false],
    ['external', true, false],
    ['agent', false, true],
    ['acd', false, false],
    [undefined, false, false],
  ])('purpose %s → customer %s, agent %s', (purpose, customer, isAgent) => {
    const p = purpose === undefined ? pv() : pv({ purpose });
    expect(s.isCustomer(p, s)).toBe(customer);
    expect(s.isAgent(p, s)).toBe(isAgent);
  });

  it('isConnected asks the merged isEnded', () => {
    const merged = { ...s, isEnded: () => true };
    expect(s.isConnected(pv({ state: 'connected' }), merged)).toBe(false);
  });
});

describe('pickMine', () => {
  it('only agent legs of this user; none → undefined', () => {
    expect(s.pickMine(conv(pv({ purpose: 'customer', userId: 'me' }), agent('other', 'connected')), 'me', s)).toBe(
      undefined,
    );
    const mine = agent('me', 'connected');
    expect(s.pickMine(conv(mine, agent('other', 'connected'), pv({ purpose: 'acd', userId: 'me' })), 'me', s)).toBe(
      mine,
    );
  });

  it('prefers a live (alerting or connected, not ended) leg over a later ended one', () => {
    const alerting = agent('me', 'alerting');
    const ended = agent('me', 'disconnected');
    expect(s.pickMine(conv(alerting, ended), 'me', s)).toBe(alerting);
    const connected = agent('me', 'connected');
    const connectedButEnded = agent('me', 'connected', { endTime: 't' });
    expect(s.pickMine(conv(connected, connectedButEnded), 'me', s)).toBe(connected);
    const dialing = agent('me', 'dialing');
    expect(s.pickMine(conv(connected, dialing), 'me', s)).toBe(connected);
  });

  it('among equals, the later startTime wins, else the later index', () => {
    const early = agent('me', 'disconnected', { startTime: '2024-01-01T00:00:02Z' });
    const late = agent('me', 'disconnected', { startTime: '2024-01-01T00:00:01Z' });
    // index order says `late` (added after), startTime says `early`
    expect(s.pickMine(conv(early, late), 'me', s)).toBe(early);
    expect(s.pickMine(conv(late, early), 'me', s)).toBe(early);
    const a = agent('me', 'disconnected', { startTime: 'same' });
    const b = agent('me', 'disconnected', { startTime: 'same' });
    expect(s.pickMine(conv(a, b), 'me', s)).toBe(b);
    expect(s.pickMine(conv(b, a), 'me', s)).toBe(b); // b has the larger index whatever its position
    // one startTime missing: the index decides
    const withTime = agent('me', 'disconnected', { startTime: '2024-01-01T00:00:09Z' });
    const noTime = agent('me', 'disconnected');
    expect(s.pickMine(conv(withTime, noTime), 'me', s)).toBe(noTime);
    expect(s.pickMine(conv(noTime, withTime), 'me', s)).toBe(noTime);
  });
});

describe('entryType', () => {
  const me = () => agent('me', 'connected');
  it.each<[string, (m: ParticipantView) => ParticipantView[], string]>([
    ['alone', () => [], 'NA'],
    ['another agent connected', () => [agent('a2', 'connected')], 'warm'],
    ['another agent only alerting', () => [agent('a2', 'alerting')], 'NA'],
    [
      'my earlier leg ended without a disconnect type',
      () => [agent('me', 'disconnected', { everConnected: true })],
      'redial',
    ],
    [
      'my earlier leg ended by a peer',
      () => [agent('me', 'disconnected', { everConnected: true, disconnectType: 'peer' })],
      'redial',
    ],
    [
      'my earlier leg transferred away',
      () => [agent('me', 'disconnected', { everConnected: true, disconnectType: 'transfer.consult' })],
      'NA',
    ],
    [
      'an ended non-agent leg of my user (purpose user)',
      () => [pv({ purpose: 'user', userId: 'me', state: 'disconnected', everConnected: true })],
      'NA',
    ],
    ['my earlier leg never connected', () => [agent('me', 'disconnected', { everConnected: false })], 'NA'],
    ['my earlier leg still connected', () => [agent('me', 'connected')], 'NA'],
    ['another agent served and left', () => [agent('a2', 'disconnected', { everConnected: true })], 'cold'],
    ['another agent only alerted and left', () => [agent('a2', 'disconnected', { everConnected: false })], 'NA'],
    [
      'one agent left, another served but is not ended',
      () => [agent('a2', 'disconnected', { everConnected: true }), agent('a3', 'alerting', { everConnected: true })],
      'NA',
    ],
    [
      'a non-agent that served and left',
      () => [pv({ purpose: 'acd', state: 'disconnected', everConnected: true })],
      'NA',
    ],
  ])('%s → %s', (_, others, expected) => {
    const m = me();
    expect(s.entryType(m, conv(...others(m), m), 'me', s)).toBe(expected);
  });
});

describe('exitType', () => {
  it.each([
    ['transfer.consult', [], 'warm'],
    ['transfer.conference', [], 'warm'],
    ['transfer', [], 'cold'],
    ['transfer.forward', [], 'cold'],
    ['peer', [], 'NA'],
    [undefined, [], 'NA'],
    [undefined, [agent('a2', 'connected')], 'warm'],
    [undefined, [agent('a2', 'alerting')], 'NA'],
    [undefined, [agent('me', 'connected')], 'NA'], // my own other leg is not another agent
    ['client', [agent('a2', 'connected')], 'warm'],
  ])('disconnectType %s with %j → %s', (disconnectType, others, expected) => {
    const mine = agent('me', 'disconnected', disconnectType === undefined ? {} : { disconnectType });
    expect(s.exitType(mine, conv(mine, ...others), 'me', s)).toBe(expected);
  });
});

describe('isConversationEnded', () => {
  const customer = (state: string) => pv({ purpose: 'customer', state });
  it.each<[string, ConversationView, boolean]>([
    ['endTime set', { endTime: 't', participants: [customer('connected')] }, true],
    ['no participants', conv(), false],
    ['no customer, everyone ended', conv(agent('a', 'disconnected'), pv({ state: 'terminated' })), true],
    ['no customer, someone left', conv(agent('a', 'disconnected'), pv({ state: 'connected' })), false],
    ['customer gone, no agent connected', conv(customer('disconnected'), agent('a', 'disconnected')), true],
    ['customer gone, an agent still connected', conv(customer('disconnected'), agent('a', 'connected')), false],
    ['customer connected, no agent', conv(customer('connected')), false],
    ['one of two customers still there', conv(customer('disconnected'), customer('connected')), false],
    [
      'customer gone, a non-agent still connected',
      conv(customer('terminated'), pv({ purpose: 'acd', state: 'connected' })),
      true,
    ],
  ])('%s → %s', (_, c, expected) => {
    expect(s.isConversationEnded(c, s)).toBe(expected);
  });
});

describe('isConsult', () => {
  it('a consultParticipantId on the joining agent, or on anyone pointing at it', () => {
    const joining = agent('a2', 'connected');
    expect(s.isConsult(joining, conv(joining), s)).toBe(false);
    expect(s.isConsult({ ...joining, consultParticipantId: 'x' }, conv(joining), s)).toBe(true);
    expect(s.isConsult(joining, conv(joining, pv({ consultParticipantId: joining.id })), s)).toBe(true);
    expect(s.isConsult(joining, conv(joining, pv({ consultParticipantId: 'someone-else' })), s)).toBe(false);
  });
});
