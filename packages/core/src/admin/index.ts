export { buildAudiohookUri, KVG_HOST_US } from './build-audiohook-uri.js';
export type { AudiohookUriInput } from './build-audiohook-uri.js';
export { buildAudiohookAdvancedConfig, formatAudiohookAdvancedConfig } from './build-audiohook-advanced-config.js';
export type { AudiohookAdvancedConfig } from './build-audiohook-advanced-config.js';
export {
  WIDGET_SANDBOX_FLAGS,
  WIDGET_PERMISSIONS,
  WIDGET_COMMUNICATION_TYPES,
  WIDGET_COMMUNICATION_TYPES_WHY,
} from './interaction-widget-settings.js';
export { OAUTH_DIAGNOSIS_SCOPES, OAUTH_SCOPES, OAUTH_SCOPES_LEGACY, oauthScopesFor } from './oauth-scopes.js';
export {
  PAGE_CONFIG_ELEMENT_ID,
  PAGE_CONFIG_FILE,
  embedPageConfig,
  embeddedPageConfig,
  embeddedPageConfigText,
  parsePageConfigText,
  readPageSettings,
} from './page-config-html.js';
export { buildPageCsp, defaultProductionCsp, pageHeadersFile, pageSecurityHeaders } from './page-csp.js';
export type { PageCspOrigins } from './page-csp.js';
export {
  AUDIOHOOK_INTEGRATION_TYPE,
  DATATABLE_VIEW_PERMISSION,
  INTERACTION_WIDGET_ADVANCED,
  INTERACTION_WIDGET_TYPE,
  QUEUE_VIEW_PERMISSION,
  TRANSCRIPTION_VIEW_PERMISSION,
  hasPermission,
  interactionWidgetProperties,
  pageRolePermissions,
  permissionPolicies,
  policyPermissions,
  transcriptionOff,
  transcriptionRefused,
  transcriptionSilentHint,
} from './genesys-setup.js';
export type { InteractionWidgetPropertiesInput, PermissionPolicy } from './genesys-setup.js';
