import { KaaError } from '@kaa/core';
import type { LoadedConfig } from '../config/loaded-config.js';
import type { BotConfig } from '../config/schema.js';

/**
 * The bot `name` of the config, or `E_CLI_USAGE` listing the names there are.
 *
 * @example
 * ```ts
 * botNamed(loaded, 'alpha').clientId; // 'cs-…'
 * ```
 */
export function botNamed(loaded: LoadedConfig, name: string): BotConfig {
  const bot = Object.hasOwn(loaded.config.bots, name) ? loaded.config.bots[name] : undefined;
  if (bot === undefined) {
    throw new KaaError(
      'E_CLI_USAGE',
      `There is no bot "${name}" under "bots" in ${loaded.file}. Use one of: ${Object.keys(loaded.config.bots).join(', ')}.`,
      { details: { bot: name } },
    );
  }
  return bot;
}
