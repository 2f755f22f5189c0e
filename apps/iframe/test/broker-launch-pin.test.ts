import { describe, expect, it } from 'vitest';
import { BrokerLaunchResponseSchema, isKaaError, parseSettings, type BrokerLaunchResponse } from '@kaa/core';
import * as steps from '../src/conversation-and-widget.js';
import { brokerRelaunch, resolveFromBroker } from '../src/page-steps.js';
import { createPageSecrets } from '../src/secrets.js';
import { createTimeline } from '../src/timeline.js';

// Broker mode: the token broker's launch chooses the bot and so where the widget loads. The page applies the same
// pin as to a row it read itself (setting allow.koreHosts, core's checkKoreHostAllowed, E_KORE_HOST_NOT_ALLOWED).

const USER = 'a9e00000-0000-4000-8000-000000000001';
const WIDGET_PAGE = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhOWUwIn0.planted-widget-token-signature';
const conversation = {
  id: 'c0a00000-0000-4000-8000-000000000001',
  participants: [
    {
      id: 'p-customer',
      purpose: 'customer',
      queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024',
      calls: [{ state: 'connected' }],
    },
    {
      id: 'p-agent',
      purpose: 'agent',
      userId: USER,
      queueId: 'q1',
      queueName: 'ALPHAINC_CUSTOMERSERVICE_16092024',
      calls: [{ state: 'connected' }],
    },
  ],
};

function launchFrom(widgetPage: string, iframeUrl = `${widgetPage}?token=${TOKEN}&botid=st-1`): BrokerLaunchResponse {
  return BrokerLaunchResponseSchema.parse({
    widget: {
      url: iframeUrl,
      token: TOKEN,
      isCall: true,
      audiohook: false,
      missingSecureKeys: [],
      customData: {},
      expiresAt: 1_900_000_000,
    },
    bot: { botId: 'st-1', agentAssistWidgetUrl: widgetPage, audiohookEnabled: false, isAgentAISDK: false },
    agent: { id: USER },
    queue: { id: 'q1', name: 'ALPHAINC_CUSTOMERSERVICE_16092024' },
    media: 'call',
  });
}

function run() {
  const secrets = createPageSecrets('state-value-abcdef');
  const phases: string[] = [];
  const phase = Object.assign((name: string) => void phases.push(name), {
    get current() {
      return phases.at(-1) ?? '';
    },
  });
  return { timeline: createTimeline(() => 0, secrets), secrets, phase };
}

const pinned = parseSettings({ allow: { koreHosts: ['https://agentassist.kore.ai'] } }).allow;

function refusal(launch: BrokerLaunchResponse, allow = pinned): unknown {
  try {
    resolveFromBroker(run(), steps, { conversation, userId: USER, launch, allow });
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('resolveFromBroker applies allow.koreHosts to the launch the broker sent', () => {
  it('mounts a launch from a pinned Kore host', () => {
    const { resolved, launch } = resolveFromBroker(run(), steps, {
      conversation,
      userId: USER,
      launch: launchFrom(WIDGET_PAGE),
      allow: pinned,
    });
    expect(resolved.record.botId).toBe('st-1');
    expect(resolved.queue.name).toBe('ALPHAINC_CUSTOMERSERVICE_16092024');
    expect(launch.url.startsWith(WIDGET_PAGE)).toBe(true);
  });

  it("refuses a bot whose AgentAssistWidgetURL is on another host, with direct mode's code, and no token in the message", () => {
    const e = refusal(launchFrom('https://agentassist.evil.example/koreagentassist-sdk-v3/UI/agentassist-iframe.html'));
    expect(isKaaError(e, 'E_KORE_HOST_NOT_ALLOWED')).toBe(true);
    expect((e as Error).message).toContain('https://agentassist.evil.example');
    expect(JSON.stringify(e)).not.toContain(TOKEN);
  });

  it('refuses a widget URL (the iframe src) on another host even when the bot field is pinned', () => {
    const e = refusal(launchFrom(WIDGET_PAGE, `https://widget.evil.example/agentassist-iframe.html?token=${TOKEN}`));
    expect(isKaaError(e, 'E_KORE_HOST_NOT_ALLOWED')).toBe(true);
    expect((e as Error).message).not.toContain(TOKEN);
  });

  it('an empty allow.koreHosts (a page deployed without kaa page --dist) allows any host, as in direct mode', () => {
    expect(refusal(launchFrom('https://agentassist.evil.example/x.html'), parseSettings({}).allow)).toBeUndefined();
  });
});

describe('brokerRelaunch: the secure-custom-data refresh asks the broker again', () => {
  const ctx = { conversationId: conversation.id, lang: 'en-us', passthruMetadata: undefined };
  const clientAnswering = (launch: BrokerLaunchResponse) => {
    const asked: unknown[] = [];
    return {
      asked,
      client: {
        launch: async (input: unknown) => (asked.push(input), launch),
        koreTransport: () => {
          throw new Error('not used');
        },
      },
    };
  };

  it("returns the broker's fresh widget launch, and its credentials join the page's secrets", async () => {
    const r = run();
    const fresh = launchFrom(WIDGET_PAGE, `${WIDGET_PAGE}?token=${TOKEN}-next&botid=st-1`);
    const { asked, client } = clientAnswering(fresh);
    const next = await brokerRelaunch(r, client, { ctx, allow: pinned })();
    expect(next.url).toBe(fresh.widget.url);
    expect(asked).toEqual([{ conversationId: conversation.id, lang: 'en-us', passthruMetadata: undefined }]);
    expect(r.secrets.list()).toContain(fresh.widget.token);
  });

  it('holds a refreshed launch to allow.koreHosts like the first one', async () => {
    const { client } = clientAnswering(
      launchFrom(WIDGET_PAGE, `https://widget.evil.example/agentassist-iframe.html?token=${TOKEN}`),
    );
    await expect(brokerRelaunch(run(), client, { ctx, allow: pinned })()).rejects.toMatchObject({
      code: 'E_KORE_HOST_NOT_ALLOWED',
    });
  });
});
