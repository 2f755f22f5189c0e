import { isHttpsOrLoopback } from '../https-url.js';
import { KaaError } from '../errors.js';
import { languageOf } from './language-of.js';

/** The part of a bot record the widget URL needs; any `BotRecord` fits. */
export interface WidgetUrlRecord {
  /** `BotId`, `st-…`. */
  botId: string;
  /** `AgentAssistWidgetURL`, e.g. `https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html`. */
  agentAssistWidgetUrl: string;
}

/** The part of the widget context the URL needs; any `WidgetContext` fits. */
export interface WidgetUrlContext {
  /** The Genesys conversation id. */
  conversationId: string;
  /** Genesys `gcLangTag`, e.g. `en-us`. */
  lang?: string | undefined;
}

/** Widget channel; the widget defaults to `voice` when `isCall`, else `chat`. */
export type WidgetChannel = 'chat' | 'voice' | 'email';

/** Options of {@link buildAgentAssistUrl}. */
export interface AgentAssistUrlOptions {
  /** The widget JWT from `signWidgetJwt`. */
  token: string;
  /** The `customData` object (see `buildCustomData`); omitted when absent or empty. */
  customData?: Readonly<Record<string, unknown>> | undefined;
  /** Voice (`true`) or chat (`false`). */
  isCall: boolean;
  /** Sent only when given. */
  channel?: WidgetChannel | undefined;
  /** Language override (docs/assumptions.md#widget-language); default: primary subtag of `context.lang`. */
  language?: string | undefined;
  /** `source` (docs/assumptions.md#source-value-sent-to-kore, `kore.source`), default `genesys`. */
  source?: string | undefined;
  /** `agentassisturl` override (docs/assumptions.md#agentassisturl-host, `kore.agentAssistUrl`); default the origin of AgentAssistWidgetURL. */
  agentAssistUrl?: string | undefined;
}

/**
 * Builds the Agent AI widget iframe URL (docs/kore-protocol.md#widget-url-kaa-builds):
 * `{AgentAssistWidgetURL}?token=…&botid=…&agentassisturl=…&conversationid=…&isCall=true|false[&channel=…]&source=genesys&interactiveLanguage=…[&customData=…]`.
 * Every value is `encodeURIComponent`-encoded; `customData` is `encodeURIComponent(JSON.stringify(customData))`.
 * `agentassisturl` is the origin of AgentAssistWidgetURL unless overridden (docs/assumptions.md#agentassisturl-host). Query parameters already in
 * AgentAssistWidgetURL are kept. A missing `token`, `botid`, `agentassisturl` or `conversationid`, or an
 * AgentAssistWidgetURL that is not https (http is allowed on loopback only), throws `E_WIDGET_URL_INVALID`.
 * The URL holds the token: log it only through {@link describeWidgetUrl}.
 *
 * @example
 * ```ts
 * import { buildAgentAssistUrl } from '@kaa/core';
 *
 * buildAgentAssistUrl(
 *   { botId: 'st-a1fa…', agentAssistWidgetUrl: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html' },
 *   { conversationId: 'c0a00000-0000-4000-8000-000000000001', lang: 'en-us' },
 *   { token, isCall: true, customData: { internalMetaData: '{"crmId":"42"}' } },
 * );
 * // → 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html?token=eyJ…&botid=st-a1fa…
 * //    &agentassisturl=https%3A%2F%2Fagentassist.kore.ai&conversationid=c0a0…&isCall=true&source=genesys
 * //    &interactiveLanguage=en&customData=%7B%22internalMetaData%22%3A%22%7B%5C%22crmId%5C%22%3A%5C%2242%5C%22%7D%22%7D'
 * ```
 */
export function buildAgentAssistUrl(
  record: WidgetUrlRecord,
  context: WidgetUrlContext,
  options: AgentAssistUrlOptions,
): string {
  const secrets = [options.token];
  const widgetUrl = parseHttpsUrl(
    record?.agentAssistWidgetUrl,
    'The AgentAssistWidgetURL column',
    'Set AgentAssistWidgetURL to the full https URL of the widget, e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html.',
  );
  const agentAssistUrl =
    options.agentAssistUrl === undefined
      ? widgetUrl.origin
      : parseHttpsUrl(
          options.agentAssistUrl,
          'The "kore.agentAssistUrl" override',
          'Set "kore.agentAssistUrl" to the https origin of Agent AI, or remove it.',
        ).href.replace(/\/+$/, '');
  const params: [string, string][] = [
    ['token', required(options.token, 'token', 'The widget token was not minted; check the token step.', secrets)],
    ['botid', required(record?.botId, 'botid', 'Fill the BotId column of the bot row (st-…).', secrets)],
    ['agentassisturl', agentAssistUrl],
    [
      'conversationid',
      required(
        context?.conversationId,
        'conversationid',
        'Open the widget from an interaction: the Interaction Widget URL must carry conversationid={{gcConversationId}}.',
        secrets,
      ),
    ],
    ['isCall', options.isCall === true ? 'true' : 'false'],
  ];
  if (options.channel !== undefined) {
    if (options.channel !== 'chat' && options.channel !== 'voice' && options.channel !== 'email') {
      throw new KaaError(
        'E_WIDGET_URL_INVALID',
        `Widget channel "${String(options.channel)}" is not known. Use chat, voice or email.`,
        { details: { param: 'channel' } },
      );
    }
    params.push(['channel', options.channel]);
  }
  params.push([
    'source',
    options.source === undefined || options.source.trim() === '' ? 'genesys' : options.source.trim(),
  ]);
  params.push(['interactiveLanguage', languageOf(context?.lang, options.language)]);
  if (options.customData !== undefined && Object.keys(options.customData).length > 0) {
    let json: string;
    try {
      json = JSON.stringify(options.customData);
    } catch (cause) {
      throw new KaaError(
        'E_WIDGET_URL_INVALID',
        'Custom data holds a value that is not JSON (a cycle or a BigInt), and the widget fails to load on non-JSON customData. Check CustomDataConfig.',
        {
          details: { param: 'customData' },
          cause,
          secrets,
        },
      );
    }
    params.push(['customData', json]);
  }
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const base = `${widgetUrl.origin}${widgetUrl.pathname}`;
  const existing = widgetUrl.search.length > 1 ? `${widgetUrl.search.slice(1)}&` : '';
  return `${base}?${existing}${query}${widgetUrl.hash}`;
}

function required(value: unknown, param: string, fix: string, secrets: (string | undefined)[]): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new KaaError('E_WIDGET_URL_INVALID', `The widget URL cannot be built: "${param}" is missing. ${fix}`, {
    details: { param },
    secrets,
  });
}

function parseHttpsUrl(value: unknown, what: string, fix: string): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new KaaError('E_WIDGET_URL_INVALID', `${what} is empty. ${fix}`, { details: { param: 'agentassisturl' } });
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (cause) {
    throw new KaaError('E_WIDGET_URL_INVALID', `${what} is not a URL. ${fix}`, {
      details: { param: 'agentassisturl' },
      cause,
    });
  }
  const secure = isHttpsOrLoopback(url);
  if (!secure || url.username !== '' || url.password !== '') {
    throw new KaaError(
      'E_WIDGET_URL_INVALID',
      `${what} must be an https URL without credentials (http only on 127.0.0.1/localhost). ${fix}`,
      {
        details: { param: 'agentassisturl', protocol: url.protocol },
      },
    );
  }
  return url;
}
