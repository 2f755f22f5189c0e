import type { BotSourceConfig } from './schema.js';

/**
 * How messages and tables name the config's bot source.
 *
 * @example
 * ```ts
 * botSourceLabel({ kind: 'third-party', accountId: '6a1c…', lookup: 'static' }); // 'Third-Party Configuration of account "6a1c…"'
 * ```
 */
export function botSourceLabel(source: BotSourceConfig): string {
  if (source.kind === 'third-party') return `Third-Party Configuration of account "${source.accountId}"`;
  if (source.kind === 'genesys-legacy-table') return 'the legacy Genesys data table (Reference Key "agentAssist")';
  return 'the Kore Data Table';
}
