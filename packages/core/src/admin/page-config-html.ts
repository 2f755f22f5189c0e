import { KaaError } from '../errors.js';
import { parseSettings, type KaaSettings } from '../context/settings.js';

/** The `id` of the `<script type="application/json">` block in `index.html` that holds the page's settings. */
export const PAGE_CONFIG_ELEMENT_ID = 'kaa-config';

const BLOCK = new RegExp(`\\s*<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">[\\s\\S]*?</script>`);
const FILE_PRELOAD = /\s*<link rel="preload" href="\.\/kaa\.config\.json"[^>]*>/;

/**
 * Embeds kaa's page settings (the content of `kaa.config.json`) into the built `index.html` as a JSON data block,
 * `<script type="application/json" id="kaa-config">…</script>`, and drops the page's preload of `kaa.config.json`.
 * The page then reads its settings from the document it already has instead of fetching a second file before the
 * Genesys requests can start (one page-origin request less on every load). A data block is not executed, so the
 * page's `script-src 'self'` CSP is unaffected. Idempotent: an existing block is replaced.
 *
 * The settings are validated first (`parseSettings`): an invalid file fails here, at deploy time, with
 * `E_CONFIG_INVALID` naming the key. `<` is written as `\u003c`, so no value can close the block.
 *
 * @example
 * ```ts
 * import { embedPageConfig } from '@kaa/core';
 *
 * const html = embedPageConfig(readFileSync('dist/index.html', 'utf8'), { auth: { grant: 'pkce' } });
 * writeFileSync('dist/index.html', html);
 * ```
 */
export function embedPageConfig(indexHtml: string, settings: unknown): string {
  parseSettings(settings);
  if (!/<\/head>/i.test(indexHtml)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The page file has no </head>: pass the index.html of the built kaa page (apps/iframe dist).',
      { details: { file: 'index.html' } },
    );
  }
  const json = JSON.stringify(settings ?? {}).replace(/</g, '\\u003c');
  const block = `<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">${json}</script>`;
  const without = indexHtml.replace(BLOCK, '').replace(FILE_PRELOAD, '');
  return without.replace(/<\/head>/i, (head) => `${block}\n${head}`); // a function: `$` in a value is not a replacement pattern
}

/**
 * The settings embedded in an `index.html` by {@link embedPageConfig}, as written (not yet validated), or
 * `undefined` when there is no block. Invalid JSON throws `E_CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * import { embeddedPageConfig } from '@kaa/core';
 *
 * embeddedPageConfig(readFileSync('dist/index.html', 'utf8')); // { auth: { grant: 'pkce' } } or undefined
 * ```
 */
export function embeddedPageConfig(indexHtml: string): unknown {
  const text = embeddedPageConfigText(indexHtml);
  return text === undefined ? undefined : parsePageConfigText(text, 'index.html');
}

/**
 * The raw text of the `kaa-config` block of an `index.html`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { embeddedPageConfigText } from '@kaa/core';
 *
 * embeddedPageConfigText('<head><script type="application/json" id="kaa-config">{}</script></head>'); // '{}'
 * ```
 */
export function embeddedPageConfigText(indexHtml: string): string | undefined {
  const match = new RegExp(`<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">([\\s\\S]*?)</script>`).exec(
    indexHtml,
  );
  return match ? (match[1] ?? '') : undefined;
}

/**
 * Parses the text of the page's settings (the `kaa-config` block or `kaa.config.json`) as JSON; a syntax error is
 * `E_CONFIG_INVALID` naming `source`.
 *
 * @example
 * ```ts
 * import { parsePageConfigText } from '@kaa/core';
 *
 * parsePageConfigText('{"routing":{"cacheTtlSeconds":60}}', 'kaa.config.json'); // { routing: { cacheTtlSeconds: 60 } }
 * ```
 */
export function parsePageConfigText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The page's configuration in ${source} is not valid JSON. Fix its syntax (a JSON object of kaa settings).`,
      { cause, details: { file: source } },
    );
  }
}

/** The name of the page's settings file, served next to `index.html` when no settings are embedded. */
export const PAGE_CONFIG_FILE = 'kaa.config.json';

/**
 * The one rule for which settings a deployed page runs with, used by the page itself and by `kaa doctor` (reading
 * the deployed page): the embedded `kaa-config` block when there is one (no request), else `kaa.config.json` next to
 * `index.html` — a missing file (HTTP 404) means every default. Both are validated with {@link parseSettings}; any
 * problem is `E_CONFIG_INVALID` naming the source and the key, never echoing a value. `get` is the injected fetch.
 *
 * @example
 * ```ts
 * const settings = await readPageSettings({ blockText: document.getElementById(PAGE_CONFIG_ELEMENT_ID)?.textContent ?? null,
 *   fileUrl: new URL(PAGE_CONFIG_FILE, location.href).href, get: (u, i) => fetch(u, i) });
 * ```
 */
export async function readPageSettings(source: {
  blockText: string | null;
  fileUrl: string;
  get: (url: string, init?: RequestInit) => Promise<Response>;
}): Promise<KaaSettings> {
  if (source.blockText !== null) {
    const where = `index.html (the "${PAGE_CONFIG_ELEMENT_ID}" block)`;
    return validatedSettings(parsePageConfigText(source.blockText, where), where);
  }
  let response: Response;
  try {
    response = await source.get(source.fileUrl, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch (cause) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The page could not read its configuration file ${PAGE_CONFIG_FILE}. Check that it is deployed next to index.html and reachable.`,
      {
        cause,
        details: { file: PAGE_CONFIG_FILE },
      },
    );
  }
  if (response.status === 404) return parseSettings({});
  if (!response.ok) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The page's configuration file ${PAGE_CONFIG_FILE} answered HTTP ${response.status}. Deploy it next to index.html, or remove it to use the defaults.`,
      {
        details: { file: PAGE_CONFIG_FILE, status: response.status },
      },
    );
  }
  return validatedSettings(parsePageConfigText(await response.text(), PAGE_CONFIG_FILE), PAGE_CONFIG_FILE);
}

function validatedSettings(json: unknown, source: string): KaaSettings {
  try {
    return parseSettings(json);
  } catch (e) {
    if (e instanceof KaaError)
      throw new KaaError(e.code, `${source}: ${e.message}`, { details: { ...e.details, file: source } });
    throw e;
  }
}
