/**
 * The origins the Genesys agent desktop hosting the page may post from (the Interaction Widget's lifecycle hooks):
 * the environment's apps origin (`https://apps.mypurecloud.ie`), and `gcHostOrigin` itself when the URL gives an
 * origin rather than a bare domain (the legacy `pcEnvironment` form, which the apps origin stands for).
 *
 * @example
 * ```ts
 * import { desktopOrigins } from '@kaa/core';
 *
 * desktopOrigins('https://apps.mypurecloud.ie/', 'https://apps.mypurecloud.ie'); // ['https://apps.mypurecloud.ie']
 * desktopOrigins('mypurecloud.ie', 'https://apps.mypurecloud.ie');               // ['https://apps.mypurecloud.ie']
 * ```
 */
export function desktopOrigins(hostOrigin: string, appsOrigin: string): string[] {
  const origins = new Set([appsOrigin]);
  if (/^https?:\/\//i.test(hostOrigin)) {
    try {
      origins.add(new URL(hostOrigin).origin);
    } catch {
      // not a URL after all: the apps origin stands for it
    }
  }
  return [...origins];
}
