import { KaaError, PAGE_CONFIG_ELEMENT_ID, parsePageConfigText, parseSettings } from '@kaa/core';
import type { KaaSettings } from '@kaa/core';

/** The name of the page configuration file, served next to `index.html`. */
export const PAGE_CONFIG_FILE = 'kaa.config.json';

/**
 * The page's settings: from the `kaa-config` JSON block embedded in `index.html` (core's `embedPageConfig`,
 * `kaa page`) when there is one — no request at all — else from `kaa.config.json` next to `index.html`
 * ({@link loadPageConfig}). Either source is validated with core's `parseSettings`, in the one shared shape (the
 * CLI and servers read the same keys). The embedded block is removed from the document once read.
 *
 * @example
 * ```ts
 * const settings = await readPageConfig(document, new URL('kaa.config.json', location.href).href, fetch);
 * ```
 */
export function readPageConfig(document: Pick<Document, 'getElementById'>, fileUrl: string, fetchImpl: (url: string, init?: RequestInit) => Promise<Response>): Promise<KaaSettings> {
  const block = document.getElementById(PAGE_CONFIG_ELEMENT_ID);
  if (!block) return loadPageConfig(fileUrl, fetchImpl);
  const source = `index.html (the "${PAGE_CONFIG_ELEMENT_ID}" block)`;
  const text = block.textContent ?? '';
  // read once, then out of the live DOM: the settings may hold a credential (thirdParty.http.token)
  block.remove();
  try {
    return Promise.resolve(validated(parsePageConfigText(text, source), source));
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/**
 * Reads the page configuration file `kaa.config.json` (next to `index.html`) and validates it with core's
 * `parseSettings`, including extra Genesys environments under `genesys.environments`. A missing file (HTTP 404)
 * means "all defaults" — a deployment on the Agent AI host needs no file. Anything else that is wrong is
 * `E_CONFIG_INVALID` naming the file and the key.
 *
 * @example
 * ```ts
 * const settings = await loadPageConfig(new URL('kaa.config.json', location.href).href, fetch);
 * settings.routing.cacheTtlSeconds; // 300 unless the file says otherwise
 * ```
 */
export async function loadPageConfig(url: string, fetchImpl: (url: string, init?: RequestInit) => Promise<Response>): Promise<KaaSettings> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch (cause) {
    throw new KaaError('E_CONFIG_INVALID', `The page could not read its configuration file ${PAGE_CONFIG_FILE}. Check that it is deployed next to index.html and reachable.`, {
      cause,
      details: { file: PAGE_CONFIG_FILE },
    });
  }
  if (response.status === 404) return parseSettings({});
  if (!response.ok) {
    throw new KaaError('E_CONFIG_INVALID', `The page's configuration file ${PAGE_CONFIG_FILE} answered HTTP ${response.status}. Deploy it next to index.html, or remove it to use the defaults.`, {
      details: { file: PAGE_CONFIG_FILE, status: response.status },
    });
  }
  return validated(parsePageConfigText(await response.text(), PAGE_CONFIG_FILE), PAGE_CONFIG_FILE);
}

function validated(json: unknown, source: string): KaaSettings {
  try {
    return parseSettings(json);
  } catch (e) {
    if (e instanceof KaaError) {
      throw new KaaError(e.code, `${source}: ${e.message}`, { details: { ...e.details, file: source } });
    }
    throw e;
  }
}
