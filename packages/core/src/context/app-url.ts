import { isHttpsOrLoopback } from '../https-url.js';
import { KaaError } from '../errors.js';
import { buildXMetadata, type XMetadataDatatable } from './x-metadata.js';
import { isWellFormed } from './query.js';
import type { OAuthGrant } from './widget-context.js';

/**
 * The bot source an Application URL selects (see `BotSourceSelector`).
 *
 * @example
 * ```ts
 * const source: AppUrlBotSource = { kind: 'third-party', accountId: '6a1c…' };
 * ```
 */
export type AppUrlBotSource =
  | { readonly kind: 'kore-data-table'; readonly datatable: XMetadataDatatable }
  | { readonly kind: 'third-party'; readonly accountId: string }
  | { readonly kind: 'genesys-legacy-table' };

/**
 * Options of {@link buildWidgetAppUrl}.
 *
 * @example
 * ```ts
 * const options: WidgetAppUrlOptions = { pageUrl: 'https://kaa.example.com/koreaiaa-genesys/', genesysClientId: 'c1a0…', botSource: { kind: 'genesys-legacy-table' } };
 * ```
 */
export interface WidgetAppUrlOptions {
  /** Where kaa's page is served, e.g. `https://kaa.example.com/koreaiaa-genesys/`. `https:` (or `http:` on 127.0.0.1/localhost for development). */
  readonly pageUrl: string;
  /** The Genesys OAuth client id (`genesysid`). */
  readonly genesysClientId: string;
  /** Which bot source the URL selects. */
  readonly botSource: AppUrlBotSource;
  /** `x_passthru_metadata`: custom data forwarded to the bot (JWE, JWT, base64 or URL-encoded JSON). */
  readonly passthruMetadata?: string;
  /** `showWidget=true|false`; omitted when undefined. */
  readonly showWidget?: boolean;
  /** `sendEventsToVG=true|false`; omitted when undefined. */
  readonly sendEventsToVG?: boolean;
  /** Add `gcTargetEnv={{gcTargetEnv}}` so the page cross-checks the region (kaa extension). Default false. */
  readonly includeTargetEnv?: boolean;
  /** Add `usePopupAuth={{gcUsePopupAuth}}` (kaa extension). Default false. */
  readonly includeUsePopupAuth?: boolean;
  /** Add `grant=pkce|implicit` (kaa extension); omitted when undefined. */
  readonly grant?: OAuthGrant;
  /** Add `debug=1`. Default false. */
  readonly debug?: boolean;
}

/**
 * Builds the exact Application URL an admin pastes into the Genesys Interaction Widget, in the Kore guide's
 * parameter order: `conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=…`
 * `[&x_passthru_metadata=…][&showWidget=…][&sendEventsToVG=…]`, then `&multibot=true&x_metadata=…` or `&accountId=…`,
 * then kaa's extensions `[&gcTargetEnv={{gcTargetEnv}}][&usePopupAuth={{gcUsePopupAuth}}][&grant=…][&debug=1]`.
 * Placeholders stay literal (`{{…}}`, unencoded) so Genesys can substitute them. Throws `E_PARAM_INVALID`
 * for an unusable page URL or client id, `E_XMETADATA_INVALID` for a bad data-table description.
 *
 * @example
 * ```ts
 * import { buildWidgetAppUrl } from '@kaa/core';
 *
 * buildWidgetAppUrl({
 *   pageUrl: 'https://kaa.example.com/koreaiaa-genesys/',
 *   genesysClientId: 'c1a00000-0000-4000-8000-00000000000b',
 *   botSource: { kind: 'kore-data-table', datatable: { name: 'kaa_bots', token: 'eyJ…', qDelimiter: '_' } },
 *   showWidget: true,
 *   sendEventsToVG: false,
 * });
 * // → 'https://kaa.example.com/koreaiaa-genesys/?conversationid={{gcConversationId}}&lang={{gcLangTag}}&environment={{gcHostOrigin}}&genesysid=c1a0…&showWidget=true&sendEventsToVG=false&multibot=true&x_metadata=%7B%22datatable%22…'
 * ```
 */
export function buildWidgetAppUrl(options: WidgetAppUrlOptions): string {
  const page = checkPageUrl(options.pageUrl);
  const clientId = String(options.genesysClientId ?? '').trim();
  if (!/^[A-Za-z0-9._~:-]{1,128}$/.test(clientId)) {
    throw new KaaError(
      'E_PARAM_INVALID',
      `The Genesys OAuth client id "${clientId}" is empty or contains characters a client id cannot have. Copy the id from Admin > Integrations > OAuth.`,
      {
        details: { parameter: 'genesysid' },
      },
    );
  }
  const parts: string[] = [
    'conversationid={{gcConversationId}}',
    'lang={{gcLangTag}}',
    'environment={{gcHostOrigin}}',
    `genesysid=${encodeURIComponent(clientId)}`,
  ];
  if (options.passthruMetadata !== undefined && !isWellFormed(options.passthruMetadata)) {
    throw new KaaError(
      'E_PARAM_INVALID',
      'The x_passthru_metadata value contains a broken Unicode character (a lone surrogate) and cannot be put in a URL. Regenerate the value.',
      {
        details: { parameter: 'x_passthru_metadata' },
        secrets: [options.passthruMetadata],
      },
    );
  }
  if (options.passthruMetadata !== undefined && options.passthruMetadata !== '')
    parts.push(`x_passthru_metadata=${encodeURIComponent(options.passthruMetadata)}`);
  if (options.showWidget !== undefined) parts.push(`showWidget=${options.showWidget}`);
  if (options.sendEventsToVG !== undefined) parts.push(`sendEventsToVG=${options.sendEventsToVG}`);
  const source = options.botSource;
  if (source.kind === 'kore-data-table') parts.push('multibot=true', `x_metadata=${buildXMetadata(source.datatable)}`);
  else if (source.kind === 'third-party') {
    const accountId = String(source.accountId ?? '').trim();
    if (!/^[A-Za-z0-9._~:-]{1,128}$/.test(accountId)) {
      throw new KaaError(
        'E_PARAM_INVALID',
        `The accountId "${accountId}" is empty or malformed. Copy it from Agent AI > Flows & Channels > Digital > Web/Mobile Client > JWT App Details.`,
        {
          details: { parameter: 'accountId' },
        },
      );
    }
    parts.push(`accountId=${encodeURIComponent(accountId)}`);
  }
  if (options.includeTargetEnv === true) parts.push('gcTargetEnv={{gcTargetEnv}}');
  if (options.includeUsePopupAuth === true) parts.push('usePopupAuth={{gcUsePopupAuth}}');
  if (options.grant !== undefined) parts.push(`grant=${options.grant}`);
  if (options.debug === true) parts.push('debug=1');
  return `${page}${page.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function checkPageUrl(pageUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(String(pageUrl).trim());
  } catch {
    url = undefined;
  }
  if (url === undefined || !isHttpsOrLoopback(url) || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new KaaError(
      'E_PARAM_INVALID',
      `The page URL "${String(pageUrl)}" cannot host the widget: it must be an absolute https:// URL without a #fragment (http:// only on 127.0.0.1 or localhost). Use the address where kaa's page is deployed, e.g. https://kaa.example.com/koreaiaa-genesys/.`,
      { details: { parameter: 'pageUrl' } },
    );
  }
  // an empty query (`…/page?`) has `search` '' but keeps its `?` in href: drop it, the parameters add their own
  return url.search === '' && url.href.endsWith('?') ? url.href.slice(0, -1) : url.href;
}
