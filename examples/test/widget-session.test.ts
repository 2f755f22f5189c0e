import { isKaaError } from '@kaa/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mintWidgetSession } from '../embed-widget-host/mint-widget-session.js';
import { parseWidgetSession } from '../embed-widget-host/widget-session.js';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const bot = {
  botId: 'st-a1fa0000-0000-4000-8000-000000000001',
  clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
  clientSecret: 'planted-bot-secret-4411',
};
const base = {
  bot,
  agentAssistWidgetUrl: WIDGET,
  conversationId: 'c0a00000-0000-4000-8000-000000000001',
  agent: { id: 'a9e00000-0000-4000-8000-000000000001', name: 'Ava Agent' },
  customer: { id: 'customer-1', name: 'Carla Customer' },
  utterances: [{ speaker: 'customer' as const, text: 'I want to check my balance' }],
  now: () => Date.UTC(2026, 0, 1),
};

describe('mintWidgetSession', () => {
  it('builds the widget URL with a widget JWT, and the session never holds the ClientSecret', async () => {
    const session = await mintWidgetSession(base);
    const url = new URL(session.widgetUrl);
    expect(url.origin + url.pathname).toBe(WIDGET);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      botid: bot.botId,
      agentassisturl: 'https://agentassist.kore.ai',
      conversationid: base.conversationId,
      isCall: 'true',
      interactiveLanguage: 'en',
    });
    const [, claims] = (url.searchParams.get('token') ?? '').split('.');
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toMatchObject({
      iss: bot.clientId,
      sub: base.agent.id,
      iat: Date.UTC(2026, 0, 1) / 1000,
      exp: Date.UTC(2026, 0, 1) / 1000 + 900,
    });
    expect(JSON.stringify(session)).not.toContain(bot.clientSecret);
    expect(parseWidgetSession(JSON.parse(JSON.stringify(session)))).toEqual(session);
  });

  it('refuses an unsupported algorithm with E_ALGORITHM_UNSUPPORTED, without the secret', async () => {
    const error = await mintWidgetSession({ ...base, bot: { ...bot, algorithm: 'none' } }).catch((e: unknown) => e);
    expect(isKaaError(error, 'E_ALGORITHM_UNSUPPORTED')).toBe(true);
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(bot.clientSecret);
  });
});

describe('parseWidgetSession', () => {
  it('names the failing fields but never their values', () => {
    const error = (() => {
      try {
        return parseWidgetSession({
          ...base,
          widgetUrl: '',
          utterances: [{ speaker: 'bot', text: 'planted-utterance' }],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isKaaError(error, 'E_RESPONSE_INVALID')).toBe(true);
    expect((error as Error).message).toContain('"widgetUrl"');
    expect((error as Error).message).toContain('"utterances.0.speaker"');
    expect((error as Error).message).not.toContain('planted-utterance');
  });

  it('never throws anything but a KaaError (property)', () => {
    const person = fc.oneof(fc.record({ id: fc.string(), name: fc.string() }), fc.anything());
    const candidate = fc.oneof(
      fc.anything(),
      fc.record(
        {
          conversationId: fc.oneof(fc.string(), fc.integer()),
          widgetUrl: fc.oneof(fc.webUrl(), fc.string()),
          agent: person,
          customer: person,
          utterances: fc.oneof(
            fc.array(fc.record({ speaker: fc.constantFrom('customer', 'agent', 'bot'), text: fc.string() })),
            fc.anything(),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        try {
          const session = parseWidgetSession(value);
          return session.utterances.every((u) => u.speaker === 'customer' || u.speaker === 'agent');
        } catch (e) {
          return isKaaError(e, 'E_RESPONSE_INVALID');
        }
      }),
      { numRuns: 500 },
    );
  });
});
