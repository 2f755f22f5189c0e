/**
 * The Genesys OAuth client scopes the Kore guide lists (docs/genesys-protocol.md#oauth-client-and-permissions), for the Kore Data Table and
 * Third-Party modes. There is no `routing` scope: kaa reads the queue name from the conversation.
 *
 * @example
 * ```ts
 * import { OAUTH_SCOPES } from '@kaa/core';
 *
 * OAUTH_SCOPES.length; // → 12
 * ```
 */
export const OAUTH_SCOPES = [
  'conversations',
  'conversations:readonly',
  'integrations',
  'integrations:readonly',
  'messaging',
  'messaging:readonly',
  'messaging-platform',
  'messaging-platform:readonly',
  'notifications',
  'user-basic-info',
  'web-chat',
  'web-chat:readonly',
] as const;

/**
 * Scopes for the legacy Genesys data-table mode: {@link OAUTH_SCOPES} plus `architect:readonly`, which reads
 * the data table (Kore's legacy guide lists the broader `architect`; read-only is enough).
 *
 * @example
 * ```ts
 * import { OAUTH_SCOPES_LEGACY } from '@kaa/core';
 *
 * OAUTH_SCOPES_LEGACY.includes('architect:readonly'); // → true
 * ```
 */
export const OAUTH_SCOPES_LEGACY = [...OAUTH_SCOPES, 'architect:readonly'] as const;

/**
 * Scopes beyond Kore's list that only the page's diagnosis uses: `routing:readonly` lets the page read its queue's
 * voice-transcription setting when no transcript arrives (docs/assumptions.md#queue-transcription-setting-read-by-the-page).
 * The page works without them.
 *
 * @example
 * ```ts
 * import { OAUTH_DIAGNOSIS_SCOPES } from '@kaa/core';
 *
 * OAUTH_DIAGNOSIS_SCOPES; // → ['routing:readonly']
 * ```
 */
export const OAUTH_DIAGNOSIS_SCOPES = ['routing:readonly'] as const;

/**
 * The scope list for a config source: `legacy` adds `architect:readonly`; `diagnosis` adds
 * {@link OAUTH_DIAGNOSIS_SCOPES} (what `kaa url` lists and `kaa provision` registers).
 *
 * @example
 * ```ts
 * import { oauthScopesFor } from '@kaa/core';
 *
 * oauthScopesFor('koreDataTable').join(' ');
 * oauthScopesFor('legacy', { diagnosis: true }).includes('routing:readonly'); // → true
 * ```
 */
export function oauthScopesFor(
  mode: 'koreDataTable' | 'thirdParty' | 'legacy',
  options: { diagnosis?: boolean } = {},
): readonly string[] {
  const base = mode === 'legacy' ? OAUTH_SCOPES_LEGACY : OAUTH_SCOPES;
  return options.diagnosis ? [...base, ...OAUTH_DIAGNOSIS_SCOPES] : base;
}
