import { OAUTH_CLIENTS } from '../seed.js';

/** A grant a sandbox OAuth client may be registered for. */
export type Grant = 'implicit' | 'pkce' | 'client_credentials';

/** A registered OAuth client: id, grants, redirect URIs (browser clients) and secret (client credentials). */
export interface OAuthClient {
  id: string;
  grants: readonly Grant[];
  redirectUris: readonly string[];
  secret?: string;
}

/**
 * The sandbox's registered OAuth clients (seed.ts OAUTH_CLIENTS). Both browser clients register the kaa page's
 * landing and popup-callback URIs: `${pageOrigin}/koreaiaa-genesys/` and `${pageOrigin}/koreaiaa-genesys/auth-callback.html`,
 * plus any `extraRedirectUris`. Matching is exact (docs/assumptions.md#redirect-uri-matching).
 *
 * @example
 * ```ts
 * const clients = registeredClients('http://127.0.0.1:5173', []);
 * clients.get(OAUTH_CLIENTS.pkce.id)?.redirectUris;
 * ```
 */
export function registeredClients(pageOrigin: string | undefined, extraRedirectUris: readonly string[]): Map<string, OAuthClient> {
  const redirectUris = [...(pageOrigin ? [`${pageOrigin}/koreaiaa-genesys/`, `${pageOrigin}/koreaiaa-genesys/auth-callback.html`] : []), ...extraRedirectUris];
  const list: OAuthClient[] = [
    { id: OAUTH_CLIENTS.implicit.id, grants: OAUTH_CLIENTS.implicit.grants, redirectUris },
    { id: OAUTH_CLIENTS.pkce.id, grants: OAUTH_CLIENTS.pkce.grants, redirectUris },
    { id: OAUTH_CLIENTS.credentials.id, grants: OAUTH_CLIENTS.credentials.grants, redirectUris: [], secret: OAUTH_CLIENTS.credentials.secret },
  ];
  return new Map(list.map((c) => [c.id, c]));
}
