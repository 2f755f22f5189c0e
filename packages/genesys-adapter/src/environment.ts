/**
 * The hosts of one Genesys Cloud environment. Structurally the same as `GenesysEnvironment` from
 * `@kaa/core` (`resolveEnvironment`); every function of this package takes one, so the region is decided in
 * exactly one place.
 *
 * @example
 * ```ts
 * import { resolveEnvironment } from '@kaa/core';
 * const environment: GenesysHosts = resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' });
 * ```
 */
export interface GenesysHosts {
  /** Environment name, e.g. `prod-euw1`. */
  readonly name: string;
  /** `https://api.{domain}` (no trailing slash). */
  readonly apiBase: string;
  /** `https://login.{domain}` (no trailing slash). */
  readonly loginBase: string;
  readonly region?: string;
  readonly domain?: string;
  readonly streamingHost?: string;
  readonly appsOrigin?: string;
}

/** `base` without a trailing slash, then `path`. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
