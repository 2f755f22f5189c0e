/**
 * Node only (benchmark): instruments the page's documents in Chromium without changing the page.
 * - every document of the page's origin reports its `performance.timeOrigin` (navigation start) through a
 *   Playwright binding, so a cold run (login redirect, two documents) is timed from the first navigation;
 * - the page's WebSocket `onmessage` handler is timed with `performance.now()` around each call: for a
 *   transcription frame the handler runs synchronously from the frame to the widget's `postMessage`
 *   (notifications → normalizeTranscription → TranscriptLedger → view.sendUtterance → postMessage).
 * The probe is an init script injected by the DevTools protocol (not subject to the page's CSP) and never ships.
 * @packageDocumentation
 */
import type { BrowserContext, Frame } from 'playwright-core';

/** One document of the page as reported by the probe. */
export interface PageDocument {
  /** Epoch ms of the document's navigation start. */
  timeOrigin: number;
  /** True for the OAuth landing (a login answer in the URL). */
  loginLanding: boolean;
}

/** The installed probe. */
export interface BrowserProbe {
  /** Documents of the page's origin, in the order they started. */
  readonly documents: PageDocument[];
  /** The handler durations (ms) of transcription frames recorded in a page frame so far. */
  relaySamples(frame: Frame): Promise<number[]>;
}

const BINDING = 'kaaBenchDocument';
const SAMPLES = '__kaaBenchRelay';

/** Runs in every document before its own scripts; only acts in the page's origin. */
function probe(args: { pageOrigin: string; binding: string; samples: string }): void {
  if (location.origin !== args.pageOrigin) return;
  const w = window as unknown as Record<string, unknown>;
  const report = w[args.binding];
  if (typeof report === 'function')
    void (report as (t: number, landing: boolean) => Promise<void>)(
      performance.timeOrigin,
      /[?&#](code|access_token)=/.test(location.search + location.hash),
    );
  const samples: number[] = [];
  Object.defineProperty(window, args.samples, { value: samples });
  const Native = window.WebSocket;
  const Timed = function (this: unknown, url: string | URL, protocols?: string | string[]) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    let handler: ((event: MessageEvent) => void) | null = null;
    Object.defineProperty(ws, 'onmessage', {
      configurable: true,
      get: () => handler,
      set: (h: ((event: MessageEvent) => void) | null) => void (handler = h),
    });
    ws.addEventListener('message', (event) => {
      if (typeof handler !== 'function') return;
      const t0 = performance.now();
      try {
        handler.call(ws, event);
      } finally {
        if (typeof event.data === 'string' && event.data.includes('.transcription"'))
          samples.push(performance.now() - t0);
      }
    });
    return ws;
  } as unknown as typeof WebSocket;
  Object.assign(Timed, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  (Timed as { prototype: WebSocket }).prototype = Native.prototype;
  window.WebSocket = Timed;
}

/**
 * Installs the probe in a browser context (every current and future page and frame).
 *
 * @example
 * ```ts
 * const probe = await installBrowserProbe(context, 'http://127.0.0.1:4100');
 * // … a run …
 * probe.documents.at(-1)?.timeOrigin;
 * ```
 */
export async function installBrowserProbe(context: BrowserContext, pageOrigin: string): Promise<BrowserProbe> {
  const documents: PageDocument[] = [];
  await context.exposeBinding(BINDING, (_source, timeOrigin: number, loginLanding: boolean) => {
    documents.push({ timeOrigin, loginLanding });
  });
  await context.addInitScript(probe, { pageOrigin, binding: BINDING, samples: SAMPLES });
  return {
    documents,
    relaySamples: (frame) =>
      frame.evaluate((name) => [...((window as unknown as Record<string, number[]>)[name] ?? [])], SAMPLES),
  };
}
