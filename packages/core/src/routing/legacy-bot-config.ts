import { KaaError } from '../errors.js';
import { redact } from '../redact.js';
import type { BotRecord } from './bot-record.js';
import { checkWidgetUrl } from './parse-bot-row.js';

/**
 * The five field labels of the legacy Genesys data table (docs/genesys-protocol.md#legacy-architect-data-table), case-sensitive.
 *
 * @example
 * ```ts
 * fields[LEGACY_FIELDS.clientSecret]; // the 'Client Secret' field default
 * ```
 */
export const LEGACY_FIELDS = {
  url: 'AgentAssist URL',
  botId: 'Bot Id',
  clientId: 'Client Id',
  clientSecret: 'Client Secret',
  audiohook: 'is Audiohook Enabled',
} as const;

/**
 * The iframe path appended to an `AgentAssist URL` that does not end in `.html`.
 *
 * @example
 * ```ts
 * `https://agentassist.kore.ai${LEGACY_IFRAME_PATH}`;
 * ```
 */
export const LEGACY_IFRAME_PATH = '/koreagentassist-sdk-v3/UI/agentassist-iframe.html';

/**
 * Options for {@link parseLegacyBotConfig}.
 *
 * @example
 * ```ts
 * parseLegacyBotConfig(fields, { tableName: 'Kore Agent Assist', defaultAudiohookEnabled: false });
 * ```
 */
export interface ParseLegacyBotConfigOptions {
  /** The Genesys table name, for messages. */
  readonly tableName?: string;
  /** See `ParseBotRowOptions.allowHttpLoopback`. */
  readonly allowHttpLoopback?: boolean;
  /**
   * Code default for an empty `is Audiohook Enabled`. Default `false` (native Genesys transcripts are relayed;
   * assumption: the guide gives no default).
   */
  readonly defaultAudiohookEnabled?: boolean;
}

/**
 * Turns the five field defaults of the legacy Genesys data table into a {@link BotRecord} that serves every queue.
 * `AgentAssist URL` is normalised: a path ending in `.html` is the iframe URL; otherwise
 * `/koreagentassist-sdk-v3/UI/agentassist-iframe.html` is appended. Algorithm is HS256; no KvpConfig, no JWE key.
 *
 * @throws {KaaError} `E_BOT_ROW_INVALID` naming the field (never the Client Secret value).
 * @example
 * ```ts
 * import { parseLegacyBotConfig } from '@kaa/core';
 *
 * parseLegacyBotConfig({ 'AgentAssist URL': 'https://agentassist.kore.ai', 'Bot Id': 'st-…', 'Client Id': 'cs-…',
 *   'Client Secret': '…', 'is Audiohook Enabled': 'false' }).agentAssistWidgetUrl;
 * // → 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html'
 * ```
 */
export function parseLegacyBotConfig(
  fields: Readonly<Record<string, unknown>>,
  options: ParseLegacyBotConfigOptions = {},
): BotRecord {
  const f = typeof fields === 'object' && fields !== null ? fields : {};
  const secret = f[LEGACY_FIELDS.clientSecret];
  const secrets = typeof secret === 'string' ? [secret, secret.trim()] : [];
  const table = options.tableName
    ? `legacy Genesys data table "${options.tableName}"`
    : 'the legacy Genesys data table (Reference Key "agentAssist")';
  const fail = (field: string, text: string): never => {
    throw new KaaError('E_BOT_ROW_INVALID', redact(text, secrets), {
      secrets,
      details: { field, table: options.tableName ?? null },
    });
  };
  const value = (field: string, hint: string): string => {
    const v = f[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      const variant = Object.keys(f).find((k) => k !== field && k.toLowerCase() === field.toLowerCase());
      return fail(
        field,
        `Field "${field}" of ${table} has no default value${variant ? ` (a field "${variant}" exists; labels are case-sensitive)` : ''}. Set its default value to ${hint}.`,
      );
    }
    if (typeof v !== 'string')
      return fail(
        field,
        `Field "${field}" of ${table} is not a string field. Make it a string field whose default value is ${hint}.`,
      );
    return v.trim();
  };

  const urlText = value(LEGACY_FIELDS.url, 'the Agent AI URL, e.g. https://agentassist.kore.ai');
  const normalised = normaliseLegacyUrl(urlText);
  let problem: string | undefined;
  const url = checkWidgetUrl(
    normalised,
    LEGACY_FIELDS.url,
    `field "${LEGACY_FIELDS.url}" of ${table}`,
    options,
    (_s, _c, _col, text) => {
      problem = text;
    },
  );
  if (url === undefined)
    fail(LEGACY_FIELDS.url, problem ?? `Field "${LEGACY_FIELDS.url}" of ${table} is not a valid URL.`);
  const botId = value(LEGACY_FIELDS.botId, 'the bot id (st-…)');
  const clientId = value(LEGACY_FIELDS.clientId, "the client id (cs-…) of the bot's JWT app");
  const clientSecret = value(LEGACY_FIELDS.clientSecret, "the client secret of the bot's JWT app");
  const rawAudio = f[LEGACY_FIELDS.audiohook];
  let audiohookEnabled = options.defaultAudiohookEnabled ?? false;
  if (typeof rawAudio === 'boolean') audiohookEnabled = rawAudio;
  else if (typeof rawAudio === 'string' && rawAudio.trim() !== '') {
    const lower = rawAudio.trim().toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      fail(
        LEGACY_FIELDS.audiohook,
        `Field "${LEGACY_FIELDS.audiohook}" of ${table} is "${rawAudio.trim().slice(0, 40)}". Set its default value to "true" or "false".`,
      );
    audiohookEnabled = lower === 'true';
  }
  return {
    queueIdentifiers: [],
    botId,
    clientId,
    clientSecret,
    agentAssistWidgetUrl: url as string,
    audiohookEnabled,
    algorithm: 'HS256',
    isAgentAISDK: false,
    origin: { kind: 'genesys-legacy-table', ...(options.tableName !== undefined && { table: options.tableName }) },
  };
}

/**
 * The legacy `AgentAssist URL` rule (docs/genesys-protocol.md#legacy-architect-data-table): keep a URL whose path ends in `.html`, otherwise
 * append the v3 iframe path (without doubling a trailing slash; query and hash are kept).
 *
 * @example
 * ```ts
 * import { normaliseLegacyUrl } from '@kaa/core';
 *
 * normaliseLegacyUrl('https://agentassist.kore.ai/'); // → 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html'
 * ```
 */
export function normaliseLegacyUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return value.trim();
  }
  if (url.pathname.toLowerCase().endsWith('.html')) return url.href;
  url.pathname = url.pathname.replace(/\/+$/, '') + LEGACY_IFRAME_PATH;
  return url.href;
}
