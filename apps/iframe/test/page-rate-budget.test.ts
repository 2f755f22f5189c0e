import { describe, expect, it } from 'vitest';
import { isKaaError, resolveEnvironment } from '@kaa/core';
import { createGenesysApi } from '@kaa/genesys-adapter';
import type { BroadcastChannelLike } from '@kaa/genesys-adapter';
import { createPageRateBudget, pageRateBudgetChannel } from '../src/page-rate-budget.js';

const CLIENT_ID = '3f9b1c2d-0000-4000-8000-00000000c11e';
const TOKEN = 'planted-genesys-access-token-7Yq';

/** An in-memory BroadcastChannel bus: every other open channel of the same name gets a clone, asynchronously. */
function channelBus() {
  const open = new Map<string, Set<Channel>>();
  const names: string[] = [];
  class Channel implements BroadcastChannelLike {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    constructor(readonly name: string) {
      names.push(name);
      const set = open.get(name) ?? new Set<Channel>();
      set.add(this);
      open.set(name, set);
    }
    postMessage(message: unknown) {
      for (const other of open.get(this.name) ?? []) {
        if (other === this) continue;
        const data = structuredClone(message);
        queueMicrotask(() => other.onmessage?.({ data }));
      }
    }
    close() {
      open.get(this.name)?.delete(this);
    }
  }
  return { Channel, names, openCount: (name: string) => open.get(name)?.size ?? 0 };
}

function fakeGenesys() {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(new URL(url).pathname);
    const path = new URL(url).pathname;
    const body = path.endsWith('/users/me')
      ? { id: 'u1', name: 'Agent' }
      : path.includes('/messages/')
        ? { id: 'm1', textBody: 'hello' }
        : { id: 'c1', participants: [] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('createPageRateBudget (docs/assumptions.md#genesys-per-user-rate-limit)', () => {
  it('is off without BroadcastChannel (the API client then runs without a budget)', () => {
    expect(createPageRateBudget({ genesysClientId: CLIENT_ID, perMinute: 300, now: () => 0 })).toBeUndefined();
    expect(
      createPageRateBudget({ genesysClientId: CLIENT_ID, perMinute: 300, now: () => 0, BroadcastChannel: undefined }),
    ).toBeUndefined();
  });

  it('shares one budget per Genesys client: critical reads go, a low-priority read is shed without a request', async () => {
    const bus = channelBus();
    const now = () => 1_800_000_000_000;
    // perMinute 20 → burst 2 tokens: users/me and the conversation spend them
    const budget = createPageRateBudget({
      genesysClientId: CLIENT_ID,
      perMinute: 20,
      now,
      BroadcastChannel: bus.Channel,
    });
    expect(budget).toBeDefined();
    expect(bus.names).toEqual([pageRateBudgetChannel(CLIENT_ID)]);
    expect(pageRateBudgetChannel(CLIENT_ID)).toBe(`kaa.genesys.rate.${CLIENT_ID}`);
    const g = fakeGenesys();
    const api = createGenesysApi({
      environment: resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }),
      auth: { getToken: () => TOKEN, relogin: async () => undefined },
      fetch: g.fetch,
      ...(budget ? { rateBudget: budget } : {}),
    });
    const [me, conversation] = await Promise.all([
      api.getMe(),
      api.getConversation('c0a0e2c4-5b6d-4e7f-8a9b-0c1d2e3f4a5b'),
    ]);
    expect(me.id).toBe('u1');
    expect(conversation.id).toBe('c1');
    expect(g.calls).toHaveLength(2);

    const shed = await api.getMessage('c0a0e2c4-5b6d-4e7f-8a9b-0c1d2e3f4a5b', 'm1', { priority: 'low' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKaaError(shed) && shed.code).toBe('E_RATE_LIMITED');
    expect(isKaaError(shed) && shed.details?.['shed']).toBe(true);
    expect(JSON.stringify(isKaaError(shed) ? shed.toJSON() : shed)).not.toContain(TOKEN);
    expect(g.calls).toHaveLength(2); // nothing was sent

    // a second instance (another interaction of the same agent) learns the spends on the channel
    const other = createPageRateBudget({
      genesysClientId: CLIENT_ID,
      perMinute: 20,
      now,
      BroadcastChannel: bus.Channel,
    });
    await settle();
    expect(other?.state().available).toBeLessThan(1);
    budget?.close();
    other?.close();
    expect(bus.openCount(pageRateBudgetChannel(CLIENT_ID))).toBe(0);
  });
});
