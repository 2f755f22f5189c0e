import { OAUTH_DIAGNOSIS_SCOPES, OAUTH_SCOPES_LEGACY } from '@kaa/core';
import { OAUTH_CLIENTS } from '../seed.js';

/** A grant a sandbox OAuth client may be registered for. */
export type Grant = 'implicit' | 'pkce' | 'client_credentials';

/** A registered OAuth client: id, grants, redirect URIs (browser clients), scopes and secret. */
export interface OAuthClient {
  id: string;
  /** Admin › Integrations › OAuth › App Name. */
  name?: string;
  description?: string;
  grants: readonly Grant[];
  redirectUris: readonly string[];
  /** The scopes its tokens carry. */
  scopes: readonly string[];
  /** Genesys generates a secret for every client; only client credentials use it here. */
  secret?: string;
  accessTokenValiditySeconds?: number;
  dateCreated?: string;
  dateModified?: string;
}

/**
 * The scopes of a browser client the sandbox registers without being told: what the page uses in every mode
 * (core's `oauthScopesFor('legacy', { diagnosis: true })`).
 *
 * @example
 * ```ts
 * PAGE_CLIENT_SCOPES.includes('notifications'); // true
 * ```
 */
export const PAGE_CLIENT_SCOPES: readonly string[] = [...OAUTH_SCOPES_LEGACY, ...OAUTH_DIAGNOSIS_SCOPES];

/**
 * The read-only scopes of the seeded client-credentials client (`kaa doctor`, AudioHook's Advanced settings):
 * conversations, data tables, queues, users, groups, roles, integrations and OAuth clients — no write.
 *
 * @example
 * ```ts
 * READ_CLIENT_SCOPES.includes('routing:readonly'); // true
 * ```
 */
export const READ_CLIENT_SCOPES: readonly string[] = [
  'conversations:readonly',
  'architect:readonly',
  'routing:readonly',
  'users:readonly',
  'groups:readonly',
  'authorization:readonly',
  'integrations:readonly',
  'oauth:readonly',
  'notifications',
];

/**
 * The scopes of the seeded admin client-credentials client: everything `kaa provision` writes
 * (docs/assumptions.md#admin-client-scopes).
 *
 * @example
 * ```ts
 * ADMIN_CLIENT_SCOPES.includes('oauth'); // true
 * ```
 */
export const ADMIN_CLIENT_SCOPES: readonly string[] = [
  'oauth',
  'integrations',
  'authorization',
  'routing',
  'groups:readonly',
  'users:readonly',
  'architect',
  'conversations:readonly',
];

/**
 * The sandbox's registered OAuth clients (seed.ts OAUTH_CLIENTS). In the seeded org both browser clients register the
 * kaa page's landing and popup-callback URIs: `${pageOrigin}/koreaiaa-genesys/` and
 * `${pageOrigin}/koreaiaa-genesys/auth-callback.html`, plus any `extraRedirectUris`. Matching is exact
 * (docs/assumptions.md#redirect-uri-matching). The empty org has only the two client-credentials clients an admin
 * creates by hand (read and admin).
 *
 * @example
 * ```ts
 * const clients = registeredClients('http://127.0.0.1:5173', [], 'seeded');
 * clients.get(OAUTH_CLIENTS.pkce.id)?.redirectUris;
 * ```
 */
export function registeredClients(
  pageOrigin: string | undefined,
  extraRedirectUris: readonly string[],
  org: 'seeded' | 'empty' = 'seeded',
): Map<string, OAuthClient> {
  const redirectUris = [
    ...(pageOrigin ? [`${pageOrigin}/koreaiaa-genesys/`, `${pageOrigin}/koreaiaa-genesys/auth-callback.html`] : []),
    ...extraRedirectUris,
  ];
  const machines: OAuthClient[] = [
    {
      id: OAUTH_CLIENTS.credentials.id,
      name: 'kaa doctor (read only)',
      grants: OAUTH_CLIENTS.credentials.grants,
      redirectUris: [],
      scopes: READ_CLIENT_SCOPES,
      secret: OAUTH_CLIENTS.credentials.secret,
    },
    {
      id: OAUTH_CLIENTS.admin.id,
      name: 'kaa provision (admin)',
      grants: OAUTH_CLIENTS.admin.grants,
      redirectUris: [],
      scopes: ADMIN_CLIENT_SCOPES,
      secret: OAUTH_CLIENTS.admin.secret,
    },
  ];
  const browsers: OAuthClient[] =
    org === 'empty'
      ? []
      : [
          {
            id: OAUTH_CLIENTS.implicit.id,
            name: 'Sandbox implicit',
            grants: OAUTH_CLIENTS.implicit.grants,
            redirectUris,
            scopes: PAGE_CLIENT_SCOPES,
          },
          {
            id: OAUTH_CLIENTS.pkce.id,
            name: 'Sandbox PKCE',
            grants: OAUTH_CLIENTS.pkce.grants,
            redirectUris,
            scopes: PAGE_CLIENT_SCOPES,
          },
        ];
  return new Map([...browsers, ...machines].map((c) => [c.id, c]));
}
