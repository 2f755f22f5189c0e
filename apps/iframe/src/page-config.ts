import { PAGE_CONFIG_ELEMENT_ID, PAGE_CONFIG_FILE, readPageSettings } from '@kaa/core';
import type { KaaSettings } from '@kaa/core';

export { PAGE_CONFIG_FILE };

/**
 * The page's settings, by core's `readPageSettings` (the rule `kaa doctor` applies to the deployed page too): the
 * `kaa-config` JSON block embedded in `index.html` (`kaa page --dist`) when there is one — no request at all — else
 * `kaa.config.json` next to `index.html` ({@link loadPageConfig}). The embedded block is removed from the document once
 * read: the settings may hold a credential (`thirdParty.http.token`).
 *
 * @example
 * ```ts
 * const settings = await readPageConfig(document, new URL('kaa.config.json', location.href).href, fetch);
 * ```
 */
export function readPageConfig(
  document: Pick<Document, 'getElementById'>,
  fileUrl: string,
  fetchImpl: (url: string, init?: RequestInit) => Promise<Response>,
): Promise<KaaSettings> {
  const block = document.getElementById(PAGE_CONFIG_ELEMENT_ID);
  const blockText = block ? (block.textContent ?? '') : null;
  // read once, then out of the live DOM: the settings may hold a credential (thirdParty.http.token)
  block?.remove();
  return readPageSettings({ blockText, fileUrl, get: fetchImpl });
}

/**
 * Reads the page configuration file `kaa.config.json` (next to `index.html`) with core's `readPageSettings`: a
 * missing file (HTTP 404) means all defaults; anything else that is wrong is `E_CONFIG_INVALID` naming the file and
 * the key.
 *
 * @example
 * ```ts
 * const settings = await loadPageConfig(new URL('kaa.config.json', location.href).href, fetch);
 * settings.routing.cacheTtlSeconds; // 300 unless the file says otherwise
 * ```
 */
export function loadPageConfig(
  url: string,
  fetchImpl: (url: string, init?: RequestInit) => Promise<Response>,
): Promise<KaaSettings> {
  return readPageSettings({ blockText: null, fileUrl: url, get: fetchImpl });
}
