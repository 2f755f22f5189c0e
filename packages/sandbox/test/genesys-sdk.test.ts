import platformClient from 'purecloud-platform-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CONVERSATIONS,
  LEGACY_TABLE,
  OAUTH_CLIENTS,
  ORG,
  QUEUES,
  USERS,
  startGenesys,
  type GenesysServers,
} from '@kaa/sandbox';

/** Points the real SDK at a sandbox origin through its documented gateway setting (no SDK patching). */
function gateway(origin: string): { host: string; protocol: string; port: number } {
  const u = new URL(origin);
  return { host: u.hostname, protocol: u.protocol.replace(':', ''), port: Number(u.port) };
}

function nextMessage(
  ws: WebSocket,
  accept: (m: { topicName: string; eventBody: Record<string, unknown> }) => boolean,
  timeoutMs = 5000,
): Promise<{
  topicName: string;
  eventBody: Record<string, unknown>;
  metadata?: { CorrelationId: string };
  version?: string;
}> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching notification')), timeoutMs);
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(String(data));
      if (accept(m)) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('the real purecloud-platform-client-v2 SDK against the sandbox', () => {
  let g: GenesysServers;
  const client = platformClient.ApiClient.instance;

  beforeAll(async () => {
    g = await startGenesys({ koreOrigin: 'http://127.0.0.1:9' });
    client.setGateway(gateway(g.loginOrigin));
    await client.loginClientCredentialsGrant(OAUTH_CLIENTS.credentials.id, OAUTH_CLIENTS.credentials.secret);
    client.setGateway(gateway(g.apiOrigin));
  });
  afterAll(async () => {
    await g.close();
  });

  it('logs in with client credentials and rejects a wrong secret', async () => {
    const other = new platformClient.ApiClientClass();
    other.setGateway(gateway(g.loginOrigin));
    await expect(other.loginClientCredentialsGrant(OAUTH_CLIENTS.credentials.id, 'wrong')).rejects.toBeDefined();
    const info = await new platformClient.TokensApi().getTokensMe();
    expect(info.organization?.id).toBe(ORG.id);
    expect(info.OAuthClient?.id).toBe(OAUTH_CLIENTS.credentials.id);
  });

  it('gets a conversation in the nested shape', async () => {
    const c = await new platformClient.ConversationsApi().getConversation(CONVERSATIONS.voiceAlpha);
    expect(c.id).toBe(CONVERSATIONS.voiceAlpha);
    expect(c.participants.map((p) => p.purpose)).toEqual(['customer', 'ivr', 'acd', 'agent']);
    const agent = c.participants.find((p) => p.purpose === 'agent');
    expect(agent?.userId).toBe(USERS.agent.id);
    expect(agent?.queueName).toBe(QUEUES.alpha.name);
    expect(agent?.calls?.[0]?.state).toBe('connected');
    expect(c.participants.find((p) => p.purpose === 'acd')?.calls?.[0]?.disconnectType).toBe('transfer');
  });

  it('answers 404 with a Genesys ErrorBody for an unknown conversation', async () => {
    const err = await new platformClient.ConversationsApi().getConversation('nope').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'not.found' });
  });

  it('creates a notification channel and receives a transcription event over the WebSocket', async () => {
    const notifications = new platformClient.NotificationsApi();
    const channel = await notifications.postNotificationsChannels();
    expect(channel.connectUri).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/channels\/streaming-/);
    const topic = `v2.conversations.${CONVERSATIONS.voiceAlpha}.transcription`;
    const subs = await notifications.postNotificationsChannelSubscriptions(channel.id!, [{ id: topic }]);
    expect(subs.entities?.map((e) => e.id)).toEqual([topic]);
    const ws = new WebSocket(channel.connectUri!);
    await new Promise((r) => ws.once('open', r));
    const received = nextMessage(ws, (m) => m.topicName === topic);
    await g.driver.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'I want to check my order' }]);
    const event = await received;
    expect(event.version).toBe('2');
    expect(event.metadata?.CorrelationId).toEqual(expect.any(String));
    const t = (
      event.eventBody.transcripts as { channel: string; isFinal: boolean; alternatives: { transcript: string }[] }[]
    )[0];
    expect(t).toMatchObject({ channel: 'EXTERNAL', isFinal: true });
    expect(t?.alternatives[0]?.transcript).toBe('I want to check my order');
    ws.close();
  });

  it('reads the legacy data table with its schema, and pages the table list', async () => {
    const architect = new platformClient.ArchitectApi();
    const table = await architect.getFlowsDatatable(LEGACY_TABLE.id, { expand: 'schema' });
    const props = table.schema?.properties as Record<string, { title: string; default?: string }>;
    expect(props.key?.title).toBe('agentAssist');
    expect(props['AgentAssist URL']?.default).toBe('http://127.0.0.1:9');
    expect(props['Bot Id']?.default).toMatch(/^st-/);
    const first = await architect.getFlowsDatatables({ expand: 'schema', pageSize: 1, pageNumber: 1 });
    const second = await architect.getFlowsDatatables({ expand: 'schema', pageSize: 1, pageNumber: 2 });
    expect(first.total).toBe(2);
    expect(first.pageCount).toBe(2);
    const ids = [first.entities?.[0]?.id, second.entities?.[0]?.id];
    expect(ids).toContain(LEGACY_TABLE.id);
    const withoutSchema = await architect.getFlowsDatatables({ pageSize: 25 });
    expect(withoutSchema.entities?.every((e) => e.schema === undefined)).toBe(true);
  });

  it('serves users/me with the organization to a user token, and refuses it to client credentials', async () => {
    const users = new platformClient.UsersApi();
    await expect(users.getUsersMe()).rejects.toMatchObject({ status: 400 });
    const userClient = new platformClient.ApiClientClass();
    userClient.setGateway(gateway(g.apiOrigin));
    userClient.setAccessToken(g.driver.issueToken({ userId: USERS.agent.id }));
    const me = await new platformClient.UsersApi(userClient).getUsersMe({ expand: ['organization'] });
    expect(me).toMatchObject({ id: USERS.agent.id, name: USERS.agent.name, organization: { id: ORG.id } });
  });

  it('covers the rest of the routes kaa uses: channel HEAD/PUT/GET/DELETE, queue, rows, web messages and agent send', async () => {
    const notifications = new platformClient.NotificationsApi();
    const channel = await notifications.postNotificationsChannels();
    await expect(notifications.headNotificationsChannel(channel.id!)).resolves.toBeUndefined();
    // A HEAD 404 has no body, so the SDK rejects with the (absent) body.
    await expect(notifications.headNotificationsChannel('streaming-0-nope')).rejects.toBeUndefined();
    const topic = `v2.users.${USERS.agent.id}.conversations.messages`;
    expect(
      (await notifications.putNotificationsChannelSubscriptions(channel.id!, [{ id: topic }])).entities?.map(
        (e) => e.id,
      ),
    ).toEqual([topic]);
    expect((await notifications.getNotificationsChannelSubscriptions(channel.id!)).entities).toHaveLength(1);
    await notifications.deleteNotificationsChannelSubscriptions(channel.id!);
    expect((await notifications.getNotificationsChannelSubscriptions(channel.id!)).entities).toEqual([]);

    expect(await new platformClient.RoutingApi().getRoutingQueue(QUEUES.koreSupport.id)).toMatchObject({
      id: QUEUES.koreSupport.id,
      name: QUEUES.koreSupport.name,
    });
    const rows = await new platformClient.ArchitectApi().getFlowsDatatableRows(LEGACY_TABLE.id, { showbrief: false });
    expect(rows.entities).toEqual([]);

    const userClient = new platformClient.ApiClientClass();
    userClient.setGateway(gateway(g.apiOrigin));
    userClient.setAccessToken(g.driver.issueToken({ userId: USERS.agent.id }));
    const conversations = new platformClient.ConversationsApi(userClient);
    const chat = await conversations.getConversation(CONVERSATIONS.chatKore);
    const ids = (chat.participants.find((p) => p.purpose === 'customer')?.messages?.[0]?.messages ?? []).map(
      (m) => m.messageId!,
    );
    expect(ids).toHaveLength(3);
    const one = (await conversations.getConversationsMessageMessage(chat.id!, ids[0]!)) as {
      textBody?: string;
      direction?: string;
    };
    expect(one).toMatchObject({ textBody: 'Hello, I need help resetting my password.', direction: 'inbound' });
    const bulk = await conversations.postConversationsMessageMessagesBulk(chat.id!, { body: ids });
    expect(bulk.entities).toHaveLength(3);
    const agentSession = chat.participants.find((p) => p.purpose === 'agent')?.messages?.[0]?.id;
    const sent = await conversations.postConversationsMessageCommunicationMessages(chat.id!, agentSession!, {
      textBody: 'Let me reset it for you.',
    });
    expect(sent).toMatchObject({ direction: 'outbound', normalizedMessage: { text: 'Let me reset it for you.' } });
  });
});
