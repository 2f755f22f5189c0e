import { KaaError } from '../errors.js';

/** The AudioHook Monitor **Advanced** tab JSON the Kore guide prescribes (docs/kore-protocol.md#audiohook-settings-for-kore-audio). */
export interface AudiohookAdvancedConfig {
  /** Genesys environment, e.g. `mypurecloud.com`. */
  environment: string;
  /** A Genesys **client credentials** OAuth client id. */
  oauthClientId: string;
  oauthClientSecret: string;
  /** The Agent AI URL, e.g. `https://platform.kore.ai`. */
  koreDomainURL: string;
  sendEventsToVG: boolean;
  /** The bot's ClientId (the guide labels it "Bot-ClientID"). */
  botId: string;
  /** A JWT signed with the bot's ClientId/ClientSecret (`signPlatformJwt`). */
  token: string;
}

/**
 * Builds the AudioHook **Advanced** tab object in the guide's key order:
 * `{environment, oauthClientId, koreDomainURL, oauthClientSecret, sendEventsToVG, botId, token}`.
 * `environment` accepts `mypurecloud.com` or a URL/`apps.` host and is reduced to the bare domain; `koreDomainURL` must be https.
 * A missing field throws `E_CONFIG_INVALID` without echoing the secret or token.
 *
 * @example
 * ```ts
 * import { buildAudiohookAdvancedConfig } from '@kaa/core';
 *
 * buildAudiohookAdvancedConfig({ environment: 'mypurecloud.com', oauthClientId: 'c1a0…0c', oauthClientSecret: '…',
 *   koreDomainURL: 'https://platform.kore.ai', sendEventsToVG: true, botId: 'cs-a1fa…', token: 'eyJ…' });
 * ```
 */
export function buildAudiohookAdvancedConfig(input: AudiohookAdvancedConfig): AudiohookAdvancedConfig {
  const secrets = [input.oauthClientSecret, input.token];
  const text = (field: keyof AudiohookAdvancedConfig, fix: string): string => {
    const value = input[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    throw new KaaError('E_CONFIG_INVALID', `The AudioHook Advanced settings need "${field}". ${fix}`, {
      details: { field },
      secrets,
    });
  };
  const environment = text('environment', 'Use your Genesys environment, e.g. mypurecloud.com.')
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .replace(/^(?:apps|login|api)\./i, '');
  const koreDomainURL = text('koreDomainURL', 'Use the Agent AI URL, e.g. https://platform.kore.ai.').replace(
    /\/+$/,
    '',
  );
  if (!/^https:\/\/[^/\s]+/i.test(koreDomainURL)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'The AudioHook Advanced setting "koreDomainURL" must be an https URL such as https://platform.kore.ai.',
      { details: { field: 'koreDomainURL' }, secrets },
    );
  }
  if (typeof input.sendEventsToVG !== 'boolean') {
    throw new KaaError('E_CONFIG_INVALID', 'The AudioHook Advanced setting "sendEventsToVG" must be true or false.', {
      details: { field: 'sendEventsToVG' },
      secrets,
    });
  }
  return {
    environment,
    oauthClientId: text(
      'oauthClientId',
      'Create a Genesys OAuth client with the Client Credentials grant and use its Client ID.',
    ),
    koreDomainURL,
    oauthClientSecret: text('oauthClientSecret', 'Use the Client Secret of that Client Credentials OAuth client.'),
    sendEventsToVG: input.sendEventsToVG,
    botId: text('botId', "Use the bot's ClientId."),
    token: text('token', "Sign a JWT with the bot's ClientId and ClientSecret (kaa: signPlatformJwt)."),
  };
}

/**
 * The Advanced-tab JSON as pretty text (2-space indent) to paste into Genesys. It contains secrets:
 * print it only where the admin asked for it, never in a log.
 *
 * @example
 * ```ts
 * import { formatAudiohookAdvancedConfig } from '@kaa/core';
 *
 * console.log(formatAudiohookAdvancedConfig(config)); // '{\n  "environment": "mypurecloud.com",\n  …\n}'
 * ```
 */
export function formatAudiohookAdvancedConfig(input: AudiohookAdvancedConfig): string {
  return JSON.stringify(buildAudiohookAdvancedConfig(input), null, 2);
}
