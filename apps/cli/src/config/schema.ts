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

const nameText = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

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
    accountId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'must be the Agent AI account id from Web/Mobile Client › JWT App Details'),
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
export const KaaConfigSchema = z
  .strictObject({
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
      /**
       * The browser OAuth client (PKCE or implicit): `genesysid`. Optional with a `provision` section: `kaa provision`
       * then manages the client by name (`provision.oauthClient.name`) and puts its id into the widget URL.
       */
      oauthClientId: z
        .string()
        .regex(/^[A-Za-z0-9._~:-]{1,128}$/, 'must be the Genesys OAuth client id (Admin > Integrations > OAuth)')
        .optional(),
      /** A Client Credentials OAuth client, for `kaa doctor` and the AudioHook Advanced settings (read scopes only: its secret goes into the AudioHook integration). */
      clientCredentials: z
        .strictObject({ clientId: z.string().min(1, 'must be the OAuth client id'), clientSecret: SecretRefSchema })
        .optional(),
      /**
       * A Client Credentials OAuth client with the admin scopes `kaa provision` needs (oauth, integrations,
       * authorization, routing, groups:readonly, users:readonly; architect in legacy mode) — docs/assumptions.md#admin-client-scopes.
       * `kaa doctor --user` reads roles and queues with it. Kept apart from `clientCredentials`, whose secret is pasted
       * into the AudioHook integration.
       */
      adminClient: z
        .strictObject({ clientId: z.string().min(1, 'must be the OAuth client id'), clientSecret: SecretRefSchema })
        .optional(),
    }),
    /**
     * Where the page finds the bot for a queue (docs/kore-protocol.md#bot-sources-and-modes), i.e. which parameters `kaa url` writes:
     * `kore-data-table` (default: `multibot=true&x_metadata=…`, needs `dataTable`), `third-party`
     * (`accountId=…`, Agent AI Third-Party Configuration) or `genesys-legacy-table` (no parameter: the single-bot
     * Architect data table whose Reference Key label is `agentAssist`).
     */
    botSource: botSource.default({ kind: 'kore-data-table' }),
    /** The Kore Data Table of mode `kore-data-table`; not used by the other modes. */
    dataTable: z
      .strictObject({
        name: z.string().trim().min(1, 'must be the Kore Data Table name'),
        /** The one character ending the QueueIdentifier in queue names; "" matches whole queue names. */
        qDelimiter: z
          .string()
          .refine((v) => [...v].length <= 1, 'must be a single character such as "_" (or "" for whole queue names)')
          .default('_'),
        /** The `x_metadata` read token. Default: minted from `readApp`, valid `tokenTtlSeconds`. */
        token: SecretRefSchema.optional(),
        /**
         * Lifetime of the x_metadata token kaa mints from `readApp`. The token sits in the Interaction Widget URL and is
         * long-lived (docs/assumptions.md#data-table-read-token-lifetime): default one year, at most core's `PLATFORM_JWT_MAX_TTL_SECONDS` (10 years).
         * Rotate it by minting a new one and updating the widget URL (`kaa url`).
         */
        tokenTtlSeconds: z
          .number()
          .int()
          .min(60)
          .max(PLATFORM_JWT_MAX_TTL_SECONDS, `must be at most ${PLATFORM_JWT_MAX_TTL_SECONDS} (10 years)`)
          .default(365 * 86_400),
        /** Data app with read access (its token goes into x_metadata). */
        readApp: app.optional(),
        /** Data app with read/write/delete access, for `kaa table apply`. Default: `readApp`. */
        adminApp: app.optional(),
      })
      .optional(),
    bots: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'bot names may use letters, digits, _ and -'), bot)
      .refine((b) => Object.keys(b).length > 0, 'must define at least one bot'),
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
        tokenTtlSeconds: z
          .number()
          .int()
          .min(60)
          .max(86_400, 'must be at most 86400 (one day, the longest lifetime core signs)')
          .default(86_400),
      })
      .optional(),
    /**
     * The token broker (`kaa broker serve`, docs/architecture.md#broker-mode): which organisations it serves, which page
     * origins may call it, where it listens and its limits. The page calls it when setting `tokens.serverUrl` is set.
     */
    broker: z
      .strictObject({
        /** Genesys organisation ids served in `genesys.environment` (`users/me?expand=organization` → `organization.id`). */
        organizations: z
          .array(
            z
              .string()
              .trim()
              .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Genesys organization id'),
          )
          .min(1, 'must list at least one Genesys organization id'),
        /** Page origins allowed by CORS, exactly (never "*"). Default: the origin of `page.url`. */
        allowedOrigins: z
          .array(
            httpUrl.refine(
              (v) => new URL(v).origin === v.replace(/\/$/, ''),
              'must be an origin (scheme, host and port, no path) such as https://kaa.example.com',
            ),
          )
          .min(1)
          .optional(),
        listen: z
          .strictObject({
            host: z.string().min(1).default('127.0.0.1'),
            port: z.number().int().min(0).max(65_535).default(8787),
          })
          .default({ host: '127.0.0.1', port: 8787 }),
        /** Lifetime of the widget JWT and the JWE the broker mints. */
        widgetTokenTtlSeconds: z.number().int().min(30).max(3_600).default(300),
        /** Longest reuse of a token verification (users/me). */
        verifyCacheSeconds: z.number().int().min(0).max(3_600).default(60),
        /** Requests per agent per minute over every endpoint. */
        requestsPerMinute: z.number().int().min(1).max(100_000).default(120),
        /** Largest request body in bytes. */
        maxBodyBytes: z.number().int().min(1_024).max(1_048_576).default(16_384),
        /** How long SIGTERM waits for requests in flight before closing connections. */
        shutdownGraceSeconds: z.number().int().min(0).max(300).default(10),
        /**
         * Where instances share verification results, rate limits and end-of-conversation claims
         * (docs/deploy.md#token-broker-with-redis). Default: in memory, one instance. `redis.url` is a secret reference
         * (`{ env: KAA_REDIS_URL }`): a Redis URL may hold a password.
         */
        store: z
          .strictObject({
            redis: z.strictObject({
              url: SecretRefSchema,
              /** Prefix of every key, so several deployments can share one Redis. */
              keyPrefix: z.string().min(1).max(100).default('kaa:broker:'),
            }),
          })
          .optional(),
      })
      .optional(),
    /**
     * The Genesys objects `kaa provision plan|apply` keeps in line with this file (docs/deploy.md#provisioned-path):
     * the agents' OAuth client, the Interaction Widget, the page's role and its grants, voice transcription on the mapped
     * queues, the AudioHook Monitor integration and the legacy data table where the config uses them.
     */
    provision: z
      .strictObject({
        /** Name of every object kaa creates (each can be overridden below); objects are found again by this name. */
        name: nameText.default('Kore Agent AI'),
        /** Groups (names or ids) whose members get the widget and the page's role. Kore's guide requires group filtering. */
        groups: z.array(nameText).min(1, 'must list at least one group (Admin > Directory > Groups)'),
        /** Divisions (names or ids) the role is granted in; default: the home division. */
        divisions: z.array(nameText).min(1).optional(),
        oauthClient: z
          .strictObject({
            name: nameText.optional(),
            tokenLifetimeSeconds: z.number().int().min(300).max(172_800).optional(),
          })
          .default({}),
        widget: z
          .strictObject({
            name: nameText.optional(),
            /** Queue Filtering: `mapped` (default: the queues the bots' queues map), `all` (no filter) or queue names. */
            queues: z.union([z.enum(['mapped', 'all']), z.array(nameText).min(1)]).default('mapped'),
            /** Communication Type Filtering; default core's `WIDGET_COMMUNICATION_TYPES`. */
            communicationTypes: z
              .array(z.string().regex(/^[a-z]+$/, 'must be a communication type such as call, chat or webmessaging'))
              .min(1)
              .optional(),
          })
          .default({ queues: 'mapped' }),
        role: z.strictObject({ name: nameText.optional() }).default({}),
        /** Voice transcription on: `mapped` (default: the mapped queues whose bot has audiohookEnabled false), `none`, or queue names. */
        transcription: z.union([z.enum(['mapped', 'none']), z.array(nameText).min(1)]).default('mapped'),
        audiohook: z.strictObject({ name: nameText.optional() }).default({}),
        legacyTable: z.strictObject({ name: nameText.optional() }).default({}),
      })
      .optional(),
    /** kaa runtime settings (core `KaaSettings`): every open question's key with its documented default. */
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((config, ctx) => {
    if (config.genesys.oauthClientId === undefined && config.provision === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['genesys', 'oauthClientId'],
        message:
          'is missing: give the id of the browser OAuth client (Admin > Integrations > OAuth), or add a "provision" section so that "kaa provision apply" creates it',
      });
    }
    const kind = config.botSource.kind;
    if (kind === 'kore-data-table' && config.dataTable === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataTable'],
        message:
          'is missing: botSource kind "kore-data-table" (the default) needs the Kore Data Table { name, qDelimiter, readApp }. Add "dataTable", or set botSource.kind to "third-party" or "genesys-legacy-table"',
      });
    }
    if (kind !== 'genesys-legacy-table') return;
    const names = Object.keys(config.bots);
    if (names.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['bots'],
        message: `must define exactly one bot with botSource kind "genesys-legacy-table" (the legacy Genesys data table holds one bot; ${names.length} are defined). Keep one, or use botSource kind "kore-data-table" for several bots`,
      });
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
        if (used)
          ctx.addIssue({
            code: 'custom',
            path: ['bots', name, field],
            message:
              'is not available with botSource kind "genesys-legacy-table": the legacy table has only AgentAssist URL, Bot Id, Client Id, Client Secret and is Audiohook Enabled (HS256 tokens, no secure custom data). Remove it, or use botSource kind "kore-data-table"',
          });
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

/**
 * The config's `provision` section (present when `kaa provision` manages the Genesys side).
 *
 * @example
 * ```ts
 * const provision: ProvisionConfig | undefined = loaded.config.provision;
 * ```
 */
export type ProvisionConfig = NonNullable<KaaConfig['provision']>;
