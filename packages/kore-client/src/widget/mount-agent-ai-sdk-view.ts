import { KaaError, redact, type UtteranceMessageInput } from '@kaa/core';
import { createEmitter, silentLogger } from '@kaa/core';
import type { Logger } from '@kaa/core';
import type { AgentAiSdkConstructor, AgentAiSdkInstance } from './load-agent-ai-sdk.js';
import type { AgentAssistEvents, AgentAssistView } from './view.js';
import { loadSignal } from './load-signal.js';

/**
 * Options of {@link mountAgentAiSdkView}.
 *
 * @example
 * ```ts
 * const options: MountAgentAiSdkViewOptions = { AAWindow, connectionDetails: { domainUrl, token, botId, conversationId, channel: 'voice', isSecure: false, source: 'genesys' } };
 * ```
 */
export interface MountAgentAiSdkViewOptions {
  /** The constructor from {@link loadAgentAiSdk}. */
  AAWindow: AgentAiSdkConstructor;
  /** `connectionDetails` of `AAWindow.show` (docs/kore-protocol.md#agent-ai-web-sdk-mode): `domainUrl`, `token`, `botId`, `conversationId`, `channel`, `isSecure`, … */
  connectionDetails: Record<string, unknown>;
  /** Reject `loaded` when `ON_SOCKET_CONNECTION` has not fired by then. Default 30000 ms. */
  loadTimeoutMs?: number;
  /** Injected timers; default `globalThis`. */
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (id: never) => void };
  logger?: Logger;
}

/**
 * The SDK-mode {@link AgentAssistView} (`isAgentAISDK`, docs/kore-protocol.md#agent-ai-web-sdk-mode; SDK unpublished, docs/assumptions.md#agent-ai-web-sdk-availability — the method and
 * event names are read off Kore's docs and are (inferred)). Utterances go to `sendUserMessage` /
 * `sendAgentMessage` (queued until `ON_SOCKET_CONNECTION`), `endOfConversation` to the SDK's own method,
 * `destroy` to `destroy()`. Agent and user info have no SDK method: they ride in `connectionDetails`
 * (`userName`), so `setAgentInfo`/`setUserInfo` only log. `send`/`copy`/`summary`/`urlClicked` are iframe
 * messages and are not emitted in this mode. `sdk` exposes `internalTransfer`, `pauseTranscript` and
 * `resumeTranscript` for a host that drives the SDK itself (kaa's page does not: docs/assumptions.md#who-sends-end-of-conversation).
 *
 * @example
 * ```ts
 * import { loadAgentAiSdk, mountAgentAiSdkView } from '@kaa/kore-client';
 *
 * const AAWindow = await loadAgentAiSdk({ scriptUrl });
 * const view = mountAgentAiSdkView(container, { AAWindow, connectionDetails: { domainUrl, token, botId, conversationId, channel: 'voice', isSecure: false, source: 'genesys' } });
 * view.sendUtterance({ speaker: 'customer', conversationId, text: 'Hello' });
 * ```
 */
export function mountAgentAiSdkView(
  container: HTMLElement,
  options: MountAgentAiSdkViewOptions,
): AgentAssistView & { readonly mode: 'sdk'; readonly sdk: AgentAiSdkInstance } {
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? (globalThis as unknown as NonNullable<MountAgentAiSdkViewOptions['timers']>);
  const emitter = createEmitter<AgentAssistEvents>((event, error) =>
    logger.warn(`agent ai sdk: a "${event}" handler threw; ignored`, { error: redact(String(error)) }),
  );
  let sdk: AgentAiSdkInstance;
  try {
    sdk = new options.AAWindow();
  } catch (cause) {
    throw new KaaError(
      'E_WIDGET_SDK_UNAVAILABLE',
      'The Agent AI Web SDK could not be created (new AAWindow() failed). Check kore.webSdk.scriptUrl, or use iframe mode.',
      { cause: redact(String(cause)) },
    );
  }
  const queue: (() => void)[] = [];
  let isLoaded = false;
  let destroyed = false;
  const signal = loadSignal();
  const loaded = signal.loaded;
  const markLoaded = () => {
    if (isLoaded || destroyed) return;
    isLoaded = true;
    timers.clearTimeout(timer as never);
    for (const run of queue.splice(0)) run();
    signal.resolve();
    emitter.emit('loaded', undefined);
  };
  const timeoutMs = options.loadTimeoutMs ?? 30_000;
  const timer = timers.setTimeout(() => {
    if (isLoaded || destroyed) return;
    const error = new KaaError(
      'E_WIDGET_LOAD_TIMEOUT',
      `The Agent AI Web SDK did not connect (ON_SOCKET_CONNECTION) within ${Math.round(timeoutMs / 1000)} s. Check the token and domainUrl, or use iframe mode.`,
      { details: { timeoutMs } },
    );
    signal.reject(error);
    emitter.emit('error', error);
  }, timeoutMs);
  sdk.on?.('ON_SOCKET_CONNECTION', markLoaded);
  sdk.on?.('ON_ERROR', (payload: unknown) => {
    const error = new KaaError(
      'E_WIDGET_SDK_UNAVAILABLE',
      `The Agent AI Web SDK reported an error (${redact(String((payload as { code?: unknown })?.code ?? payload)).slice(0, 200)}). Check the token, domainUrl and bot, or use iframe mode.`,
    );
    emitter.emit('error', error);
  });
  sdk.show({ connectionDetails: options.connectionDetails, container });
  if (typeof sdk.on !== 'function') markLoaded();

  const run = (task: () => void) => {
    if (destroyed) return;
    if (isLoaded) task();
    else queue.push(task);
  };
  const feed = (input: UtteranceMessageInput) => {
    if (
      typeof input?.text !== 'string' ||
      input.text.trim() === '' ||
      typeof input.conversationId !== 'string' ||
      input.conversationId.trim() === ''
    ) {
      throw new KaaError(
        'E_WIDGET_MESSAGE_INVALID',
        'An utterance needs a conversation id and non-empty text. Skip empty transcript lines before feeding them.',
        { details: { field: 'text' } },
      );
    }
    const author = { type: input.speaker === 'customer' ? 'USER' : 'AGENT', ...input.author };
    const message = { author, message: input.text, conversationId: input.conversationId };
    run(() => void (input.speaker === 'customer' ? sdk.sendUserMessage?.(message) : sdk.sendAgentMessage?.(message)));
  };
  return {
    mode: 'sdk',
    sdk,
    loaded,
    on: emitter.on,
    sendUtterance: feed,
    sendChatText: feed,
    setAgentInfo: () => logger.debug('agent ai sdk: agent info rides in connectionDetails; nothing to send'),
    setUserInfo: () => logger.debug('agent ai sdk: user info rides in connectionDetails.userName; nothing to send'),
    endOfConversation: () => run(() => void sdk.endOfConversation?.()),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      timers.clearTimeout(timer as never);
      queue.length = 0;
      emitter.clear();
      try {
        sdk.destroy?.();
      } catch (e) {
        logger.warn('agent ai sdk: destroy() threw; ignored', { error: redact(String(e)) });
      }
    },
  };
}
