import { encodeBase64 } from '@kaa/core';
import type { ThirdPartyRecordInput } from '@kaa/kore-client';
import type { LoadedConfig } from '../config/loaded-config.js';
import type { BotConfig } from '../config/schema.js';
import { desiredRows } from '../table/desired-rows.js';

/**
 * The keys of a bot's Agent AI Third-Party Configuration record, base64-encoded as the Kore guide requires:
 * `AudiohookEnabled` always, `SecureCustomDataConfig` when the bot has a `kvpConfig`. No secret is read.
 *
 * @example
 * ```ts
 * thirdPartyKeys(config.bots['alpha']!); // { AudiohookEnabled: 'ZmFsc2U=' }
 * ```
 */
export function thirdPartyKeys(bot: BotConfig): Record<string, string> {
  const kvp =
    bot.kvpConfig === undefined
      ? undefined
      : typeof bot.kvpConfig === 'string'
        ? bot.kvpConfig.trim()
        : JSON.stringify(bot.kvpConfig);
  return {
    AudiohookEnabled: encodeBase64(String(bot.audiohookEnabled)),
    ...(kvp !== undefined && kvp !== '' && { SecureCustomDataConfig: encodeBase64(kvp) }),
  };
}

/**
 * The config's bots as a Third-Party Configuration static map for kore-client's `createThirdPartyBotSource`
 * (`lookup: static`): one record per bot whose Queue Identifiers are the bot's `queues` (full queue names, docs/assumptions.md#queue-matching-details).
 * Reads the bots' secrets. Map keys cannot be queue names, so matching goes by `queueIdentifiers` only.
 *
 * @example
 * ```ts
 * createThirdPartyBotSource({ accountId, mode: 'static', staticMap: await thirdPartyStaticMap(loaded) });
 * ```
 */
export async function thirdPartyStaticMap(loaded: LoadedConfig): Promise<Record<string, ThirdPartyRecordInput>> {
  const map: Record<string, ThirdPartyRecordInput> = {};
  for (const { bot: name, row } of await desiredRows(loaded)) {
    const bot = loaded.config.bots[name] as BotConfig;
    map[`\u0000kaa-bot:${name}`] = {
      name,
      queueIdentifiers: [...bot.queues],
      botId: row['BotId'] ?? '',
      clientId: row['ClientId'] ?? '',
      clientSecret: row['ClientSecret'] ?? '',
      agentAssistWidgetUrl: row['AgentAssistWidgetURL'] ?? '',
      ...(row['JWEPublicKey'] ? { jwePublicKey: row['JWEPublicKey'] } : {}),
      isAgentAISDK: bot.isAgentAISDK,
      keys: thirdPartyKeys(bot),
    };
  }
  return map;
}
