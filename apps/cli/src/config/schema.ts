import { isHttpsOrLoopback, PLATFORM_JWT_MAX_TTL_SECONDS } from '@kaa/core';
import { z } from 'zod';
import { SecretRefSchema } from './secret-ref.js';

const httpUrl = z
  .string()
  .url('must be an absolute URL such as https://platform.kore.ai')
  .refine((v) => isHttpsOrLoopback(v), 'must use https:// (http:// only on 127.0.0.1 or localhost)');

const app = z.strictObject({
  /** The app's Client ID (cs-…). */
  clientId: z.string().min(1, 'must be the Client ID (cs-…) of the Data app'),
  clientSecret: SecretRefSchema,
});

const jwk = z.record(z.string(), z.unknown());

const bot = z.strictObject({
  botId: z.string().regex(/^st-[A-Za-z0-9-]+$/, 'must be the bot id from Agent AI (st-…)'),
  clientId: z.string().regex(/^cs-[A-Za-z0-9-]+$/, "must be the Client ID of the bot's JWT app (cs-…)"),
  clientSecret: SecretRefSchema,
  /** Default: `agentAi.widgetUrl`. */
  widgetUrl: httpUrl.optional(),
  queues: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'must list at least one QueueIdentifier'),
  kvpConfig: z.union([z.record(z.string(), z.string()), z.string()]).optional(),
  audiohookEnabled: z.boolean().default(false),
  /** The client app's public JWK (object, JSON text or `{file}`); needed with a kvpConfig. */
  jwePublicKey: z.union([jwk, z.string().min(1), z.strictObject({ file: z.string().min(1) })]).optional(),
  algorithm: z.enum(['HS256', 'RS256', 'RS512']).default('HS256'),
  rsPrivatePem: SecretRefSchema.optional(),
  isAgentAISDK: z.boolean().default(false),
});

const botSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('kore-data-table') }),
  z.strictObject({
    kind: z.literal('third-party'),
    /** The `accountId` URL parameter: Agent AI › Flows & Channels › Digital › Web/Mobile Client › JWT App Details. */
    accountId: z.string().trim().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'must be the Agent AI account id from Web/Mobile Client › JWT App Details'),
    /**
     * How `kaa doctor` reads the Third-Party Configuration (docs/assumptions.md#third-party-configuration-runtime-api: Kore has not published the runtime
     * API): `static` (default) treats the config's `bots` as the records (each bot's `queues` are full queue
     * names, docs/assumptions.md#queue-matching-details); `http` asks `url`.
     */
    lookup: z.enum(['static', 'http']).default('static'),
    /** With `lookup: http`: URL template with `{accountId}` (and optionally `{queueName}`, `{queueId}`). Default: setting `thirdParty.http.url`. */
    url: httpUrl.optional(),
  }),
  z.strictObject({
    kind: z.literal('genesys-legacy-table'),
    /** The Architect data table id to read (docs/assumptions.md#legacy-genesys-data-table-lookup). Default: setting `legacy.tableId`, else the table whose Reference Key label is `agentAssist`. */
    tableId: z.string().trim().min(1, 'must be the Architect data table id').optional(),
  }),
]);

/**
 * The schema of kaa's one config file (YAML or JSON). Unknown keys are errors, so a typo never falls back
 * to a default silently. `settings` is checked separately with core's `KaaSettingsSchema`.
 *
 * @example
 * ```ts
 * const parsed = KaaConfigSchema.safeParse(document.toJS());
 * ```
 */
export const KaaConfigSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  page: z.strictObject({
    /** Where kaa's page is deployed, e.g. https://kaa.example.com/koreaiaa-genesys/. */
    url: httpUrl,
  }),
  agentAi: z.strictObject({
    /** The Agent AI URL (AudioHook `koreDomainURL`), e.g. https://platform.kore.ai. */
    url: httpUrl,
    /** Kore public-API origin; default derived from `url` (docs/assumptions.md#kore-data-table-api-host, setting `kore.apiHost`). */
    apiHost: httpUrl.optional(),
    /** Default `AgentAssistWidgetURL` for every bot. */
    widgetUrl: httpUrl.default('https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html'),
  }),
  genesys: z.strictObject({
    /** The desktop origin (`{{gcHostOrigin}}`, e.g. https://apps.mypurecloud.ie) or a domain such as mypurecloud.ie. */
    environment: z.string().min(1, 'must be the Genesys desktop origin, e.g. https://apps.mypurecloud.com'),
    targetEnv: z.string().optional(),
    /** The browser OAuth client (PKCE or implicit): `genesysid`. */
    oauthClientId: z.string().regex(/^[A-Za-z0-9._~:-]{1,128}$/, 'must be the Genesys OAuth client id (Admin > Integrations > OAuth)'),
    /** A Client Credentials OAuth client, for `kaa doctor` and the AudioHook Advanced settings. */
    clientCredentials: z.strictObject({ clientId: z.string().min(1, 'must be the OAuth client id'), clientSecret: SecretRefSchema }).optional(),
  }),
  /**
   * Where the page finds the bot for a queue (docs/kore-protocol.md#bot-sources-and-modes), i.e. which parameters `kaa url` writes:
   * `kore-data-table` (default: `multibot=true&x_metadata=…`, needs `dataTable`), `third-party`
   * (`accountId=…`, Agent AI Third-Party Configuration) or `genesys-legacy-table` (no parameter: the single-bot
   * Architect data table whose Reference Key label is `agentAssist`).
   */
  botSource: botSource.default({ kind: 'kore-data-table' }),
  /** The Kore Data Table of mode `kore-data-table`; not used by the other modes. */
  dataTable: z.strictObject({
    name: z.string().trim().min(1, 'must be the Kore Data Table name'),
    /** The one character ending the QueueIdentifier in queue names; "" matches whole queue names. */
    qDelimiter: z.string().refine((v) => [...v].length <= 1, 'must be a single character such as "_" (or "" for whole queue names)').default('_'),
    /** The `x_metadata` read token. Default: minted from `readApp`, valid `tokenTtlSeconds`. */
    token: SecretRefSchema.optional(),
    /**
     * Lifetime of the x_metadata token kaa mints from `readApp`. The token sits in the Interaction Widget URL and is
     * long-lived (docs/assumptions.md#data-table-read-token-lifetime): default one year, at most core's `PLATFORM_JWT_MAX_TTL_SECONDS` (10 years).
     * Rotate it by minting a new one and updating the widget URL (`kaa url`).
     */
    tokenTtlSeconds: z.number().int().min(60).max(PLATFORM_JWT_MAX_TTL_SECONDS, `must be at most ${PLATFORM_JWT_MAX_TTL_SECONDS} (10 years)`).default(365 * 86_400),
    /** Data app with read access (its token goes into x_metadata). */
    readApp: app.optional(),
    /** Data app with read/write/delete access, for `kaa table apply`. Default: `readApp`. */
    adminApp: app.optional(),
  }).optional(),
  bots: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'bot names may use letters, digits, _ and -'), bot).refine((b) => Object.keys(b).length > 0, 'must define at least one bot'),
  widget: z
    .strictObject({
      passthruMetadata: SecretRefSchema.optional(),
      showWidget: z.boolean().optional(),
      sendEventsToVG: z.boolean().optional(),
      includeTargetEnv: z.boolean().default(true),
      usePopupAuth: z.boolean().default(false),
      grant: z.enum(['pkce', 'implicit']).optional(),
      debug: z.boolean().default(false),
    })
    .default({ includeTargetEnv: true, usePopupAuth: false, debug: false }),
  audiohook: z
    .strictObject({
      kvgHost: z.string().min(1).default('savg-webserver.kore.ai'),
      sipuri: z.string().min(1, 'must be the SIP URI from Agent AI > Voice Gateway > SIP Numbers'),
      token: SecretRefSchema,
      accountId: z.string().min(1, 'must be the Agent AI account id'),
      /** Which bot's ClientId/ClientSecret sign the Advanced-tab token. Default: the first bot with audiohookEnabled. */
      bot: z.string().optional(),
      multiBot: z.boolean().default(true),
      /** Lifetime of the Advanced-tab token signed with the bot's ClientId/ClientSecret; at most 86400 (core's limit). */
      tokenTtlSeconds: z.number().int().min(60).max(86_400, 'must be at most 86400 (one day, the longest lifetime core signs)').default(86_400),
    })
    .optional(),
  /** kaa runtime settings (core `KaaSettings`): every open question's key with its documented default. */
  settings: z.record(z.string(), z.unknown()).default({}),
}).superRefine((config, ctx) => {
  const kind = config.botSource.kind;
  if (kind === 'kore-data-table' && config.dataTable === undefined) {
    ctx.addIssue({ code: 'custom', path: ['dataTable'], message: 'is missing: botSource kind "kore-data-table" (the default) needs the Kore Data Table { name, qDelimiter, readApp }. Add "dataTable", or set botSource.kind to "third-party" or "genesys-legacy-table"' });
  }
  if (kind !== 'genesys-legacy-table') return;
  const names = Object.keys(config.bots);
  if (names.length !== 1) {
    ctx.addIssue({ code: 'custom', path: ['bots'], message: `must define exactly one bot with botSource kind "genesys-legacy-table" (the legacy Genesys data table holds one bot; ${names.length} are defined). Keep one, or use botSource kind "kore-data-table" for several bots` });
  }
  for (const name of names) {
    const bot = config.bots[name];
    if (bot === undefined) continue;
    const unsupported: [string, boolean][] = [
      ['kvpConfig', bot.kvpConfig !== undefined],
      ['jwePublicKey', bot.jwePublicKey !== undefined],
      ['algorithm', bot.algorithm !== 'HS256'],
      ['rsPrivatePem', bot.rsPrivatePem !== undefined],
      ['isAgentAISDK', bot.isAgentAISDK],
    ];
    for (const [field, used] of unsupported) {
      if (used) ctx.addIssue({ code: 'custom', path: ['bots', name, field], message: 'is not available with botSource kind "genesys-legacy-table": the legacy table has only AgentAssist URL, Bot Id, Client Id, Client Secret and is Audiohook Enabled (HS256 tokens, no secure custom data). Remove it, or use botSource kind "kore-data-table"' });
    }
  }
});

/**
 * The validated config (defaults filled).
 *
 * @example
 * ```ts
 * const config: KaaConfig = KaaConfigSchema.parse(raw);
 * ```
 */
export type KaaConfig = z.output<typeof KaaConfigSchema>;
/**
 * One bot of the config.
 *
 * @example
 * ```ts
 * const bot: BotConfig = config.bots['alpha']!;
 * ```
 */
export type BotConfig = KaaConfig['bots'][string];

/**
 * The config's `botSource`: which bot source the Application URL selects.
 *
 * @example
 * ```ts
 * const source: BotSourceConfig = { kind: 'third-party', accountId: '6a1c0000-0000-4000-8000-0000000000ac', lookup: 'static' };
 * ```
 */
export type BotSourceConfig = KaaConfig['botSource'];

/**
 * The config's `dataTable` (present in mode `kore-data-table`).
 *
 * @example
 * ```ts
 * const table: DataTableConfig = requireDataTable(loaded, 'kaa table');
 * ```
 */
export type DataTableConfig = NonNullable<KaaConfig['dataTable']>;
