import { isHttpsOrLoopback } from '@kaa/core';
import {
  buildAgentInfoMessage,
  buildEndOfConversationMessage,
  buildUserInfoMessage,
  buildUtteranceMessage,
  describeUrlOrigin,
  KaaError,
  parseWidgetMessage,
  redact,
} from '@kaa/core';
import { createEmitter, silentLogger } from '@kaa/core';
import type { Logger } from '@kaa/core';
import type { AgentAssistEvents, AgentAssistView } from './view.js';
import { loadSignal } from './load-signal.js';

/**
 * Options of {@link mountAgentAssist}.
 *
 * @example
 * ```ts
 * const options: MountAgentAssistOptions = { url: core.buildAgentAssistUrl(record, context, urlOptions), loadTimeoutMs: 30_000 };
 * ```
 */
export interface MountAgentAssistOptions {
  /** The widget iframe `src` (core's `buildAgentAssistUrl`). It carries the widget token: it is never logged. */
  url: string;
  /**
   * The exact origin messages are posted to and accepted from. Default: the origin of `url`. `"*"` and
   * anything that is not an origin are refused with `E_WIDGET_URL_INVALID`.
   */
  targetOrigin?: string;
  /** How long to wait for `agentassist_loaded`. Default 30000 ms; then `E_WIDGET_LOAD_TIMEOUT`. */
  loadTimeoutMs?: number;
  /** Injected for tests; default `globalThis.window`. */
  window?: Window;
  /** Injected for tests; default `window.document`. */
  document?: Document;
  logger?: Logger;
  /** The iframe's accessible title. Default `"Kore.ai Agent AI"`. */
  title?: string;
  /** Accept an `http:` widget on loopback hosts (the sandbox). Default false. */
  allowHttpLoopback?: boolean;
}

/**
 * The mounted Agent AI iframe: an {@link AgentAssistView} plus the iframe and the origin in use.
 *
 * @example
 * ```ts
 * host.on('send', (m) => sendChatToCustomer(m.text));
 * host.iframe.style.height = '100%';
 * ```
 */
export interface AgentAssistHost extends AgentAssistView {
  readonly mode: 'iframe';
  readonly iframe: HTMLIFrameElement;
  /** The exact origin used as `targetOrigin` and accepted as `event.origin`. */
  readonly origin: string;
  /** Messages waiting for `agentassist_loaded`. */
  readonly pending: number;
  /**
   * Points the iframe at a freshly minted widget URL (a new widget token, a new secure-custom-data JWE in the URL:
   * docs/assumptions.md#secure-custom-data-lifetime-and-refresh). The URL must have the widget's origin. Messages
   * sent until the reloaded widget posts `agentassist_loaded` are queued; agent and user info are sent again then.
   *
   * @throws {KaaError} `E_WIDGET_URL_INVALID` for a URL that cannot be used or has another origin.
   */
  reload(url: string): void;
}

type Outbound = { kind: 'info' | 'other'; message: unknown };

/**
 * Mounts the Agent AI widget iframe (docs/kore-protocol.md#widget-iframe-url) in `container` and talks to it safely:
 * - the iframe gets `allow="clipboard-write"` (the widget's Copy button);
 * - messages are posted with the widget's exact origin as `targetOrigin`, never `"*"`;
 * - an inbound message is accepted only when `event.origin` is that origin **and** `event.source` is the
 *   iframe's window; it is parsed with core's `parseWidgetMessage` and emitted as a typed event;
 * - everything sent before `agentassist_loaded` is queued and delivered after it, agent and user info first;
 *   after a reload of the widget (a second `agentassist_loaded`) the info is sent again;
 * - without `agentassist_loaded` within `loadTimeoutMs`, `loaded` rejects and `error` fires with
 *   `E_WIDGET_LOAD_TIMEOUT`; queued messages are kept and still delivered if the widget loads later.
 *
 * @throws {KaaError} `E_WIDGET_URL_INVALID` for a URL or target origin that cannot be used.
 * @example
 * ```ts
 * import { mountAgentAssist } from '@kaa/kore-client';
 *
 * const host = mountAgentAssist(document.getElementById('widget')!, { url: widgetUrl });
 * host.setAgentInfo({ agentId: me.id, agentName: me.name });
 * host.setUserInfo({ userId: customer.id, userName: customer.name });
 * host.sendUtterance({ speaker: 'customer', conversationId, text: 'I want to check my balance' }); // queued until loaded
 * host.on('send', (m) => sendChatToCustomer(m.text));
 * await host.loaded;
 * // later
 * host.destroy();
 * ```
 */
export function mountAgentAssist(container: HTMLElement, options: MountAgentAssistOptions): AgentAssistHost {
  const win = options.window ?? (globalThis as { window?: Window }).window;
  const doc = options.document ?? win?.document;
  if (!win || !doc) {
    throw new KaaError(
      'E_INTERNAL',
      'mountAgentAssist needs a browser window and document. Call it in the page, or pass `window` and `document`.',
    );
  }
  const logger = options.logger ?? silentLogger;
  const { src, origin } = checkUrls(options);
  const expectedOrigin = origin;
  const timeoutMs = options.loadTimeoutMs ?? 30_000;

  const iframe = doc.createElement('iframe');
  iframe.setAttribute('allow', 'clipboard-write');
  iframe.setAttribute('title', options.title ?? 'Kore.ai Agent AI');
  iframe.style.border = '0';
  iframe.style.width = '100%';
  iframe.style.height = '100%';

  const emitter = createEmitter<AgentAssistEvents>((event, error) =>
    logger.warn(`agent assist: a "${event}" handler threw; ignored`, { error: redact(String(error)) }),
  );
  const queue: Outbound[] = [];
  let agentInfo: unknown;
  let userInfo: unknown;
  let isLoaded = false;
  let destroyed = false;
  const signal = loadSignal(); // `loaded` rejections are observed through `error`
  const loaded = signal.loaded;

  const post = (message: unknown) => {
    const target = iframe.contentWindow;
    if (!target) return false;
    target.postMessage(message, origin);
    return true;
  };
  const flush = () => {
    // agent and user info first, then everything else in the order it was given
    const ordered = [...queue.filter((m) => m.kind === 'info'), ...queue.filter((m) => m.kind === 'other')];
    queue.length = 0;
    for (const m of ordered) post(m.message);
  };
  const send = (kind: Outbound['kind'], message: unknown) => {
    if (destroyed) {
      logger.warn('agent assist: message dropped, the widget was destroyed');
      return;
    }
    if (isLoaded && post(message)) return;
    queue.push({ kind, message });
  };

  let timer = win.setTimeout(() => onTimeout(), timeoutMs);
  function onTimeout(): void {
    if (isLoaded || destroyed) return;
    const error = new KaaError(
      'E_WIDGET_LOAD_TIMEOUT',
      `The Agent AI widget at ${origin} did not report "agentassist_loaded" within ${Math.round(timeoutMs / 1000)} s. Check that AgentAssistWidgetURL is right and reachable from the agent's browser, and that the widget token is valid.`,
      {
        details: { origin, timeoutMs, queued: queue.length },
      },
    );
    signal.reject(error);
    emitter.emit('error', error);
  }

  const onMessage = (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.source === null) return;
    if (event.origin !== origin) {
      logger.debug('agent assist: message from the widget frame with an unexpected origin ignored', {
        origin: event.origin.slice(0, 200),
      });
      return;
    }
    let message;
    try {
      message = parseWidgetMessage(event.data);
    } catch (e) {
      const error =
        e instanceof KaaError
          ? e
          : new KaaError(
              'E_WIDGET_MESSAGE_INVALID',
              'The Agent AI widget sent a message kaa could not read; it was ignored.',
              { cause: e },
            );
      logger.warn(`agent assist: ${error.message}`, { code: error.code });
      emitter.emit('error', error);
      return;
    }
    switch (message.type) {
      case 'loaded':
        isLoaded = true;
        win.clearTimeout(timer);
        if (agentInfo !== undefined) queue.unshift({ kind: 'info', message: agentInfo });
        if (userInfo !== undefined) queue.unshift({ kind: 'info', message: userInfo });
        dedupeInfo(queue);
        flush();
        signal.resolve();
        emitter.emit('loaded', undefined);
        return;
      case 'unknown':
        logger.debug(
          'agent assist: unknown widget message ignored (docs/assumptions.md#widget-messages-newer-than-widget-v3)',
          { name: message.name, method: message.method },
        );
        return;
      default:
        emitter.emit(message.type, message as never);
    }
  };
  win.addEventListener('message', onMessage);
  iframe.src = src;
  container.appendChild(iframe);
  logger.debug('agent assist: iframe mounted', { origin });

  return {
    mode: 'iframe',
    iframe,
    origin,
    loaded,
    get pending() {
      return queue.length;
    },
    on: emitter.on,
    sendUtterance: (input) => send('other', buildUtteranceMessage(input)),
    sendChatText: (input) => send('other', buildUtteranceMessage(input)),
    setAgentInfo(input) {
      agentInfo = buildAgentInfoMessage(input);
      if (isLoaded) send('info', agentInfo);
    },
    setUserInfo(input) {
      userInfo = buildUserInfoMessage(input);
      if (isLoaded) send('info', userInfo);
    },
    endOfConversation: (input) => send('other', buildEndOfConversationMessage(input)),
    reload(url) {
      if (destroyed) return;
      const next = checkUrls({ ...options, url });
      if (new URL(next.src).origin !== new URL(src).origin || next.origin !== expectedOrigin) {
        throw new KaaError(
          'E_WIDGET_URL_INVALID',
          `A refreshed Agent AI widget URL must stay on ${new URL(src).origin}; kaa did not reload the widget.`,
          { details: { field: 'AgentAssistWidgetURL' } },
        );
      }
      isLoaded = false; // until the reloaded widget says so: messages queue, info is sent again
      win.clearTimeout(timer);
      timer = win.setTimeout(() => onTimeout(), timeoutMs);
      iframe.src = next.src;
      logger.debug('agent assist: iframe reloaded with a fresh URL', { origin });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      win.clearTimeout(timer);
      win.removeEventListener('message', onMessage);
      emitter.clear();
      queue.length = 0;
      iframe.remove();
    },
  };
}

/** Agent info first, then user info, each once (the latest given). */
function dedupeInfo(queue: Outbound[]): void {
  const seen = new Set<unknown>();
  for (let i = 0; i < queue.length; i++) {
    const m = queue[i] as Outbound;
    if (m.kind !== 'info') continue;
    if (seen.has(m.message)) queue.splice(i--, 1);
    else seen.add(m.message);
  }
  queue.sort((a, b) => rank(a) - rank(b));
}

function rank(m: Outbound): number {
  if (m.kind !== 'info') return 2;
  return (m.message as { name?: string }).name === 'setAgentInfo' ? 0 : 1;
}

function checkUrls(options: MountAgentAssistOptions): { src: string; origin: string } {
  let url: URL;
  try {
    url = new URL(String(options.url));
  } catch {
    throw new KaaError(
      'E_WIDGET_URL_INVALID',
      'The Agent AI widget URL is not a URL. Check AgentAssistWidgetURL in the bot record.',
      { details: { field: 'AgentAssistWidgetURL' } },
    );
  }
  if (!isHttpsOrLoopback(url, { allowHttpLoopback: options.allowHttpLoopback === true })) {
    throw new KaaError(
      'E_WIDGET_URL_INVALID',
      `The Agent AI widget URL must use https: (got ${describeUrlOrigin(url)}). Fix AgentAssistWidgetURL in the bot record.`,
      {
        details: { field: 'AgentAssistWidgetURL', origin: describeUrlOrigin(url) },
      },
    );
  }
  let origin = url.origin;
  if (options.targetOrigin !== undefined) {
    let explicit: URL | undefined;
    try {
      explicit = new URL(options.targetOrigin);
    } catch {
      explicit = undefined;
    }
    if (!explicit || explicit.origin === 'null' || explicit.origin !== options.targetOrigin.replace(/\/$/, '')) {
      throw new KaaError(
        'E_WIDGET_URL_INVALID',
        `targetOrigin "${options.targetOrigin.slice(0, 100)}" is not an exact origin such as https://platform.kore.ai; "*" is never used. Leave targetOrigin unset to use the widget URL's origin.`,
        {
          details: { field: 'targetOrigin' },
        },
      );
    }
    origin = explicit.origin;
  }
  return { src: url.href, origin };
}
