import type { LoadedConfig } from '../config/loaded-config.js';

/**
 * One row the config wants in the Kore Data Table, with the bot it comes from.
 *
 * @example
 * ```ts
 * const d: DesiredRow = { bot: 'alpha', row: { QueueIdentifier: 'ALPHAINC', BotId: 'st-…', … } };
 * ```
 */
export interface DesiredRow {
  readonly bot: string;
  readonly row: Readonly<Record<string, string>>;
}

/**
 * The Kore Data Table rows the config describes, one per bot, in the guide's column names (docs/kore-protocol.md#bot-row-schema).
 * Booleans are written as the guide's rows show them: `AudiohookEnabled` `true`/`false`, `isAgentAISDK` `True`/`False`
 * (the page reads either case); `KvpConfig` and `JWEPublicKey` as JSON text, empty optional columns as `""`. Reads the bots' secrets (ClientSecret, RSPrivatePem).
 *
 * @example
 * ```ts
 * const rows = await desiredRows(loaded);
 * rows[0].row.QueueIdentifier; // 'ALPHAINC'
 * ```
 */
export async function desiredRows(loaded: LoadedConfig): Promise<DesiredRow[]> {
  const out: DesiredRow[] = [];
  for (const [name, bot] of Object.entries(loaded.config.bots)) {
    const path = ['bots', name];
    const jwe =
      bot.jwePublicKey === undefined ? '' : await jwkText(loaded, bot.jwePublicKey, [...path, 'jwePublicKey']);
    out.push({
      bot: name,
      row: {
        QueueIdentifier: bot.queues.join(', '),
        BotId: bot.botId,
        ClientId: bot.clientId,
        ClientSecret: await loaded.secret(bot.clientSecret, [...path, 'clientSecret']),
        AgentAssistWidgetURL: bot.widgetUrl ?? loaded.config.agentAi.widgetUrl,
        AudiohookEnabled: String(bot.audiohookEnabled),
        JWEPublicKey: jwe,
        KvpConfig:
          bot.kvpConfig === undefined
            ? ''
            : typeof bot.kvpConfig === 'string'
              ? bot.kvpConfig
              : JSON.stringify(bot.kvpConfig),
        Algorithm: bot.algorithm,
        RSPrivatePem:
          bot.rsPrivatePem === undefined ? '' : await loaded.secret(bot.rsPrivatePem, [...path, 'rsPrivatePem']),
        isAgentAISDK: bot.isAgentAISDK ? 'True' : 'False',
      },
    });
  }
  return out;
}

async function jwkText(
  loaded: LoadedConfig,
  value: Readonly<Record<string, unknown>> | string,
  path: readonly PropertyKey[],
): Promise<string> {
  if (typeof value === 'string') return value.trim();
  if (typeof value['file'] === 'string' && Object.keys(value).length === 1)
    return (await loaded.readText(value['file'], path)).trim();
  return JSON.stringify(value);
}
