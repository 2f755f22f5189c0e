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
    throw new KaaError('E_CONFIG_INVALID', `The Agent AI URL "${String(agentAiUrl).slice(0, 200)}" is not a URL, so the Kore API host cannot be derived. Set the Agent AI URL (e.g. https://platform.kore.ai) or config kore.apiHost.`, {
      details: { key: 'kore.apiHost' },
    });
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
    throw new KaaError('E_CONFIG_INVALID', `The Agent AI URL "${url.origin}" must use https:. Fix the Agent AI URL or set config kore.apiHost.`, {
      details: { key: 'kore.apiHost', origin: url.origin },
    });
  }
  return url.origin === LEGACY_AGENT_AI_ORIGIN ? LEGACY_API_HOST : url.origin;
}
