import type { StorageLike } from '@kaa/core';
import * as z from 'zod/mini';
import { safeGet, safeJson } from '../safe-storage.js';
import type { StoredToken } from './types.js';

const StoredTokenSchema = z.object({
  accessToken: z.string(),
  expiresAt: z.number(),
  grant: z.enum(['pkce', 'implicit']),
});

/**
 * The page's Genesys access token in `sessionStorage`, one per client id and environment
 * (docs/assumptions.md#storage-across-the-in-iframe-redirect). There is no refresh token: an expired token means
 * signing in again (docs/assumptions.md#refresh-tokens-with-pkce).
 */
export interface TokenStore {
  /** The stored token when it is still valid for more than the skew, else null. */
  get(): StoredToken | null;
  save(token: StoredToken): void;
  clear(): void;
}

/** Creates the {@link TokenStore} of `clientId` in `environmentName`. */
export function createTokenStore(options: {
  storage: StorageLike;
  clientId: string;
  environmentName: string;
  now: () => number;
  expirySkewMs: number;
}): TokenStore {
  const { storage, now, expirySkewMs } = options;
  const key = `kaa.genesys.token.${options.clientId}.${options.environmentName}`;
  return {
    get() {
      const raw = safeGet(storage, key);
      if (raw === null) return null;
      const parsed = StoredTokenSchema.safeParse(safeJson(raw));
      if (!parsed.success || parsed.data.expiresAt - expirySkewMs <= now()) return null;
      return parsed.data;
    },
    save: (token) => storage.setItem(key, JSON.stringify(token)),
    clear: () => storage.removeItem(key),
  };
}
