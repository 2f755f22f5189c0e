import type { AudiohookAdvancedConfig } from '@kaa/core';
import type { LoadedConfig } from './config/loaded-config.js';
import type { KaaConfig } from './config/schema.js';
import { genesysEnvironment } from './connections.js';

/**
 * The AudioHook Monitor integration's Advanced settings for the config, as `kaa audiohook` prints them and
 * `kaa provision` writes them (core's `formatAudiohookAdvancedConfig` takes this): the config's Genesys domain, its
 * Client Credentials client, `agentAi.url`, the bot's ClientId and its platform JWT. `sendEventsToVG` is
 * `widget.sendEventsToVG`, default `true` as in the guide's Advanced sample (the new AudioHook flow; `false` keeps
 * the old one).
 *
 * @example
 * ```ts
 * formatAudiohookAdvancedConfig(await audiohookAdvanced(loaded, cc, bot, token));
 * ```
 */
export async function audiohookAdvanced(
  loaded: LoadedConfig,
  cc: NonNullable<KaaConfig['genesys']['clientCredentials']>,
  bot: { readonly clientId: string },
  token: string,
): Promise<AudiohookAdvancedConfig> {
  return {
    environment: genesysEnvironment(loaded).domain,
    oauthClientId: cc.clientId,
    oauthClientSecret: await loaded.secret(cc.clientSecret, ['genesys', 'clientCredentials', 'clientSecret']),
    koreDomainURL: loaded.config.agentAi.url,
    sendEventsToVG: loaded.config.widget.sendEventsToVG ?? true,
    botId: bot.clientId,
    token,
  };
}
