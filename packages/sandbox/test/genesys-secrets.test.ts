import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets } from '@kaa/test-support';
import WebSocket from 'ws';
import { CONVERSATIONS, OAUTH_CLIENTS, USERS, startGenesys, type GenesysServers } from '@kaa/sandbox';

const PAGE = 'http://127.0.0.1:5997';
const PLANTED = 'PLANTED-secret-value-0123456789';

describe('the Genesys half never echoes a secret', () => {
  let g: GenesysServers;
  beforeAll(async () => {
    g = await startGenesys({ pageOrigin: PAGE, heartbeatIntervalMs: 1000 });
  });
  afterAll(async () => {
    await g.close();
  });

  async function text(res: Response): Promise<string> {
    return `${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${await res.text()}`;
  }

  it('planted client secrets, verifiers, codes and tokens do not come back in error answers', async () => {
    const basic = `Basic ${Buffer.from(`${OAUTH_CLIENTS.credentials.id}:${PLANTED}`).toString('base64')}`;
    const outputs: string[] = [];
    outputs.push(
      await text(
        await fetch(`${g.loginOrigin}/oauth/token`, {
          method: 'POST',
          headers: { authorization: basic },
          body: 'grant_type=client_credentials',
        }),
      ),
    );
    outputs.push(
      await text(
        await fetch(`${g.loginOrigin}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: PLANTED,
            redirect_uri: `${PAGE}/koreaiaa-genesys/`,
            client_id: OAUTH_CLIENTS.pkce.id,
            code_verifier: `${PLANTED}-abcdefghijklmnop`,
          }),
        }),
      ),
    );
    outputs.push(
      await text(
        await fetch(
          `${g.loginOrigin}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(`${PAGE}/x?${PLANTED}`)}`,
          { redirect: 'manual' },
        ),
      ),
    );
    outputs.push(
      await text(await fetch(`${g.apiOrigin}/api/v2/users/me`, { headers: { authorization: `Bearer ${PLANTED}` } })),
    );
    const token = g.driver.issueToken({ userId: USERS.agent.id });
    outputs.push(
      await text(
        await fetch(`${g.apiOrigin}/api/v2/conversations/nope`, { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    outputs.push(await text(await fetch(`${g.apiOrigin}/sandbox/v1/state`)));
    const all = outputs.join('\n');
    expectNoSecrets(all, [PLANTED, token, OAUTH_CLIENTS.credentials.secret]);
  });

  it('.messages events carry message ids and never the text', async () => {
    const token = g.driver.issueToken({ userId: USERS.agent.id });
    const ch = (await (
      await fetch(`${g.apiOrigin}/api/v2/notifications/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { id: string; connectUri: string };
    const topic = `v2.users.${USERS.agent.id}.conversations.messages`;
    await fetch(`${g.apiOrigin}/api/v2/notifications/channels/${ch.id}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ id: topic }]),
    });
    const ws = new WebSocket(ch.connectUri);
    await new Promise((r) => ws.once('open', r));
    const frame = new Promise<string>((resolve) =>
      ws.on('message', (d) => String(d).includes(topic) && resolve(String(d))),
    );
    const id = g.driver.customerMessage(CONVERSATIONS.chatKore, `my card is ${PLANTED}`);
    const raw = await frame;
    ws.terminate();
    expect(raw).not.toContain(PLANTED);
    const body = JSON.parse(raw).eventBody as {
      participants: { purpose: string; messages: { message: { id: string } }[] }[];
    };
    expect(body.participants.find((p) => p.purpose === 'customer')?.messages.at(-1)?.message.id).toBe(id);
  });
});
