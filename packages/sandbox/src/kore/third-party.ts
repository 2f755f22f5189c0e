/**
 * Third-Party Configuration records (docs/kore-protocol.md#third-party-configuration) of the seeded account, and the lookup the sandbox
 * answers for them.
 *
 * The runtime API is unpublished (docs/assumptions.md#third-party-configuration-runtime-api). The sandbox serves one configurable path,
 * {@link DEFAULT_THIRD_PARTY_PATH}, answering `GET …?queueName=<full queue name>` with the record whose
 * Queue Identifiers list that name (full-name match, no delimiter: docs/assumptions.md#third-party-configuration-runtime-api). Key values are
 * base64-encoded as the guide requires. The record also carries the bot's identity and JWT app
 * credentials because a kaa page needs them to mint the widget token; that shape is an assumption. A record
 * with `SecureCustomDataConfig` also carries the bot's JWE public key (`jwePublicKey`, the stringified JWK, as
 * the Data Table's `JWEPublicKey` column holds it), because secure custom data cannot be encrypted without it;
 * kore-client's third-party mapping reads that field (`packages/kore-client/src/bot-sources/third-party.ts`).
 */
import { QUEUES, THIRD_PARTY } from '../seed.js';
import type { BotKey, SandboxBot } from './bot-keys.js';
import { ALPHA_KVP_CONFIG, WIDGET_PATH } from './seed-rows.js';

/**
 * Default lookup path; `{accountId}` is substituted. Configurable (`thirdPartyPath`) because the real path is
 * unpublished (docs/assumptions.md#third-party-configuration-runtime-api).
 */
export const DEFAULT_THIRD_PARTY_PATH = '/agentassist/api/v1/thirdparty/{accountId}/config';

/** One Third-Party Configuration record as the sandbox returns it. */
export interface ThirdPartyRecord {
  accountId: string;
  recordId: string;
  name: string;
  description: string;
  queueIdentifiers: string[];
  botId: string;
  botName: string;
  clientId: string;
  clientSecret: string;
  agentAssistWidgetUrl: string;
  /** The bot's public JWE key as a stringified JWK; set on every record whose keys hold `SecureCustomDataConfig`. */
  jwePublicKey?: string;
  /** Every value base64-encoded (UTF-8), as the guide requires. */
  keys: Record<string, string>;
}

/** base64 of the UTF-8 bytes of `text`. */
export function base64Utf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * The seeded account's records: the alpha queue (full name) → alpha bot, and `KoreSupport` → kore bot
 * (the kore record uses the older `BotLanguageCode` key, so both spellings are exercised). Records with
 * `SecureCustomDataConfig` (alpha) carry the bot's `jwePublicKey`.
 *
 * @example
 * ```ts
 * const [alpha] = seedThirdPartyRecords(bots, origin);
 * Buffer.from(alpha.keys.AudiohookEnabled, 'base64').toString(); // 'false'
 * ```
 */
export function seedThirdPartyRecords(bots: Record<BotKey, SandboxBot>, koreOrigin: string): ThirdPartyRecord[] {
  const record = (
    bot: SandboxBot,
    recordId: string,
    queues: string[],
    keys: Record<string, string>,
  ): ThirdPartyRecord => ({
    accountId: THIRD_PARTY.accountId,
    recordId,
    name: bot.name,
    description: `Sandbox record for ${bot.name}`,
    queueIdentifiers: queues,
    botId: bot.botId,
    botName: bot.name,
    clientId: bot.clientId,
    clientSecret: bot.clientSecret,
    agentAssistWidgetUrl: `${koreOrigin}${WIDGET_PATH}`,
    ...('SecureCustomDataConfig' in keys ? { jwePublicKey: JSON.stringify(bot.jwePublicJwk) } : {}),
    keys: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, base64Utf8(v)])),
  });
  return [
    record(bots.alpha, 'tpc-0001', [QUEUES.alpha.name], {
      CustomDataConfig: JSON.stringify({ queue: ALPHA_KVP_CONFIG.queue }),
      SecureCustomDataConfig: JSON.stringify({ state: ALPHA_KVP_CONFIG.state }),
      AudiohookEnabled: 'false',
      AppLanguageCode: 'en',
    }),
    record(bots.kore, 'tpc-0002', [QUEUES.koreSupport.name], {
      AudiohookEnabled: 'false',
      BotLanguageCode: 'en',
    }),
  ];
}

/** The records of `accountId` that list `queueName` (exact, case-sensitive). */
export function findThirdPartyRecords(
  records: readonly ThirdPartyRecord[],
  accountId: string,
  queueName: string,
): ThirdPartyRecord[] {
  return records.filter((r) => r.accountId === accountId && r.queueIdentifiers.includes(queueName));
}
