import { describe, expect, it } from 'vitest';
import { parseSettings, silentLogger } from '@kaa/core';
import type { BrokerLaunchResponse, GenesysEnvironment, WidgetContext } from '@kaa/core';
import type { BrokerClient } from '@kaa/broker/client';
import type { GenesysApi } from '@kaa/genesys-adapter';
import { readInParallel } from '../src/page-steps.js';
import type { PageRun } from '../src/page-steps.js';
import { createPageSecrets } from '../src/secrets.js';
import { createTimeline } from '../src/timeline.js';

/** A promise resolved from outside, and whether its call was made. */
function deferred<T>() {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const LAUNCH = {
  widget: {
    url: 'https://kore.example/widget',
    token: 't',
    isCall: true,
    audiohook: false,
    missingSecureKeys: [],
    customData: {},
    expiresAt: 1,
  },
  bot: { botId: 'st-1', agentAssistWidgetUrl: 'https://kore.example', audiohookEnabled: false, isAgentAISDK: false },
  agent: { id: 'u1' },
  queue: {},
} as unknown as BrokerLaunchResponse;

describe('broker mode: step 4 is one round trip', () => {
  it('asks the broker for the launch while users/me and the conversation are still in flight (none waits for another)', async () => {
    const started: string[] = [];
    const me = deferred<{ id: string }>();
    const conversation = deferred<unknown>();
    const launch = deferred<BrokerLaunchResponse>();
    const api = {
      getMe: () => (started.push('users/me'), me.promise),
      getConversation: () => (started.push('conversation'), conversation.promise),
    } as unknown as GenesysApi;
    const broker = { launch: () => (started.push('launch'), launch.promise) } as unknown as BrokerClient;
    const secrets = createPageSecrets(null);
    const run = {
      env: {},
      timeline: createTimeline(() => 0, secrets),
      phase: () => undefined,
      screen: { status: () => undefined },
      logger: silentLogger,
      secrets,
    } as unknown as PageRun;
    const ctx = { conversationId: 'c0a1b2c3-0000-4000-8000-000000000001' } as WidgetContext;
    const reads = readInParallel(run, ctx, parseSettings({}), api, { name: 'sandbox' } as GenesysEnvironment, broker);
    // every request of the step has gone out before any of them is answered
    await new Promise((r) => setTimeout(r, 0));
    expect([...started].sort()).toEqual(['conversation', 'launch', 'users/me']);
    me.resolve({ id: 'u1' });
    conversation.resolve({ id: ctx.conversationId, participants: [] });
    launch.resolve(LAUNCH);
    const result = await reads;
    expect(result.brokerLaunch).toBe(LAUNCH);
    expect(result.me.id).toBe('u1');
    expect(result.botSource).toBeUndefined(); // broker mode reads no bot table
  });
});
