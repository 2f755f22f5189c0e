import { INTERACTION_WIDGET_TYPE, TRANSCRIPTION_VIEW_PERMISSION, permissionPolicies } from '@kaa/core';
import platformClient from 'purecloud-platform-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CONVERSATIONS,
  DIVISIONS,
  GROUPS,
  OAUTH_CLIENTS,
  QUEUES,
  SEEDED_ROLE,
  USERS,
  startGenesys,
  type GenesysServers,
} from '@kaa/sandbox';

/** Points an SDK client at a sandbox origin through its documented gateway setting (no SDK patching). */
function gateway(origin: string): { host: string; protocol: string; port: number } {
  const u = new URL(origin);
  return { host: u.hostname, protocol: u.protocol.replace(':', ''), port: Number(u.port) };
}

/** A real SDK client signed in with client credentials at the sandbox. */
async function sdk(
  g: GenesysServers,
  client: { id: string; secret: string },
): Promise<InstanceType<typeof platformClient.ApiClientClass>> {
  const c = new platformClient.ApiClientClass();
  c.setGateway(gateway(g.loginOrigin));
  await c.loginClientCredentialsGrant(client.id, client.secret);
  c.setGateway(gateway(g.apiOrigin));
  return c;
}

function userSdk(g: GenesysServers, userId: string): InstanceType<typeof platformClient.ApiClientClass> {
  const c = new platformClient.ApiClientClass();
  c.setGateway(gateway(g.apiOrigin));
  c.setAccessToken(g.driver.issueToken({ userId }));
  return c;
}

describe('the Genesys admin API of the sandbox, driven by the real platform SDK (empty org)', () => {
  let g: GenesysServers;
  let admin: InstanceType<typeof platformClient.ApiClientClass>;

  beforeAll(async () => {
    g = await startGenesys({ koreOrigin: 'http://127.0.0.1:9', org: 'empty' });
    admin = await sdk(g, OAUTH_CLIENTS.admin);
  });
  afterAll(async () => {
    await g.close();
  });

  it('starts with no browser OAuth client, no integration, no role, no grant, and every queue without voice transcription', async () => {
    const clients = await new platformClient.OAuthApi(admin).getOauthClients();
    expect(clients.entities?.map((c) => c.id).sort()).toEqual(
      [OAUTH_CLIENTS.credentials.id, OAUTH_CLIENTS.admin.id].sort(),
    );
    expect(clients.entities?.every((c) => c.secret === undefined)).toBe(true);
    expect((await new platformClient.IntegrationsApi(admin).getIntegrations()).entities).toEqual([]);
    expect((await new platformClient.AuthorizationApi(admin).getAuthorizationRoles()).entities).toEqual([]);
    expect((await new platformClient.AuthorizationApi(admin).getAuthorizationSubject(GROUPS.agents.id)).grants).toEqual(
      [],
    );
    const queues = await new platformClient.RoutingApi(admin).getRoutingQueues({ pageSize: 100 });
    expect(queues.entities?.map((q) => q.enableTranscription)).toEqual(Object.values(QUEUES).map(() => false));
    expect((await new platformClient.GroupsApi(admin).getGroups()).entities?.map((x) => x.name)).toEqual(
      Object.values(GROUPS).map((x) => x.name),
    );
    expect(
      (await new platformClient.AuthorizationApi(admin).getAuthorizationDivisions({ name: 'Home' })).entities?.[0],
    ).toMatchObject({ id: DIVISIONS.home.id, homeDivision: true });
  });

  it('an OAuth client created with the API signs agents in (CODE = PKCE), with exactly its redirect URIs and scopes', async () => {
    const oauth = new platformClient.OAuthApi(admin);
    const created = await oauth.postOauthClients({
      name: 'Kore Agent AI',
      authorizedGrantType: 'CODE',
      registeredRedirectUri: ['http://127.0.0.1:9/kaa/'],
      scope: ['conversations', 'notifications'],
    });
    expect(created).toMatchObject({
      name: 'Kore Agent AI',
      authorizedGrantType: 'CODE',
      registeredRedirectUri: ['http://127.0.0.1:9/kaa/'],
      scope: ['conversations', 'notifications'],
    });
    expect(created.secret).toEqual(expect.any(String)); // shown once
    expect((await oauth.getOauthClient(created.id!)).secret).toBeUndefined();
    const authorize = (redirectUri: string) =>
      fetch(
        `${g.loginOrigin}/oauth/authorize?${new URLSearchParams({ client_id: created.id!, redirect_uri: redirectUri, response_type: 'code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`,
        { redirect: 'manual' },
      );
    expect((await authorize('http://127.0.0.1:9/kaa/')).status).toBe(302);
    expect((await authorize('http://127.0.0.1:9/kaa/auth-callback.html')).status).toBe(400);
    const updated = await oauth.putOauthClient(created.id!, {
      name: 'Kore Agent AI',
      authorizedGrantType: 'CODE',
      registeredRedirectUri: ['http://127.0.0.1:9/kaa/', 'http://127.0.0.1:9/kaa/auth-callback.html'],
      scope: ['conversations'],
    });
    expect(updated.registeredRedirectUri).toHaveLength(2);
    expect((await authorize('http://127.0.0.1:9/kaa/auth-callback.html')).status).toBe(302);
    await expect(oauth.postOauthClients({ name: 'no uri', authorizedGrantType: 'TOKEN' })).rejects.toMatchObject({
      status: 400,
      code: 'bad.request',
    });
  });

  it('an Interaction Widget integration: created disabled, configured with version checks, enabled', async () => {
    const api = new platformClient.IntegrationsApi(admin);
    const created = await api.postIntegrations({
      body: { name: 'Kore Agent AI', integrationType: { id: INTERACTION_WIDGET_TYPE } },
    });
    expect(created).toMatchObject({
      name: 'Kore Agent AI',
      intendedState: 'DISABLED',
      integrationType: { id: INTERACTION_WIDGET_TYPE },
    });
    const current = await api.getIntegrationConfigCurrent(created.id!);
    expect(current).toMatchObject({ version: 1, properties: {}, advanced: {} });
    const properties = {
      url: 'https://kaa.example.com/?conversationid={{gcConversationId}}',
      groups: [GROUPS.agents.id],
      communicationTypeFilter: 'call',
    };
    const put = await api.putIntegrationConfigCurrent(created.id!, {
      body: { ...current, properties, advanced: { lifecycle: { ephemeral: false, hooks: { stop: true } } } },
    });
    expect(put.version).toBe(2);
    // a stale version is a 409 with Genesys's error body
    await expect(
      api.putIntegrationConfigCurrent(created.id!, { body: { ...current, properties } }),
    ).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await api.patchIntegration(created.id!, { body: { intendedState: 'ENABLED' } });
    const listed = await api.getIntegrations({ integrationType: INTERACTION_WIDGET_TYPE });
    expect(listed.entities?.[0]).toMatchObject({
      intendedState: 'ENABLED',
      config: { current: { version: 2, properties } },
    });
    expect(g.driver.interactionWidgets()).toEqual([
      { id: created.id, name: 'Kore Agent AI', enabled: true, config: expect.objectContaining({ properties }) },
    ]);
    await expect(
      api.postIntegrations({ body: { name: 'x', integrationType: { id: 'no-such-type' } } }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('a role granted to a group gives its members the permission: the transcription topic is refused before and accepted after', async () => {
    const topic = `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`;
    const agentNotifications = new platformClient.NotificationsApi(userSdk(g, USERS.agent.id));
    const channel = await agentNotifications.postNotificationsChannels();
    const refused = await agentNotifications.putNotificationsChannelSubscriptions(channel.id!, [
      { id: topic },
      { id: `v2.users.${USERS.agent.id}.conversations` },
    ]);
    expect(refused.entities).toContainEqual({
      id: topic,
      state: 'Rejected',
      rejectionReason: expect.stringContaining(TRANSCRIPTION_VIEW_PERMISSION),
      missingPermissions: [TRANSCRIPTION_VIEW_PERMISSION],
    });
    expect(
      (await agentNotifications.getNotificationsChannelSubscriptions(channel.id!)).entities?.map((e) => e.id),
    ).toEqual([`v2.users.${USERS.agent.id}.conversations`]);

    const auth = new platformClient.AuthorizationApi(admin);
    const role = await auth.postAuthorizationRoles({
      name: 'Kore Agent AI',
      permissionPolicies: permissionPolicies([TRANSCRIPTION_VIEW_PERMISSION]).map((p) => ({
        ...p,
        actionSet: [...p.actionSet],
      })),
    });
    expect(role.permissions).toEqual([TRANSCRIPTION_VIEW_PERMISSION]);
    await expect(auth.postAuthorizationRoles({ name: 'Kore Agent AI' })).rejects.toMatchObject({ status: 409 });
    await auth.postAuthorizationRole(
      role.id!,
      { subjectIds: [GROUPS.agents.id], divisionIds: [DIVISIONS.home.id] },
      { subjectType: 'PC_GROUP' },
    );
    expect((await auth.getAuthorizationSubject(GROUPS.agents.id)).grants).toEqual([
      expect.objectContaining({
        role: expect.objectContaining({ id: role.id }),
        division: expect.objectContaining({ id: DIVISIONS.home.id }),
      }),
    ]);
    expect((await auth.getUserRoles(USERS.agent.id)).permissions).toEqual([TRANSCRIPTION_VIEW_PERMISSION]);
    const user = await new platformClient.UsersApi(admin).getUser(USERS.agent.id, {
      expand: ['groups', 'authorization'],
    });
    expect(user.groups?.map((x) => x.id)).toContain(GROUPS.agents.id);
    expect(user.authorization?.roles?.map((r) => r.name)).toEqual(['Kore Agent AI']);

    const accepted = await agentNotifications.putNotificationsChannelSubscriptions(channel.id!, [{ id: topic }]);
    expect(accepted.entities).toEqual([{ id: topic, state: 'Permitted' }]);
  });

  it('a queue with voice transcription off publishes no transcript; turning it on with PUT makes the topic speak', async () => {
    const notifications = new platformClient.NotificationsApi(admin);
    const channel = await notifications.postNotificationsChannels();
    const topic = `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`;
    await notifications.putNotificationsChannelSubscriptions(channel.id!, [{ id: topic }]);
    const ws = new WebSocket(channel.connectUri!);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(String(d)));
    await new Promise((r) => ws.once('open', r));
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'nobody hears this' }]);

    const routing = new platformClient.RoutingApi(admin);
    const queue = await routing.getRoutingQueue(QUEUES.alpha.id);
    expect(queue.enableTranscription).toBe(false);
    const put = await routing.putRoutingQueue(QUEUES.alpha.id, {
      ...queue,
      name: queue.name!,
      enableTranscription: true,
    });
    expect(put.enableTranscription).toBe(true);
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'now it is transcribed' }]);
    await expect.poll(() => frames.filter((f) => f.includes(topic)).length).toBe(1);
    expect(frames.join('\n')).not.toContain('nobody hears this');
    expect(frames.join('\n')).toContain('now it is transcribed');
    ws.close();
  });

  it('a client without the admin scopes gets 403 with the scopes named in a Genesys error body', async () => {
    const reader = await sdk(g, OAUTH_CLIENTS.credentials);
    await expect(new platformClient.OAuthApi(reader).getOauthClients()).resolves.toBeDefined(); // oauth:readonly reads
    const refused = await new platformClient.OAuthApi(reader)
      .postOauthClients({ name: 'x', authorizedGrantType: 'CLIENT-CREDENTIALS' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 403,
      code: 'missing.any.scopes',
      message: expect.stringContaining('[oauth]'),
      contextId: expect.any(String),
    });
    await expect(
      new platformClient.RoutingApi(reader).putRoutingQueue(QUEUES.alpha.id, {
        name: QUEUES.alpha.name,
        enableTranscription: true,
      }),
    ).rejects.toMatchObject({ status: 403, message: expect.stringContaining('[routing]') });
  });
});

describe('the seeded org (the default every other test uses)', () => {
  let g: GenesysServers;
  beforeAll(async () => {
    g = await startGenesys({ koreOrigin: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await g.close();
  });

  it('both agents hold the seeded role through their group; the transcription topic is permitted', async () => {
    const admin = await sdk(g, OAUTH_CLIENTS.admin);
    for (const user of [USERS.agent, USERS.agent2])
      expect((await new platformClient.AuthorizationApi(admin).getUserRoles(user.id)).roles).toEqual([
        { id: SEEDED_ROLE.id, name: SEEDED_ROLE.name },
      ]);
    const notifications = new platformClient.NotificationsApi(userSdk(g, USERS.agent2.id));
    const channel = await notifications.postNotificationsChannels();
    const topic = `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`;
    expect((await notifications.putNotificationsChannelSubscriptions(channel.id!, [{ id: topic }])).entities).toEqual([
      { id: topic, state: 'Permitted' },
    ]);
    expect((await new platformClient.RoutingApi(admin).getRoutingQueue(QUEUES.alpha.id)).enableTranscription).toBe(
      true,
    );
  });

  it('an org without the transcription licence refuses to turn voice transcription on', async () => {
    const unlicensed = await startGenesys({
      koreOrigin: 'http://127.0.0.1:9',
      org: 'empty',
      features: { voiceTranscription: false },
    });
    try {
      const admin = await sdk(unlicensed, OAUTH_CLIENTS.admin);
      const refused = await new platformClient.RoutingApi(admin)
        .putRoutingQueue(QUEUES.alpha.id, { name: QUEUES.alpha.name, enableTranscription: true })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 400, message: expect.stringContaining('licence') });
    } finally {
      await unlicensed.close();
    }
  });
});
