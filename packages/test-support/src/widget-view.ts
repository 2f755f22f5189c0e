import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * One transcript line as the agent reads it in the stand-in widget.
 *
 * @example
 * ```ts
 * const line: WidgetLine = { speaker: 'Customer', text: 'I want to check my balance.' };
 * ```
 */
export interface WidgetLine {
  speaker: 'Customer' | 'Agent';
  text: string;
}

/**
 * What the agent sees of the sandbox's stand-in Agent AI widget, read inside its frame: the widget's own state
 * (`window.__kaaWidgetState`) and its rendered DOM (`#status[data-status]`, `#conversation-id`, `#error`,
 * `#transcript li`). The DOM trails the state by up to one render (the stand-in renders at most once per 16 ms),
 * so checks wait until both agree.
 *
 * @example
 * ```ts
 * const view: WidgetView = await readWidgetView(frame);
 * view.rendered.transcript; // ['Customer: Hello', 'Agent: Hi']
 * ```
 */
export interface WidgetView {
  state: { status: string; conversationId?: string; error?: string; transcript: WidgetLine[] };
  rendered: { status: string; conversationId: string; error: string; transcript: string[] };
}

/** Options of {@link expectWidgetConnected} and {@link expectWidgetTranscript}. */
export interface WidgetExpectOptions {
  /** How long to wait for the widget to get there; default 20 s. */
  timeoutMs?: number;
}

/** Options of {@link expectWidgetTranscript}. */
export interface WidgetTranscriptOptions extends WidgetExpectOptions {
  /** Lines already on screen before the ones expected (an earlier part of the call); default 0. */
  after?: number;
  /**
   * Once the expected lines are on screen, how long nothing more may arrive (a duplicate, a stray line); default
   * 300 ms. This is the only fixed wait: an absence cannot be observed otherwise.
   */
  quietMs?: number;
}

const POLL_MS = 50;

/** The `#transcript li` text of a line. */
export const renderedLine = (l: WidgetLine): string => `${l.speaker}: ${l.text}`;

/**
 * Reads the stand-in widget's state and rendered DOM in `frame`; undefined when the frame holds no stand-in widget
 * (not loaded yet, navigated away, detached).
 *
 * @example
 * ```ts
 * const view = await readWidgetView(frame);
 * if (view?.state.status === 'connected') …
 * ```
 */
export async function readWidgetView(frame: Frame): Promise<WidgetView | undefined> {
  if (frame.isDetached()) return undefined;
  return frame
    .evaluate(() => {
      const w = window as unknown as {
        __kaaWidgetState?: {
          status: string;
          conversationId?: string;
          error?: string;
          transcript: { speaker: 'Customer' | 'Agent'; text: string }[];
        };
      };
      const s = w.__kaaWidgetState;
      if (!s || !document.getElementById('status')) return undefined;
      const text = (id: string) => document.getElementById(id)?.textContent ?? '';
      return {
        state: {
          status: s.status,
          conversationId: s.conversationId,
          error: s.error,
          transcript: s.transcript.map((l) => ({ speaker: l.speaker, text: l.text })),
        },
        rendered: {
          status: document.getElementById('status')?.dataset['status'] ?? '',
          conversationId: text('conversation-id'),
          error: text('error'),
          transcript: [...document.querySelectorAll('#transcript li')].map((li) => li.textContent ?? ''),
        },
      };
    })
    .catch(() => undefined);
}

/**
 * The stand-in widget frames of `conversationId` anywhere in `page` (nested frames included): first the frames whose
 * address names the conversation (`conversationid`/`conversationId`), else any frame whose widget says so (a widget
 * started by `init_agentassist`).
 */
async function widgetFramesOf(page: Page, conversationId: string): Promise<{ frame: Frame; view: WidgetView }[]> {
  const named = (f: Frame): boolean => {
    try {
      const q = new URL(f.url()).searchParams;
      return (q.get('conversationid') ?? q.get('conversationId')) === conversationId;
    } catch {
      return false;
    }
  };
  const frames = page.frames();
  const candidates = frames.some(named) ? frames.filter(named) : frames;
  const found: { frame: Frame; view: WidgetView }[] = [];
  for (const frame of candidates) {
    const view = await readWidgetView(frame);
    if (view && view.state.conversationId === conversationId) found.push({ frame, view });
  }
  return found;
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<{ done: T } | { last: unknown }>,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const r = await probe();
    if ('done' in r) return r.done;
    last = r.last;
    if (Date.now() >= end)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 1500)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Fails at once (with the widget's own words) when the widget of the conversation refused or failed to start. */
function failedWidget(conversationId: string, view: WidgetView): Error | undefined {
  if (view.state.status !== 'error' && view.state.status !== 'refused') return undefined;
  return new Error(
    `the stand-in widget of conversation ${conversationId} is "${view.state.status}" (the agent sees: "${view.rendered.error || view.state.error || ''}")`,
  );
}

/**
 * Waits until the agent sees the stand-in widget of `conversationId` connected — its state and its rendered status
 * both `connected` (jwtgrant accepted the token) and its rendered conversation id right — and returns its frame.
 * Fails at once when the widget shows an error (e.g. a rejected token). Never looks at the host page's own phase.
 *
 * @example
 * ```ts
 * const widget = await expectWidgetConnected(h.page, CONVERSATIONS.voiceAlpha);
 * ```
 */
export async function expectWidgetConnected(
  page: Page,
  conversationId: string,
  options: WidgetExpectOptions = {},
): Promise<Frame> {
  return poll<Frame>(
    `the stand-in widget of conversation ${conversationId} to show "connected"`,
    options.timeoutMs ?? 20_000,
    async () => {
      const found = await widgetFramesOf(page, conversationId);
      for (const { frame, view } of found) {
        const failed = failedWidget(conversationId, view);
        if (failed) throw failed;
        if (
          view.state.status === 'connected' &&
          view.rendered.status === 'connected' &&
          view.rendered.conversationId === conversationId
        )
          return { done: frame };
      }
      return {
        last: found.map((f) => ({
          url: f.frame.url().replace(/token=[^&]*/, 'token=…'),
          state: f.view.state.status,
          rendered: f.view.rendered.status,
        })),
      };
    },
  );
}

/**
 * Asserts what the agent reads in the stand-in widget of `conversationId`: connected, and exactly `expected` (after
 * the first `after` lines) in order, in both the widget's state and its rendered `#transcript li` list — no line
 * missing, none twice, none extra, also `quietMs` after the last one showed up. Returns the widget frame.
 *
 * @example
 * ```ts
 * await expectWidgetTranscript(h.page, CONVERSATIONS.voiceAlpha, [
 *   { speaker: 'Agent', text: 'Thank you for calling Alpha Inc.' },
 *   { speaker: 'Customer', text: 'I want to check my balance.' },
 * ]);
 * ```
 */
export async function expectWidgetTranscript(
  page: Page,
  conversationId: string,
  expected: readonly WidgetLine[],
  options: WidgetTranscriptOptions = {},
): Promise<Frame> {
  const after = options.after ?? 0;
  const quietMs = options.quietMs ?? 300;
  const want = expected.map((l) => ({ speaker: l.speaker, text: l.text }));
  const wantRendered = want.map(renderedLine);
  const total = after + want.length;
  // the frame is looked up on every poll: the page may start over (a new sign-in reloads it, and its widget)
  const frame = await poll<Frame>(
    `${want.length} transcript line(s) in the connected stand-in widget of conversation ${conversationId}`,
    options.timeoutMs ?? 20_000,
    async () => {
      const found = await widgetFramesOf(page, conversationId);
      for (const { frame: f, view } of found) {
        const failed = failedWidget(conversationId, view);
        if (failed) throw failed;
        // the DOM trails the state by up to one render: wait until both show the same number of lines
        if (
          view.state.status === 'connected' &&
          view.rendered.status === 'connected' &&
          view.state.transcript.length >= total &&
          view.rendered.transcript.length === view.state.transcript.length
        )
          return { done: f };
      }
      return {
        last: found.map(({ view }) => ({
          status: view.state.status,
          state: view.state.transcript.slice(after),
          rendered: view.rendered.transcript.slice(after),
        })),
      };
    },
  );
  const read = async (): Promise<WidgetView> => {
    const view = await readWidgetView(frame);
    if (!view)
      throw new Error(
        `the stand-in widget of conversation ${conversationId} went away while its transcript was checked`,
      );
    return view;
  };
  const check = (view: WidgetView, when: string): void => {
    expect(view.state.status, `the widget ${when}`).toBe('connected');
    expect(view.state.transcript.slice(after), `the widget's transcript ${when}`).toEqual(want);
    expect(view.rendered.transcript.slice(after), `the transcript the agent reads ${when}`).toEqual(wantRendered);
  };
  check(await read(), 'once the lines arrived');
  await new Promise((resolve) => setTimeout(resolve, quietMs));
  check(await read(), `${quietMs} ms later`);
  return frame;
}
