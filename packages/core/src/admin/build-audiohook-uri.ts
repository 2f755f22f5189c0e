import { KaaError } from '../errors.js';

/** Kore Voice Gateway host for SaaS in the US region (Kore guide). */
export const KVG_HOST_US = 'savg-webserver.kore.ai';

/** Input of {@link buildAudiohookUri}. */
export interface AudiohookUriInput {
  /** Kore Voice Gateway host, e.g. `savg-webserver.kore.ai` (a scheme or trailing slash is tolerated). */
  kvgHost: string;
  /** The bot's SIP URI from Agent AI › Voice Gateway › SIP Numbers › Configure SIP Trunk. */
  sipuri: string;
  /** The token from the same generated Connection URL. */
  token: string;
  botId: string;
  accountId: string;
  /** Append `multiBot=true` (one bot per queue through the Kore Data Table). */
  multiBot: boolean;
}

/**
 * Builds the AudioHook Monitor **Connection URI** exactly as the Kore guide shows (docs/kore-protocol.md#audiohook-settings-for-kore-audio):
 * `wss://{KVG}/audiosocket/genesys/?sipuri=…&token=…&botId=…&accountId=…&agentassist=true[&multiBot=true]`.
 * Values are `encodeURIComponent`-encoded. A missing field throws `E_CONFIG_INVALID`; the token never appears in a message.
 *
 * @example
 * ```ts
 * import { buildAudiohookUri } from '@kaa/core';
 *
 * buildAudiohookUri({ kvgHost: 'savg-webserver.kore.ai', sipuri: 'sip:st-a1fa@kore.ai', token: 'kvg-token', botId: 'st-a1fa…', accountId: '6a1c…', multiBot: true });
 * // → 'wss://savg-webserver.kore.ai/audiosocket/genesys/?sipuri=sip%3Ast-a1fa%40kore.ai&token=kvg-token&botId=st-a1fa…&accountId=6a1c…&agentassist=true&multiBot=true'
 * ```
 */
export function buildAudiohookUri(input: AudiohookUriInput): string {
  const secrets = [input.token];
  const host = String(input.kvgHost ?? '')
    .trim()
    .replace(/^(?:wss?|https?):\/\//i, '')
    .replace(/\/+$/, '');
  if (host === '' || !/^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(host)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The Kore Voice Gateway host is missing or not a host name. Use savg-webserver.kore.ai for SaaS US, or your on-prem KVG host.',
      {
        details: { field: 'kvgHost' },
        secrets,
      },
    );
  }
  const fields: [string, unknown][] = [
    ['sipuri', input.sipuri],
    ['token', input.token],
    ['botId', input.botId],
    ['accountId', input.accountId],
  ];
  const query = fields.map(([name, value]) => {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The AudioHook Connection URI needs "${name}". Copy it from Agent AI › Flows & Channels › Voice Gateway › SIP Numbers › Configure SIP Trunk › GENESYS Audiohook.`,
        {
          details: { field: name },
          secrets,
        },
      );
    }
    return `${name}=${encodeURIComponent(value.trim())}`;
  });
  query.push('agentassist=true');
  if (input.multiBot) query.push('multiBot=true');
  return `wss://${host}/audiosocket/genesys/?${query.join('&')}`;
}
