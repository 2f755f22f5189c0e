/**
 * The page on an `AudiohookEnabled=true` row (the sandbox's `AUDIO` row, alpha bot, with a KvpConfig): Genesys
 * AudioHook streams the call's audio to Kore, so the page subscribes to no transcription and relays no utterance,
 * and the secure custom data reaches the widget in its URL (docs/assumptions.md#secure-custom-data-in-audiohook-mode).
 * The JWE lifetime is cut to 10 s here so that a call "longer than the JWE lifetime" takes seconds: the widget must
 * hold a JWE that decrypts (the sandbox refuses an expired one) for the whole call
 * (docs/assumptions.md#secure-custom-data-lifetime-and-refresh).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATIONS, QUEUES } from '@kaa/sandbox';
import { expectWidgetConnected, expectWidgetTranscript } from '@kaa/test-support';
import { buildPage, eventually, expectNoPageSecrets, openInteraction, startHarness, waitForPhase } from './browser.js';
import type { Harness } from './browser.js';

const JWE_TTL_SECONDS = 10;
const REFRESH_BEFORE_SECONDS = 5;
const ID = CONVERSATIONS.voiceAudiohook;

let pageDir: string;
let h: Harness;

type SecureState = { claims?: { iat?: number; exp?: number; secureCustomData?: unknown }; error?: string };
type WidgetState = { status?: string; transcript?: unknown[]; secureCustomData?: SecureState };
const widgetState = () => h.s.sandbox.kore.widgetState(ID) as WidgetState | undefined;

beforeAll(async () => {
  pageDir = await buildPage();
  h = await startHarness(pageDir, {
    settings: { jwe: { ttlSeconds: JWE_TTL_SECONDS, refreshBeforeSeconds: REFRESH_BEFORE_SECONDS } },
  });
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

describe('an AudiohookEnabled=true row (Kore audio)', () => {
  it('the widget gets the secure custom data in its URL and no utterance from the page; a call longer than the JWE lifetime always holds a valid JWE', async () => {
    const frame = await openInteraction(h, ID);
    const phase = await waitForPhase(frame, ['live', 'failed']);
    if (phase !== 'live') expect(await frame.locator('#kaa-error').textContent()).toBe('(no error panel)');
    await expectWidgetConnected(h.page, ID);

    // the secure custom data: decrypted by the bot's key from the widget URL, with the KvpConfig values of this call
    const first = await eventually(
      () => widgetState()?.secureCustomData?.claims,
      10_000,
      'the widget to decrypt the secure custom data',
    );
    expect(first.secureCustomData).toEqual({ queue: QUEUES.audiohook.name, state: 'connected' });
    expect(first.exp! - first.iat!).toBe(JWE_TTL_SECONDS);
    const widgetAddress = new URL(
      h.page
        .frames()
        .find((f) => f.url().includes('agentassist-iframe.html'))
        ?.url() ?? 'about:blank',
    );
    expect(widgetAddress.searchParams.get('secureCustomData')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);

    // Genesys transcribes the call; the page listens to no transcription topic and relays nothing
    await h.s.sandbox.genesys.transcribe(
      ID,
      [
        { channel: 'INTERNAL', text: 'Thank you for calling, this is Ava.' },
        { channel: 'EXTERNAL', text: 'Hi, my card was declined.', partials: true },
      ],
      20,
    );
    await expectWidgetTranscript(h.page, ID, [], { quietMs: 1_000 });
    const pageOrigin = new URL(h.s.pageUrl).origin;
    const toWidget = (h.watch?.messages ?? []).filter(
      (m) => m.from === pageOrigin && m.to.startsWith(h.s.sandbox.origins.kore),
    );
    expect(toWidget.length).toBeGreaterThan(0); // agent and user info went to the widget…
    expect(toWidget.filter((m) => /agentAssist\.(Customer|Agent)Message|"author"/.test(m.data))).toEqual([]); // …no utterance did
    const subscriptions = (h.watch?.requests ?? []).filter(
      (r) => r.initiator === pageOrigin && /\/notifications\/channels\/[^/]+\/subscriptions/.test(r.url),
    );
    expect(subscriptions.length).toBeGreaterThan(0);
    expect(subscriptions.map((r) => r.body).join('\n')).not.toContain('transcription');

    // the call goes on past the first JWE's exp: every JWE the widget holds decrypts, and each next one arrived before the previous expired
    const held: { iat: number; exp: number; seenAt: number }[] = [];
    const errors: string[] = [];
    await eventually(
      () => {
        const s = widgetState()?.secureCustomData;
        if (s?.error) errors.push(s.error);
        const c = s?.claims;
        if (c?.iat !== undefined && c.exp !== undefined && !held.some((x) => x.iat === c.iat && x.exp === c.exp))
          held.push({ iat: c.iat, exp: c.exp, seenAt: Date.now() });
        return errors.length > 0 || (held.length >= 3 && Date.now() > first.exp! * 1000 + 1_000);
      },
      6 * JWE_TTL_SECONDS * 1000,
      'the widget to receive fresh JWEs for longer than one JWE lifetime',
    );
    expect(errors).toEqual([]);
    for (let i = 1; i < held.length; i++) {
      expect(held[i]!.iat, `JWE ${i + 1} is newer`).toBeGreaterThan(held[i - 1]!.iat);
      expect(held[i]!.seenAt, `JWE ${i + 1} reached the widget before JWE ${i} expired`).toBeLessThan(
        held[i - 1]!.exp * 1000,
      );
    }
    // the agent still sees a connected widget with the secure data, and still no relayed utterance
    await expectWidgetConnected(h.page, ID);
    expect(widgetState()?.secureCustomData?.claims?.secureCustomData).toEqual({
      queue: QUEUES.audiohook.name,
      state: 'connected',
    });
    await expectWidgetTranscript(h.page, ID, [], { quietMs: 300 });
    await expectNoPageSecrets(h);
  }, 120_000);
});
