import { isHttpsOrLoopback } from '@kaa/core';
import { KaaError } from '@kaa/core';

/**
 * The parts of the Agent AI Web SDK global (`AAWindow`, docs/kore-protocol.md#agent-ai-web-sdk-mode) kaa calls. The SDK is not published
 * (docs/assumptions.md#agent-ai-web-sdk-availability); this shape is read off its documentation and is (inferred).
 *
 * @example
 * ```ts
 * const AAWindow: AgentAiSdkConstructor = await loadAgentAiSdk({ scriptUrl });
 * const sdk = new AAWindow();
 * ```
 */
export type AgentAiSdkConstructor = new () => AgentAiSdkInstance;

/**
 * One SDK widget instance (docs/kore-protocol.md#agent-ai-web-sdk-mode). Event names include `ON_SOCKET_CONNECTION`, `AGENT_AI_RESPONSE`,
 * `ON_ERROR`.
 *
 * @example
 * ```ts
 * sdk.show({ connectionDetails: { domainUrl, token, botId, conversationId, channel: 'voice', isSecure: false, source: 'genesys' } });
 * ```
 */
export interface AgentAiSdkInstance {
  show(options: { connectionDetails: Record<string, unknown>; container?: unknown }): unknown;
  sendUserMessage?(message: { author: Record<string, unknown>; message: string }): unknown;
  sendAgentMessage?(message: { author: Record<string, unknown>; message: string }): unknown;
  internalTransfer?(event: Record<string, unknown>): unknown;
  pauseTranscript?(): unknown;
  resumeTranscript?(): unknown;
  endOfConversation?(): unknown;
  destroy?(): unknown;
  on?(event: string, handler: (...args: unknown[]) => void): unknown;
}

/**
 * Options of {@link loadAgentAiSdk}.
 *
 * @example
 * ```ts
 * const options: LoadAgentAiSdkOptions = { scriptUrl: config.kore.webSdk.scriptUrl, timeoutMs: 15_000 };
 * ```
 */
export interface LoadAgentAiSdkOptions {
  /** Config `kore.webSdk.scriptUrl` (docs/assumptions.md#agent-ai-web-sdk-availability): where the host serves the SDK's UMD bundle. */
  scriptUrl?: string | undefined;
  /**
   * Config `kore.webSdk.integrity`: the script's Subresource Integrity (`sha384-…`). Set as the script's `integrity`
   * with `crossorigin="anonymous"`, so the browser runs it only if its hash matches (the host must answer CORS).
   */
  integrity?: string | undefined;
  /** The global the UMD bundle defines. Default `'AAWindow'`. */
  globalName?: string;
  /** Give up after this long. Default 30000 ms. */
  timeoutMs?: number;
  /** Injected for tests; default `globalThis.window`. */
  window?: Window;
  /** Injected for tests; default `globalThis.document`. */
  document?: Document;
}

const UNAVAILABLE = 'the Agent AI Web SDK is not public; configure kore.webSdk.scriptUrl or use iframe mode';

/**
 * Loads the Agent AI Web SDK from a configured script URL and returns its `AAWindow` constructor. The SDK
 * packages named in Kore's docs are not on the public npm registry, so there is no default URL: without
 * `scriptUrl`, or when the script fails, times out or defines no global, this rejects with
 * `E_WIDGET_SDK_UNAVAILABLE` and the page falls back to iframe mode.
 *
 * @example
 * ```ts
 * import { isKaaError } from '@kaa/core';
 * import { loadAgentAiSdk, mountAgentAssist } from '@kaa/kore-client';
 *
 * try {
 *   const AAWindow = await loadAgentAiSdk({ scriptUrl: config.kore.webSdk.scriptUrl });
 *   // … SDK mode
 * } catch (e) {
 *   if (!isKaaError(e, 'E_WIDGET_SDK_UNAVAILABLE')) throw e;
 *   const host = mountAgentAssist(container, { url: widgetUrl }); // iframe mode
 * }
 * ```
 */
export function loadAgentAiSdk(options: LoadAgentAiSdkOptions): Promise<AgentAiSdkConstructor> {
  const win = options.window ?? (globalThis as { window?: Window }).window;
  const doc = options.document ?? win?.document;
  const globalName = options.globalName ?? 'AAWindow';
  const fail = (why: string, details: Record<string, unknown> = {}) =>
    new KaaError(
      'E_WIDGET_SDK_UNAVAILABLE',
      `Web SDK mode (isAgentAISDK) cannot start: ${why}. ${capitalise(UNAVAILABLE)}.`,
      {
        details: { key: 'kore.webSdk.scriptUrl', ...details },
      },
    );
  const existing = win ? (win as unknown as Record<string, unknown>)[globalName] : undefined;
  if (typeof existing === 'function') return Promise.resolve(existing as AgentAiSdkConstructor);
  const raw = options.scriptUrl?.trim();
  if (!raw) return Promise.reject(fail('no script URL is configured'));
  let url: URL;
  try {
    url = new URL(raw, doc?.baseURI);
  } catch {
    return Promise.reject(fail(`the script URL "${raw.slice(0, 200)}" is not a URL`));
  }
  if (!isHttpsOrLoopback(url)) {
    return Promise.reject(fail(`the script URL must use https: (got ${url.protocol})`, { origin: url.origin }));
  }
  if (!win || !doc) return Promise.reject(fail('there is no browser document to load the script into'));
  const safeUrl = `${url.origin}${url.pathname}`;
  return new Promise<AgentAiSdkConstructor>((resolve, reject) => {
    const script = doc.createElement('script');
    const timer = win.setTimeout(
      () => finish(fail(`the script at ${safeUrl} did not load within ${timeoutOf(options)} ms`, { url: safeUrl })),
      timeoutOf(options),
    );
    const finish = (error?: KaaError) => {
      win.clearTimeout(timer);
      script.onload = null;
      script.onerror = null;
      if (error) {
        script.remove();
        return reject(error);
      }
      const ctor = (win as unknown as Record<string, unknown>)[globalName];
      if (typeof ctor === 'function') resolve(ctor as AgentAiSdkConstructor);
      else
        reject(
          fail(`the script at ${safeUrl} loaded but defined no global "${globalName}"`, { url: safeUrl, globalName }),
        );
    };
    script.onload = () => finish();
    const integrity = options.integrity?.trim();
    script.onerror = () =>
      finish(
        fail(
          `the script at ${safeUrl} could not be loaded${integrity ? ' or did not match kore.webSdk.integrity (Subresource Integrity; its host must also allow CORS)' : ''}`,
          { url: safeUrl, integrity: Boolean(integrity) },
        ),
      );
    script.async = true;
    if (integrity) {
      script.integrity = integrity;
      script.crossOrigin = 'anonymous';
    }
    script.src = url.href;
    (doc.head ?? doc.documentElement).appendChild(script);
  });
}

function timeoutOf(options: LoadAgentAiSdkOptions): number {
  return options.timeoutMs ?? 30_000;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
