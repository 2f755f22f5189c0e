import { isHttpsOrLoopback } from '../https-url.js';
import * as z from 'zod/mini';
import { describeIssue, issuePath, type IssueLike } from '../issues.js';
import { KaaError } from '../errors.js';
import { EnvironmentRecordSchema } from './resolve-environment.js';

const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const httpsUrl = z.string().check(
  z.refine((v) => isHttpsOrLoopback(v), {
    message: 'must be an https:// URL (http:// only on 127.0.0.1, localhost or [::1])',
  }),
);
const section = <T extends z.ZodMiniType>(schema: T) => z.prefault(schema, {} as z.input<T>);

/**
 * The one schema (zod/mini) of kaa's runtime settings, read by the page, the CLI and the servers alike.
 * Every key documents its assumption and links the section of docs/assumptions.md that explains it.
 * Unknown keys are rejected so that a typo cannot silently fall back to a default.
 *
 * @example
 * ```ts
 * const result = KaaSettingsSchema.safeParse({ routing: { cacheTtlSeconds: 60 } });
 * ```
 */
export const KaaSettingsSchema = z
  .strictObject({
    kore: section(
      z.strictObject({
        jwt: section(
          z.strictObject({
            /** Widget JWT `aud`. The field table says `…kore.com/authorize`; samples use `.ai`. Default `https://idproxy.kore.com/authorize`. Assumption: docs/assumptions.md#widget-jwt-claims. */
            aud: z._default(z.string().check(z.minLength(1)), 'https://idproxy.kore.com/authorize'),
            /** Widget JWT lifetime in seconds (times are seconds, not ms). Default 900 (15 min); the token is visible in the iframe src. Assumption: docs/assumptions.md#widget-jwt-claims. */
            ttlSeconds: z._default(int(30, 86_400), 900),
            /** Add a `jti` claim. Default false (not in Kore's samples). Assumption: docs/assumptions.md#widget-jwt-claims. */
            includeJti: z._default(z.boolean(), false),
            /** HS256 key bytes: the ClientSecret's UTF-8 bytes (`utf8`, Kore's samples) or its base64 decoding. Default `utf8`. Assumption: docs/assumptions.md#hs256-key-bytes. */
            secretEncoding: z._default(z.enum(['utf8', 'base64']), 'utf8'),
          }),
        ),
        hooks: section(
          z.strictObject({
            /** Hooks path prefix; docs show four variants. Default `/agentassist/api/v1/hooks`. Assumption: docs/assumptions.md#hooks-path-prefix. */
            pathPrefix: z._default(
              z
                .string()
                .check(z.regex(/^\/[A-Za-z0-9/_.-]*[^/]$/, { message: 'must start with / and not end with /' })),
              '/agentassist/api/v1/hooks',
            ),
            /** Header carrying the JWT. Tables say `auth`, curl samples `token`. Default `auth`. Assumption: docs/assumptions.md#hooks-auth-header. */
            authHeader: z._default(z.enum(['auth', 'token']), 'auth'),
            /** `transfertype` casing: `lower` sends cold/warm/redial (examples), `upper` COLD/WARM/REDIAL (field list). `NA` stays upper case. Default `lower`. Assumption: docs/assumptions.md#hooks-field-formats. */
            transferTypeCase: z._default(z.enum(['lower', 'upper']), 'lower'),
            /** Send `isExtAD` as the string "true" (examples) instead of a boolean (schema). Default false. Assumption: docs/assumptions.md#hooks-field-formats. */
            isExtADAsString: z._default(z.boolean(), false),
            /** Leading `NA/exit` before `redial/entry`: `auto` sends it only if none was sent for the dropped leg. Default `auto`. Assumption: docs/assumptions.md#hooks-event-order-for-transfers-and-redial. */
            redialLeadingExit: z._default(z.enum(['auto', 'always', 'never']), 'auto'),
            /** Send the optional `TRIGGER_SUMMARY_EVENT` (`language`: the English name of the widget language, `locale`: its code) after the last `NA/exit`, before `END_OF_CONVERSATION` (step 4 of docs/kore-protocol.md#hooks-event-order; lifecycle channel `hooks`). Default false. */
            triggerSummary: z._default(z.boolean(), false),
          }),
        ),
        /** `source` sent to the widget and hooks. Default `genesys` (the hooks docs' value). Assumption: docs/assumptions.md#source-value-sent-to-kore. */
        source: z._default(z.string().check(z.minLength(1)), 'genesys'),
        /** Kore Data Table API host. Absent: the Agent AI URL's origin, or `https://bots.kore.ai` when that is agentassist.kore.ai. Assumption: docs/assumptions.md#kore-data-table-api-host. */
        apiHost: z.optional(httpsUrl),
        /** `agentassisturl` override. Absent: the origin of the row's AgentAssistWidgetURL. Assumption: docs/assumptions.md#agentassisturl-host. */
        agentAssistUrl: z.optional(httpsUrl),
        /** Widget language override. Absent: AppLanguageCode/BotLanguageCode of the record, else the primary subtag of `lang` (`en-us` → `en`). Assumption: docs/assumptions.md#widget-language. */
        language: z.optional(
          z
            .string()
            .check(
              z.regex(/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/, { message: 'must be a language code such as en' }),
            ),
        ),
        webSdk: section(
          z.strictObject({
            /** Where to load the Agent AI Web SDK from (`isAgentAISDK` rows). Absent: fall back to iframe mode. Assumption: docs/assumptions.md#agent-ai-web-sdk-availability. */
            scriptUrl: z.optional(httpsUrl),
            /** Subresource Integrity of that script (`sha384-…`, several separated by spaces): the browser refuses a script whose hash differs (then iframe mode). Absent: no check. Assumption: docs/assumptions.md#agent-ai-web-sdk-availability. */
            integrity: z.optional(
              z
                .string()
                .check(
                  z.regex(
                    /^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}( (sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2})*$/,
                    { message: 'must be a Subresource Integrity value such as sha384-<base64 hash>' },
                  ),
                ),
            ),
          }),
        ),
      }),
    ),
    jwe: section(
      z.strictObject({
        /** `claims` encrypts `{iss, sub, iat, exp, secureCustomData}` directly; `nested` signs then encrypts. Default `claims`. Assumption: docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport. */
        mode: z._default(z.enum(['claims', 'nested']), 'claims'),
        /** How the JWE reaches the widget: per-utterance `message` field, a `urlParam`, or as the `token`. Default `message`. Assumption: docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport. */
        transport: z._default(z.enum(['message', 'urlParam', 'token']), 'message'),
        /** Key management algorithm. Default `RSA-OAEP`. Assumption: docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport. */
        alg: z._default(z.enum(['RSA-OAEP', 'RSA-OAEP-256']), 'RSA-OAEP'),
        /** Content encryption. Default `A128CBC-HS256`. Assumption: docs/assumptions.md#secure-custom-data-jwe-nesting-and-transport. */
        enc: z._default(z.enum(['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM']), 'A128CBC-HS256'),
        /** Claim names the secure data is placed under. Default `["secureCustomData"]`; add `privateClaims` to mirror it. Assumption: docs/assumptions.md#secure-custom-data-claim-name. */
        claimNames: z._default(z.array(z.enum(['secureCustomData', 'privateClaims'])).check(z.minLength(1)), [
          'secureCustomData',
        ]),
        /** Lifetime (`exp - iat`, seconds) of the secure-custom-data JWE claims. Default 900, like the widget JWT. The page mints a fresh JWE before it expires. Assumption: docs/assumptions.md#secure-custom-data-lifetime-and-refresh. */
        ttlSeconds: z._default(int(10, 86_400), 900),
        /** Mint the next JWE this many seconds before the current one expires (at most half its lifetime). Default 60. Assumption: docs/assumptions.md#secure-custom-data-lifetime-and-refresh. */
        refreshBeforeSeconds: z._default(int(1, 3_600), 60),
      }),
    ),
    passthru: section(
      z.strictObject({
        /** Forward `x_passthru_metadata` as the original string (`raw`) or as parsed JSON (`parsedJson`). Default `raw`. Assumption: docs/assumptions.md#passthru-metadata-handling. */
        forward: z._default(z.enum(['raw', 'parsedJson']), 'raw'),
      }),
    ),
    routing: section(
      z.strictObject({
        /** QueueIdentifier match is case-sensitive. Default true (exact after trimming). Assumption: docs/assumptions.md#queue-matching-details. */
        caseSensitive: z._default(z.boolean(), true),
        /** Also match rows that list the full queue name; such a row is tried first and wins over the identifier's row (the more specific row). Default false (Kore parity: the identifier only). Assumption: docs/assumptions.md#queue-matching-details. */
        fullNameFallback: z._default(z.boolean(), false),
        /** QueueIdentifier of a row to use when no row matches. Default null (no default row: E_QUEUE_NOT_MAPPED). Assumption: docs/assumptions.md#queue-matching-details. */
        defaultRow: z._default(z.nullable(z.string().check(z.minLength(1))), null),
        /** How long the bot table rows are cached, in seconds. Default 300. Assumption: docs/assumptions.md#bot-table-reads-and-cache. */
        cacheTtlSeconds: z._default(int(0, 86_400), 300),
        /** An interaction without a queue is an `error` (E_NO_QUEUE) or uses `defaultRow`. Default `error`. Assumption: docs/assumptions.md#queue-name-availability. */
        noQueuePolicy: z._default(z.enum(['error', 'defaultRow']), 'error'),
      }),
    ),
    thirdParty: section(
      z.strictObject({
        /** The runtime API of accountId mode is unpublished: `none`, a `static` queue map, or an `http` endpoint. Default `none`. Assumption: docs/assumptions.md#third-party-configuration-runtime-api. */
        source: z._default(z.enum(['none', 'static', 'http']), 'none'),
        /** Full queue name → bot record (column → string value), used when `source` is `static`. Default `{}`. Assumption: docs/assumptions.md#third-party-configuration-runtime-api. */
        staticMap: z._default(z.record(z.string(), z.record(z.string(), z.string())), {}),
        http: section(
          z.strictObject({
            /** Endpoint resolving accountId + queue when `source` is `http`. Required then. Assumption: docs/assumptions.md#third-party-configuration-runtime-api. */
            url: z.optional(httpsUrl),
            /**
             * Credential of the lookup when `source` is `http`, sent as header `auth`. Kore has not published the lookup's
             * authentication, like its URL; assumed: a Kore platform JWT of an app of the account granted Third-Party
             * Configuration, as for the Data Table API. A secret: redacted from every log and error, and readable by anyone
             * who can load the page (grant it nothing but this lookup).
             */
            token: z.optional(z.string().check(z.minLength(1))),
          }),
        ),
      }),
    ),
    hold: section(
      z.strictObject({
        /** Where hold/resume goes when `sendEventsToVG=true`: Kore's Control Transcription API, a custom URL, or nowhere. Default `controlTranscription`. Assumption: docs/assumptions.md#hold-and-resume-sink. */
        sink: z._default(z.enum(['controlTranscription', 'customUrl', 'none']), 'controlTranscription'),
        /** Endpoint for `sink: customUrl`. Required then. Assumption: docs/assumptions.md#hold-and-resume-sink. */
        customUrl: z.optional(httpsUrl),
      }),
    ),
    /**
     * Who tells Kore about the conversation's lifecycle: `hooks` (the hooks API: entry, transfers, exit, end; plus the hold
     * sink) or `postMessage` (only the end, through the widget's own `agentAssist.endOfConversation`, or the Web SDK's
     * `endOfConversation()`; no hooks, no hold sink). Default `hooks`. Assumption: docs/assumptions.md#who-sends-end-of-conversation.
     */
    lifecycleChannel: z._default(z.enum(['hooks', 'postMessage']), 'hooks'),
    tokens: section(
      z.strictObject({
        /** Who mints tokens. `auto`: `server` (the token broker at `serverUrl`) when `serverUrl` is set, else `browser`. Default `auto`. Read by core's `brokerUrlOf`. Assumption: docs/assumptions.md#where-tokens-are-minted. */
        minter: z._default(z.enum(['auto', 'server', 'browser']), 'auto'),
        /** The token broker's base URL (`kaa broker serve`, docs/architecture.md#broker-mode). Required when `minter` is `server`. Assumption: docs/assumptions.md#where-tokens-are-minted. */
        serverUrl: z.optional(httpsUrl),
      }),
    ),
    auth: section(
      z.strictObject({
        /** `auto` uses a popup when `usePopupAuth=true`, else a redirect with a popup fallback after a framing failure. Default `auto`. Assumption: docs/assumptions.md#popup-or-redirect-login. */
        mode: z._default(z.enum(['auto', 'redirect', 'popup']), 'auto'),
        /** OAuth grant. Default `pkce`; `implicit` only for existing clients (retired by Genesys in 2027). The URL's `grant` overrides it. Assumption: docs/assumptions.md#implicit-grant-retirement. */
        grant: z._default(z.enum(['pkce', 'implicit']), 'pkce'),
        /** In-iframe redirect URI, registered exactly (no query). Absent: the page URL without query or hash. Assumption: docs/assumptions.md#redirect-uri-matching. */
        redirectUri: z.optional(httpsUrl),
        /** Popup callback URI, registered exactly. Absent: `auth-callback.html` next to `redirectUri`. Assumption: docs/assumptions.md#redirect-uri-matching. */
        popupRedirectUri: z.optional(httpsUrl),
        /** Give up on a popup that sends nothing after this many ms (`E_AUTH_POPUP_TIMEOUT`). Default 120000. Assumption: docs/assumptions.md#popup-opener-and-timeout. */
        popupTimeoutMs: z._default(int(5_000, 600_000), 120_000),
        /**
         * Inferred: with `mode` `auto`, an in-iframe redirect login older than this many ms that never came back is
         * taken as a framing refusal, and the next load signs in through the popup. Default 15000 (leaves room for another
         * widget instance of the same tab that is mid-redirect). Assumption: docs/assumptions.md#popup-or-redirect-login.
         */
        staleRedirectMs: z._default(int(1_000, 600_000), 15_000),
      }),
    ),
    genesys: section(
      z.strictObject({
        /** Per-user request budget across all widget instances. Default 300/min. Assumption: docs/assumptions.md#genesys-per-user-rate-limit. */
        rateLimitPerMinute: z._default(int(1, 100_000), 300),
        /** Extra or replacement environments, every host explicit (e.g. the sandbox's 127.0.0.1 origins). Default `[]`. Assumption: docs/assumptions.md#eu-sovereign-cloud. */
        environments: z._default(z.array(EnvironmentRecordSchema), []),
        /** Names of disabled built-in environments to allow, e.g. `["prod-edee1"]`. Default `[]`. Assumption: docs/assumptions.md#eu-sovereign-cloud. */
        enableEnvironments: z._default(z.array(z.string().check(z.minLength(1))), []),
      }),
    ),
    legacy: section(
      z.strictObject({
        /** Id of the legacy Genesys data table; skips the scan for Reference Key `agentAssist`. Assumption: docs/assumptions.md#legacy-genesys-data-table-lookup. */
        tableId: z.optional(z.string().check(z.minLength(1))),
      }),
    ),
    allow: section(
      z.strictObject({
        /** Kore Data Table names a widget URL's `x_metadata` may name. Default `[]` (any); `kaa page --dist` adds the config's table. Assumption: docs/deploy.md#pinning-what-a-link-may-choose. */
        tables: z._default(z.array(z.string().check(z.minLength(1))), []),
        /** Agent AI account ids a widget URL's `accountId` may name. Default `[]` (any); `kaa page --dist` adds the config's. Assumption: docs/deploy.md#pinning-what-a-link-may-choose. */
        accountIds: z._default(z.array(z.string().check(z.minLength(1))), []),
        /** Genesys environment names (`prod-euw1`, …) the page serves. Default `[]` (any); `kaa page --dist` adds the config's. Assumption: docs/deploy.md#pinning-what-a-link-may-choose. */
        genesysEnvironments: z._default(z.array(z.string().check(z.minLength(1))), []),
        /** Origins a bot's AgentAssistWidgetURL may load from. Default `[]` (any); `kaa page --dist` adds the config's widget URLs. Assumption: docs/deploy.md#pinning-what-a-link-may-choose. */
        koreHosts: z._default(z.array(httpsUrl), []),
        /** Start when not framed (opened in a tab, not by the desktop). Default false; a loopback (sandbox) environment always may. Assumption: docs/deploy.md#pinning-what-a-link-may-choose. */
        unframed: z._default(z.boolean(), false),
      }),
    ),
    transcripts: section(
      z.strictObject({
        /** Forward partial transcripts too. Default false (finals only, upserted by utteranceId). Assumption: docs/assumptions.md#transcription-topic-requirements-and-partial-results. */
        partials: z._default(z.boolean(), false),
        /** Show a configuration hint when no transcript arrives this many seconds after a call connects. Default 30; 0 disables. Assumption: docs/assumptions.md#transcription-topic-requirements-and-partial-results. */
        silenceHintSeconds: z._default(int(0, 3_600), 30),
        /** Inferred. How far (ms of transcript) a final may wait behind an earlier open partial before it is emitted anyway. Default 5000. Assumption: docs/assumptions.md#transcription-topic-requirements-and-partial-results. */
        holdWindowMs: z._default(int(0, 60_000), 5_000),
      }),
    ),
  })
  .check(
    z.refine((s) => s.thirdParty.source !== 'http' || s.thirdParty.http.url !== undefined, {
      message: 'is required when thirdParty.source is "http"',
      path: ['thirdParty', 'http', 'url'],
    }),
    z.refine((s) => s.hold.sink !== 'customUrl' || s.hold.customUrl !== undefined, {
      message: 'is required when hold.sink is "customUrl"',
      path: ['hold', 'customUrl'],
    }),
    z.refine((s) => s.routing.noQueuePolicy !== 'defaultRow' || s.routing.defaultRow !== null, {
      message: 'is required when routing.noQueuePolicy is "defaultRow"',
      path: ['routing', 'defaultRow'],
    }),
    z.refine((s) => s.tokens.minter !== 'server' || s.tokens.serverUrl !== undefined, {
      message: 'is required when tokens.minter is "server"',
      path: ['tokens', 'serverUrl'],
    }),
  );

/**
 * kaa's runtime settings, every key filled (see {@link KaaSettingsSchema}).
 *
 * @example
 * ```ts
 * function ttl(settings: KaaSettings): number { return settings.routing.cacheTtlSeconds; }
 * ```
 */
export type KaaSettings = z.output<typeof KaaSettingsSchema>;

/**
 * What {@link parseSettings} accepts: any subset of the keys; missing keys take their defaults.
 *
 * @example
 * ```ts
 * const file: KaaSettingsInput = { auth: { grant: 'implicit' } };
 * ```
 */
export type KaaSettingsInput = z.input<typeof KaaSettingsSchema>;

/**
 * Validates settings (from a JSON file, the CLI, or the page's config) and fills every missing key with its
 * documented default. Throws `E_CONFIG_INVALID` naming each bad key path (`kore.jwt.ttlSeconds`) and what it
 * must be; values are never echoed, since settings may hold URLs with credentials.
 *
 * @example
 * ```ts
 * import { parseSettings } from '@kaa/core';
 *
 * const settings = parseSettings({ kore: { hooks: { authHeader: 'token' } }, routing: { cacheTtlSeconds: 60 } });
 * settings.kore.hooks.authHeader; // 'token'
 * settings.auth.grant;            // 'pkce' (default)
 * ```
 */
export function parseSettings(input: unknown): KaaSettings {
  const parsed = KaaSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 8)
    .map((issue) => ({ key: issuePath(issue.path), problem: describeIssue(issue as IssueLike) }));
  throw new KaaError(
    'E_CONFIG_INVALID',
    `Invalid kaa settings: ${problems.map((p) => `"${p.key}" ${p.problem}`).join('; ')}. Correct ${problems.length === 1 ? 'this key' : 'these keys'} in the settings file.`,
    { details: { issues: problems } },
  );
}

/**
 * Every setting at its documented default: `parseSettings({})`.
 *
 * @example
 * ```ts
 * import { DEFAULT_SETTINGS } from '@kaa/core';
 *
 * DEFAULT_SETTINGS.kore.jwt.ttlSeconds; // 900
 * DEFAULT_SETTINGS.routing.cacheTtlSeconds; // 300
 * ```
 */
export const DEFAULT_SETTINGS: KaaSettings = deepFreeze(parseSettings({}));

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
