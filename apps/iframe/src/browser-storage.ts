import { createMemoryStorage } from '@kaa/core';
import type { StorageLike } from '@kaa/core';

/**
 * One of the browser's Web Storage areas, or an in-memory stand-in when the browser denies it to this frame.
 * Chromium throws a `SecurityError` on `window.sessionStorage` in a third-party frame when third-party cookies and
 * site data are blocked (the default of some builds and profiles, incognito, enterprise policy); the page is a
 * third-party frame inside the Genesys desktop. A store that is readable but refuses writes counts as blocked too.
 *
 * @example
 * ```ts
 * const session = openBrowserStorage(() => window.sessionStorage);
 * if (session.blocked) console.warn('no site data for this frame: sign-in lasts one page');
 * ```
 */
export function openBrowserStorage(area: () => StorageLike): { storage: StorageLike; blocked: boolean } {
  try {
    const storage = area();
    const probe = 'kaa.storage-probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return { storage, blocked: false };
  } catch {
    return { storage: createMemoryStorage(), blocked: true };
  }
}
