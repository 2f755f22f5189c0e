export { languageOf, summaryLanguageOf, DEFAULT_WIDGET_LANGUAGE } from './language-of.js';
export { buildAgentAssistUrl } from './build-agent-assist-url.js';
export type {
  WidgetUrlRecord,
  WidgetUrlContext,
  WidgetChannel,
  AgentAssistUrlOptions,
} from './build-agent-assist-url.js';
export { describeWidgetUrl } from './describe-widget-url.js';
export { describeUrlOrigin } from './describe-url-origin.js';
export { WIDGET_MESSAGE } from './message-names.js';
export { buildUtteranceMessage } from './build-utterance-message.js';
export type {
  UtteranceSpeaker,
  UtteranceAuthor,
  UtteranceMessageInput,
  UtteranceMessage,
} from './build-utterance-message.js';
export { buildAgentInfoMessage, buildUserInfoMessage } from './build-info-messages.js';
export type { AgentInfoMessage, UserInfoMessage } from './build-info-messages.js';
export { buildEndOfConversationMessage, buildEndAgentAssistMessage } from './build-end-messages.js';
export type { ChatHistoryEntry, EndOfConversationMessage, EndAgentAssistMessage } from './build-end-messages.js';
export { decodeSendPayload } from './decode-send-payload.js';
export { parseWidgetMessage } from './parse-widget-message.js';
export type { WidgetMessage } from './parse-widget-message.js';
export { mintWidgetLaunch } from './mint-widget-launch.js';
export type { WidgetLaunch, WidgetLaunchRecord, MintWidgetLaunchInput } from './mint-widget-launch.js';
