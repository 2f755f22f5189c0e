/**
 * postMessage names of the Agent AI widget v3 (docs/kore-protocol.md#postmessage-protocol). Host → widget names are sent as `name`;
 * widget → host messages are recognised by `method` or `name`.
 *
 * @example
 * ```ts
 * import { WIDGET_MESSAGE } from '@kaa/core';
 *
 * if (event.data?.method === WIDGET_MESSAGE.loaded) sendAgentAndUserInfo();
 * ```
 */
export const WIDGET_MESSAGE = {
  // host → widget
  setAgentInfo: 'setAgentInfo',
  setUserInfo: 'setUserInfo',
  customerMessage: 'agentAssist.CustomerMessage',
  agentMessage: 'agentAssist.AgentMessage',
  endOfConversation: 'agentAssist.endOfConversation',
  endAgentAssist: 'conversation.endAgentAssist',
  // widget → host
  loaded: 'agentassist_loaded',
  sendMessage: 'agentAssist.SendMessage',
  copyMessage: 'agentAssist.CopyMessage',
  conversationSummary: 'agentAssist.conversation_summary',
  urlClicked: 'AgentAssist.UrlClickedMessage',
} as const;
