import { ENVIRONMENTS } from './environments.js';

/**
 * The origins the Genesys agent desktop hosting the page may post lifecycle hooks from: exactly the desktop origins
 * Genesys uses. That is the resolved environment's apps origin (`https://apps.mypurecloud.ie`), and the parent
 * frame's origin as the browser names it (`location.ancestorOrigins[0]`) when it is the apps origin of a known,
 * enabled environment (built in, or in setting `genesys.environments`). The `environment=` parameter of the URL adds
 * nothing of its own: any host under a Genesys domain resolves to the environment, but only `apps.{domain}` is the
 * desktop.
 *
 * @example
 * ```ts
 * import { desktopOrigins } from '@kaa/core';
 *
 * desktopOrigins('https://apps.mypurecloud.ie');                                 // ['https://apps.mypurecloud.ie']
 * desktopOrigins('https://apps.mypurecloud.ie', 'https://apps.mypurecloud.com'); // both: the parent is a Genesys desktop
 * desktopOrigins('https://apps.mypurecloud.ie', 'https://evil.example');         // ['https://apps.mypurecloud.ie']
 * ```
 */
export function desktopOrigins(
  appsOrigin: string,
  ancestorOrigin?: string,
  extraEnvironments: readonly { appsOrigin: string; enabled?: boolean }[] = [],
): string[] {
  const origins = new Set([appsOrigin]);
  if (ancestorOrigin !== undefined && isGenesysDesktopOrigin(ancestorOrigin, extraEnvironments))
    origins.add(ancestorOrigin);
  return [...origins];
}

/**
 * True when `origin` is the desktop (apps) origin of a known, enabled Genesys environment: built in, or one of
 * `extraEnvironments` (setting `genesys.environments`). The page trusts its parent's origin this early, before the
 * URL is parsed, so an error panel still answers the desktop's `bootstrap` hook.
 *
 * @example
 * ```ts
 * import { isGenesysDesktopOrigin } from '@kaa/core';
 *
 * isGenesysDesktopOrigin('https://apps.mypurecloud.ie'); // true
 * isGenesysDesktopOrigin('https://evil.mypurecloud.ie'); // false
 * ```
 */
export function isGenesysDesktopOrigin(
  origin: string,
  extraEnvironments: readonly { appsOrigin: string; enabled?: boolean }[] = [],
): boolean {
  return [...ENVIRONMENTS, ...extraEnvironments].some((e) => e.enabled !== false && e.appsOrigin === origin);
}
