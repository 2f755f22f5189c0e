import type { StorageLike } from '@kaa/core';
import { KaaError } from '@kaa/core';
import { safeGet, safeSet } from '../safe-storage.js';
import type { LoginRecord } from './login-record.js';
import type { BrowserGrant } from './types.js';

/**
 * The grant fallback (docs/assumptions.md#implicit-grant-retirement): PKCE by default; when the login server says the
 * OAuth client does not allow the chosen grant, kaa tries the other one once (unless the grant was explicit) and
 * remembers per client id the grant that works.
 */

/** OAuth errors meaning "this client does not allow this grant" (from the authorize answer or the token endpoint). */
const GRANT_REFUSALS = new Set(['unauthorized_client', 'unsupported_response_type', 'unsupported_grant_type']);

/** The OAuth `error` says the grant is not allowed for this client. */
export const isGrantRefusal = (error: string): boolean => GRANT_REFUSALS.has(error);

/** The grant remembered per client id (in `grantStorage`). */
export interface GrantMemory {
  remembered(): BrowserGrant | null;
  remember(grant: BrowserGrant): void;
}

/** Creates the {@link GrantMemory} of `clientId`; storage that refuses only costs a fallback next time. */
export function createGrantMemory(storage: StorageLike, clientId: string): GrantMemory {
  const key = `kaa.genesys.grant.${clientId}`;
  return {
    remembered() {
      const g = safeGet(storage, key);
      return g === 'pkce' || g === 'implicit' ? g : null;
    },
    remember: (grant) => safeSet(storage, key, grant),
  };
}

/**
 * The grant to try after the login server refused `record.grant` with `error`: the other grant, once. Throws
 * `E_AUTH_GRANT_UNSUPPORTED` when the grant was explicit or this already was the fallback.
 */
export function fallbackGrant(
  record: LoginRecord,
  clientId: string,
  error: string,
  description?: string,
): BrowserGrant {
  if (!record.explicit && !record.fallback) return record.grant === 'pkce' ? 'implicit' : 'pkce';
  throw new KaaError(
    'E_AUTH_GRANT_UNSUPPORTED',
    `OAuth client "${clientId}" does not allow the ${record.grant === 'pkce' ? 'Authorization Code + PKCE' : 'implicit'} grant (${error}${description ? `: ${description}` : ''})${record.fallback ? ', and the other grant was refused too' : ''}. In Genesys Cloud, set the client's grant type to "Code Authorization" with PKCE (or "Token Implicit Grant" for old clients)${record.explicit ? ', or remove the grant parameter from the widget URL' : ''}.`,
    { details: { grant: record.grant, error, description, explicit: record.explicit, fallback: record.fallback } },
  );
}
