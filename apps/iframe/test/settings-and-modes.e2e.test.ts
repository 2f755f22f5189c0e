/**
 * Settings and modes, as the agent and Kore observe them: `kore.hooks.triggerSummary` adds `TRIGGER_SUMMARY_EVENT`
 * between the last `NA/exit` and `END_OF_CONVERSATION`; `lifecycleChannel: postMessage` ends the conversation through
 * the widget (`agentAssist.endOfConversation` with the chat lines) and sends no hooks
 * (docs/assumptions.md#who-sends-end-of-conversation); a Third-Party Configuration URL (`accountId`) with no lookup
 * configured gets a panel saying what kaa needs (docs/assumptions.md#third-party-configuration-runtime-api).
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATIONS, KORE_CHAT, THIRD_PARTY } from '@kaa/sandbox';
import { expectWidgetConnected } from '@kaa/test-support';
import { buildPage, eventually, expectNoPageSecrets, openInteraction, startHarness, waitForPhase } from './browser.js';
import type { Harness } from './browser.js';

let pageDir: string;
let h: Harness | undefined;

type Recorded = {
  hooks: { body: { events?: { name: string; transfertype?: string; transition?: string; data?: unknown }[] } }[];
};
const recorded = (x: Harness) => x.s.sandbox.kore.recorded as unknown as Recorded;
const hookNames = (x: Harness) =>
  recorded(x).hooks.flatMap((r) =>
    (r.body.events ?? []).map((e) =>
      e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name,
    ),
  );

async function live(x: Harness, conversationId: string) {
  const frame = await openInteraction(x, conversationId);
  const phase = await waitForPhase(frame, ['live', 'failed']);
  if (phase !== 'live') expect(await frame.locator('#kaa-error').textContent()).toBe('(no error panel)');
  await expectWidgetConnected(x.page, conversationId);
  return frame;
}

beforeAll(async () => {
  pageDir = await buildPage();
}, 180_000);

afterEach(async () => {
  if (h) await expectNoPageSecrets(h);
  await h?.close();
  h = undefined;
});

afterAll(() => {
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

describe('settings and modes', () => {
  it('kore.hooks.triggerSummary: NA/exit, then TRIGGER_SUMMARY_EVENT (language named), then END_OF_CONVERSATION, each once', async () => {
    h = await startHarness(pageDir, { settings: { kore: { hooks: { triggerSummary: true } } } });
    const x = h;
    const frame = await live(x, CONVERSATIONS.voiceAlpha);
    await eventually(() => hookNames(x).includes('NA/entry'), 10_000, 'NA/entry');
    x.s.sandbox.genesys.end(CONVERSATIONS.voiceAlpha);
    expect(await waitForPhase(frame, ['ended'])).toBe('ended');
    await eventually(() => hookNames(x).includes('END_OF_CONVERSATION'), 10_000, 'END_OF_CONVERSATION');
    await new Promise((r) => setTimeout(r, 1000)); // a second END would have been posted by now
    expect(hookNames(x)).toEqual(['NA/entry', 'NA/exit', 'TRIGGER_SUMMARY_EVENT', 'END_OF_CONVERSATION']);
    const summary = recorded(x)
      .hooks.flatMap((r) => r.body.events ?? [])
      .find((e) => e.name === 'TRIGGER_SUMMARY_EVENT');
    expect(summary?.data).toEqual({ language: 'English', locale: 'en', type: 'post' });
  }, 120_000);

  it('lifecycleChannel postMessage: no hooks; at the end the widget gets agentAssist.endOfConversation with the chat lines, once', async () => {
    h = await startHarness(pageDir, { settings: { lifecycleChannel: 'postMessage' } });
    const x = h;
    const frame = await live(x, CONVERSATIONS.chatKore);
    x.s.sandbox.genesys.end(CONVERSATIONS.chatKore);
    expect(await waitForPhase(frame, ['ended'])).toBe('ended');
    type State = { ended?: boolean; lifecycle?: { event: string; detail?: string }[] };
    const state = await eventually(
      () => {
        const s = x.s.sandbox.kore.widgetState(CONVERSATIONS.chatKore) as State | undefined;
        return s?.ended ? s : undefined;
      },
      10_000,
      'the widget to be told the conversation ended',
    );
    await new Promise((r) => setTimeout(r, 1000)); // a second end would have reached the widget by now
    const again = x.s.sandbox.kore.widgetState(CONVERSATIONS.chatKore) as State;
    expect(
      again.lifecycle
        ?.filter((l) => l.event === 'endOfConversation')
        .map((l) => ({ event: l.event, detail: l.detail })),
    ).toEqual([{ event: 'endOfConversation', detail: `chatHistory ${KORE_CHAT.length} entries` }]);
    expect(state.ended).toBe(true);
    expect(hookNames(x)).toEqual([]);
    expect(frame.isDetached()).toBe(false);
  }, 120_000);

  it('Third-Party Configuration (accountId) with the default thirdParty.source none: the panel says what kaa needs and where it is explained', async () => {
    h = await startHarness(pageDir, { settings: { thirdParty: { source: 'none' } } });
    const x = h;
    const frame = await openInteraction(
      x,
      CONVERSATIONS.chatKore,
      x.s.appUrl({ botSource: { kind: 'third-party', accountId: THIRD_PARTY.accountId } }),
    );
    expect(await waitForPhase(frame, ['failed', 'live'])).toBe('failed');
    const panel = frame.locator('#kaa-error');
    expect(await panel.getAttribute('data-code')).toBe('E_CONFIG_INVALID');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain(`accountId=${THIRD_PARTY.accountId}`);
    expect(text).toContain('"thirdParty.source": "http"');
    expect(text).toContain('"thirdParty.http.url"');
    expect(text).toContain('kaa table apply');
    expect(text).toContain('docs/assumptions.md#third-party-configuration-runtime-api');
  }, 120_000);

  it('a row with isAgentAISDK=True and no kore.webSdk.scriptUrl: the agent reads exactly what to set, and the widget shows in iframe mode', async () => {
    h = await startHarness(pageDir);
    const x = h;
    x.s.sandbox.kore.setRows(
      x.s.sandbox.kore
        .tableRows()
        .map((r) => (r['QueueIdentifier'] === 'Kore, KoreSupport' ? { ...r, isAgentAISDK: 'True' } : r)),
    );
    const frame = await live(x, CONVERSATIONS.chatKore);
    const notice = (await frame.locator('#kaa-notice').textContent()) ?? '';
    expect(notice).toContain('isAgentAISDK=True');
    expect(notice).toContain('settings: kore: webSdk: { scriptUrl:');
    expect(notice).toContain('integrity:');
    expect(notice).toContain('kaa page --dist');
    expect(notice).toContain('docs/assumptions.md#agent-ai-web-sdk-availability');
    expect(await frame.locator('#kaa-widget iframe').count()).toBe(1);
  }, 120_000);
});
