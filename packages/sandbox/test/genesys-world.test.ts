import fc from 'fast-check';
import type { Models } from 'purecloud-platform-client-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diffConversation } from '@kaa/core';
import {
  CONVERSATIONS,
  OAUTH_CLIENTS,
  OTHER_ORG_CONVERSATIONS,
  OTHER_ORG_QUEUES,
  OTHER_ORG_USERS,
  QUEUES,
  USERS,
  startGenesys,
  toMessageEvent,
  toUserConversationEvent,
  type GenesysServers,
} from '@kaa/sandbox';

describe('sandbox world: conversations, transfers and web messages through the control API', () => {
  let g: GenesysServers;
  let agentToken: string;
  let agent2Token: string;

  beforeAll(async () => {
    g = await startGenesys();
    agentToken = g.driver.issueToken({ userId: USERS.agent.id });
    agent2Token = g.driver.issueToken({ userId: USERS.agent2.id });
  });
  afterEach(async () => {
    await g.driver.reset();
  });
  afterAll(async () => {
    await g.close();
  });

  async function control(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${g.apiOrigin}/sandbox/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  async function conversation(id: string, token = agentToken): Promise<Models.Conversation> {
    const res = await fetch(`${g.apiOrigin}/api/v2/conversations/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Models.Conversation;
  }
  const agents = (c: Models.Conversation) => c.participants.filter((p) => p.purpose === 'agent');

  it('state lists the seeded conversations, users and queues', async () => {
    const { json } = await control('/state');
    const convs = json.conversations as { id: string; media: string; queueName: string; state: string }[];
    expect(convs.map((c) => c.id).sort()).toEqual(Object.values(CONVERSATIONS).sort());
    expect(convs.find((c) => c.id === CONVERSATIONS.chatKore)).toMatchObject({
      media: 'message',
      queueName: QUEUES.koreSupport.name,
      state: 'connected',
    });
    expect(json.users).toHaveLength(2);
    expect(json.queues).toHaveLength(6);
  });

  it('creates an alerting interaction that the agent answers', async () => {
    const created = await control('/conversations', {
      media: 'call',
      queueId: QUEUES.rsa.id,
      customer: { name: 'Gil Caller' },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(agents(await conversation(id))[0]?.calls?.[0]?.state).toBe('alerting');
    expect((await control(`/conversations/${id}/actions`, { action: 'answer' })).status).toBe(200);
    const c = await conversation(id);
    expect(agents(c)[0]?.calls?.[0]).toMatchObject({ state: 'connected' });
    expect(c.participants[0]).toMatchObject({ purpose: 'customer', name: 'Gil Caller' });
  });

  it('hold and resume flip held/startHoldTime on my leg and confined on the customer', async () => {
    await control(`/conversations/${CONVERSATIONS.voiceAlpha}/actions`, { action: 'hold' });
    let c = await conversation(CONVERSATIONS.voiceAlpha);
    expect(agents(c)[0]?.calls?.[0]).toMatchObject({ held: true, startHoldTime: expect.any(String) });
    expect(c.participants[0]?.calls?.[0]?.confined).toBe(true);
    const twice = await control(`/conversations/${CONVERSATIONS.voiceAlpha}/actions`, { action: 'hold' });
    expect(twice.status).toBe(409);
    await control(`/conversations/${CONVERSATIONS.voiceAlpha}/actions`, { action: 'resume' });
    c = await conversation(CONVERSATIONS.voiceAlpha);
    expect(agents(c)[0]?.calls?.[0]?.held).toBe(false);
    expect(agents(c)[0]?.calls?.[0]?.startHoldTime).toBeUndefined();
  });

  it('cold transfer: my leg ends with transfer; a new acd and an alerting agent2 leg appear; agent2 can read it', async () => {
    const r = await control(`/conversations/${CONVERSATIONS.voiceAlpha}/actions`, {
      action: 'transferCold',
      toUserId: USERS.agent2.id,
    });
    expect(r.status).toBe(200);
    const c = await conversation(CONVERSATIONS.voiceAlpha, agent2Token);
    expect(c.participants.map((p) => p.purpose)).toEqual(['customer', 'ivr', 'acd', 'agent', 'acd', 'agent']);
    const [mine, theirs] = agents(c);
    expect(mine).toMatchObject({ userId: USERS.agent.id, endTime: expect.any(String) });
    expect(mine?.calls?.[0]).toMatchObject({ state: 'disconnected', disconnectType: 'transfer' });
    expect(theirs).toMatchObject({ userId: USERS.agent2.id, queueName: QUEUES.alpha.name });
    expect(theirs?.calls?.[0]?.state).toBe('alerting');
    expect(c.participants[4]?.calls?.[0]?.disconnectType).toBe('transfer');
    expect(c.recentTransfers?.[0]).toMatchObject({
      transferType: 'Unattended',
      destination: { userId: USERS.agent2.id },
    });
  });

  it('warm transfer: a consult leg linked by consultParticipantId, customer held; completing ends my leg with transfer.consult', async () => {
    g.driver.transferWarm(CONVERSATIONS.voiceAlpha, USERS.agent2.id);
    let c = await conversation(CONVERSATIONS.voiceAlpha);
    const [mine, consult] = agents(c);
    expect(consult).toMatchObject({ userId: USERS.agent2.id, consultParticipantId: mine?.id });
    expect(mine?.consultParticipantId).toBe(consult?.id);
    expect(mine?.calls?.[0]?.state).toBe('connected');
    expect(c.participants[0]).toMatchObject({ consultParticipantId: consult?.id });
    expect(c.participants[0]?.calls?.[0]?.held).toBe(true);
    g.driver.completeWarm(CONVERSATIONS.voiceAlpha);
    c = await conversation(CONVERSATIONS.voiceAlpha);
    expect(agents(c)[0]?.calls?.[0]).toMatchObject({ state: 'disconnected', disconnectType: 'transfer.consult' });
    expect(agents(c)[1]?.calls?.[0]?.state).toBe('connected');
    expect(c.participants[0]?.calls?.[0]?.held).toBe(false);
    expect(() => g.driver.completeWarm(CONVERSATIONS.voiceAlpha)).toThrow(/No consult/);
  });

  it('disconnect and end set endTime and disconnect types; a second end is refused', async () => {
    g.driver.disconnect(CONVERSATIONS.voiceUnmapped);
    let c = await conversation(CONVERSATIONS.voiceUnmapped);
    expect(c.endTime).toEqual(expect.any(String));
    expect(agents(c)[0]?.calls?.[0]?.disconnectType).toBe('client');
    expect(c.participants[0]?.calls?.[0]?.disconnectType).toBe('peer');
    g.driver.end(CONVERSATIONS.voiceRsa);
    c = await conversation(CONVERSATIONS.voiceRsa);
    expect(c.participants[0]?.calls?.[0]?.disconnectType).toBe('endpoint');
    expect(agents(c)[0]?.calls?.[0]?.disconnectType).toBe('peer');
    expect((await control(`/conversations/${CONVERSATIONS.voiceRsa}/actions`, { action: 'end' })).status).toBe(409);
  });

  it('messageAdded fires in core diffConversation for both event shapes the sandbox publishes (messageId and message.id)', () => {
    const before = toUserConversationEvent(g.service.world.get(CONVERSATIONS.chatKore));
    const id = g.driver.customerMessage(CONVERSATIONS.chatKore, 'one more question');
    const now = g.service.world.get(CONVERSATIONS.chatKore);
    for (const after of [toMessageEvent(now), toUserConversationEvent(now)]) {
      const added = diffConversation(before, after, USERS.agent.id).filter((e) => e.kind === 'messageAdded');
      expect(added).toHaveLength(1);
      expect(added[0]?.kind === 'messageAdded' && added[0].messages.map((m) => m.messageId)).toEqual([id]);
    }
  });

  it('web messages: events carry ids only; text comes from GET …/messages/{id} and bulk; the agent sends through the API', async () => {
    const posted = await control(`/conversations/${CONVERSATIONS.chatKore}/messages`, {
      direction: 'inbound',
      text: 'Are you still there?',
    });
    expect(posted.status).toBe(201);
    const c = await conversation(CONVERSATIONS.chatKore);
    const details = c.participants[0]?.messages?.[0]?.messages ?? [];
    expect(details).toHaveLength(4);
    const last = details.at(-1)!;
    const one = (await (
      await fetch(`${g.apiOrigin}/api/v2/conversations/messages/${c.id}/messages/${last.messageId}`, {
        headers: { authorization: `Bearer ${agentToken}` },
      })
    ).json()) as { textBody: string; direction: string };
    expect(one).toMatchObject({ textBody: 'Are you still there?', direction: 'inbound' });
    const bulk = (await (
      await fetch(`${g.apiOrigin}/api/v2/conversations/messages/${c.id}/messages/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(details.map((d) => d.messageId)),
      })
    ).json()) as { entities: { textBody: string }[] };
    expect(bulk.entities.map((e) => e.textBody)).toContain('It is casey@example.com');
    const agentSession = agents(c)[0]?.messages?.[0]?.id;
    const sent = await fetch(
      `${g.apiOrigin}/api/v2/conversations/messages/${c.id}/communications/${agentSession}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ textBody: 'Yes, one moment.' }),
      },
    );
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ direction: 'outbound', textBody: 'Yes, one moment.' });
    const wrongSession = await fetch(
      `${g.apiOrigin}/api/v2/conversations/messages/${c.id}/communications/${c.participants[0]?.messages?.[0]?.id}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ textBody: 'x' }),
      },
    );
    expect(wrongSession.status).toBe(403);
  });

  it('hides a conversation from a user who is not a participant (404), and shows it after a transfer', async () => {
    const res = await fetch(`${g.apiOrigin}/api/v2/conversations/${CONVERSATIONS.voiceDuplicate}`, {
      headers: { authorization: `Bearer ${agent2Token}` },
    });
    expect(res.status).toBe(404);
    g.driver.transferCold(CONVERSATIONS.voiceDuplicate);
    await conversation(CONVERSATIONS.voiceDuplicate, agent2Token);
  });

  it("another organisation's conversation: its agent reads it; the seeded org's agents and client credentials get 404, as for an id that does not exist", async () => {
    const read = (token: string) =>
      fetch(`${g.apiOrigin}/api/v2/conversations/${OTHER_ORG_CONVERSATIONS.voiceBeta}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const beta = await conversation(
      OTHER_ORG_CONVERSATIONS.voiceBeta,
      g.driver.issueToken({ userId: OTHER_ORG_USERS.agent.id }),
    );
    expect(agents(beta)).toMatchObject([
      { userId: OTHER_ORG_USERS.agent.id, queueId: OTHER_ORG_QUEUES.beta.id, calls: [{ state: 'connected' }] },
    ]);
    const missing = await fetch(`${g.apiOrigin}/api/v2/conversations/c0b00000-0000-4000-8000-0000000000ff`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    expect(missing.status).toBe(404);
    const missingBody = await missing.json();
    for (const token of [agentToken, agent2Token, g.driver.issueToken({ clientId: OAUTH_CLIENTS.credentials.id })]) {
      const res = await read(token);
      expect(res.status).toBe(404);
      // the same answer as for an id that does not exist: nothing tells the conversation exists
      expect(Object.keys(await res.json()).sort()).toEqual(Object.keys(missingBody).sort());
    }
    // the other org's user does not see the seeded org's interactions either
    expect(
      (
        await fetch(`${g.apiOrigin}/api/v2/conversations/${CONVERSATIONS.voiceAlpha}`, {
          headers: { authorization: `Bearer ${g.driver.issueToken({ userId: OTHER_ORG_USERS.agent.id })}` },
        })
      ).status,
    ).toBe(404);
    // the seeded org's desktop does not list it; the state names it apart
    const { json } = await control('/state');
    expect((json.conversations as { id: string }[]).map((c) => c.id)).not.toContain(OTHER_ORG_CONVERSATIONS.voiceBeta);
    expect((json.otherOrgConversations as { id: string }[]).map((c) => c.id)).toEqual([
      OTHER_ORG_CONVERSATIONS.voiceBeta,
    ]);
    // an agent joins only their own org's interactions
    expect(
      (
        await control('/conversations', {
          media: 'call',
          queueId: OTHER_ORG_QUEUES.beta.id,
          agentUserId: USERS.agent.id,
        })
      ).status,
    ).toBe(400);
  });

  it('refuses invalid control bodies with a coded 400 and unknown conversations with 404', async () => {
    const bad = await control(`/conversations/${CONVERSATIONS.voiceAlpha}/actions`, { action: 'teleport' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ name: 'KaaError', code: 'E_PARAM_INVALID' });
    expect((await control('/conversations/nope/actions', { action: 'hold' })).status).toBe(404);
    expect((await control('/conversations', { media: 'call', queueId: 'nope' })).status).toBe(400);
    const notJson = await fetch(`${g.apiOrigin}/sandbox/v1/faults`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('property: any JSON body on any control route answers JSON with a 2xx/4xx, never a 500', async () => {
    const routes = [
      '/conversations',
      `/conversations/${CONVERSATIONS.voiceAlpha}/actions`,
      `/conversations/${CONVERSATIONS.voiceAlpha}/transcript`,
      `/conversations/${CONVERSATIONS.chatKore}/messages`,
      '/faults',
      '/session',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 3 }), async (route, body) => {
        const res = await fetch(`${g.apiOrigin}/sandbox/v1${route}`, { method: 'POST', body: JSON.stringify(body) });
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('content-type')).toContain('application/json');
        await res.json();
      }),
      { numRuns: 120 },
    );
  });

  it('start-up options: seed false, loginUserId, redirectUris and corsOrigins', async () => {
    const other = await startGenesys({
      seed: false,
      loginUserId: USERS.agent2.id,
      redirectUris: ['http://127.0.0.1:7001/cb'],
      corsOrigins: ['http://127.0.0.1:7002'],
    });
    try {
      expect(other.driver.state().conversations).toEqual([]);
      expect(other.driver.state().signedInUserId).toBe(USERS.agent2.id);
      const auth = await fetch(
        `${other.loginOrigin}/oauth/authorize?${new URLSearchParams({ client_id: OAUTH_CLIENTS.implicit.id, response_type: 'token', redirect_uri: 'http://127.0.0.1:7001/cb' })}`,
        { redirect: 'manual' },
      );
      expect(auth.status).toBe(302);
      const token = new URLSearchParams(new URL(auth.headers.get('location')!).hash.slice(1)).get('access_token')!;
      const me = await fetch(`${other.apiOrigin}/api/v2/users/me`, {
        headers: { authorization: `Bearer ${token}`, origin: 'http://127.0.0.1:7002' },
      });
      expect(((await me.json()) as { id: string }).id).toBe(USERS.agent2.id);
      expect(me.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:7002');
      await other.driver.reset();
      expect(other.driver.state().conversations).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
