import { LEGACY_FIELDS } from '@kaa/core';
import { LEGACY_REFERENCE_KEY } from '@kaa/genesys-adapter';
import type { LoadedConfig } from '../config/loaded-config.js';
import type { BotConfig } from '../config/schema.js';
import { MASK } from '../table/plan-table.js';

/**
 * The legacy single-bot Architect data table the Kore guide has the admin create (docs/genesys-protocol.md#legacy-architect-data-table): its
 * Reference Key label and the five String custom fields with their default values.
 *
 * @example
 * ```ts
 * const setup: LegacyTableSetup = { referenceKey: 'agentAssist', fields: [{ label: 'Bot Id', value: 'st-…', secret: false }] };
 * ```
 */
export interface LegacyTableSetup {
  readonly referenceKey: string;
  readonly fields: readonly { readonly label: string; readonly value: string; readonly secret: boolean }[];
}

/**
 * The legacy table setup for the config's one bot. `AgentAssist URL` is the bot's `widgetUrl`, else
 * `agentAi.url` (the page appends the iframe path to a URL not ending in `.html`). The Client Secret is
 * read only when `reveal` is true; otherwise it is masked.
 *
 * @example
 * ```ts
 * const setup = await legacyTableSetup(loaded, false);
 * setup.fields.find((f) => f.label === 'Client Secret')?.value; // '********'
 * ```
 */
export async function legacyTableSetup(loaded: LoadedConfig, reveal: boolean): Promise<LegacyTableSetup> {
  const [name, bot] = Object.entries(loaded.config.bots)[0] as [string, BotConfig];
  const secret = reveal ? await loaded.secret(bot.clientSecret, ['bots', name, 'clientSecret']) : MASK;
  return {
    referenceKey: LEGACY_REFERENCE_KEY,
    fields: [
      { label: LEGACY_FIELDS.url, value: bot.widgetUrl ?? loaded.config.agentAi.url, secret: false },
      { label: LEGACY_FIELDS.botId, value: bot.botId, secret: false },
      { label: LEGACY_FIELDS.clientId, value: bot.clientId, secret: false },
      { label: LEGACY_FIELDS.clientSecret, value: secret, secret: true },
      { label: LEGACY_FIELDS.audiohook, value: String(bot.audiohookEnabled), secret: false },
    ],
  };
}
