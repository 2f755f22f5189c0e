import { KaaError, parseSettings } from '@kaa/core';
import type { KaaSettings } from '@kaa/core';

/** The name of the page configuration file, served next to `index.html`. */
export const PAGE_CONFIG_FILE = 'kaa.config.json';

/**
 * Reads the page configuration `kaa.config.json` (next to `index.html`) and validates it with core's
 * `parseSettings`: the file holds kaa's settings in the one shared shape (the CLI and servers read the same
 * keys), including extra Genesys environments under `genesys.environments`. A missing file (HTTP 404) means
 * "all defaults" — a deployment on the Agent AI host needs no file. Anything else that is wrong is
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
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch (cause) {
    throw new KaaError('E_CONFIG_INVALID', `The page's configuration file ${PAGE_CONFIG_FILE} is not valid JSON. Fix its syntax (a JSON object of kaa settings).`, {
      cause,
      details: { file: PAGE_CONFIG_FILE },
    });
  }
  try {
    return parseSettings(json);
  } catch (e) {
    if (e instanceof KaaError) {
      throw new KaaError(e.code, `${PAGE_CONFIG_FILE}: ${e.message}`, { details: { ...e.details, file: PAGE_CONFIG_FILE } });
    }
    throw e;
  }
}
