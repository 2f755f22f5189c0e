/**
 * @kaa/core — the rules of the Kore Agent AI ↔ Genesys Cloud CX integration as pure, typed functions.
 * No IO and no globals: no `window`, `fetch`, `WebSocket`, timers, or unseeded clock/randomness.
 * @packageDocumentation
 */
export { isKaaError, KAA_ERROR_CODES, KAA_ERROR_STEP, KaaError, toKaaError } from './errors.js';
export type { KaaErrorCode, KaaErrorDetails, KaaErrorOptions, KaaStep } from './errors.js';
export { redact, REDACTED } from './redact.js';
export type { IssueLike, IssuePathOptions } from './issues.js';
export { describeIssue, issuePath, listIssues, typeWithArticle } from './issues.js';
export { allowsHttpLoopback, isHttpsOrLoopback, isLoopbackHost, isLoopbackUrl } from './https-url.js';
export type { Base64Alphabet } from './base64.js';
export { decodeBase64Text, encodeBase64, encodeBase64url } from './base64.js';
export {
  AUTH_STATE_MAX_LENGTH, buildWidgetAppUrl, buildXMetadata, checkFramed, checkKoreHostAllowed, checkLinkAllowed,
  decodeAuthState, DEFAULT_SETTINGS, desktopOrigins, encodeAuthState, EnvironmentRecordSchema, ENVIRONMENTS,
  isGenesysDesktopOrigin, KaaSettingsSchema, pageRedirectUris, parseSettings, parseWidgetContext, parseXMetadata,
  resolveEnvironment, toAuthStateContext, UUID_PATTERN, widgetContextToSearchParams,
} from './context/index.js';
export type {
  AppUrlBotSource, AuthState, AuthStateContext, BotSourceSelector, EnvironmentInput, EnvironmentRecord,
  GenesysEnvironment, KaaSettings, KaaSettingsInput, OAuthGrant, PageAllow, PageRedirectUris,
  ParseWidgetContextOptions, ResolveEnvironmentOptions, WidgetAppUrlOptions, WidgetContext, XMetadataDatatable,
} from './context/index.js';
export {
  activeMessageSessionId, BOT_ALGORITHMS, BOT_COLUMNS, botLookupFromRows, botLookupOptions, experienceOf,
  explainThirdPartyLookup, findAgentParticipant, findCustomerParticipant, indexBotRows, inspectBotRow,
  isParticipantLive, isSystemColumn, LEGACY_FIELDS, LEGACY_IFRAME_PATH, lintBotTable, matchStaticMap, mediaOf,
  normaliseLegacyUrl, parseBotRow, parseConversation, parseLegacyBotConfig, queueIdentifierOf, queueOf,
  resolveBotRecord, staticBotSource,
} from './routing/index.js';
export type {
  BotAlgorithm, BotIndex, BotLookup, BotLookupFromRowsOptions, BotLookupTable, BotRecord, BotRecordOrigin, BotRow,
  BotSource, BotSourceKind, BotTableFinding, BotTableFindingCode, FindingSeverity, GenesysConversation,
  GenesysMediaSession, GenesysParticipant, IndexBotRowsOptions, KoreExperience, LintBotTableOptions,
  MatchStaticMapOptions, MediaKind, ParseBotRowOptions, ParseLegacyBotConfigOptions, QueueRef, ResolveBotRecordOptions,
  RowProblem, RsaPublicJwk,
} from './routing/index.js';
export { compilePath, extractKvp, MAX_PATH_LENGTH, parseKvpConfig } from './kvp/index.js';
export type {
  CompiledPath, CompilePathOptions, KvpConfig, KvpExtraction, KvpMissing, ParseKvpConfigOptions, PathStep,
} from './kvp/index.js';
export {
  buildCustomData, classifyPassthru, createTokenKeys, decodeJwtUnverified, encryptSecureCustomData, importJwePublicKey,
  JWE_CONTENT_ENCRYPTIONS, JWE_KEY_ALGORITHMS, jweContentEncryption, jweKeyAlgorithm, KORE_JWT_AUDIENCE,
  PLATFORM_JWT_MAX_TTL_SECONDS, PLATFORM_JWT_TTL_SECONDS, SECURE_CUSTOM_DATA_CLAIMS, SECURE_CUSTOM_DATA_TTL_SECONDS,
  signPlatformJwt, signWidgetJwt, WIDGET_JWT_ALGORITHMS, WIDGET_JWT_TTL_SECONDS, widgetJwtAlgorithm,
} from './tokens/index.js';
export type {
  BuildCustomDataOptions, ClockReading, DecodedJwt, EncryptSecureCustomDataOptions, JweContentEncryption,
  JweKeyAlgorithm, JwePublicKey, JwePublicKeyInput, PassthruClassification, PassthruForward, PassthruKind,
  SecretEncoding, SignPlatformJwtOptions, SignWidgetJwtOptions, TokenKeys, WidgetJwtAlgorithm,
} from './tokens/index.js';
export {
  buildAgentAssistUrl, buildAgentInfoMessage, buildEndAgentAssistMessage, buildEndOfConversationMessage,
  buildUserInfoMessage, buildUtteranceMessage, decodeSendPayload, DEFAULT_WIDGET_LANGUAGE, describeUrlOrigin,
  describeWidgetUrl, languageOf, mintWidgetLaunch, parseWidgetMessage, summaryLanguageOf, WIDGET_MESSAGE,
} from './widget/index.js';
export type {
  AgentAssistUrlOptions, AgentInfoMessage, ChatHistoryEntry, EndAgentAssistMessage, EndOfConversationMessage,
  MintWidgetLaunchInput, UserInfoMessage, UtteranceAuthor, UtteranceMessage, UtteranceMessageInput, UtteranceSpeaker,
  WidgetChannel, WidgetLaunch, WidgetLaunchRecord, WidgetMessage, WidgetUrlContext, WidgetUrlRecord,
} from './widget/index.js';
export {
  AUDIOHOOK_INTEGRATION_TYPE, buildAudiohookAdvancedConfig, buildAudiohookUri, buildPageCsp, DATATABLE_VIEW_PERMISSION,
  defaultProductionCsp, embeddedPageConfig, embeddedPageConfigText, embedPageConfig, formatAudiohookAdvancedConfig,
  hasPermission, INTERACTION_WIDGET_ADVANCED, INTERACTION_WIDGET_TYPE, interactionWidgetProperties, KVG_HOST_US,
  OAUTH_DIAGNOSIS_SCOPES, OAUTH_SCOPES, OAUTH_SCOPES_LEGACY, oauthScopesFor, PAGE_CONFIG_ELEMENT_ID, PAGE_CONFIG_FILE,
  pageHeadersFile, pageRolePermissions, pageSecurityHeaders, parsePageConfigText, permissionPolicies,
  policyPermissions, QUEUE_VIEW_PERMISSION, readPageSettings, TRANSCRIPTION_VIEW_PERMISSION, transcriptionOff,
  transcriptionRefused, transcriptionSilentHint, WIDGET_COMMUNICATION_TYPES, WIDGET_COMMUNICATION_TYPES_WHY,
  WIDGET_PERMISSIONS, WIDGET_SANDBOX_FLAGS,
} from './admin/index.js';
export type {
  AudiohookAdvancedConfig, AudiohookUriInput, InteractionWidgetPropertiesInput, PageCspOrigins, PermissionPolicy,
} from './admin/index.js';
export {
  buildControlTranscriptionRequest, buildHooksRequest, createHooksLifecycle, defaultConversationSignals,
  diffConversation, holdSinkActionFor, normalizeTranscription, parseNotification, toConversationView, TranscriptLedger,
  unwrapEventBridge,
} from './events/index.js';
export type {
  ControlTranscriptionAction, ControlTranscriptionInput, ControlTranscriptionRequest, ConversationSignals,
  ConversationView, DiffConversationOptions, EndOfConversationHooksEvent, HeartbeatNotification, HoldSinkAction,
  HooksEvent, HooksLifecycle, HooksLifecycleOptions, HooksLifecyclePhase, HooksLifecycleState, HooksMessageFields,
  HooksParticipant, HooksRequest, HooksRequestInput, HooksRequestOptions, InternalTransferHooksEvent, KorePostRequest,
  LifecycleEvent, LifecycleEventKind, MessageRef, NoLongerSubscribedNotification, NormalizedTranscription,
  Notification, ParseNotificationOptions, ParticipantView, SocketClosingNotification, Speaker,
  TokenRevokedNotification, TranscriptChannel, TranscriptGap, TranscriptionNotification, TranscriptionSessionStatus,
  TranscriptLedgerOptions, TranscriptLedgerStats, TransferTransition, TransferType, TriggerSummaryHooksEvent,
  UnknownNotification, UserConversationMedia, UserConversationNotification, Utterance,
} from './events/index.js';
export {
  BROKER_PATHS, brokerError, BrokerErrorBodySchema, BrokerEventsRequestSchema, BrokerLaunchRequestSchema,
  BrokerLaunchResponseSchema, BrokerTranscriptionRequestSchema, brokerUrlOf, HooksEventSchema,
} from './broker/contract.js';
export type {
  BrokerEventsRequest, BrokerLaunchRequest, BrokerLaunchResponse, BrokerTranscriptionRequest,
} from './broker/contract.js';
export { createEmitter, createMemoryStorage, randomUnit, retryAfterMs, silentLogger, sleepOn } from './ports/index.js';
export type {
  Clock, Emitter, FetchLike, Logger, RandomBytes, Sleep, StorageLike, Timers, WebSocketFactory, WebSocketLike,
} from './ports/index.js';
