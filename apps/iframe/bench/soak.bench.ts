/**
 * `pnpm bench` — the soak: one voice interaction through the sandbox in Debian Chromium, the built page receiving
 * `KAA_SOAK_RATE` (default 50) final utterances per second for `KAA_SOAK_SECONDS` (default 600), with, in turn, the
 * notification socket dropped (20 %), a `v2.system.socket_closing` notice (40 %), a 429 armed on the next Genesys API
 * call (60 %) and every access token expiring (80 %: the page signs in again, which reloads it and its widget).
 *
 * Reported: utterances lost / duplicated / reordered between the sandbox and the widget (goal 0 / 0 / 0; those whose
 * final result reached no socket are Genesys's loss, counted apart, and the page must show a gap notice for them),
 * relay latency (sandbox publish → the widget's window receives the message; p50 / p99 / max), and the page's
 * JavaScript heap after a forced GC, sampled every minute. The page is served from `localhost`, the desktop and the
 * widget from `127.0.0.1`: another site, so Chromium gives the page its own renderer and its heap is the page's alone.
 * Figures go to `.artifacts/soak-bench.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import type { Frame } from 'playwright-core';
import { CONVERSATIONS } from '@kaa/sandbox';
import { expectWidgetConnected, readWidgetView } from '@kaa/test-support';
import { ARTIFACTS, buildPage, openInteraction, startHarness } from '../test/browser.js';
import type { Harness } from '../test/browser.js';
import { accountSoak } from './soak-accounting.js';
import type { ReceivedUtterance, SentUtterance } from './soak-accounting.js';
import { quantile } from './stats.js';

const SECONDS = Number(process.env['KAA_SOAK_SECONDS'] ?? 600);
const RATE = Number(process.env['KAA_SOAK_RATE'] ?? 50);
const CONVERSATION = CONVERSATIONS.voiceAlpha;
const PREFIX = 'soak utterance #';
const HEAP_EVERY_MS = 60_000;
/** The page's heap may end at most this much above where it started (after a forced GC each time). */
const HEAP_GROWTH_BOUND_BYTES = 4 * 1024 * 1024;

type Genesys = Harness['s']['sandbox']['genesys'];
const FAULTS: { at: number; name: string; apply: (g: Genesys) => void }[] = [
  { at: 0.2, name: 'notification socket dropped (no close frame)', apply: (g) => g.faults({ dropSockets: true }) },
  { at: 0.4, name: 'v2.system.socket_closing', apply: (g) => g.faults({ socketClosing: true }) },
  {
    at: 0.6,
    name: '429 armed on the next Genesys API call',
    apply: (g) => g.faults({ failNext: { method: '*', pathPrefix: '/api/v2/', status: 429, times: 1 } }),
  },
  { at: 0.8, name: 'every access token expires', apply: (g) => g.faults({ expireTokens: true }) },
];

interface HeapSample {
  atS: number;
  usedBytes: number;
  /** True when the page frame had its own renderer (the figure is the page's alone). */
  ownRenderer: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pageFrameOf(h: Harness): Frame | undefined {
  const origin = new URL(h.s.pageUrl).origin;
  return h.page.frames().find((f) => f.url().startsWith(`${origin}/koreaiaa-genesys/`));
}

/** The page's JS heap after a forced GC, read through a DevTools session on its frame. */
async function pageHeap(h: Harness, startedAt: number): Promise<HeapSample | undefined> {
  const frame = pageFrameOf(h);
  if (!frame) return undefined;
  let ownRenderer = true;
  const session = await h.context.newCDPSession(frame).catch(async () => {
    ownRenderer = false;
    return h.context.newCDPSession(h.page);
  });
  try {
    await session.send('HeapProfiler.collectGarbage');
    const { usedSize } = await session.send('Runtime.getHeapUsage');
    return { atS: Math.round((Date.now() - startedAt) / 1000), usedBytes: usedSize, ownRenderer };
  } finally {
    await session.detach().catch(() => undefined);
  }
}

const progress = (line: string) => void process.stderr.write(`soak: ${line}\n`);

async function soak(): Promise<void> {
  progress('building the page');
  const pageDir = await buildPage();
  const h = await startHarness(pageDir, { pageHost: 'localhost', thirdPartySiteData: 'allowed', watch: false }); // allowed: the page's cross-site frame keeps its storage, as in a desktop whose browser allows it;
  try {
    const received: (ReceivedUtterance & { frame: Frame })[] = [];
    const notices: string[] = [];
    await h.context.exposeBinding('kaaSoakReceived', (source, text: string, at: number) => {
      const index = Number(text.slice(PREFIX.length).split(' ')[0]);
      received.push({ index: Number.isInteger(index) ? index : -1, receivedAt: at, frame: source.frame });
    });
    await h.context.exposeBinding('kaaSoakNotice', (_source, text: string) => void notices.push(text));
    const kore = h.s.sandbox.origins.kore;
    const page = new URL(h.s.pageUrl).origin;
    await h.context.addInitScript(
      ({ kore, page, prefix, conversation }) => {
        const w = window as unknown as Record<string, (...a: unknown[]) => void>;
        if (location.origin === kore) {
          // what the widget's window receives from the page, at arrival (before the widget's own handler)
          window.addEventListener(
            'message',
            (e: MessageEvent) => {
              const d = e.data as {
                author?: { type?: unknown };
                value?: unknown;
                conversationid?: unknown;
                conversationId?: unknown;
              } | null;
              if (!d || typeof d !== 'object' || typeof d.value !== 'string' || !d.value.startsWith(prefix)) return;
              if ((d.conversationid ?? d.conversationId) !== conversation) return;
              w['kaaSoakReceived']?.(d.value, Date.now());
            },
            true,
          );
        } else if (location.origin === page) {
          // the notices the page shows the agent (gaps)
          new MutationObserver((records) => {
            for (const r of records)
              for (const n of r.addedNodes)
                if (n.textContent?.includes('interrupted')) w['kaaSoakNotice']?.(n.textContent);
          }).observe(document, { subtree: true, childList: true });
        }
      },
      { kore, page, prefix: PREFIX, conversation: CONVERSATION },
    );

    progress('opening the interaction');
    await openInteraction(h, CONVERSATION);
    progress('waiting for the widget');
    await expectWidgetConnected(h.page, CONVERSATION, { timeoutMs: 60_000 }).catch(async (e: unknown) => {
      const frame = pageFrameOf(h);
      const panel = await frame
        ?.locator('body')
        .innerText({ timeout: 5_000 })
        .catch(() => '');
      throw new Error(
        `the widget never connected; the page shows: ${panel ?? '(no page frame)'}; console: ${h.console.slice(-10).join(' | ')}`,
        { cause: e },
      );
    });
    const g = h.s.sandbox.genesys;
    const startedAt = Date.now();
    const heap: HeapSample[] = [];
    const first = await pageHeap(h, startedAt);
    if (first) heap.push(first);
    let nextHeapAt = startedAt + HEAP_EVERY_MS;

    const total = Math.round(SECONDS * RATE);
    const sent: SentUtterance[] = [];
    const applied: { name: string; atS: number }[] = [];
    let fault = 0;
    while (sent.length < total) {
      const due = Math.min(total, Math.floor(((Date.now() - startedAt) / 1000) * RATE));
      while (sent.length < due) {
        const index = sent.length;
        const sentAt = Date.now();
        const r = await g.transcribe(CONVERSATION, [
          {
            channel: index % 2 ? 'INTERNAL' : 'EXTERNAL',
            text: `${PREFIX}${index} — my account number is one two three and I would like the balance.`,
          },
        ]);
        sent.push({ index, sentAt, delivered: r.undelivered.length === 0 });
      }
      const step = FAULTS[fault];
      if (step && sent.length >= step.at * total) {
        step.apply(g);
        applied.push({ name: step.name, atS: Math.round((Date.now() - startedAt) / 1000) });
        progress(`${sent.length}/${total} sent, ${received.length} received; ${step.name}`);
        fault += 1;
      }
      if (Date.now() >= nextHeapAt) {
        const sample = await pageHeap(h, startedAt);
        if (sample) heap.push(sample);
        nextHeapAt += HEAP_EVERY_MS;
      }
      await sleep(10);
    }

    progress(`${sent.length}/${total} sent, ${received.length} received; settling`);
    // settle: until nothing new arrives for 3 s (at most 60 s)
    const settleEnd = Date.now() + 60_000;
    for (let last = -1; received.length !== last && Date.now() < settleEnd;) {
      last = received.length;
      await sleep(3_000);
    }
    const end = await pageHeap(h, startedAt);
    if (end) heap.push(end);

    const account = accountSoak(sent, received);
    // what the agent sees: the last widget's rendered lines are what that widget received, in that order
    const lastFrame = received.at(-1)?.frame;
    const view = lastFrame ? await readWidgetView(lastFrame) : undefined;
    const shown = (view?.rendered.transcript ?? [])
      .filter((l) => l.includes(PREFIX))
      .map((l) => Number(l.slice(l.indexOf(PREFIX) + PREFIX.length).split(' ')[0]));
    const receivedByLast = received.filter((r) => r.frame === lastFrame).map((r) => r.index);
    const shownMatches = shown.length === receivedByLast.length && shown.every((v, i) => v === receivedByLast[i]);
    const widgets = new Set(received.map((r) => r.frame)).size;
    const pending = g.state().faults.pendingFailures;
    // the largest sample over the first: a re-login starts a new document, so the end alone could hide growth before it
    const heapGrowth =
      heap.length >= 2 ? Math.max(...heap.map((s) => s.usedBytes)) - (heap[0] as HeapSample).usedBytes : Number.NaN;

    const result = {
      seconds: SECONDS,
      rate: RATE,
      faults: applied,
      armed429Consumed: pending.length === 0,
      ...account,
      latencies: undefined,
      relayMs: {
        p50: quantile(account.latencies, 0.5),
        p99: quantile(account.latencies, 0.99),
        max: quantile(account.latencies, 1),
      },
      gapNotices: notices.length,
      widgetInstances: widgets,
      lastWidgetShowsWhatItReceived: shownMatches,
      heap,
      heapGrowthBytes: heapGrowth,
      heapGrowthBoundBytes: HEAP_GROWTH_BOUND_BYTES,
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'soak-bench.json'), `${JSON.stringify(result, null, 2)}\n`);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
    process.stdout.write(
      [
        '',
        `kaa soak — ${RATE} final utterances/s for ${SECONDS} s (${account.sent} sent), Debian Chromium, page on its own renderer: ${heap.every((s) => s.ownRenderer) ? 'yes' : 'no'}`,
        `  faults: ${applied.map((f) => `${f.name} at ${f.atS} s`).join('; ')}; armed 429 consumed: ${pending.length === 0 ? 'yes' : 'no'}`,
        `  lost / duplicated / reordered: ${account.lost} / ${account.duplicated} / ${account.reordered}  (goal 0 / 0 / 0); stray lines: ${account.unknown}`,
        `  lost by Genesys (no socket when published): ${account.lostByGenesys}; gap notices the page showed: ${notices.length}`,
        `  relay publish → widget: p50 ${result.relayMs.p50} ms, p99 ${result.relayMs.p99} ms, max ${result.relayMs.max} ms`,
        `  widget instances: ${widgets} (a re-login reloads the page); the last one shows exactly what it received: ${shownMatches ? 'yes' : 'no'}`,
        `  page heap after GC: ${heap.map((s) => `${s.atS} s ${mb(s.usedBytes)}`).join(', ')}; largest over the first ${mb(heapGrowth)} (bound ${mb(HEAP_GROWTH_BOUND_BYTES)})`,
        '',
      ].join('\n'),
    );
    // sanity: the measured path did its work
    if (account.latencies.length === 0) throw new Error('the soak received nothing: the relay did not run');
    if (account.lost + account.duplicated + account.reordered + account.unknown > 0)
      throw new Error(
        `the relay lost, duplicated or reordered utterances: ${JSON.stringify({ ...account, latencies: undefined })}`,
      );
    if (account.lostByGenesys > 0 && notices.length === 0)
      throw new Error('Genesys lost utterances while the socket was down, and the page showed no gap notice');
    if (!shownMatches) throw new Error('the last widget does not show the lines it received');
    if (heapGrowth > HEAP_GROWTH_BOUND_BYTES)
      throw new Error(`the page's heap grew by ${mb(heapGrowth)}, over the bound of ${mb(HEAP_GROWTH_BOUND_BYTES)}`);
  } finally {
    await h.close();
  }
}

describe('soak', () => {
  // vitest's bench runner prints little of a failure: say it here too
  // and the runner may call a bench function more than once even with `iterations: 1`: the soak runs once
  let once: Promise<void> | undefined;
  const run = () =>
    (once ??= soak().catch((e: unknown) => {
      progress(`failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }));
  bench(
    `relay: ${RATE} utterances/s for ${SECONDS} s with a socket drop, socket_closing, a 429 and a token expiry`,
    run,
    { time: 0, warmupTime: 0, warmupIterations: 0, iterations: 1, throws: true },
  );
});
