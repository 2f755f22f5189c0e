import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import {
  buildAgentAssistUrl,
  buildAgentInfoMessage,
  buildEndOfConversationMessage,
  buildEndAgentAssistMessage,
  buildUserInfoMessage,
  buildUtteranceMessage,
  decodeSendPayload,
  describeUrlOrigin,
  describeWidgetUrl,
  languageOf,
  parseWidgetMessage,
} from '@kaa/core';

/** The widget builders and parsers at their edges, and the words of the errors an admin (or a bug report) reads. */

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
const record = { botId: 'st-1', agentAssistWidgetUrl: WIDGET };
const context = { conversationId: 'c-1' };
const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('buildAgentAssistUrl: values and defaults', () => {
  it('trims the row and context values; source defaults to genesys when blank, and is trimmed', () => {
    const url = buildAgentAssistUrl(
      { botId: ' st-1 ', agentAssistWidgetUrl: ` ${WIDGET} ` },
      { conversationId: ' c-1 ' },
      { token: ` ${TOKEN} `, isCall: true, source: '  ' },
    );
    expect(params(url)).toMatchObject({ token: TOKEN, botid: 'st-1', conversationid: 'c-1', source: 'genesys' });
    expect(params(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true, source: ' kaa ' })).source).toBe(
      'kaa',
    );
  });

  it('isCall is "true" only for true', () => {
    expect(
      params(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: 'yes' as unknown as boolean })).isCall,
    ).toBe('false');
    expect(params(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: false })).isCall).toBe('false');
  });

  it('channel voice and email are passed; none given means no channel parameter', () => {
    expect(params(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true, channel: 'voice' })).channel).toBe(
      'voice',
    );
    expect(
      params(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: false, channel: 'email' })).channel,
    ).toBe('email');
    expect(
      new URL(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: false })).searchParams.has('channel'),
    ).toBe(false);
  });

  it('the agentassisturl override keeps its path without trailing slashes; by default it is the widget origin', () => {
    const url = buildAgentAssistUrl(record, context, {
      token: TOKEN,
      isCall: true,
      agentAssistUrl: ' https://smartassist.kore.ai/tenant/// ',
    });
    expect(params(url).agentassisturl).toBe('https://smartassist.kore.ai/tenant');
    expect(
      params(
        buildAgentAssistUrl({ ...record, agentAssistWidgetUrl: 'https://aa.example:8443/x/y.html' }, context, {
          token: TOKEN,
          isCall: true,
        }),
      ).agentassisturl,
    ).toBe('https://aa.example:8443');
  });

  it('a widget URL without a query gets none of its own; with one, kaa appends after it', () => {
    expect(buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true }).startsWith(`${WIDGET}?token=`)).toBe(
      true,
    );
    expect(
      buildAgentAssistUrl({ ...record, agentAssistWidgetUrl: `${WIDGET}?` }, context, {
        token: TOKEN,
        isCall: true,
      }).startsWith(`${WIDGET}?token=`),
    ).toBe(true);
    expect(
      buildAgentAssistUrl({ ...record, agentAssistWidgetUrl: `${WIDGET}?a=1&b=2` }, context, {
        token: TOKEN,
        isCall: true,
      }).startsWith(`${WIDGET}?a=1&b=2&token=`),
    ).toBe(true);
  });

  it('http is allowed on 127.0.0.1, localhost and [::1] only', () => {
    for (const host of ['127.0.0.1:4010', 'localhost:4010', '[::1]:4010']) {
      expect(
        params(
          buildAgentAssistUrl({ ...record, agentAssistWidgetUrl: `http://${host}/w.html` }, context, {
            token: TOKEN,
            isCall: true,
          }),
        ).agentassisturl,
      ).toBe(`http://${host}`);
    }
    for (const host of ['127.0.0.2', 'localhost.example', '10.0.0.1']) {
      expect(
        errorOf(() =>
          buildAgentAssistUrl({ ...record, agentAssistWidgetUrl: `http://${host}/w.html` }, context, {
            token: TOKEN,
            isCall: true,
          }),
        ).details,
      ).toEqual({
        param: 'agentassisturl',
        protocol: 'http:',
      });
    }
  });
});

describe('buildAgentAssistUrl: the words of its errors', () => {
  const FIX_WIDGET =
    'Set AgentAssistWidgetURL to the full https URL of the widget, e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html.';

  it('names the AgentAssistWidgetURL column and what is wrong with it', () => {
    const bad = (agentAssistWidgetUrl: unknown) =>
      errorOf(() =>
        buildAgentAssistUrl({ ...record, agentAssistWidgetUrl: agentAssistWidgetUrl as string }, context, {
          token: TOKEN,
          isCall: true,
        }),
      );
    expect(bad('  ').message).toBe(`The AgentAssistWidgetURL column is empty. ${FIX_WIDGET}`);
    expect(bad(undefined).message).toBe(`The AgentAssistWidgetURL column is empty. ${FIX_WIDGET}`);
    const notUrl = bad('agentassist.kore.ai/x.html');
    expect(notUrl.message).toBe(`The AgentAssistWidgetURL column is not a URL. ${FIX_WIDGET}`);
    expect(notUrl.details).toEqual({ param: 'agentassisturl' });
    const credentials = bad('https://user:pw@agentassist.kore.ai/x.html');
    expect(credentials.message).toBe(
      `The AgentAssistWidgetURL column must be an https URL without credentials (http only on 127.0.0.1/localhost). ${FIX_WIDGET}`,
    );
    expect(credentials.details).toEqual({ param: 'agentassisturl', protocol: 'https:' });
    expect(bad('https://user@agentassist.kore.ai/x.html').code).toBe('E_WIDGET_URL_INVALID');
    expect(bad('https://:pw@agentassist.kore.ai/x.html').code).toBe('E_WIDGET_URL_INVALID');
  });

  it('names the override setting', () => {
    const e = errorOf(() =>
      buildAgentAssistUrl(record, context, {
        token: TOKEN,
        isCall: true,
        agentAssistUrl: 'http://smartassist.kore.ai',
      }),
    );
    expect(e.message).toBe(
      'The "kore.agentAssistUrl" override must be an https URL without credentials (http only on 127.0.0.1/localhost). Set "kore.agentAssistUrl" to the https origin of Agent AI, or remove it.',
    );
    expect(
      errorOf(() => buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true, agentAssistUrl: '' })).message,
    ).toBe(
      'The "kore.agentAssistUrl" override is empty. Set "kore.agentAssistUrl" to the https origin of Agent AI, or remove it.',
    );
  });

  it('names the missing parameter and its fix, never the token', () => {
    expect(errorOf(() => buildAgentAssistUrl(record, context, { token: ' ', isCall: true })).message).toBe(
      'The widget URL cannot be built: "token" is missing. The widget token was not minted; check the token step.',
    );
    expect(
      errorOf(() => buildAgentAssistUrl({ ...record, botId: '' }, context, { token: TOKEN, isCall: true })).message,
    ).toBe('The widget URL cannot be built: "botid" is missing. Fill the BotId column of the bot row (st-…).');
    const conv = errorOf(() =>
      buildAgentAssistUrl(record, { conversationId: 5 as unknown as string }, { token: TOKEN, isCall: true }),
    );
    expect(conv.message).toBe(
      'The widget URL cannot be built: "conversationid" is missing. Open the widget from an interaction: the Interaction Widget URL must carry conversationid={{gcConversationId}}.',
    );
    expect(conv.details).toEqual({ param: 'conversationid' });
    const channel = errorOf(() =>
      buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true, channel: 'sms' as 'chat' }),
    );
    expect(channel.message).toBe('Widget channel "sms" is not known. Use chat, voice or email.');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const data = errorOf(() =>
      buildAgentAssistUrl(record, context, { token: TOKEN, isCall: true, customData: cyclic }),
    );
    expect(data.message).toBe(
      'Custom data holds a value that is not JSON (a cycle or a BigInt), and the widget fails to load on non-JSON customData. Check CustomDataConfig.',
    );
    expect(data.details).toEqual({ param: 'customData' });
    expect(data.cause).toBeInstanceOf(TypeError);
  });
});

describe('languageOf', () => {
  it('the primary subtag must be 2 to 8 letters; the override is trimmed', () => {
    expect(languageOf('x-y')).toBe('en');
    expect(languageOf('ab')).toBe('ab');
    expect(languageOf('abcdefgh-x')).toBe('abcdefgh');
    expect(languageOf('abcdefghi')).toBe('en');
    expect(languageOf('e1-US')).toBe('en');
    expect(languageOf(' fr-CA ')).toBe('fr');
    expect(languageOf('fr', ' de ')).toBe('de');
    expect(languageOf('fr', null)).toBe('fr');
    expect(languageOf(null)).toBe('en');
    expect(languageOf('zh-Hant_TW')).toBe('zh');
  });
});

describe('describeWidgetUrl', () => {
  it('hides the value of every secret parameter, in any case; a name without "=" is not a value', () => {
    const url = `${WIDGET}?TOKEN=a1&jToken=a2&assertion=a3&secureCustomData=a4&X_METADATA=a5&customdata=a6&token&botid=st-1#frag`;
    expect(describeWidgetUrl(url)).toBe(
      `${WIDGET}?TOKEN=[REDACTED]&jToken=[REDACTED]&assertion=[REDACTED]&secureCustomData=[REDACTED]&X_METADATA=[REDACTED]&customdata=[REDACTED]&token&botid=st-1#frag`,
    );
  });

  it('keeps the fragment out of the query, and text without a query is only redacted', () => {
    expect(describeWidgetUrl('https://h/p?botid=1#token')).toBe('https://h/p?botid=1#token');
    expect(describeWidgetUrl('https://h/p?a=1#b?token=x')).toBe(`https://h/p?a=1#b?token=[REDACTED]`);
    expect(describeWidgetUrl('https://h/p#x', ['https'])).toBe('[REDACTED]://h/p#x');
  });
});

describe('host → widget messages: the words of their errors', () => {
  it('an empty field is named, with what to report', () => {
    const e = errorOf(() => buildEndAgentAssistMessage({ conversationId: '  ' }));
    expect(e.code).toBe('E_WIDGET_MESSAGE_INVALID');
    expect(e.message).toBe(
      'The widget message cannot be built: "conversationId" is empty. This is a kaa bug or a conversation without conversationId: report it.',
    );
    expect(e.details).toEqual({ field: 'conversationId' });
    expect(errorOf(() => buildAgentInfoMessage({ agentId: '' })).details).toEqual({ field: 'agentId' });
    expect(errorOf(() => buildUserInfoMessage({ userId: 7 as unknown as string })).details).toEqual({
      field: 'userId',
    });
  });

  it('utterances: speaker and text errors say what is wrong', () => {
    const speaker = errorOf(() =>
      buildUtteranceMessage({ speaker: 'bot' as 'agent', conversationId: 'c', text: 'hi' }),
    );
    expect(speaker.message).toBe(
      'Utterance speaker "bot" is not known; it must be "customer" or "agent". This is a kaa bug: report it.',
    );
    expect(speaker.details).toEqual({ field: 'speaker' });
    const text = errorOf(() =>
      buildUtteranceMessage({ speaker: 'customer', conversationId: 'c-9', text: undefined as unknown as string }),
    );
    expect(text.message).toBe(
      'An utterance with no text cannot be sent to the widget. Skip empty transcript lines before feeding them.',
    );
    expect(text.details).toEqual({ field: 'text', conversationId: 'c-9' });
  });

  it('utterances keep the text as spoken and leave out empty author fields, empty customData and empty secureCustomData', () => {
    const m = buildUtteranceMessage({
      speaker: 'agent',
      conversationId: 'c',
      text: '  hi  ',
      author: { id: '', firstName: 'Ava', lastName: '' },
      customData: {},
      secureCustomData: '',
    });
    expect(m).toEqual({
      name: 'agentAssist.AgentMessage',
      author: { type: 'AGENT', firstName: 'Ava' },
      conversationid: 'c',
      conversationId: 'c',
      value: '  hi  ',
    });
    expect(
      buildUtteranceMessage({ speaker: 'customer', conversationId: 'c', text: 'x', author: { id: 'u', lastName: 'L' } })
        .author,
    ).toEqual({ type: 'USER', id: 'u', lastName: 'L' });
  });

  it('agent and user info: missing names are empty, info objects are copies', () => {
    const info = { team: 'a' };
    const agent = buildAgentInfoMessage({ agentId: 'a1', agentInfo: info });
    expect(agent.agentDetails).toEqual({ agentId: 'a1', agentName: '', agentInfo: { team: 'a' } });
    expect(agent.agentDetails.agentInfo).not.toBe(info);
    expect(buildUserInfoMessage({ userId: 'u1' }).userDetails).toEqual({ userId: 'u1', userName: '', userInfo: {} });
  });

  it('end of conversation: each history line is checked and copied; the line number is in the error', () => {
    const line = { type: 'user' as const, message: 'hi', name: 'Carla', timestamp: 1 };
    const m = buildEndOfConversationMessage({
      conversationId: 'c',
      botId: '',
      chatHistory: [{ ...line, extra: 'dropped' } as typeof line, { ...line, type: 'agent' }],
    });
    expect(m).toEqual({
      name: 'agentAssist.endOfConversation',
      conversationId: 'c',
      payload: { chatHistory: [line, { ...line, type: 'agent' }] },
    });
    expect(buildEndOfConversationMessage({ conversationId: 'c', botId: 'st-1', chatHistory: [] }).botId).toBe('st-1');
    const bad = [
      null,
      'x',
      { ...line, type: 'system' },
      { ...line, message: 1 },
      { ...line, name: undefined },
      { ...line, timestamp: Number.NaN },
      { ...line, timestamp: Number.POSITIVE_INFINITY },
      { ...line, timestamp: '1' },
    ];
    for (const entry of bad) {
      const e = errorOf(() =>
        buildEndOfConversationMessage({ conversationId: 'c', chatHistory: [line, entry as typeof line] }),
      );
      expect(e.message, JSON.stringify(entry)).toBe(
        'Chat history line 1 is not {type: "user"|"agent", message, name, timestamp (ms)}. This is a kaa bug: report it.',
      );
      expect(e.details).toEqual({ field: 'chatHistory', index: 1 });
    }
    const notList = errorOf(() =>
      buildEndOfConversationMessage({ conversationId: 'c', chatHistory: 'x' as unknown as [] }),
    );
    expect(notList.message).toBe(
      'The chat history for the end-of-conversation message is not a list. This is a kaa bug: report it.',
    );
    expect(notList.details).toEqual({ field: 'chatHistory', index: -1 });
  });
});

describe('widget → host messages: edges', () => {
  it('send by name, with the content type; copy never carries one', () => {
    expect(
      parseWidgetMessage({ name: 'agentAssist.SendMessage', payload: 'hi', type: 'text', conversationId: 'c' }),
    ).toEqual({ type: 'send', text: 'hi', payload: 'hi', contentType: 'text', conversationId: 'c' });
    expect(parseWidgetMessage({ method: 'copy', payload: 'hi', type: 'text' })).toEqual({
      type: 'copy',
      text: 'hi',
      payload: 'hi',
    });
  });

  it('a summary without text gives an empty line; conversationId is kept', () => {
    expect(
      parseWidgetMessage({
        name: 'agentAssist.conversation_summary',
        conversationId: 'c',
        payload: { summary: [{ summary_text: 'a' }, {}] },
      }),
    ).toEqual({
      type: 'summary',
      conversationId: 'c',
      summaries: ['a', ''],
    });
  });

  it('a link is opened for http and https by name or method; anything else is refused with the reason', () => {
    expect(parseWidgetMessage({ name: 'AgentAssist.UrlClickedMessage', url: 'http://kb.example/a' })).toEqual({
      type: 'urlClicked',
      url: 'http://kb.example/a',
    });
    for (const url of ['javascript:alert(1)', 'not a url', 'ftp://kb.example/a']) {
      const e = errorOf(() => parseWidgetMessage({ method: 'AgentAssist.UrlClickedMessage', url }));
      expect(e.message).toBe(
        "The Agent AI widget asked to open a link that is not an http(s) URL; kaa did not open it. Check the links in the bot's answers.",
      );
      expect(e.details).toEqual({ message: 'AgentAssist.UrlClickedMessage', field: 'url' });
    }
  });

  it('a malformed known message names the message and the fields', () => {
    const e = errorOf(() =>
      parseWidgetMessage({ name: 'agentAssist.conversation_summary', payload: { summary: [{ summary_text: 5 }] } }),
    );
    expect(e.message).toBe(
      'The Agent AI widget sent "agentAssist.conversation_summary" with unexpected fields (payload.summary.0.summary_text); kaa ignored it. The widget may be newer than kaa\'s protocol (docs/kore-protocol.md#postmessage-protocol): check the AgentAssistWidgetURL version (a new message needs a kaa release that handles it).',
    );
    expect(e.details).toEqual({
      message: 'agentAssist.conversation_summary',
      fields: ['payload.summary.0.summary_text'],
    });
    expect(errorOf(() => parseWidgetMessage({ method: 'send' })).details).toEqual({
      message: 'agentAssist.SendMessage',
      fields: ['payload'],
    });
  });

  it('unknown names and methods are cut to 100 characters; non-text ones are left out', () => {
    expect(parseWidgetMessage({ name: 'n'.repeat(150), method: 'm'.repeat(100) })).toEqual({
      type: 'unknown',
      name: 'n'.repeat(100),
      method: 'm'.repeat(100),
    });
    expect(parseWidgetMessage({ name: 5, method: {} })).toEqual({ type: 'unknown' });
  });

  it('decodeSendPayload reads message[0].cInfo.body only', () => {
    expect(decodeSendPayload(encodeURI('{"message":[{"cInfo":{"body":"a b"}},{"cInfo":{"body":"c"}}]}'))).toBe('a b');
    expect(decodeSendPayload('{"message":[{"cInfo":{}}]}')).toBe('{"message":[{"cInfo":{}}]}');
    expect(decodeSendPayload('{"message":{"cInfo":{"body":"x"}}}')).toBe('{"message":{"cInfo":{"body":"x"}}}');
  });
});

describe('widget edges found by mutation testing (docs/testing.md#mutation-testing-pnpm-mutate)', () => {
  it('describeUrlOrigin: the origin of an http(s) URL; a scheme of up to 40 characters (colon included) whole, a longer one cut at 39 with an ellipsis', () => {
    expect(describeUrlOrigin(new URL('https://agentassist.example.com/x.html?token=t#h'))).toBe(
      'https://agentassist.example.com',
    );
    expect(describeUrlOrigin(new URL('http://127.0.0.1:8080/x'))).toBe('http://127.0.0.1:8080');
    const forty = `${'a'.repeat(39)}:`;
    expect(describeUrlOrigin(new URL(`${forty}x`))).toBe(`a "${forty}" URL`);
    expect(describeUrlOrigin(new URL(`${'b'.repeat(40)}:x`))).toBe(`a "${'b'.repeat(39)}…" URL`);
  });

  it('describeWidgetUrl: a query at the very start is still a query (its token redacted)', () => {
    expect(describeWidgetUrl('?customData=%7B%22a%22%3A1%7D&x=1')).toBe('?customData=[REDACTED]&x=1');
  });

  it('buildAgentAssistUrl: a missing record or context is a coded error, not a TypeError; the bot id is trimmed', () => {
    expect(
      errorOf(() => buildAgentAssistUrl(null as never, { conversationId: 'c-1' }, { token: TOKEN, isCall: false }))
        .code,
    ).toBe('E_WIDGET_URL_INVALID');
    expect(errorOf(() => buildAgentAssistUrl(record, null as never, { token: TOKEN, isCall: false })).details).toEqual({
      param: 'conversationid',
    });
    expect(
      new URL(
        buildAgentAssistUrl({ ...record, botId: ' st-1 ' }, { conversationId: 'c-1' }, { token: TOKEN, isCall: false }),
      ).searchParams.get('botid'),
    ).toBe('st-1');
  });

  it('parseWidgetMessage: no conversationId key when the widget sent none; an unknown method is cut at 100 characters', () => {
    const send = parseWidgetMessage({ method: 'send', payload: 'hi' });
    expect(send).toStrictEqual({ type: 'send', text: 'hi', payload: 'hi' });
    expect(parseWidgetMessage({ method: 'copy', payload: 'hi' })).toStrictEqual({
      type: 'copy',
      text: 'hi',
      payload: 'hi',
    });
    expect(
      parseWidgetMessage({ name: 'agentAssist.conversation_summary', payload: { summary: [{ summary_text: 's' }] } }),
    ).toStrictEqual({ type: 'summary', summaries: ['s'] });
    expect(parseWidgetMessage({ method: 'm'.repeat(150) })).toStrictEqual({ type: 'unknown', method: 'm'.repeat(100) });
  });

  it('end of conversation: a null or non-object history line is line N of the history (not "not a list"), with the field named for an empty conversation id', () => {
    const line0 = errorOf(() => buildEndOfConversationMessage({ conversationId: 'c-1', chatHistory: [null as never] }));
    expect(line0.code).toBe('E_WIDGET_MESSAGE_INVALID');
    expect(line0.message).toBe(
      'Chat history line 0 is not {type: "user"|"agent", message, name, timestamp (ms)}. This is a kaa bug: report it.',
    );
    const fn = Object.defineProperties(() => undefined, {
      type: { value: 'user' },
      message: { value: 'm' },
      name: { value: 'n' },
      timestamp: { value: 1 },
    });
    expect(
      errorOf(() => buildEndOfConversationMessage({ conversationId: 'c-1', chatHistory: [fn as never] })).message,
    ).toMatch(/^Chat history line 0 is not/);
    expect(errorOf(() => buildEndOfConversationMessage({ conversationId: ' ', chatHistory: [] })).details).toEqual({
      field: 'conversationId',
    });
    expect(
      errorOf(() => buildUtteranceMessage({ conversationId: '', speaker: 'customer', text: 'hi' })).details,
    ).toEqual({ field: 'conversationId' });
  });

  it('parseWidgetMessage names every unexpected field, comma-separated', () => {
    const e = errorOf(() => parseWidgetMessage({ method: 'send', payload: 1, conversationId: 2 }));
    expect(
      e.message.startsWith(
        'The Agent AI widget sent "agentAssist.SendMessage" with unexpected fields (payload, conversationId); kaa ignored it.',
      ),
    ).toBe(true);
    expect(e.details).toEqual({ message: 'agentAssist.SendMessage', fields: ['payload', 'conversationId'] });
  });

  it('an utterance carries no secureCustomData key when there is none', () => {
    const m = buildUtteranceMessage({ conversationId: 'c-1', speaker: 'agent', text: 'hi', secureCustomData: '' });
    expect('secureCustomData' in m).toBe(false);
    expect('secureCustomData' in buildUtteranceMessage({ conversationId: 'c-1', speaker: 'agent', text: 'hi' })).toBe(
      false,
    );
  });
});
