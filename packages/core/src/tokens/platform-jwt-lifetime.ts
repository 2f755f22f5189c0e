/** The lifetimes of platform API JWTs: read by the signer and by token caches that renew before expiry. */

/**
 * Default lifetime of a platform API JWT: 5 minutes; kaa mints one per burst of calls.
 *
 * @example
 * ```ts
 * import { PLATFORM_JWT_TTL_SECONDS } from '@kaa/core';
 * PLATFORM_JWT_TTL_SECONDS; // 300
 * ```
 */
export const PLATFORM_JWT_TTL_SECONDS = 300;

/**
 * Longest lifetime {@link signPlatformJwt} accepts: 10 years. The `x_metadata` table token sits in the Interaction
 * Widget URL and is treated as long-lived (docs/assumptions.md#data-table-read-token-lifetime): admins mint it once with read-only access.
 *
 * @example
 * ```ts
 * import { PLATFORM_JWT_MAX_TTL_SECONDS, signPlatformJwt } from '@kaa/core';
 * await signPlatformJwt({ appId, clientSecret, now: new Date(), ttlSeconds: PLATFORM_JWT_MAX_TTL_SECONDS });
 * ```
 */
export const PLATFORM_JWT_MAX_TTL_SECONDS = 10 * 365 * 86_400;
