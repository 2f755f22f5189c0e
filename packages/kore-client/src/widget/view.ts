import type { ChatHistoryEntry, KaaError, UtteranceMessageInput, WidgetMessage } from '@kaa/core';

/**
 * What the widget tells the host, by event name. `send`, `copy`, `summary` and `urlClicked` carry core's
 * parsed {@link WidgetMessage}; `error` carries a {@link KaaError} (load timeout, malformed message).
 *
 * @example
 * ```ts
 * const onSend = (m: AgentAssistEvents['send']) => sendToCustomer(m.text);
 * ```
 */
export interface AgentAssistEvents {
  loaded: void;
  send: Extract<WidgetMessage, { type: 'send' }>;
  copy: Extract<WidgetMessage, { type: 'copy' }>;
  summary: Extract<WidgetMessage, { type: 'summary' }>;
  urlClicked: Extract<WidgetMessage, { type: 'urlClicked' }>;
  error: KaaError;
}

/**
 * Input of `endOfConversation` on the postMessage path (config `lifecycleChannel` = `postMessage`, docs/assumptions.md#who-sends-end-of-conversation).
 *
 * @example
 * ```ts
 * const input: EndOfConversationInput = { conversationId, botId, chatHistory: [] };
 * ```
 */
export interface EndOfConversationInput {
  conversationId: string;
  botId?: string;
  chatHistory: readonly ChatHistoryEntry[];
}

/**
 * The Agent AI widget as the page drives it, whichever way it is rendered: the iframe
 * ({@link mountAgentAssist}) or the Web SDK ({@link mountAgentAiSdkView}, `isAgentAISDK`).
 *
 * @example
 * ```ts
 * function feed(view: AgentAssistView, line: { speaker: 'customer' | 'agent'; text: string }) {
 *   view.sendUtterance({ speaker: line.speaker, conversationId, text: line.text });
 * }
 * ```
 */
export interface AgentAssistView {
  readonly mode: 'iframe' | 'sdk';
  /** Resolves when the widget is ready; rejects with `E_WIDGET_LOAD_TIMEOUT`. */
  readonly loaded: Promise<void>;
  /** Subscribes to a widget event; returns the unsubscribe function. */
  on<E extends keyof AgentAssistEvents>(event: E, handler: (payload: AgentAssistEvents[E]) => void): () => void;
  /** One final voice utterance (customer → `USER`, agent → `AGENT`). Queued until the widget is loaded. */
  sendUtterance(input: UtteranceMessageInput): void;
  /** One chat / messaging line; same message as an utterance (docs/kore-protocol.md#host-to-widget-messages). Queued until loaded. */
  sendChatText(input: UtteranceMessageInput): void;
  setAgentInfo(input: { agentId: string; agentName?: string; agentInfo?: Record<string, unknown> }): void;
  setUserInfo(input: { userId: string; userName?: string; userInfo?: Record<string, unknown> }): void;
  /** Ends the conversation in the widget (postMessage / SDK lifecycle channel only; never together with hooks). */
  endOfConversation(input: EndOfConversationInput): void;
  /** Removes the widget and every listener and timer. Idempotent. */
  destroy(): void;
}
