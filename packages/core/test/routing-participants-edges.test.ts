import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import {
  activeMessageSessionId,
  findAgentParticipant,
  isParticipantLive,
  isSystemColumn,
  mediaOf,
  parseConversation,
  queueOf,
} from '@kaa/core';
import type { GenesysConversation, GenesysParticipant } from '@kaa/core';

// Edges of reading a Genesys conversation: which leg is the agent's, which queue and media it has, which web-messaging
// session the agent answers in, and what an unreadable conversation says.
const conv = (participants: unknown[], id = 'c-1'): GenesysConversation =>
  ({ id, participants }) as unknown as GenesysConversation;
const AGENT = 'user-1';

describe('findAgentParticipant edges', () => {
  it('an unreadable start time falls back to the connected time, which can make a leg the latest', () => {
    const early = { id: 'early', purpose: 'agent', userId: AGENT, startTime: '2024-01-01T10:00:00Z' };
    const late = {
      id: 'late',
      purpose: 'agent',
      userId: AGENT,
      startTime: 'not a time',
      connectedTime: '2024-01-01T11:00:00Z',
    };
    expect(findAgentParticipant(conv([early, late]), AGENT).id).toBe('late');
  });

  it('skips null entries and agent legs without any user, and matches the flattened user.id', () => {
    const mine = { id: 'mine', purpose: 'agent', user: { id: AGENT } };
    expect(findAgentParticipant(conv([null, { purpose: 'agent' }, mine]), AGENT).id).toBe('mine');
  });

  it('a missing conversation is E_AGENT_NOT_PARTICIPANT for conversation "(unknown)"', () => {
    const e = errorOf(() => findAgentParticipant(undefined as unknown as GenesysConversation, AGENT));
    expect(e.code).toBe('E_AGENT_NOT_PARTICIPANT');
    expect(e.message).toContain('User "user-1" is not an agent participant of conversation "(unknown)".');
    expect(e.details).toEqual({ userId: AGENT, conversationId: '(unknown)', participants: 0 });
  });
});

describe('isParticipantLive', () => {
  it.each([
    [{ state: 'connected' }, true],
    [{ state: 'alerting' }, true],
    [{ state: 'disconnected' }, false],
    [{}, false],
    [{ state: 'connected', endTime: '2024-01-01T11:00:00Z' }, false],
    [{ calls: [{ state: 'terminated' }, { state: 'connected' }] }, true],
    [{ calls: [{ state: 'disconnected' }] }, false],
  ])('%j → %s', (p, live) => {
    expect(isParticipantLive(p as GenesysParticipant)).toBe(live);
  });
});

describe('queueOf edges', () => {
  it('the latest acd participant gives the queue; other participants never do, however late', () => {
    const agent = { purpose: 'agent', userId: AGENT };
    const acd = { purpose: 'acd', queueId: 'q-acd', queueName: 'ALPHA_SALES', startTime: '2024-01-01T10:00:00Z' };
    const customer = { purpose: 'customer', queueId: 'q-wrong', queueName: 'WRONG', startTime: '2024-01-01T12:00:00Z' };
    const c = conv([customer, acd, agent]);
    expect(queueOf(c, agent as GenesysParticipant)).toStrictEqual({ id: 'q-acd', name: 'ALPHA_SALES' });
  });

  it('routing data: a participant whose routing data has no queue is skipped, null entries too', () => {
    const agent = { purpose: 'agent', userId: AGENT, conversationRoutingData: {} };
    const other = { purpose: 'customer', conversationRoutingData: { queue: { id: 'q-routed' } } };
    const c = conv([null, { purpose: 'customer', conversationRoutingData: { skills: [] } }, other, agent]);
    expect(queueOf(c, agent as GenesysParticipant)).toStrictEqual({ id: 'q-routed' });
  });

  it('has no id key for a name-only queue, and no name key for an id-only queue', () => {
    const named = { purpose: 'agent', queueName: 'KoreSupport' } as GenesysParticipant;
    expect(Object.keys(queueOf(conv([named]), named))).toEqual(['name']);
    const idOnly = { purpose: 'agent', queueId: 'q-1' } as GenesysParticipant;
    expect(Object.keys(queueOf(conv([idOnly]), idOnly))).toEqual(['id']);
  });
});

describe('mediaOf edges', () => {
  it('a kind with one live session among ended ones wins over later kinds', () => {
    const p = { calls: [{ state: 'disconnected' }, { state: 'connected' }], messages: [{ state: 'connected' }] };
    expect(mediaOf(p as GenesysParticipant)).toBe('call');
  });
  it('a null session counts as not ended', () => {
    const p = { calls: [null], messages: [{ state: 'connected' }] };
    expect(mediaOf(p as unknown as GenesysParticipant)).toBe('call');
  });
});

describe('activeMessageSessionId', () => {
  it.each([
    [
      'skips a terminated session',
      [
        { id: 'm-old', state: 'terminated' },
        { id: 'm-live', state: 'connected' },
      ],
      'm-live',
    ],
    [
      'skips a disconnected session',
      [
        { id: 'm-old', state: 'disconnected' },
        { id: 'm-live', state: 'alerting' },
      ],
      'm-live',
    ],
    [
      'falls back to the first when all ended',
      [
        { id: 'm-1', state: 'terminated' },
        { id: 'm-2', state: 'disconnected' },
      ],
      'm-1',
    ],
    ['is undefined without sessions', undefined, undefined],
  ])('%s', (_, messages, id) => {
    expect(activeMessageSessionId({ purpose: 'agent', ...(messages && { messages }) } as GenesysParticipant)).toBe(id);
  });
});

describe('parseConversation errors', () => {
  const TAIL =
    'Check that the page calls GET /api/v2/conversations/{id} (or reads a conversation notification) and report this response to the kaa maintainers.';
  it.each([
    ['not an object', 42, '', []],
    ['participants not a list', { participants: 'x' }, ' at "participants"', ['participants']],
    [
      'a bad field of a participant',
      { participants: [{ purpose: 7 }] },
      ' at "participants.0.purpose"',
      ['participants', '0', 'purpose'],
    ],
  ])("%s: E_RESPONSE_INVALID says where, with zod's words", (_, value, where, path) => {
    const e = errorOf(() => parseConversation(value));
    expect(e.code).toBe('E_RESPONSE_INVALID');
    // zod's own words follow "Invalid input" (their detail depends on zod's locale setup)
    expect(e.message.startsWith(`Genesys returned a conversation kaa cannot read${where}: Invalid input`)).toBe(true);
    expect(e.message.endsWith(`. ${TAIL}`)).toBe(true);
    expect(e.details).toEqual({ path });
  });
});

describe('isSystemColumn', () => {
  it.each([
    ['Created_On', true],
    ['Updated_By', true],
    ['Created_Only', false],
    ['My_Created_On', false],
    ['BotId', false],
  ])('%s → %s', (name, system) => {
    expect(isSystemColumn(name)).toBe(system);
  });
});
