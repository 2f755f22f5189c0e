import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOTS, CONVERSATIONS, KORE_DATA_TABLE, OAUTH_CLIENTS, THIRD_PARTY } from '@kaa/sandbox';
import { ARTIFACTS, buildPage, eventually, observable, openInteraction, startHarness, waitForPhase } from './browser.js';
import type { Harness } from './browser.js';

const SEED_SECRETS = [
  ...Object.values(BOTS).map((b) => b.clientSecret),
  KORE_DATA_TABLE.readApp.clientSecret,
  KORE_DATA_TABLE.adminApp.clientSecret,
  OAUTH_CLIENTS.credentials.secret,
];

let pageDir: string;
let h: Harness;

type WidgetState = {
  status?: string;
  transcript?: { speaker: string; text: string }[];
  lifecycle?: { event: string; detail?: string }[];
  customData?: unknown;
  secureCustomData?: { claims?: Record<string, unknown> };
  botId?: string;
  language?: string;
  agent?: { id?: string; name?: string };
  ended?: boolean;
};
const widgetState = (id: string) => h.s.sandbox.kore.widgetState(id) as WidgetState | undefined;
const recorded = () => h.s.sandbox.kore.recorded as unknown as { hooks: { body: { events?: { name: string; transfertype?: string; transition?: string }[] } }[]; controls: { body: { action?: string; handover?: boolean } }[]; jwtgrants: { status: number; claims?: Record<string, unknown> }[] };
const hookNames = () => recorded().hooks.flatMap((r) => (r.body.events ?? []).map((e) => (e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name)));

/** Scans the DOM of the page's frames, the console and the page addresses for every known secret. */
async function expectNoSecrets(): Promise<void> {
  const seen = await observable(h);
  for (const secret of [...SEED_SECRETS, h.s.xMetadataToken]) expect(seen.includes(secret), `a secret starting "${secret.slice(0, 6)}" leaked`).toBe(false);
  expect(seen).not.toMatch(/[?&#](code|access_token|state|token)=(?!\[REDACTED\])[^&\s"'<]/);
  expect(seen).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/);
}

async function errorPanel(frame: import('playwright-core').Frame): Promise<{ code: string | null; step: string | null; text: string }> {
  const panel = frame.locator('#kaa-error');
  await panel.waitFor({ state: 'visible', timeout: 20_000 });
  return { code: await panel.getAttribute('data-code'), step: await panel.getAttribute('data-step'), text: (await panel.textContent()) ?? '' };
}

beforeAll(async () => {
  pageDir = await buildPage();
  h = await startHarness(pageDir);
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await h.s.sandbox.genesys.reset();
  h.console.length = 0;
});

describe('the /koreaiaa-genesys/ page in the sandbox desktop', () => {
  it('voice with Genesys transcription: every final utterance arrives once, in order, customer/agent mapped', async () => {
    const frame = await openInteraction(h, CONVERSATIONS.voiceAlpha);
    expect(await waitForPhase(frame, ['live', 'failed'])).toBe('live');
    const lines = [
      { channel: 'INTERNAL' as const, text: 'Thank you for calling Alpha Inc.', partials: true },
      { channel: 'EXTERNAL' as const, text: 'I want to check my balance.', partials: true },
      { channel: 'INTERNAL' as const, text: 'Sure, one moment please.' },
      { channel: 'EXTERNAL' as const, text: 'My account number is one two three.', partials: true },
    ];
    await h.s.sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha, lines, 20);
    const transcript = await eventually(() => {
      const t = widgetState(CONVERSATIONS.voiceAlpha)?.transcript;
      return t && t.length >= lines.length && t;
    }, 10_000, 'all utterances');
    await new Promise((r) => setTimeout(r, 500)); // nothing more may arrive
    expect(widgetState(CONVERSATIONS.voiceAlpha)?.transcript).toEqual(
      lines.map((l) => ({ speaker: l.channel === 'EXTERNAL' ? 'Customer' : 'Agent', text: l.text, at: expect.any(Number) })),
    );
    expect(transcript).toHaveLength(4);
    const state = widgetState(CONVERSATIONS.voiceAlpha);
    expect(state?.status).toBe('connected');
    expect(state?.botId).toBe(BOTS.alpha.botId);
    expect(state?.language).toBe('en');
    expect(state?.agent?.name).toBe('Ava Agent');
    // the widget JWT was verified by jwtgrant; the JWE was decrypted by the bot's key (KvpConfig of the alpha row)
    expect(recorded().jwtgrants.some((g) => g.status === 200 && g.claims?.['sub'] === 'a9e00000-0000-4000-8000-000000000001')).toBe(true);
    expect(state?.secureCustomData?.claims?.['secureCustomData']).toEqual({ queue: 'ALPHAINC_CUSTOMERSERVICE_16092024', state: 'connected' });
    mkdirSync(ARTIFACTS, { recursive: true });
    await h.page.screenshot({ path: join(ARTIFACTS, 'iframe-desktop-widget.png') });
    await expectNoSecrets();
  });
});
