import { CompactEncrypt, importJWK, SignJWT } from 'jose';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectWidgetConnected,
  expectWidgetTranscript,
  launchChromium,
  servePage,
  type LaunchedChromium,
  type ServedPage,
} from '@kaa/test-support';
import { startKorePlatform } from '../src/kore/index.js';
import type { KorePlatform } from '../src/kore/index.js';
import { BOTS, CONVERSATIONS, QUEUES, USERS } from '../src/seed.js';
const enc = new TextEncoder();

/** A test-only host page on its own origin: frames `?src=` and records every message the frame posts. */
const HOST_HTML = `<!doctype html><html><body><script>
window.__hostMessages = [];
const frame = document.createElement('iframe');
frame.src = new URLSearchParams(location.search).get('src');
frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-forms allow-modals');
frame.style.width = '800px'; frame.style.height = '700px';
addEventListener('message', (e) => { if (e.source === frame.contentWindow) window.__hostMessages.push({ origin: e.origin, data: e.data }); });
window.__post = (msg) => frame.contentWindow.postMessage(msg, new URL(frame.src).origin);
document.body.append(frame);
</script></body></html>`;

let kore: KorePlatform;
let host: ServedPage;
let chromium: LaunchedChromium;
let context: BrowserContext;

async function widgetJwt(secret: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: BOTS.alpha.clientId,
    sub: USERS.agent.id,
    appId: BOTS.alpha.clientId,
    aud: 'https://idproxy.kore.com/authorize',
    isAnonymous: false,
    iat,
    exp: iat + 900,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(enc.encode(secret));
}

async function openWidget(params: Record<string, string>): Promise<{ page: Page; frame: Frame }> {
  const src = `${kore.widgetUrl}?${new URLSearchParams(params).toString()}`;
  const page = await context.newPage();
  await page.goto(`${host.origin}/host?src=${encodeURIComponent(src)}`);
  const handle = await page.waitForSelector('iframe');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no widget frame');
  await frame.waitForSelector('#status:not([data-status="booting"])');
  return { page, frame };
}

beforeAll(async () => {
  kore = await startKorePlatform();
  host = await servePage((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOST_HTML);
  });
  chromium = await launchChromium({ profilePrefix: 'kaa-widget-e2e-' });
  context = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
  await host?.close();
  await kore?.close();
});

describe('stand-in Agent AI widget in a host page', () => {
  it('refuses to start and names what is missing', async () => {
    const { page, frame } = await openWidget({ token: 'x', botid: BOTS.alpha.botId });
    expect(await frame.textContent('#status')).toBe('refused');
    const error = await frame.textContent('#error');
    expect(error).toContain('missing agentassisturl, conversationid');
    const state = await frame.evaluate(() => (window as any).__kaaWidgetState);
    expect(state.missing).toEqual(['agentassisturl', 'conversationid']);
    const messages = await page.evaluate(() => (window as any).__hostMessages);
    expect(messages).toEqual([]); // no agentassist_loaded from a widget that refused
    expect(kore.recorded.jwtgrants).toHaveLength(0);
    await page.close();
  });

  it('valid token: posts agentassist_loaded to the parent, verifies via jwtgrant, renders utterances in order and decrypts secure data', async () => {
    const conversationId = CONVERSATIONS.voiceAlpha;
    const { page, frame } = await openWidget({
      token: await widgetJwt(BOTS.alpha.clientSecret),
      botid: BOTS.alpha.botId,
      agentassisturl: kore.origin,
      conversationid: conversationId,
      isCall: 'true',
      source: 'genesys',
      interactiveLanguage: 'en',
      customData: JSON.stringify({ fName: 'Casey', lName: 'Customer' }),
    });
    await expectWidgetConnected(page, conversationId);
    const messages = await page.evaluate(() => (window as any).__hostMessages);
    expect(messages[0]).toEqual({ origin: kore.origin, data: { method: 'agentassist_loaded', name: 'agent_assist' } });
    expect(kore.recorded.jwtgrants.at(-1)).toMatchObject({ status: 200, botId: BOTS.alpha.botId });

    // secure custom data, encrypted with the row's JWEPublicKey as the kaa page would
    const row = kore.tableRows().find((r) => r['BotId'] === BOTS.alpha.botId)!;
    const jwk = JSON.parse(row['JWEPublicKey'] as string);
    const secure = { queue: QUEUES.alpha.name, state: 'connected' };
    const jwe = await new CompactEncrypt(
      enc.encode(JSON.stringify({ iss: BOTS.alpha.clientId, sub: USERS.agent.id, secureCustomData: secure })),
    )
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: jwk.kid, typ: 'JWT' })
      .encrypt(await importJWK(jwk, 'RSA-OAEP'));

    const post = (msg: unknown) => page.evaluate((m) => (window as any).__post(m), msg);
    await post({
      name: 'setAgentInfo',
      agentDetails: { agentId: USERS.agent.id, agentName: USERS.agent.name, agentInfo: {} },
    });
    await post({ name: 'setUserInfo', userDetails: { userId: 'cust-1', userName: 'Casey Customer', userInfo: {} } });
    const utter = (type: 'USER' | 'AGENT', value: string, extra: object = {}) => ({
      name: type === 'USER' ? 'agentAssist.CustomerMessage' : 'agentAssist.AgentMessage',
      author: { type, id: type === 'USER' ? 'cust-1' : USERS.agent.id },
      conversationid: conversationId,
      conversationId,
      value,
      ...extra,
    });
    await post(utter('USER', 'I want to check my order status.', { secureCustomData: jwe }));
    await post(utter('AGENT', 'Sure, what is the order number?'));
    await post(utter('USER', 'It is 4512.'));
    // routed on author.type, not name: a USER message named like an agent message is the customer
    await post({ ...utter('USER', 'Thanks!'), name: 'agentAssist.AgentMessage' });
    await post(utter('USER', 'ignored: other conversation', { conversationid: 'other', conversationId: 'other' }));
    await expectWidgetTranscript(page, conversationId, [
      { speaker: 'Customer', text: 'I want to check my order status.' },
      { speaker: 'Agent', text: 'Sure, what is the order number?' },
      { speaker: 'Customer', text: 'It is 4512.' },
      { speaker: 'Customer', text: 'Thanks!' },
    ]);
    // the widget renders at most once per 16 ms (trailing), so the decrypted data shows a moment after the state has it
    await frame.waitForFunction(
      () =>
        (window as any).__kaaWidgetState.secureCustomData &&
        document.getElementById('secure-custom-data')?.textContent !== '—',
    );
    const state = await frame.evaluate(() => (window as any).__kaaWidgetState);
    expect(state.secureCustomData.claims.secureCustomData).toEqual(secure);
    expect(await frame.textContent('#secure-custom-data')).toContain(QUEUES.alpha.name);
    expect(state).toMatchObject({
      botId: BOTS.alpha.botId,
      botName: BOTS.alpha.name,
      language: 'en',
      isCall: true,
      channel: 'voice',
      customData: { fName: 'Casey', lName: 'Customer' },
    });
    expect(state.agent).toEqual({ id: USERS.agent.id, name: USERS.agent.name });
    expect(state.lifecycle.map((l: { event: string }) => l.event)).toContain('ignored utterance');

    // lifecycle messages
    await post({ name: 'agentAssist.endOfConversation', conversationId, payload: { chatHistory: [] } });
    await frame.waitForFunction(() => (window as any).__kaaWidgetState.ended === true);

    // Send posts agentAssist.SendMessage to the parent
    await frame.fill('#send-text', 'Your order ships tomorrow.');
    await frame.click('#send');
    await page.waitForFunction(() =>
      (window as any).__hostMessages.some((m: any) => m.data.name === 'agentAssist.SendMessage'),
    );
    const sent = (await page.evaluate(() => (window as any).__hostMessages)).find(
      (m: any) => m.data.name === 'agentAssist.SendMessage',
    );
    expect(sent.data).toEqual({
      method: 'send',
      name: 'agentAssist.SendMessage',
      conversationId,
      payload: 'Your order ships tomorrow.',
    });

    // the same state reaches the platform for tests that cannot reach into the frame
    await expect
      .poll(async () => {
        const res = await fetch(`${kore.origin}/sandbox/kore/v1/widget-state?conversationId=${conversationId}`);
        return res.ok ? ((await res.json()) as { transcript: unknown[]; ended: boolean }) : undefined;
      })
      .toMatchObject({
        ended: true,
        transcript: expect.arrayContaining([
          expect.objectContaining({ speaker: 'Agent', text: 'Sure, what is the order number?' }),
        ]),
      });
    await page.close();
  });

  it('keeps the order of messages that arrive while it connects and while it reads its settings', async () => {
    const conversationId = CONVERSATIONS.voiceRsa;
    kore.setLatency(400, 'jwtgrant');
    kore.setLatency(400, 'settings');
    try {
      const src = `${kore.widgetUrl}?${new URLSearchParams({ token: await widgetJwt(BOTS.alpha.clientSecret), botid: BOTS.alpha.botId, agentassisturl: kore.origin, conversationid: conversationId })}`;
      const page = await context.newPage();
      await page.goto(`${host.origin}/host?src=${encodeURIComponent(src)}`);
      const frame = (await (await page.waitForSelector('iframe')).contentFrame())!;
      await frame.waitForSelector('#status[data-status="connecting"]');
      const post = (value: string) =>
        page.evaluate((m) => (window as any).__post(m), {
          name: 'agentAssist.CustomerMessage',
          author: { type: 'USER' },
          conversationid: conversationId,
          value,
        });
      await post('while connecting');
      await frame.waitForFunction(() => (window as any).__kaaWidgetState.status === 'connected'); // the settings call is in flight now
      await post('while reading its settings');
      await expectWidgetTranscript(page, conversationId, [
        { speaker: 'Customer', text: 'while connecting' },
        { speaker: 'Customer', text: 'while reading its settings' },
      ]);
      await page.close();
    } finally {
      kore.setLatency(0);
    }
  });

  it('boots from an init_agentassist message after refusing the bare URL', async () => {
    const { page, frame } = await openWidget({});
    expect(await frame.textContent('#status')).toBe('refused');
    await page.evaluate((p) => (window as any).__post({ name: 'init_agentassist', urlParams: p }), {
      token: await widgetJwt(BOTS.alpha.clientSecret),
      botId: BOTS.alpha.botId,
      agentassisturl: kore.origin,
      conversationId: CONVERSATIONS.voiceAlpha,
    });
    await expectWidgetConnected(page, CONVERSATIONS.voiceAlpha);
    const messages = await page.evaluate(() => (window as any).__hostMessages);
    expect(messages.map((m: any) => m.data.method)).toEqual(['agentassist_loaded']);
    await page.close();
  });

  it('bad token: error state, never "connected", messages ignored', async () => {
    const conversationId = CONVERSATIONS.chatKore;
    const { page, frame } = await openWidget({
      token: await widgetJwt('not-the-client-secret'),
      botid: BOTS.alpha.botId,
      agentassisturl: kore.origin,
      conversationid: conversationId,
    });
    await frame.waitForSelector('#status[data-status="error"]');
    expect(await frame.textContent('#error')).toContain(
      'the token was rejected (error verifying the jwt: signature verification failed)',
    );
    await page.evaluate(
      (id) =>
        (window as any).__post({
          name: 'agentAssist.CustomerMessage',
          author: { type: 'USER' },
          conversationid: id,
          value: 'hello',
        }),
      conversationId,
    );
    await frame.waitForFunction(() =>
      (window as any).__kaaWidgetState.lifecycle.some((l: any) => l.event === 'ignored message'),
    );
    const state = await frame.evaluate(() => (window as any).__kaaWidgetState);
    expect(state.transcript).toEqual([]);
    expect(state.lifecycle.map((l: any) => l.event)).not.toContain('connected');
    expect(await frame.isDisabled('#send')).toBe(true);
    expect(kore.recorded.jwtgrants.at(-1)?.status).toBe(401);
    await page.close();
  });
});
