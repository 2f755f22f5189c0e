import { isHttpsOrLoopback } from '@kaa/core';
import { KaaError } from '@kaa/core';

/** The legacy Agent AI origin whose public APIs live on another host (docs/kore-protocol.md#data-table-url-parameter). */
const LEGACY_AGENT_AI_ORIGIN = 'https://agentassist.kore.ai';
const LEGACY_API_HOST = 'https://bots.kore.ai';

/**
 * The Kore public-API base (Data Tables, hooks, Control Transcription) for an Agent AI URL, per
 * docs/assumptions.md#kore-data-table-api-host: the Agent AI URL's origin, except `https://bots.kore.ai` when that origin is
 * `https://agentassist.kore.ai`. This is an assumption (inferred); override it with config `kore.apiHost`.
 * Accepts any URL on the Agent AI host (e.g. the `AgentAssistWidgetURL`). `https:` is required except on
 * loopback hosts (local sandbox).
 *
 * @throws {KaaError} `E_CONFIG_INVALID` when the URL cannot be read or is not `https:`.
 * @example
 * ```ts
 * koreApiHostFor('https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html'); // 'https://bots.kore.ai'
 * koreApiHostFor('https://platform.kore.ai'); // 'https://platform.kore.ai'
 * ```
 */
export function koreApiHostFor(agentAiUrl: string): string {
  let url: URL;
  try {
    url = new URL(String(agentAiUrl));
  } catch {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Agent AI URL "${String(agentAiUrl).slice(0, 200)}" is not a URL, so the Kore API host cannot be derived. Set the Agent AI URL (e.g. https://platform.kore.ai) or config kore.apiHost.`,
      {
        details: { key: 'kore.apiHost' },
      },
    );
  }
  if (!isHttpsOrLoopback(url)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Agent AI URL "${url.origin}" must use https:. Fix the Agent AI URL or set config kore.apiHost.`,
      {
        details: { key: 'kore.apiHost', origin: url.origin },
      },
    );
  }
  return url.origin === LEGACY_AGENT_AI_ORIGIN ? LEGACY_API_HOST : url.origin;
}

/**
 * Where the Kore public-API host can come from, in the order {@link resolveKoreApiHost} tries them.
 *
 * @example
 * ```ts
 * const sources: KoreApiHostSources = { apiHost: settings.kore.apiHost, agentAiUrl: 'https://platform.kore.ai' };
 * ```
 */
export interface KoreApiHostSources {
  /** An explicit host: the CLI's `agentAi.apiHost`, else setting `kore.apiHost` (the page: setting `kore.apiHost` only). */
  readonly apiHost?: string | undefined;
  /** An Agent AI URL to derive the host from with {@link koreApiHostFor} when no explicit host is given. */
  readonly agentAiUrl?: string | undefined;
}

/**
 * The one rule for where kaa calls the Kore public APIs (Data Tables, hooks, Control Transcription), used by the CLI
 * (`kaa table`, `kaa lint`, `kaa doctor`, `kaa page --dist`, which embeds the result as setting `kore.apiHost`) and by
 * the page: an explicit `apiHost` wins, else the host derived from `agentAiUrl` ({@link koreApiHostFor}). With
 * neither, `E_CONFIG_INVALID` naming setting `kore.apiHost` and the command that writes it — never a guess such as
 * the page's own origin (docs/assumptions.md#kore-data-table-api-host).
 *
 * @throws {KaaError} `E_CONFIG_INVALID` when neither source is given, or the one given is not an https origin.
 * @example
 * ```ts
 * resolveKoreApiHost({ apiHost: undefined, agentAiUrl: 'https://agentassist.kore.ai' }); // 'https://bots.kore.ai'
 * resolveKoreApiHost({ apiHost: 'https://platform.kore.ai/' }); // 'https://platform.kore.ai' (no trailing slash)
 * ```
 */
export function resolveKoreApiHost(sources: KoreApiHostSources): string {
  if (sources.apiHost !== undefined && sources.apiHost !== '') {
    let url: URL;
    try {
      url = new URL(String(sources.apiHost));
    } catch {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The Kore API host "${String(sources.apiHost).slice(0, 200)}" (setting kore.apiHost) is not a URL. Set agentAi.url (or agentAi.apiHost) in kaa.yaml to e.g. https://platform.kore.ai and run "kaa page --dist" again.`,
        {
          details: { key: 'kore.apiHost' },
        },
      );
    }
    if (!isHttpsOrLoopback(url)) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The Kore API host "${url.origin}" (setting kore.apiHost) must use https:. Fix agentAi.url (or agentAi.apiHost) in kaa.yaml and run "kaa page --dist" again.`,
        {
          details: { key: 'kore.apiHost', origin: url.origin },
        },
      );
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  if (sources.agentAiUrl !== undefined && sources.agentAiUrl !== '') return koreApiHostFor(sources.agentAiUrl);
  throw new KaaError(
    'E_CONFIG_INVALID',
    'The page does not know where the Kore API is: its settings have no "kore.apiHost". Run "kaa page --dist <the built page>" (it writes the host derived from agentAi.url in kaa.yaml into index.html) and deploy that index.html again; or set "kore.apiHost" in kaa.config.json next to the page.',
    { details: { key: 'kore.apiHost' } },
  );
}

/**
 * The Kore API host the deployed page uses: {@link resolveKoreApiHost} over the page's settings alone (setting
 * `kore.apiHost`, which `kaa page --dist` embeds). `kaa doctor` calls this on the settings it reads from the deployed
 * page, so it reads the table where the page will.
 *
 * @throws {KaaError} `E_CONFIG_INVALID` when the settings carry no `kore.apiHost` (docs/assumptions.md#kore-data-table-api-host).
 * @example
 * ```ts
 * createDataTableClient({ baseUrl: pageKoreApiHost(settings), token }, deps);
 * ```
 */
export function pageKoreApiHost(settings: { readonly kore: { readonly apiHost?: string | undefined } }): string {
  return resolveKoreApiHost({ apiHost: settings.kore.apiHost });
}
