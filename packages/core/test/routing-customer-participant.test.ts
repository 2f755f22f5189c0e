import { describe, expect, it } from 'vitest';
import { readFixture } from '@kaa/test-support';
import { activeMessageSessionId, findCustomerParticipant, parseConversation } from '@kaa/core';

describe('findCustomerParticipant', () => {
  it('finds the customer of the callback fixture', () => {
    const conversation = parseConversation(readFixture('conversations/conversation_callback_agent_alert_retries.json'));
    expect(findCustomerParticipant(conversation)?.purpose).toBe('customer');
  });
  it('accepts an external party and answers undefined when there is none', () => {
    expect(
      findCustomerParticipant({
        participants: [
          { id: 'a', purpose: 'agent' },
          { id: 'x', purpose: 'external' },
        ],
      })?.id,
    ).toBe('x');
    expect(findCustomerParticipant({ participants: [{ id: 'a', purpose: 'agent' }] })).toBeUndefined();
    expect(findCustomerParticipant({ participants: [] })).toBeUndefined();
  });
});

describe('activeMessageSessionId (docs/assumptions.md#sending-agent-chat-text)', () => {
  it('prefers the first session that is still live, else the first one', () => {
    expect(
      activeMessageSessionId({
        messages: [
          { id: 'm1', state: 'disconnected' },
          { id: 'm2', state: 'connected' },
        ],
      }),
    ).toBe('m2');
    expect(activeMessageSessionId({ messages: [{ id: 'm1', state: 'terminated' }] })).toBe('m1');
    expect(activeMessageSessionId({ calls: [{ id: 'c1', state: 'connected' }] })).toBeUndefined();
  });
});
