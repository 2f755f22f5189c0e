// Over 300 lines on purpose: test support: the browser secret scan (requests, sockets, messages, storage, DOM) and its policy in one place, used by every e2e.
import type { BrowserContext, Frame, Page, Request } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A secret known to exist at runtime, with its kind (e.g. `sandbox.issuedSecrets()`); the kind decides where it
 * may legitimately travel.
 *
 * @example
 * ```ts
 * const s: TrackedSecret = { kind: 'genesys-access-token', value: token };
 * ```
 */
export interface TrackedSecret {
  readonly kind: string;
  readonly value: string;
}

/** One HTTP request the browser made. */
export interface ObservedRequest {
  url: string;
  method: string;
  /**
   * The headers as sent (Playwright's `allHeaders()`: the provisional `headers()` of a navigation can show a Referer
   * the referrer policy then strips); the provisional ones when the request never got that far.
   */
  headers: Promise<Record<string, string>>;
  body: string;
  /** Origin of the frame that made it, at the time (`''` when unknown, e.g. a worker). */
  initiator: string;
  navigation: boolean;
}

/** One `postMessage` a frame received: who sent it (origin), which frame got it (address), the data as JSON. */
export interface ObservedMessage {
  from: string;
  to: string;
  data: string;
}

/** One WebSocket a page opened: its address and the frames it sent. */
export interface ObservedSocket {
  url: string;
  sent: string[];
}

/**
 * What {@link watchBrowser} records while the tests drive the browser: console lines (`type: text`, and
 * `pageerror: …`) of every page and popup, every request, every message a frame received, every WebSocket.
 *
 * @example
 * ```ts
 * const watch = await watchBrowser(context);
 * watch.console; // ['info: kaa: widget loaded', …]
 * ```
 */
export interface BrowserWatch {
  readonly console: string[];
  readonly requests: ObservedRequest[];
  readonly messages: ObservedMessage[];
  readonly sockets: ObservedSocket[];
  /** Forgets everything recorded so far (between tests). */
  clear(): void;
}

const BINDING = '__kaaSecretWatch';

const originOf = (url: string): string => {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? '' : u.origin.replace(/^ws(s?):/, 'http$1:');
  } catch {
    return '';
  }
};

/**
 * Starts recording what leaves the pages of `context`: console lines, requests (with headers and bodies), messages
 * posted between frames (recorded in the receiving frame, whatever its origin) and WebSockets. Call once per
 * context, before the pages navigate; pass the result to {@link expectNoSecretsInBrowser}.
 *
 * @example
 * ```ts
 * const chromium = await launchChromium();
 * const watch = await watchBrowser(chromium.context);
 * ```
 */
export async function watchBrowser(context: BrowserContext): Promise<BrowserWatch> {
  const consoleLines: string[] = [];
  const requests: ObservedRequest[] = [];
  const messages: ObservedMessage[] = [];
  const sockets: ObservedSocket[] = [];
  await context.exposeBinding(BINDING, (source: { frame: Frame }, from: unknown, data: unknown) => {
    messages.push({ from: String(from), to: source.frame.url(), data: String(data) });
  });
  await context.addInitScript((binding: string) => {
    addEventListener(
      'message',
      (e: MessageEvent) => {
        let data: string;
        try {
          data = JSON.stringify(e.data) ?? String(e.data);
        } catch {
          data = String(e.data);
        }
        const report = (window as unknown as Record<string, ((from: string, data: string) => void) | undefined>)[
          binding
        ];
        if (report) void Promise.resolve(report(e.origin, data)).catch(() => undefined);
      },
      true,
    );
  }, BINDING);
  const onRequest = (r: Request): void => {
    let initiator = '';
    try {
      initiator = originOf(r.frame().url());
    } catch {
      // a worker's request has no frame
    }
    const provisional = r.headers();
    const sent = Promise.race([
      r.allHeaders(),
      new Promise<Record<string, string>>((resolve) => setTimeout(() => resolve(provisional), 5_000)),
    ]).catch(() => provisional);
    requests.push({
      url: r.url(),
      method: r.method(),
      headers: sent,
      body: r.postDataBuffer()?.toString('utf8') ?? '',
      initiator,
      navigation: r.isNavigationRequest(),
    });
  };
  const watchPage = (p: Page): void => {
    p.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    p.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    p.on('websocket', (ws) => {
      const socket: ObservedSocket = { url: ws.url(), sent: [] };
      sockets.push(socket);
      ws.on('framesent', (f) =>
        socket.sent.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8')),
      );
    });
  };
  context.on('request', onRequest);
  context.on('page', watchPage);
  for (const p of context.pages()) watchPage(p);
  return {
    console: consoleLines,
    requests,
    messages,
    sockets,
    clear() {
      consoleLines.length = 0;
      requests.length = 0;
      messages.length = 0;
      sockets.length = 0;
    },
  };
}

/** Kinds of secret allowed, by name (a URL parameter) or by origin. */
export type KindsBy = Readonly<Record<string, readonly string[]>>;

/**
 * Where each kind of secret may legitimately be; everything else is a leak. The defaults allow nothing.
 *
 * @example
 * ```ts
 * const policy: SecretScanPolicy = {
 *   secrets: sandbox.issuedSecrets(),
 *   pageOrigin,
 *   sendTo: { [sandbox.origins.api]: ['genesys-access-token'] },
 *   storage: [{ area: 'sessionStorage', keyPrefix: 'kaa.genesys.token.', kinds: ['genesys-access-token'] }],
 *   addressParams: { [sandbox.origins.kore]: { token: ['kore-widget-jwt'] } },
 * };
 * ```
 */
export interface SecretScanPolicy {
  /** Every secret that exists (known to the emulators, planted by the test). */
  secrets: readonly TrackedSecret[];
  /** The page under test: its frames' requests, storage and history are its own doing. */
  pageOrigin: string;
  /** Kinds the page may send to an origin (request URL, headers and body); by destination origin. */
  sendTo?: Readonly<Record<string, KindsBy[string]>>;
  /** Kinds the page may post (`postMessage`) to frames of an origin; by receiving origin. */
  postTo?: Readonly<Record<string, KindsBy[string]>>;
  /** Storage entries of the page origin that may hold kinds (by area and key prefix). */
  storage?: readonly { area: 'sessionStorage' | 'localStorage'; keyPrefix: string; kinds: readonly string[] }[];
  /**
   * URL parameters (query or fragment) that may hold kinds, by the URL's origin: they apply to every frame address
   * (history included), every `iframe src`, and every navigation.
   */
  addressParams?: Readonly<Record<string, KindsBy>>;
  /**
   * More parameters allowed in navigation requests only (the login answer the login server redirects to the page:
   * the page must clean it from its address, which the address check sees).
   */
  navigationParams?: Readonly<Record<string, KindsBy>>;
  /** Text never to be printed (console lines, DOM of the page's frames), e.g. JWT-shaped text. */
  printed?: readonly RegExp[];
  /** Never in an address of a page frame (current or in its history), e.g. a login answer parameter. */
  pageAddresses?: readonly RegExp[];
}

interface FrameSnapshot {
  url: string;
  html: string;
  iframes: string[];
  history: string[];
  storage?: { area: 'sessionStorage' | 'localStorage'; key: string; value: string }[];
}

async function snapshot(frame: Frame, withStorage: boolean): Promise<FrameSnapshot | undefined> {
  if (frame.isDetached()) return undefined;
  return frame
    .evaluate((storage: boolean) => {
      const root = document.documentElement;
      const iframes = [...document.querySelectorAll('iframe')].map((f) => f.src);
      const clone = root ? (root.cloneNode(true) as HTMLElement) : undefined;
      for (const f of clone ? [...clone.querySelectorAll('iframe')] : []) f.removeAttribute('src');
      const nav = (window as unknown as { navigation?: { entries(): { url: string | null }[] } }).navigation;
      const history = nav ? nav.entries().map((e) => e.url ?? '') : [];
      let entries: { area: 'sessionStorage' | 'localStorage'; key: string; value: string }[] | undefined;
      if (storage) {
        entries = [];
        for (const area of ['sessionStorage', 'localStorage'] as const) {
          try {
            const s = window[area];
            for (let i = 0; i < s.length; i++) {
              const key = s.key(i) ?? '';
              entries.push({ area, key, value: s.getItem(key) ?? '' });
            }
          } catch {
            // storage denied to this frame (third-party storage blocked): nothing can be in it
          }
        }
      }
      return {
        url: location.href,
        html: clone?.outerHTML ?? '',
        iframes,
        history,
        ...(entries ? { storage: entries } : {}),
      };
    }, withStorage)
    .catch(() => undefined);
}

const mask = (s: TrackedSecret): string => `${s.kind} "${s.value.slice(0, 6)}…"`;

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * Scans everything the browser shows, stores, addresses and sends for every secret of `policy.secrets`, allowing
 * only what the policy allows, and fails with the list of leaks (each secret masked to its first 6 characters):
 * - console lines of every page and popup (no secret at all, nor `printed` patterns);
 * - the DOM of every frame of every page, `iframe src` attributes taken out (no secret; `printed` patterns in the
 *   page's frames);
 * - every frame's address and, for the page's frames, their history (Navigation API), and every `iframe src`: a
 *   secret only in a parameter `addressParams` allows for its kind (`pageAddresses` never in a page address);
 * - the page origin's `sessionStorage` and `localStorage` (only where `storage` allows the kind);
 * - requests the page's frames made (only `sendTo` kinds per destination; navigations as addresses, their headers —
 *   a Referer — with no secret at all), WebSocket addresses and frames, and messages the page posted to frames of
 *   other origins (only `postTo` kinds).
 *
 * @example
 * ```ts
 * await expectNoSecretsInBrowser(context, watch, { secrets: sandbox.issuedSecrets(), pageOrigin });
 * ```
 */
export async function expectNoSecretsInBrowser(
  context: BrowserContext,
  watch: BrowserWatch,
  policy: SecretScanPolicy,
): Promise<void> {
  const findings = await findSecretLeaks(context, watch, policy);
  expect(findings, `secrets found where they must not be (${policy.secrets.length} secrets scanned)`).toEqual([]);
}

/**
 * The leaks {@link expectNoSecretsInBrowser} reports, as `where: kind "prefix…"` lines.
 *
 * @example
 * ```ts
 * expect(await findSecretLeaks(context, watch, policy)).toEqual([]);
 * ```
 */
export async function findSecretLeaks(
  context: BrowserContext,
  watch: BrowserWatch,
  policy: SecretScanPolicy,
): Promise<string[]> {
  const secrets = policy.secrets.filter((s) => s.value.length > 0);
  const findings = new Set<string>();
  const report = (where: string, what: string) => findings.add(`${where}: ${what}`);
  /** Every secret in `text` whose kind is not in `allowed`. */
  const scan = (where: string, text: string, allowed: readonly string[] = []) => {
    if (text === '') return;
    for (const s of secrets) if (!allowed.includes(s.kind) && text.includes(s.value)) report(where, mask(s));
  };
  const patterns = (where: string, text: string, list: readonly RegExp[] = []) => {
    for (const p of list) {
      const m = p.exec(text);
      if (m) report(where, `text matching ${p} ("${m[0].slice(0, 12)}…")`);
    }
  };
  const scanAddress = (where: string, url: string, extra?: Readonly<Record<string, KindsBy>>) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      scan(where, url);
      return;
    }
    const allowed: Record<string, readonly string[]> = { ...policy.addressParams?.[u.origin], ...extra?.[u.origin] };
    const rest = new URL(u.href);
    const checkParams = (params: URLSearchParams, part: 'query' | 'fragment') => {
      for (const [name, value] of [...params]) {
        if (!(name in allowed)) continue;
        scan(`${where} (${part} parameter ${name})`, value, allowed[name]);
        params.set(name, '');
      }
    };
    const query = new URLSearchParams(rest.search);
    checkParams(query, 'query');
    rest.search = query.toString();
    if (rest.hash.includes('=')) {
      const fragment = new URLSearchParams(rest.hash.slice(1));
      checkParams(fragment, 'fragment');
      rest.hash = fragment.toString();
    }
    scan(where, rest.href);
    scan(where, decoded(rest.href));
  };

  // console
  watch.console.forEach((line, i) => {
    scan(`console line ${i + 1}`, line);
    patterns(`console line ${i + 1}`, line, policy.printed);
  });

  // frames: DOM, addresses, history, iframe src, storage
  const storageSeen = new Set<string>();
  for (const page of context.pages()) {
    for (const frame of page.frames()) {
      const isPage = originOf(frame.url()) === policy.pageOrigin;
      const snap = await snapshot(frame, isPage);
      if (!snap) continue;
      const where = `frame ${snap.url.replace(/[?#].*$/, '')}`;
      scan(`${where} DOM`, snap.html);
      if (isPage) patterns(`${where} DOM`, snap.html, policy.printed);
      for (const address of isPage ? [snap.url, ...snap.history] : [snap.url]) {
        scanAddress(`${where} address`, address);
        if (isPage) patterns(`${where} address`, address, policy.pageAddresses);
      }
      for (const src of snap.iframes) scanAddress(`${where} iframe src ${src.replace(/[?#].*$/, '')}`, src);
      for (const entry of snap.storage ?? []) {
        const id = `${entry.area}\u0000${entry.key}\u0000${entry.value}`;
        if (storageSeen.has(id)) continue;
        storageSeen.add(id);
        const allowed = (policy.storage ?? [])
          .filter((a) => a.area === entry.area && entry.key.startsWith(a.keyPrefix))
          .flatMap((a) => a.kinds);
        scan(`${entry.area} "${entry.key}"`, `${entry.key}\n${entry.value}`, allowed);
      }
    }
  }

  // what the page sent: requests, sockets, messages to other origins
  for (const r of watch.requests) {
    const where = `${r.navigation ? 'navigation' : 'request'} ${r.method} ${r.url.replace(/[?#].*$/, '')}`;
    if (r.navigation) {
      scanAddress(where, r.url, policy.navigationParams);
      for (const [name, value] of Object.entries(await r.headers)) scan(`${where} header ${name}`, value); // e.g. a Referer carrying an address
      continue;
    }
    if (r.initiator !== policy.pageOrigin) continue;
    const allowed = policy.sendTo?.[originOf(r.url)] ?? [];
    scan(
      where,
      `${r.url}\n${decoded(r.url)}\n${JSON.stringify(await r.headers)}\n${r.body}\n${decoded(r.body)}`,
      allowed,
    );
  }
  for (const ws of watch.sockets) {
    const allowed = policy.sendTo?.[originOf(ws.url)] ?? [];
    scan(`WebSocket ${ws.url.replace(/[?#].*$/, '')}`, `${ws.url}\n${ws.sent.join('\n')}`, allowed);
  }
  for (const m of watch.messages) {
    const to = originOf(m.to);
    if (m.from !== policy.pageOrigin || to === policy.pageOrigin) continue;
    scan(`message from the page to ${m.to.replace(/[?#].*$/, '')}`, m.data, policy.postTo?.[to] ?? []);
  }
  return [...findings];
}
