import { embeddedPageConfigText, KaaError, PAGE_CONFIG_FILE, readPageSettings, type KaaSettings } from '@kaa/core';
import type { LoadedConfig } from '../config/loaded-config.js';
import type { CliIo } from '../io.js';

/**
 * The page as deployed at `page.url`: the settings it runs with, read by core's `readPageSettings` exactly as the
 * page reads them (the embedded `kaa-config` block, else `kaa.config.json` next to it).
 *
 * @example
 * ```ts
 * const page: DeployedPage = { url: 'https://kaa.example.com/koreaiaa-genesys/', embedded: true, settings };
 * ```
 */
export interface DeployedPage {
  readonly url: string;
  /** True when `index.html` carries the settings (`kaa page --dist`); false when they came from `kaa.config.json`. */
  readonly embedded: boolean;
  readonly settings: KaaSettings;
}

/**
 * Fetches the deployed page (`page.url`, without query) and reads its settings as the page does. Unreachable or
 * not a page: `E_NETWORK` / `E_HTTP_NOT_FOUND` / `E_RESPONSE_INVALID` naming the URL and the fix (deploy it, or fix
 * `page.url`).
 *
 * @example
 * ```ts
 * const page = await readDeployedPage(loaded, io, 5000);
 * pageKoreApiHost(page.settings); // where the page reads the bot table
 * ```
 */
export async function readDeployedPage(loaded: LoadedConfig, io: CliIo, timeoutMs: number): Promise<DeployedPage> {
  const page = new URL(loaded.config.page.url);
  const url = `${page.origin}${page.pathname}`;
  const fix = `Deploy the built page there (kaa page --dist, then upload the directory; docs/deploy.md), or fix page.url in ${loaded.file}.`;
  let response: Response;
  try {
    response = await io.fetch(url, {
      method: 'GET',
      redirect: 'follow',
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new KaaError(
      'E_NETWORK',
      `The page ${url} (page.url) cannot be reached within ${timeoutMs} ms (${(cause as Error)?.name === 'TimeoutError' ? 'timeout' : 'connection failed'}). ${fix}`,
      { details: { url } },
    );
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new KaaError(
      response.status === 404 ? 'E_HTTP_NOT_FOUND' : 'E_HTTP_SERVER',
      `The page ${url} (page.url) answered HTTP ${response.status}. ${fix}`,
      { details: { url, status: response.status } },
    );
  }
  if (!/<html|<!doctype html/i.test(text)) {
    throw new KaaError(
      'E_RESPONSE_INVALID',
      `The page ${url} (page.url) answered HTTP ${response.status} with something that is not an HTML page. ${fix}`,
      { details: { url, status: response.status } },
    );
  }
  const blockText = embeddedPageConfigText(text) ?? null;
  const settings = await readPageSettings({
    blockText,
    fileUrl: new URL(PAGE_CONFIG_FILE, url).href,
    get: (u, i) => io.fetch(u, { ...i, signal: AbortSignal.timeout(timeoutMs) }),
  });
  return { url, embedded: blockText !== null, settings };
}
