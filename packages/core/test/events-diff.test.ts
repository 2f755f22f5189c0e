import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '@kaa/test-support';
import {
  KaaError,
  defaultConversationSignals,
  diffConversation,
  parseNotification,
  toConversationView,
} from '@kaa/core';

const load = (path: string): any => readFixture(path);
const clone = <T>(v: T): T => structuredClone(v);

const ME = 'me';
type P = Record<string, unknown>;
const customer = (state = 'connected'): P => ({ id: 'cust', purpose: 'customer', state, held: false });
const acd = (state = 'terminated', disconnectType = 'transfer'): P => ({
  id: 'acd1',
  purpose: 'acd',
  state,
  disconnectType,
});
const agent = (id: string, userId: string, state: string, extra: P = {}): P => ({
  id,
  purpose: 'agent',
  user: { id: userId },
  state,
  held: false,
  ...extra,
});
const conv = (...participants: P[]): P => ({ id: 'c1', participants });

describe('diffConversation — voice call answered, hold, resume, cold transfer out', () => {
  const s0 = conv(customer(), acd('connected'), agent('a1', ME, 'alerting'));
  const s1 = conv(customer(), acd(), agent('a1', ME, 'connected', { connectedTime: '2024-01-01T00:00:01Z' }));
  const s2 = conv(
    customer(),
    acd(),
    agent('a1', ME, 'connected', { held: true, startHoldTime: '2024-01-01T00:01:00Z' }),
  );
  const s3 = conv(customer(), acd(), agent('a1', ME, 'connected'));
  const s4 = conv(customer(), acd(), agent('a1', ME, 'disconnected', { disconnectType: 'transfer' }), {
    id: 'acd2',
    purpose: 'acd',
    state: 'connected',
  });

  it('emits entry, held, resumed, cold exit in order', () => {
    expect(diffConversation(undefined, s0, ME)).toEqual([]);
    expect(diffConversation(s0, s1, ME)).toEqual([
      { kind: 'transfer', transferType: 'NA', transition: 'entry', participantId: 'a1' },
    ]);
    expect(diffConversation(s1, s2, ME)).toEqual([{ kind: 'held', participantId: 'a1' }]);
    expect(diffConversation(s2, s2, ME)).toEqual([]);
    expect(diffConversation(s2, s3, ME)).toEqual([{ kind: 'resumed', participantId: 'a1' }]);
    expect(diffConversation(s3, s4, ME)).toEqual([
      { kind: 'transfer', transferType: 'cold', transition: 'exit', participantId: 'a1' },
      { kind: 'disconnected', participantId: 'a1', disconnectType: 'transfer' },
    ]);
  });

  it('the receiving agent gets a cold entry on its first snapshot', () => {
    const forB = conv(
      customer(),
      acd(),
      agent('a1', ME, 'disconnected', { disconnectType: 'transfer', connectedTime: 't' }),
      agent('b1', 'bob', 'connected'),
    );
    expect(diffConversation(undefined, forB, 'bob')).toEqual([
      { kind: 'transfer', transferType: 'cold', transition: 'entry', participantId: 'b1' },
    ]);
  });

  it('a first snapshot already on hold reports entry then held', () => {
    expect(diffConversation(undefined, s2, ME).map((e) => e.kind)).toEqual(['transfer', 'held']);
  });
});

describe('diffConversation — warm transfer', () => {
  const one = conv(customer(), agent('a1', ME, 'connected'));
  const both = conv(
    customer(),
    agent('a1', ME, 'connected'),
    agent('a2', 'bob', 'connected', { consultParticipantId: 'a1' }),
  );
  const bobLeft = conv(
    customer(),
    agent('a1', ME, 'connected'),
    agent('a2', 'bob', 'disconnected', { disconnectType: 'client' }),
  );
  const over = conv(
    customer('disconnected'),
    agent('a1', ME, 'disconnected', { disconnectType: 'peer' }),
    agent('a2', 'bob', 'disconnected'),
  );

  it('A1 sees the other agent join and leave, then ends as the last agent', () => {
    expect(diffConversation(one, both, ME)).toEqual([
      { kind: 'agentJoined', participantId: 'a2', userId: 'bob', consult: true },
    ]);
    expect(diffConversation(both, bobLeft, ME)).toEqual([{ kind: 'agentLeft', participantId: 'a2', userId: 'bob' }]);
    expect(diffConversation(bobLeft, over, ME)).toEqual([
      { kind: 'transfer', transferType: 'NA', transition: 'exit', participantId: 'a1' },
      { kind: 'disconnected', participantId: 'a1', disconnectType: 'peer' },
      { kind: 'ended' },
    ]);
  });

  it('A2 enters warm and leaves warm while A1 stays', () => {
    expect(diffConversation(undefined, both, 'bob')).toEqual([
      { kind: 'transfer', transferType: 'warm', transition: 'entry', participantId: 'a2' },
    ]);
    expect(diffConversation(both, bobLeft, 'bob')).toEqual([
      { kind: 'transfer', transferType: 'warm', transition: 'exit', participantId: 'a2' },
      { kind: 'disconnected', participantId: 'a2', disconnectType: 'client' },
    ]);
  });

  it('transfer.consult / transfer.conference disconnects are warm exits', () => {
    const consulted = conv(
      customer(),
      agent('a1', ME, 'disconnected', { disconnectType: 'transfer.consult' }),
      agent('a2', 'bob', 'connected'),
    );
    expect(diffConversation(both, consulted, ME)[0]).toEqual({
      kind: 'transfer',
      transferType: 'warm',
      transition: 'exit',
      participantId: 'a1',
    });
  });
});

describe('diffConversation — redial', () => {
  const first = conv(customer(), agent('a1', ME, 'connected', { startTime: '2024-01-01T00:00:00Z' }));
  const again = conv(
    customer(),
    agent('a1', ME, 'disconnected', {
      disconnectType: 'client',
      startTime: '2024-01-01T00:00:00Z',
      connectedTime: '2024-01-01T00:00:01Z',
    }),
    agent('a1b', ME, 'connected', { startTime: '2024-01-01T00:05:00Z' }),
  );

  it('the old leg exits and the new leg enters as redial', () => {
    expect(diffConversation(first, again, ME)).toEqual([
      { kind: 'transfer', transferType: 'NA', transition: 'exit', participantId: 'a1' },
      { kind: 'disconnected', participantId: 'a1', disconnectType: 'client' },
      { kind: 'transfer', transferType: 'redial', transition: 'entry', participantId: 'a1b' },
    ]);
  });

  it('a first snapshot after a dropped leg is a redial entry', () => {
    expect(diffConversation(undefined, again, ME)).toEqual([
      { kind: 'transfer', transferType: 'redial', transition: 'entry', participantId: 'a1b' },
    ]);
  });
});

describe('diffConversation — fixtures', () => {
  it('active voice call (flattened /conversations/calls shape): NA entry for the agent', () => {
    const call = load('conversations/conversations_calls_active_voice.json').entities[0];
    expect(diffConversation(undefined, call, '00000000-0000-4000-8000-00000000001d')).toEqual([
      {
        kind: 'transfer',
        transferType: 'NA',
        transition: 'entry',
        participantId: '00000000-0000-4000-8000-00000000001b',
      },
    ]);
    expect(diffConversation(call, call, '00000000-0000-4000-8000-00000000001d')).toEqual([]);
    expect(diffConversation(undefined, call, 'someone-else')).toEqual([]);
  });

  it('callback with alert retries (nested GET shape): nothing until the alerting leg connects, then NA (retries that never connected are not redials)', () => {
    const conversation = load('conversations/conversation_callback_agent_alert_retries.json');
    expect(diffConversation(undefined, conversation, 'AGENT_USER_ID')).toEqual([]);
    const answered = clone(conversation);
    const leg = answered.participants.find((p: any) => p.id === '00000000-0000-4000-8000-00000000000f');
    leg.callbacks[0].state = 'connected';
    leg.callbacks[0].connectedTime = '2022-07-04T12:11:40.000Z';
    expect(diffConversation(conversation, answered, 'AGENT_USER_ID')).toEqual([
      {
        kind: 'transfer',
        transferType: 'NA',
        transition: 'entry',
        participantId: '00000000-0000-4000-8000-00000000000f',
      },
    ]);
    const held = clone(answered);
    held.participants.find((p: any) => p.id === leg.id).callbacks[0].held = true;
    expect(diffConversation(answered, held, 'AGENT_USER_ID')).toEqual([{ kind: 'held', participantId: leg.id }]);
  });

  it('user conversations notification (callback disconnected): my last leg exits as NA, the customer is still there', () => {
    const body = parseNotification(load('notifications/user_conversations_callback_disconnected.json'));
    if (body.kind !== 'userConversation') throw new Error('expected userConversation');
    const before = clone(body.eventBody) as any;
    const last = before.participants.find((p: any) => p.id === '00000000-0000-4000-8000-00000000003b');
    delete last.endTime;
    last.callbacks[0].state = 'connected';
    delete last.callbacks[0].disconnectType;
    expect(diffConversation(before, body.eventBody, 'AGENT_USER_ID')).toEqual([
      {
        kind: 'transfer',
        transferType: 'NA',
        transition: 'exit',
        participantId: '00000000-0000-4000-8000-00000000003b',
      },
      { kind: 'disconnected', participantId: '00000000-0000-4000-8000-00000000003b', disconnectType: 'client' },
    ]);
    expect(diffConversation(undefined, body.eventBody, 'AGENT_USER_ID')).toEqual([
      { kind: 'disconnected', participantId: '00000000-0000-4000-8000-00000000003b', disconnectType: 'client' },
    ]);
  });
});

describe('diffConversation — web messaging', () => {
  it('reports new message references from nested sessions and flattened refs, ordered by time, each once', () => {
    const nested = {
      id: 'm1',
      participants: [
        {
          id: 'cust',
          purpose: 'customer',
          messages: [
            {
              state: 'connected',
              messages: [
                { messageId: 'm-2', messageTime: '2024-01-01T00:00:02Z' },
                { messageId: 'm-1', messageTime: '2024-01-01T00:00:01Z' },
              ],
            },
          ],
        },
        { id: 'a1', purpose: 'agent', userId: ME, messages: [{ state: 'connected', messages: [] }] },
      ],
    };
    expect(diffConversation(undefined, nested, ME, { messagesOnFirstSnapshot: false }).map((e) => e.kind)).toEqual([
      'transfer',
    ]);
    const events = diffConversation(undefined, nested, ME);
    expect(events[1]).toEqual({
      kind: 'messageAdded',
      messages: [
        { messageId: 'm-1', messageTime: '2024-01-01T00:00:01Z', participantId: 'cust', purpose: 'customer' },
        { messageId: 'm-2', messageTime: '2024-01-01T00:00:02Z', participantId: 'cust', purpose: 'customer' },
      ],
    });
    const flattened = {
      id: 'm1',
      participants: [
        {
          id: 'cust',
          purpose: 'customer',
          state: 'connected',
          messages: [
            { messageId: 'm-1' },
            { messageId: 'm-2' },
            { messageId: 'm-3', messageTime: '2024-01-01T00:00:03Z' },
          ],
        },
        {
          id: 'a1',
          purpose: 'agent',
          user: { id: ME },
          state: 'connected',
          messages: [{ messageId: 'm-4', messageTime: '2024-01-01T00:00:04Z' }],
        },
      ],
    };
    expect(diffConversation(nested, flattened, ME)).toEqual([
      {
        kind: 'messageAdded',
        messages: [
          { messageId: 'm-3', messageTime: '2024-01-01T00:00:03Z', participantId: 'cust', purpose: 'customer' },
          { messageId: 'm-4', messageTime: '2024-01-01T00:00:04Z', participantId: 'a1', purpose: 'agent' },
        ],
      },
    ]);
  });
});

describe('diffConversation — message id shapes', () => {
  it('reads the id from messages[].messageId (user-conversation topic) and messages[].message.id (.messages topic, SDK model)', () => {
    const session = (messages: unknown[]) => ({
      id: 'm1',
      participants: [
        { id: 'cust', purpose: 'customer', messages: [{ state: 'connected', messages }] },
        { id: 'a1', purpose: 'agent', userId: ME, messages: [{ state: 'connected', messages: [] }] },
      ],
    });
    const userTopic = session([{ messageId: 'm-1', messageTime: '2024-01-01T00:00:01Z' }]);
    const messagesTopic = session([
      {
        message: { id: 'm-1', selfUri: '/api/v2/conversations/messages/m1/messages/m-1' },
        messageTime: '2024-01-01T00:00:01Z',
        messageStatus: 'received',
      },
      {
        message: { id: 'm-2', selfUri: '/api/v2/conversations/messages/m1/messages/m-2' },
        messageTime: '2024-01-01T00:00:02Z',
        messageStatus: 'received',
      },
      { message: null, messageTime: '2024-01-01T00:00:03Z' },
    ]);
    expect(diffConversation(userTopic, messagesTopic, ME)).toEqual([
      {
        kind: 'messageAdded',
        messages: [
          { messageId: 'm-2', messageTime: '2024-01-01T00:00:02Z', participantId: 'cust', purpose: 'customer' },
        ],
      },
    ]);
    expect(diffConversation(undefined, messagesTopic, ME).find((e) => e.kind === 'messageAdded')).toEqual({
      kind: 'messageAdded',
      messages: [
        { messageId: 'm-1', messageTime: '2024-01-01T00:00:01Z', participantId: 'cust', purpose: 'customer' },
        { messageId: 'm-2', messageTime: '2024-01-01T00:00:02Z', participantId: 'cust', purpose: 'customer' },
      ],
    });
    expect(diffConversation(messagesTopic, session([{ messageId: 'm-2' }, { messageId: 'm-3' }]), ME)).toEqual([
      { kind: 'messageAdded', messages: [{ messageId: 'm-3', participantId: 'cust', purpose: 'customer' }] },
    ]);
  });

  it('reads flattened refs of both shapes: participant.messages[].messageId and participant.messages[].message.id', () => {
    const flat = (messages: unknown[]) => ({
      id: 'm1',
      participants: [
        { id: 'cust', purpose: 'customer', state: 'connected', messages },
        { id: 'a1', purpose: 'agent', userId: ME, state: 'connected', messages: [] },
      ],
    });
    const before = flat([{ messageId: 'm-1', messageTime: '2024-01-01T00:00:01Z' }]);
    const after = flat([
      {
        message: { id: 'm-1' },
        messageTime: '2024-01-01T00:00:01Z',
        messageStatus: 'received',
        messageSegmentCount: 1,
      },
      { message: { id: 'm-2' }, messageTime: '2024-01-01T00:00:02Z', messageStatus: 'sent', messageSegmentCount: 1 },
    ]);
    expect(diffConversation(before, after, ME)).toEqual([
      {
        kind: 'messageAdded',
        messages: [
          { messageId: 'm-2', messageTime: '2024-01-01T00:00:02Z', participantId: 'cust', purpose: 'customer' },
        ],
      },
    ]);
  });
});

describe('diffConversation — signals and errors', () => {
  it('uses overridden signals (docs/assumptions.md#hold-and-transfer-detection): treat a confined customer as held', () => {
    const a = conv(customer(), agent('a1', ME, 'connected'));
    const b = conv({ ...customer(), confined: true }, agent('a1', ME, 'connected'));
    expect(diffConversation(a, b, ME)).toEqual([]);
    const signals = {
      isHeld: (p: any, c: any, s: any) =>
        defaultConversationSignals.isHeld(p, c, s) || c.participants.some((x: any) => s.isCustomer(x, s) && x.confined),
    };
    expect(diffConversation(a, b, ME, { signals })).toEqual([{ kind: 'held', participantId: 'a1' }]);
  });

  it('toConversationView reads both shapes the same way', () => {
    const flat = toConversationView(conv(agent('a1', ME, 'connected', { held: true })));
    const nested = toConversationView({
      id: 'c1',
      participants: [{ id: 'a1', purpose: 'agent', userId: ME, calls: [{ state: 'connected', held: true }] }],
    });
    expect(flat.participants[0]).toMatchObject({
      id: 'a1',
      userId: ME,
      state: 'connected',
      held: true,
      everConnected: true,
    });
    expect(nested.participants[0]).toMatchObject({
      id: 'a1',
      userId: ME,
      state: 'connected',
      held: true,
      everConnected: true,
    });
  });

  it('rejects snapshots of different conversations or of the wrong shape', () => {
    expect(() => diffConversation({ id: 'x', participants: [] }, { id: 'y', participants: [] }, ME)).toThrow(
      /different conversations/,
    );
    try {
      diffConversation(undefined, { id: 'c', participants: [{ purpose: 'agent' }] }, ME);
      expect.unreachable();
    } catch (e) {
      expect((e as KaaError).code).toBe('E_EVENT_INVALID');
      expect((e as KaaError).message).toContain('conversation.participants[0].id');
    }
  });

  it('property: any input only ever throws KaaError', () => {
    const session = fc.record(
      { state: fc.oneof(fc.constantFrom('connected', 'disconnected', 'alerting'), fc.anything()), held: fc.anything() },
      { requiredKeys: [] },
    );
    const participant = fc.record(
      {
        id: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.anything()),
        purpose: fc.oneof(fc.constantFrom('agent', 'customer', 'acd'), fc.anything()),
        userId: fc.oneof(fc.constant(ME), fc.anything()),
        state: fc.oneof(fc.constantFrom('connected', 'disconnected', 'terminated'), fc.anything()),
        held: fc.anything(),
        calls: fc.oneof(fc.array(session), fc.anything()),
        messages: fc.oneof(
          fc.array(fc.record({ messageId: fc.anything(), messages: fc.anything() }, { requiredKeys: [] })),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const snapshot = fc.oneof(
      fc.anything(),
      fc.record(
        { id: fc.constantFrom('c1', undefined), participants: fc.oneof(fc.array(participant), fc.anything()) },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        try {
          diffConversation(a, b, ME);
          return true;
        } catch (e) {
          return e instanceof KaaError && e.code === 'E_EVENT_INVALID';
        }
      }),
      { numRuns: 400 },
    );
  });
});
