import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KaaError,
  WIDGET_MESSAGE,
  buildAgentInfoMessage,
  buildEndAgentAssistMessage,
  buildEndOfConversationMessage,
  buildUserInfoMessage,
  buildUtteranceMessage,
  decodeSendPayload,
  parseWidgetMessage,
} from '@kaa/core';
import { CONVERSATIONS, USERS } from '../../sandbox/src/seed.js';

const CONV = CONVERSATIONS.chatKore;

describe('host → widget builders (docs/kore-protocol.md#host-to-widget-messages)', () => {
  it('customer utterance: USER author, both conversation id spellings, value', () => {
    expect(
      buildUtteranceMessage({ speaker: 'customer', conversationId: CONV, text: 'I want to check my balance' }),
    ).toEqual({
      name: 'agentAssist.CustomerMessage',
      author: { type: 'USER' },
      conversationid: CONV,
      conversationId: CONV,
      value: 'I want to check my balance',
    });
  });

  it('agent utterance with author, customData and secureCustomData', () => {
    const m = buildUtteranceMessage({
      speaker: 'agent',
      conversationId: CONV,
      text: 'Sure, one moment',
      author: { id: USERS.agent.id, firstName: 'Ava', lastName: 'Agent' },
      customData: { internalMetaData: 'x' },
      secureCustomData: 'a.b.c.d.e',
    });
    expect(m).toEqual({
      name: 'agentAssist.AgentMessage',
      author: { type: 'AGENT', id: USERS.agent.id, firstName: 'Ava', lastName: 'Agent' },
      conversationid: CONV,
      conversationId: CONV,
      value: 'Sure, one moment',
      customData: { internalMetaData: 'x' },
      secureCustomData: 'a.b.c.d.e',
    });
  });

  it('rejects empty text, conversation id or unknown speaker', () => {
    expect(() => buildUtteranceMessage({ speaker: 'customer', conversationId: CONV, text: '  ' })).toThrow(
      expect.objectContaining({ code: 'E_WIDGET_MESSAGE_INVALID' }),
    );
    expect(() => buildUtteranceMessage({ speaker: 'customer', conversationId: '', text: 'hi' })).toThrow(
      expect.objectContaining({ code: 'E_WIDGET_MESSAGE_INVALID' }),
    );
    expect(() => buildUtteranceMessage({ speaker: 'bot' as 'agent', conversationId: CONV, text: 'hi' })).toThrow(
      expect.objectContaining({ code: 'E_WIDGET_MESSAGE_INVALID' }),
    );
  });

  it('agent and user info', () => {
    expect(buildAgentInfoMessage({ agentId: USERS.agent.id, agentName: USERS.agent.name })).toEqual({
      name: 'setAgentInfo',
      agentDetails: { agentId: USERS.agent.id, agentName: 'Ava Agent', agentInfo: {} },
    });
    expect(buildUserInfoMessage({ userId: 'cust-1', userName: 'Carla', userInfo: { vip: true } })).toEqual({
      name: 'setUserInfo',
      userDetails: { userId: 'cust-1', userName: 'Carla', userInfo: { vip: true } },
    });
    expect(() => buildAgentInfoMessage({ agentId: '' })).toThrow(KaaError);
    expect(() => buildUserInfoMessage({ userId: '' })).toThrow(KaaError);
  });

  it('end of conversation with chat history in ms; end agent assist', () => {
    const chatHistory = [
      { type: 'user' as const, message: 'Hi', name: 'Carla', timestamp: 1_767_225_600_000 },
      { type: 'agent' as const, message: 'Hello', name: 'Ava Agent', timestamp: 1_767_225_601_000 },
    ];
    expect(buildEndOfConversationMessage({ conversationId: CONV, botId: 'st-1', chatHistory })).toEqual({
      name: 'agentAssist.endOfConversation',
      conversationId: CONV,
      botId: 'st-1',
      payload: { chatHistory },
    });
    expect(buildEndOfConversationMessage({ conversationId: CONV, chatHistory: [] })).toEqual({
      name: 'agentAssist.endOfConversation',
      conversationId: CONV,
      payload: { chatHistory: [] },
    });
    expect(() =>
      buildEndOfConversationMessage({
        conversationId: CONV,
        chatHistory: [{ type: 'bot', message: 'x', name: 'n', timestamp: 1 } as never],
      }),
    ).toThrow(expect.objectContaining({ code: 'E_WIDGET_MESSAGE_INVALID' }));
    expect(buildEndAgentAssistMessage({ conversationId: CONV })).toEqual({
      name: 'conversation.endAgentAssist',
      convsId: CONV,
    });
  });
});

describe('parseWidgetMessage (docs/kore-protocol.md#widget-to-host-messages)', () => {
  it('loaded', () => {
    expect(parseWidgetMessage({ method: 'agentassist_loaded', name: 'agent_assist' })).toEqual({ type: 'loaded' });
  });

  it('send: plain text and the URI-encoded cInfo.body form; conversationId optional (older widgets)', () => {
    expect(
      parseWidgetMessage({
        method: 'send',
        name: 'agentAssist.SendMessage',
        conversationId: CONV,
        payload: 'Your balance is $42.',
        type: 'faq',
      }),
    ).toEqual({
      type: 'send',
      conversationId: CONV,
      text: 'Your balance is $42.',
      payload: 'Your balance is $42.',
      contentType: 'faq',
    });
    const rich = encodeURI(JSON.stringify({ message: [{ cInfo: { body: 'Hello there' } }] }));
    expect(parseWidgetMessage({ method: 'send', name: 'agentAssist.SendMessage', payload: rich })).toEqual({
      type: 'send',
      text: 'Hello there',
      payload: rich,
    });
  });

  it('copy', () => {
    expect(
      parseWidgetMessage({
        method: 'copy',
        name: 'agentAssist.CopyMessage',
        conversationId: CONV,
        payload: '100% sure',
      }),
    ).toEqual({
      type: 'copy',
      conversationId: CONV,
      text: '100% sure',
      payload: '100% sure',
    });
  });

  it('summary', () => {
    expect(
      parseWidgetMessage({
        name: 'agentAssist.conversation_summary',
        conversationId: CONV,
        payload: { summary: [{ summary_text: 'Customer asked for balance.' }] },
      }),
    ).toEqual({
      type: 'summary',
      conversationId: CONV,
      summaries: ['Customer asked for balance.'],
    });
  });

  it('urlClicked: http(s) only', () => {
    expect(
      parseWidgetMessage({
        method: 'AgentAssist.UrlClickedMessage',
        from: 'agent_assist',
        url: 'https://kb.example/a',
      }),
    ).toEqual({ type: 'urlClicked', url: 'https://kb.example/a' });
    expect(() =>
      parseWidgetMessage({ method: 'AgentAssist.UrlClickedMessage', from: 'agent_assist', url: 'javascript:alert(1)' }),
    ).toThrow(expect.objectContaining({ code: 'E_WIDGET_MESSAGE_INVALID' }));
  });

  it('malformed known messages → E_WIDGET_MESSAGE_INVALID naming fields, not values', () => {
    const bad = [
      { method: 'send', name: 'agentAssist.SendMessage' },
      { method: 'send', payload: 42 },
      { name: 'agentAssist.CopyMessage', payload: { text: 'private-customer-note' } },
      { name: 'agentAssist.conversation_summary', payload: { summary: 'private-customer-note' } },
      { name: 'AgentAssist.UrlClickedMessage' },
    ];
    for (const data of bad) {
      try {
        parseWidgetMessage(data);
        expect.unreachable();
      } catch (e) {
        expect((e as KaaError).code).toBe('E_WIDGET_MESSAGE_INVALID');
        expect(JSON.stringify((e as KaaError).toJSON())).not.toContain('private-customer-note');
      }
    }
  });

  it('unknown messages (docs/assumptions.md#widget-messages-newer-than-widget-v3) and non-objects', () => {
    expect(parseWidgetMessage({ name: 'acGroupDetails', foo: 1 })).toEqual({ type: 'unknown', name: 'acGroupDetails' });
    expect(parseWidgetMessage({ method: 'somethingNew' })).toEqual({ type: 'unknown', method: 'somethingNew' });
    for (const data of [null, undefined, 'agentassist_loaded', 42, [], [{ method: 'send' }]])
      expect(parseWidgetMessage(data)).toEqual({ type: 'unknown' });
  });

  it('property: any value parses or throws a KaaError', () => {
    const known = fc.record(
      {
        method: fc.constantFrom('agentassist_loaded', 'send', 'copy', WIDGET_MESSAGE.urlClicked, 'x'),
        name: fc.constantFrom(...Object.values(WIDGET_MESSAGE), 'x'),
        payload: fc.anything(),
        conversationId: fc.anything(),
        url: fc.oneof(fc.webUrl(), fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), known), (data) => {
        try {
          const m = parseWidgetMessage(data);
          expect(['loaded', 'send', 'copy', 'summary', 'urlClicked', 'unknown']).toContain(m.type);
        } catch (e) {
          expect(e).toBeInstanceOf(KaaError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeSendPayload', () => {
  it('falls back to raw text on bad URI escapes or other JSON shapes', () => {
    expect(decodeSendPayload('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodeSendPayload('{"message":[]}')).toBe('{"message":[]}');
    expect(decodeSendPayload('null')).toBe('null');
    expect(decodeSendPayload(encodeURI('{"message":[{"cInfo":{"body":5}}]}'))).toBe(
      encodeURI('{"message":[{"cInfo":{"body":5}}]}'),
    );
  });
  it('property: never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => typeof decodeSendPayload(s) === 'string'),
      { numRuns: 300 },
    );
  });
});
