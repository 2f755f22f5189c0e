// Over 300 lines on purpose: the widget URL contract in one file: every parameter's name, display name, filler, check and the parser that applies them.
import { KaaError } from '../errors.js';
import { parseXMetadata, type XMetadataDatatable } from './x-metadata.js';
import {
  decodeRepeatedly,
  guidePlaceholder,
  isOnlyPlaceholder,
  parseBooleanText,
  readQuery,
  templatePlaceholder,
  type QueryValues,
} from './query.js';

/**
 * Where the bot record for this interaction comes from (docs/kore-protocol.md#bot-sources-and-modes), chosen from the URL in this order:
 * 1. `kore-data-table`: `multibot=true` and `x_metadata` (Kore Data Table, one row per queue);
 * 2. `third-party`: `accountId` (Agent AI Third-Party Configuration);
 * 3. `genesys-legacy-table`: neither (the single-bot Genesys data table).
 *
 * The precedence is a project rule; Kore's own is not documented (docs/kore-protocol.md#bot-sources-and-modes).
 *
 * @example
 * ```ts
 * switch (ctx.botSource.kind) {
 *   case 'kore-data-table': return ctx.botSource.datatable.name;
 *   case 'third-party': return ctx.botSource.accountId;
 *   case 'genesys-legacy-table': return 'legacy';
 * }
 * ```
 */
export type BotSourceSelector =
  | { readonly kind: 'kore-data-table'; readonly datatable: XMetadataDatatable }
  | { readonly kind: 'third-party'; readonly accountId: string }
  | { readonly kind: 'genesys-legacy-table' };

/**
 * OAuth grant requested explicitly in the URL (`grant=pkce|implicit`, a kaa extension).
 *
 * @example
 * ```ts
 * const grant: OAuthGrant = ctx.grant ?? settings.auth.grant;
 * ```
 */
export type OAuthGrant = 'pkce' | 'implicit';

/**
 * Everything the Interaction Widget URL says, parsed once (docs/genesys-protocol.md#kaa-url-contract). Optional fields are absent when the URL omits them.
 *
 * @example
 * ```ts
 * const ctx: WidgetContext = parseWidgetContext(location.href);
 * if (ctx.debug) showTimeline();
 * ```
 */
export interface WidgetContext {
  /** `conversationid`: the Genesys conversation to assist (a UUID in production). */
  readonly conversationId: string;
  /** `environment` (alias `gcHostOrigin`, `pcEnvironment`): the desktop origin (`https://apps.mypurecloud.ie`) or a bare domain (`mypurecloud.ie`), lower-cased. */
  readonly hostOrigin: string;
  /** `gcTargetEnv` (the misspelling `gcTargeEnv` is accepted too): the environment name, e.g. `prod-euw1`. */
  readonly targetEnv?: string;
  /** `lang`: the agent's UI language, e.g. `en-us`. */
  readonly lang?: string;
  /** `genesysid`: the Genesys OAuth client id. */
  readonly genesysClientId: string;
  /** `usePopupAuth` (alias `gcUsePopupAuth`): the host's hint to log in through a popup (docs/assumptions.md#popup-or-redirect-login). */
  readonly usePopupAuth?: boolean;
  /** `grant`: explicit OAuth grant override (kaa extension); absent means the configured `auth.grant`. */
  readonly grant?: OAuthGrant;
  /** `showWidget`: keep showing the widget to an agent after a transfer (docs/assumptions.md#showwidget-after-a-transfer). Absent when the URL omits it. */
  readonly showWidget?: boolean;
  /** `sendEventsToVG`: send hold and resume to the Kore voice gateway (docs/assumptions.md#hold-and-resume-sink). Absent when the URL omits it. */
  readonly sendEventsToVG?: boolean;
  /** `debug=1|true`: show the redacted timeline. */
  readonly debug: boolean;
  /** `x_passthru_metadata`, kept as the original string (after the one URL decoding of the query). May hold a token: never log it. */
  readonly passthruMetadata?: string;
  /** Where the bot record comes from. */
  readonly botSource: BotSourceSelector;
  /** Parameters kaa does not know (e.g. `gcInteractionId`), by their name as written; kept so nothing is lost. */
  readonly otherParams: Readonly<Record<string, string>>;
}

/**
 * Options of {@link parseWidgetContext}.
 *
 * @example
 * ```ts
 * parseWidgetContext(url, { conversationIdPattern: UUID_PATTERN });
 * ```
 */
export interface ParseWidgetContextOptions {
  /**
   * Pattern a `conversationid` must match. Default: 1–128 id-safe characters (`A-Z a-z 0-9 . _ -`), not the
   * strings `undefined`/`null`. Genesys conversation ids are UUIDs, but public payloads and test tools also use
   * ids such as `test-conversation-id-1`; pass {@link UUID_PATTERN} to insist on a UUID.
   */
  readonly conversationIdPattern?: RegExp;
}

/**
 * A UUID (any version), for {@link ParseWidgetContextOptions.conversationIdPattern}.
 *
 * @example
 * ```ts
 * import { parseWidgetContext, UUID_PATTERN } from '@kaa/core';
 *
 * parseWidgetContext(location.href, { conversationIdPattern: UUID_PATTERN });
 * ```
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONVERSATION_ID = /^(?!(?:undefined|null)$)[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/i;
const TARGET_ENV = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const LANG = /^[a-z]{2,8}(?:[-_][a-z0-9]{1,8}){0,6}$/i;
const CLIENT_ID = /^[A-Za-z0-9._~:-]{1,128}$/;
const ACCOUNT_ID = /^[A-Za-z0-9._~:-]{1,128}$/;
const BARE_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i;

/** Parameter names kaa reads, lower-cased, with their aliases; the first is the canonical name. */
const NAMES = {
  conversationid: ['conversationid'],
  environment: ['environment', 'gchostorigin', 'pcenvironment'],
  gctargetenv: ['gctargetenv', 'gctargeenv'],
  lang: ['lang'],
  genesysid: ['genesysid'],
  usepopupauth: ['usepopupauth', 'gcusepopupauth'],
  grant: ['grant'],
  showwidget: ['showwidget'],
  sendeventstovg: ['sendeventstovg'],
  debug: ['debug'],
  multibot: ['multibot'],
  x_metadata: ['x_metadata'],
  accountid: ['accountid'],
  x_passthru_metadata: ['x_passthru_metadata'],
} as const;

type Known = keyof typeof NAMES;

/** The written (canonical) name of each parameter, for messages. */
const DISPLAY: Record<Known, string> = {
  conversationid: 'conversationid',
  environment: 'environment',
  gctargetenv: 'gcTargetEnv',
  lang: 'lang',
  genesysid: 'genesysid',
  usepopupauth: 'usePopupAuth',
  grant: 'grant',
  showwidget: 'showWidget',
  sendeventstovg: 'sendEventsToVG',
  debug: 'debug',
  multibot: 'multibot',
  x_metadata: 'x_metadata',
  accountid: 'accountId',
  x_passthru_metadata: 'x_passthru_metadata',
};

const SECRET_PARAMS: ReadonlySet<Known> = new Set(['x_metadata', 'x_passthru_metadata']);

const FILLED_BY: Partial<Record<Known, string>> = {
  conversationid: '{{gcConversationId}}',
  environment: '{{gcHostOrigin}}',
  gctargetenv: '{{gcTargetEnv}}',
  lang: '{{gcLangTag}}',
  usepopupauth: '{{gcUsePopupAuth}}',
};

/**
 * Parses the Interaction Widget URL (docs/genesys-protocol.md#kaa-url-contract, the Kore guide's Application URL) into one typed,
 * frozen {@link WidgetContext}. Pure: no IO.
 *
 * Tolerates what real installs send: parameter names in any case; values URL-encoded once or twice;
 * `true/True/TRUE/1` and `false/0`; surrounding whitespace; unsubstituted `{{gcLangTag}}`-style
 * placeholders in optional parameters (treated as absent). `input` may be a full URL, a query string
 * (with or without `?`), a `URL` or `URLSearchParams`.
 *
 * Throws {@link KaaError}:
 * - `E_PARAM_MISSING`: `conversationid`, `environment` or `genesysid` absent; `multibot=true` without
 *   `x_metadata`; `x_metadata` without `multibot=true`.
 * - `E_PARAM_INVALID`: a malformed value; a required parameter still holding a `{{…}}` placeholder (the URL was
 *   opened outside Genesys); a guide placeholder such as `<genesys-oauth-Id>` or `true/false` pasted literally;
 *   one parameter given twice with different values.
 * - `E_XMETADATA_INVALID`: see {@link parseXMetadata}.
 * Messages never contain the `x_metadata` token or the `x_passthru_metadata` value.
 *
 * Bot source: `multibot=true` + `x_metadata` → Kore Data Table; else `accountId` → third party; else the legacy
 * Genesys table. An explicit `multibot=false` switches the data table off and `x_metadata` is then ignored.
 *
 * @example
 * ```ts
 * import { parseWidgetContext } from '@kaa/core';
 *
 * const ctx = parseWidgetContext(location.href);
 * // e.g. ?conversationid=c0a00000-…&lang=en-us&environment=https%3A%2F%2Fapps.mypurecloud.ie&genesysid=c1a0…&multibot=true&x_metadata=%7B…
 * ctx.conversationId;   // 'c0a00000-…'
 * ctx.hostOrigin;       // 'https://apps.mypurecloud.ie'
 * ctx.botSource.kind;   // 'kore-data-table'
 * ```
 */
export function parseWidgetContext(
  input: string | URL | URLSearchParams,
  options: ParseWidgetContextOptions = {},
): WidgetContext {
  const query = readQuery(input);
  const secrets = collectSecrets(query);
  const reader = new Reader(query, secrets);

  const conversationId = reader.required(
    'conversationid',
    (v) => ((options.conversationIdPattern ?? CONVERSATION_ID).test(v) ? v : undefined),
    'a Genesys conversation id (a UUID such as 3f2b1c4e-…)',
  );
  const hostOrigin = reader.required(
    'environment',
    parseHostOrigin,
    'the Genesys desktop origin, e.g. https://apps.mypurecloud.ie',
  );
  const genesysClientId = reader.required(
    'genesysid',
    (v) => (CLIENT_ID.test(v) ? v : undefined),
    'the Genesys OAuth client id (Admin > Integrations > OAuth)',
  );
  const targetEnv = reader.optional(
    'gctargetenv',
    (v) => (TARGET_ENV.test(v) ? v.toLowerCase() : undefined),
    'a Genesys environment name such as prod-euw1',
  );
  const lang = reader.optional(
    'lang',
    (v) => (LANG.test(v) ? v.toLowerCase() : undefined),
    'a language tag such as en-us',
  );
  const usePopupAuth = reader.optionalBoolean('usepopupauth');
  const grant = reader.optional(
    'grant',
    (v) => {
      const g = v.toLowerCase();
      return g === 'pkce' || g === 'implicit' ? g : undefined;
    },
    'pkce or implicit',
  );
  const showWidget = reader.optionalBoolean('showwidget');
  const sendEventsToVG = reader.optionalBoolean('sendeventstovg');
  const debug = reader.optionalBoolean('debug') ?? false;
  const multibot = reader.optionalBoolean('multibot');
  const xMetadata = reader.optionalRaw('x_metadata');
  const accountId = reader.optional(
    'accountid',
    (v) => (ACCOUNT_ID.test(v) ? v : undefined),
    'the accountId from Agent AI > Flows & Channels > Digital > Web/Mobile Client > JWT App Details',
  );
  const passthru = reader.optionalRaw('x_passthru_metadata');

  let botSource: BotSourceSelector;
  if (multibot === true) {
    if (xMetadata === undefined) {
      throw new KaaError(
        'E_PARAM_MISSING',
        'The URL has "multibot=true" but no "x_metadata" parameter. Add "&x_metadata=" followed by the URL-encoded JSON {"datatable":{"name":…,"token":…,"qDelimiter":"_"}}, or remove "multibot=true".',
        { details: { parameter: 'x_metadata' }, secrets },
      );
    }
    botSource = { kind: 'kore-data-table', datatable: parseXMetadata(xMetadata) };
  } else if (xMetadata !== undefined && multibot === undefined) {
    throw new KaaError(
      'E_PARAM_MISSING',
      'The URL has "x_metadata" but not "multibot=true", so it is unclear whether the Kore Data Table should be used. Add "&multibot=true" to use it, or remove x_metadata.',
      { details: { parameter: 'multibot' }, secrets },
    );
  } else if (accountId !== undefined) {
    botSource = { kind: 'third-party', accountId };
  } else {
    botSource = { kind: 'genesys-legacy-table' };
  }

  const ctx: WidgetContext = {
    conversationId,
    hostOrigin,
    ...(targetEnv === undefined ? {} : { targetEnv }),
    ...(lang === undefined ? {} : { lang }),
    genesysClientId,
    ...(usePopupAuth === undefined ? {} : { usePopupAuth }),
    ...(grant === undefined ? {} : { grant }),
    ...(showWidget === undefined ? {} : { showWidget }),
    ...(sendEventsToVG === undefined ? {} : { sendEventsToVG }),
    debug,
    ...(passthru === undefined ? {} : { passthruMetadata: passthru }),
    botSource: Object.freeze(botSource),
    otherParams: Object.freeze(otherParams(query)),
  };
  return Object.freeze(ctx);
}

function parseHostOrigin(value: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
    return url.origin.toLowerCase();
  }
  const host = value.toLowerCase().replace(/\.$/, '');
  return BARE_HOST.test(host) ? host : undefined;
}

function collectSecrets(query: QueryValues): string[] {
  const out: string[] = [];
  for (const key of ['x_metadata', 'x_passthru_metadata'] as const) {
    for (const { value } of query.get(key) ?? []) {
      out.push(value, value.trim(), decodeRepeatedly(value.trim(), 3));
      const token = /"token"\s*:\s*"([^"]*)"/.exec(decodeRepeatedly(value.trim(), 3))?.[1];
      if (token !== undefined) out.push(token);
    }
  }
  return out;
}

function otherParams(query: QueryValues): Record<string, string> {
  const known = new Set<string>(Object.values(NAMES).flat());
  const out: Record<string, string> = {};
  for (const [key, list] of query) {
    if (known.has(key)) continue;
    for (const { name, value } of list) if (!(name in out)) out[name] = value;
  }
  return out;
}

class Reader {
  constructor(
    private readonly query: QueryValues,
    private readonly secrets: readonly string[],
  ) {}

  /** The single trimmed value of a parameter (aliases included), or undefined when absent or empty. */
  private value(key: Known, decode: boolean): string | undefined {
    const found: { name: string; value: string }[] = [];
    for (const alias of NAMES[key]) for (const entry of this.query.get(alias) ?? []) found.push(entry);
    const values = found
      .map((e) => (decode ? decodeRepeatedly(e.value.trim()) : e.value).trim())
      .filter((v) => v !== '');
    const distinct = [...new Set(values)];
    if (distinct.length > 1) {
      const names = [...new Set(found.map((e) => e.name))].map((n) => `"${n}"`).join(', ');
      const shown = SECRET_PARAMS.has(key) ? '' : ` (${distinct.map((v) => `"${v}"`).join(', ')})`;
      throw new KaaError(
        'E_PARAM_INVALID',
        `Parameter "${DISPLAY[key]}" is given more than once with different values${shown} through ${names}. Keep one of them in the Application URL.`,
        { details: { parameter: DISPLAY[key], names: [...new Set(found.map((e) => e.name))] }, secrets: this.secrets },
      );
    }
    return distinct[0];
  }

  private placeholderError(key: Known, placeholder: string, required: boolean): KaaError {
    const template = templatePlaceholder(placeholder) !== undefined;
    const message = template
      ? `Parameter "${DISPLAY[key]}" still holds the placeholder ${placeholder}. Genesys fills it only when it opens the page inside an interaction: open this page from the Interaction Widget in the agent desktop, not by pasting the Application URL into a browser.`
      : `Parameter "${DISPLAY[key]}" still holds the guide's sample value ${SECRET_PARAMS.has(key) ? '<…>' : placeholder}. Replace it in the Application URL with ${required ? 'the real value' : 'a real value, or remove the parameter'}.`;
    return new KaaError('E_PARAM_INVALID', message, {
      details: { parameter: DISPLAY[key], placeholder: SECRET_PARAMS.has(key) ? '<…>' : placeholder },
      secrets: this.secrets,
    });
  }

  required<T>(key: Known, parse: (v: string) => T | undefined, expected: string): T {
    const v = this.value(key, true);
    if (v === undefined) {
      const filled = FILLED_BY[key];
      throw new KaaError(
        'E_PARAM_MISSING',
        `Parameter "${DISPLAY[key]}" is missing from the page URL. Add "${DISPLAY[key]}=${filled ?? '<value>'}" to the Interaction Widget's Application URL (${expected}).`,
        { details: { parameter: DISPLAY[key] }, secrets: this.secrets },
      );
    }
    const placeholder = templatePlaceholder(v) ?? guidePlaceholder(v);
    if (placeholder !== undefined) throw this.placeholderError(key, placeholder, true);
    return this.check(key, v, parse, expected);
  }

  optional<T>(key: Known, parse: (v: string) => T | undefined, expected: string): T | undefined {
    const v = this.value(key, true);
    if (v === undefined || isOnlyPlaceholder(v)) return undefined;
    const guide = guidePlaceholder(v);
    if (guide !== undefined) throw this.placeholderError(key, guide, false);
    return this.check(key, v, parse, expected);
  }

  optionalBoolean(key: Known): boolean | undefined {
    return this.optional(key, parseBooleanText, 'true or false');
  }

  /** The value as received (one URL decoding), for parameters kaa must forward unchanged. */
  optionalRaw(key: Known): string | undefined {
    const v = this.value(key, false);
    if (v === undefined || isOnlyPlaceholder(v)) return undefined;
    const guide = guidePlaceholder(v);
    if (guide !== undefined) throw this.placeholderError(key, guide, false);
    return v;
  }

  private check<T>(key: Known, v: string, parse: (v: string) => T | undefined, expected: string): T {
    const parsed = parse(v);
    if (parsed !== undefined) return parsed;
    const shown = v.length > 80 ? `${v.slice(0, 80)}…` : v;
    throw new KaaError(
      'E_PARAM_INVALID',
      `Parameter "${DISPLAY[key]}" has the value "${shown}", which is not ${expected}. Correct it in the Interaction Widget's Application URL.`,
      { details: { parameter: DISPLAY[key], expected }, secrets: this.secrets },
    );
  }
}
