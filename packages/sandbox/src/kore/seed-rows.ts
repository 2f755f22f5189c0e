/**
 * The seeded rows of the `kaa_bots` Kore Data Table, shaped as the Kore guide's insert payload.
 */
import type { BotKey, SandboxBot } from './bot-keys.js';
import type { TableRow } from './table-query.js';

/** The columns of `kaa_bots`, in the guide's order (case-sensitive, all strings). */
export const KAA_BOTS_COLUMNS = [
  'QueueIdentifier',
  'BotId',
  'ClientId',
  'ClientSecret',
  'AudiohookEnabled',
  'AgentAssistWidgetURL',
  'KvpConfig',
  'JWEPublicKey',
  'Algorithm',
  'RSPrivatePem',
  'isAgentAISDK',
] as const;

/** The KvpConfig of the `ALPHAINC` row, like the guide's sample (paths into GET /api/v2/conversations/{id}). */
export const ALPHA_KVP_CONFIG = {
  queue: 'participants[0].queueName',
  state: 'participants[0].calls[0].state',
} as const;

/** Path of the stand-in widget on the Kore origin (docs/kore-protocol.md#hosts-and-identifiers, widget v3). */
export const WIDGET_PATH = '/koreagentassist-sdk-v3/UI/agentassist-iframe.html';

/**
 * The seeded rows: `ALPHAINC` → alpha, `Kore, KoreSupport` → kore, `DUPE` twice (dupe1, dupe2), `RSA` → rs,
 * `AUDIO` → audio with `AudiohookEnabled: 'true'` and the alpha KvpConfig (Kore audio with secure custom data).
 *
 * @example
 * ```ts
 * const rows = seedBotRows(bots, 'http://127.0.0.1:4100');
 * rows[0].QueueIdentifier; // 'ALPHAINC'
 * ```
 */
export function seedBotRows(bots: Record<BotKey, SandboxBot>, koreOrigin: string): TableRow[] {
  const widgetUrl = `${koreOrigin}${WIDGET_PATH}`;
  const row = (bot: SandboxBot, queueIdentifier: string, extra: TableRow = {}): TableRow => ({
    QueueIdentifier: queueIdentifier,
    BotId: bot.botId,
    ClientId: bot.clientId,
    ClientSecret: bot.clientSecret,
    AudiohookEnabled: 'false',
    AgentAssistWidgetURL: widgetUrl,
    JWEPublicKey: JSON.stringify(bot.jwePublicJwk),
    Algorithm: 'HS256',
    ...extra,
  });
  return [
    row(bots.alpha, 'ALPHAINC', { KvpConfig: JSON.stringify(ALPHA_KVP_CONFIG) }),
    row(bots.kore, 'Kore, KoreSupport', { AudiohookEnabled: 'False', isAgentAISDK: 'false' }),
    row(bots.dupe1, 'DUPE'),
    row(bots.dupe2, 'DUPE, DUPE2'),
    row(bots.rs, 'RSA', { Algorithm: 'RS256', RSPrivatePem: bots.rs.rsPrivatePem ?? '' }),
    row(bots.audio, 'AUDIO', { AudiohookEnabled: 'true', KvpConfig: JSON.stringify(ALPHA_KVP_CONFIG) }),
  ];
}
