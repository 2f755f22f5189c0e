import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { EnvironmentRecordSchema } from './resolve-environment.js';

const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const httpsUrl = z.string().check(
  z.refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'));
    } catch {
      return false;
    }
  }, { message: 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)' }),
);
const section = <T extends z.ZodMiniType>(schema: T) => z.prefault(schema, {} as z.input<T>);

/**
 * The one schema (zod/mini) of kaa's runtime settings, read by the page, the CLI and the servers alike.
 * Every key documents its assumption and the open question it stands for (reference/open-questions.md).
 * Unknown keys are rejected so that a typo cannot silently fall back to a default.
 *
 * @example
 * ```ts
 * const result = KaaSettingsSchema.safeParse({ routing: { cacheTtlSeconds: 60 } });
 * ```
 */
export const KaaSettingsSchema = z.strictObject({
  kore: section(
    z.strictObject({
      jwt: section(
        z.strictObject({
          /** K11: widget JWT `aud`. The field table says `…kore.com/authorize`; samples use `.ai`. Default `https://idproxy.kore.com/authorize`. */
          aud: z._default(z.string().check(z.minLength(1)), 'https://idproxy.kore.com/authorize'),
          /** K11: widget JWT lifetime in seconds (times are seconds, not ms). Default 900 (15 min); the token is visible in the iframe src. */
          ttlSeconds: z._default(int(30, 86_400), 900),
          /** K11: add a `jti` claim. Default false (not in Kore's samples). */
          includeJti: z._default(z.boolean(), false),
          /** K12: HS256 key bytes: the ClientSecret's UTF-8 bytes (`utf8`, Kore's samples) or its base64 decoding. Default `utf8`. */
          secretEncoding: z._default(z.enum(['utf8', 'base64']), 'utf8'),
        }),
      ),
      hooks: section(
        z.strictObject({
          /** K5: hooks path prefix; docs show four variants. Default `/agentassist/api/v1/hooks`. */
          pathPrefix: z._default(z.string().check(z.regex(/^\/[A-Za-z0-9/_.-]*[^/]$/, { message: 'must start with / and not end with /' })), '/agentassist/api/v1/hooks'),
          /** K6: header carrying the JWT. Tables say `auth`, curl samples `token`. Default `auth`. */
          authHeader: z._default(z.enum(['auth', 'token']), 'auth'),
          /** K7: `transfertype` casing: `lower` sends cold/warm/redial (examples), `upper` COLD/WARM/REDIAL (field list). `NA` stays upper case. Default `lower`. */
          transferTypeCase: z._default(z.enum(['lower', 'upper']), 'lower'),
          /** K7: send `isExtAD` as the string "true" (examples) instead of a boolean (schema). Default false. */
          isExtADAsString: z._default(z.boolean(), false),
          /** K8: leading `NA/exit` before `redial/entry`: `auto` sends it only if none was sent for the dropped leg. Default `auto`. */
          redialLeadingExit: z._default(z.enum(['auto', 'always', 'never']), 'auto'),
          /** Kore hooks §6.3 step 4: send the optional `TRIGGER_SUMMARY_EVENT` after the last `NA/exit`. Default false. */
          triggerSummary: z._default(z.boolean(), false),
        }),
      ),
      /** K14: `source` sent to the widget and hooks. Default `genesys` (the hooks docs' value). */
      source: z._default(z.string().check(z.minLength(1)), 'genesys'),
      /** K20: Kore Data Table API host. Absent: the Agent AI URL's origin, or `https://bots.kore.ai` when that is agentassist.kore.ai. */
      apiHost: z.optional(httpsUrl),
      /** K13: `agentassisturl` override. Absent: the origin of the row's AgentAssistWidgetURL. */
      agentAssistUrl: z.optional(httpsUrl),
      /** K24: widget language override. Absent: AppLanguageCode/BotLanguageCode of the record, else the primary subtag of `lang` (`en-us` → `en`). */
      language: z.optional(z.string().check(z.regex(/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/, { message: 'must be a language code such as en' }))),
      webSdk: section(
        z.strictObject({
          /** K23: where to load the Agent AI Web SDK from (`isAgentAISDK` rows). Absent: fall back to iframe mode. */
          scriptUrl: z.optional(httpsUrl),
        }),
      ),
    }),
  ),
  jwe: section(
    z.strictObject({
      /** K3: `claims` encrypts `{iss, sub, iat, exp, secureCustomData}` directly; `nested` signs then encrypts. Default `claims`. */
      mode: z._default(z.enum(['claims', 'nested']), 'claims'),
      /** K3: how the JWE reaches the widget: per-utterance `message` field, a `urlParam`, or as the `token`. Default `message`. */
      transport: z._default(z.enum(['message', 'urlParam', 'token']), 'message'),
      /** K3: key management algorithm. Default `RSA-OAEP`. */
      alg: z._default(z.enum(['RSA-OAEP', 'RSA-OAEP-256']), 'RSA-OAEP'),
      /** K3: content encryption. Default `A128CBC-HS256`. */
      enc: z._default(z.enum(['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM']), 'A128CBC-HS256'),
      /** K4: claim names the secure data is placed under. Default `["secureCustomData"]`; add `privateClaims` to mirror it. */
      claimNames: z._default(z.array(z.enum(['secureCustomData', 'privateClaims'])).check(z.minLength(1)), ['secureCustomData']),
      /** Lifetime (`exp - iat`, seconds) of the secure-custom-data JWE claims. Default 900, like the widget JWT. */
      ttlSeconds: z._default(int(30, 86_400), 900),
    }),
  ),
  passthru: section(
    z.strictObject({
      /** K16: forward `x_passthru_metadata` as the original string (`raw`) or as parsed JSON (`parsedJson`). Default `raw`. */
      forward: z._default(z.enum(['raw', 'parsedJson']), 'raw'),
    }),
  ),
  routing: section(
    z.strictObject({
      /** K17: QueueIdentifier match is case-sensitive. Default true (exact after trimming). */
      caseSensitive: z._default(z.boolean(), true),
      /** K17: also match rows that list the full queue name; such a row is tried first and wins over the identifier's row (the more specific row). Default false (Kore parity: the identifier only). */
      fullNameFallback: z._default(z.boolean(), false),
      /** K17: QueueIdentifier of a row to use when no row matches. Default null (no default row: E_QUEUE_NOT_MAPPED). */
      defaultRow: z._default(z.nullable(z.string().check(z.minLength(1))), null),
      /** K18: how long the bot table rows are cached, in seconds. Default 300. */
      cacheTtlSeconds: z._default(int(0, 86_400), 300),
      /** G16: an interaction without a queue is an `error` (E_NO_QUEUE) or uses `defaultRow`. Default `error`. */
      noQueuePolicy: z._default(z.enum(['error', 'defaultRow']), 'error'),
    }),
  ),
  thirdParty: section(
    z.strictObject({
      /** K1: the runtime API of accountId mode is unpublished: `none`, a `static` queue map, or an `http` endpoint. Default `none`. */
      source: z._default(z.enum(['none', 'static', 'http']), 'none'),
      /** K1: full queue name → bot record (column → string value), used when `source` is `static`. Default `{}`. */
      staticMap: z._default(z.record(z.string(), z.record(z.string(), z.string())), {}),
      http: section(
        z.strictObject({
          /** K1: endpoint resolving accountId + queue when `source` is `http`. Required then. */
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
      /** K2: where hold/resume goes when `sendEventsToVG=true`: Kore's Control Transcription API, a custom URL, or nowhere. Default `controlTranscription`. */
      sink: z._default(z.enum(['controlTranscription', 'customUrl', 'none']), 'controlTranscription'),
      /** K2: endpoint for `sink: customUrl`. Required then. */
      customUrl: z.optional(httpsUrl),
    }),
  ),
  /** K9: one lifecycle channel per mode: `hooks` (iframe), `postMessage`, or `sdk`. Default `hooks`. */
  lifecycleChannel: z._default(z.enum(['hooks', 'postMessage', 'sdk']), 'hooks'),
  tokens: section(
    z.strictObject({
      /** K10: who mints tokens. `auto`: `server` when `serverUrl` is set, else `browser` with a one-time warning. Default `auto`. */
      minter: z._default(z.enum(['auto', 'server', 'browser']), 'auto'),
      /** K10: the token server's URL. Required when `minter` is `server`. */
      serverUrl: z.optional(httpsUrl),
    }),
  ),
  auth: section(
    z.strictObject({
      /** G2: `auto` uses a popup when `usePopupAuth=true`, else a redirect with a popup fallback after a framing failure. Default `auto`. */
      mode: z._default(z.enum(['auto', 'redirect', 'popup']), 'auto'),
      /** G5: OAuth grant. Default `pkce`; `implicit` only for existing clients (retired by Genesys in 2027). The URL's `grant` overrides it. */
      grant: z._default(z.enum(['pkce', 'implicit']), 'pkce'),
      /** G3: in-iframe redirect URI, registered exactly (no query). Absent: the page URL without query or hash. */
      redirectUri: z.optional(httpsUrl),
      /** G3: popup callback URI, registered exactly. Absent: `redirectUri`. */
      popupRedirectUri: z.optional(httpsUrl),
      /** G7: give up on a popup that sends nothing after this many ms, then switch to redirect once. Default 120000. */
      popupTimeoutMs: z._default(int(5_000, 600_000), 120_000),
      /**
       * G2 (inferred): with `mode` `auto`, an in-iframe redirect login older than this many ms that never came back is
       * taken as a framing refusal, and the next load signs in through the popup. Default 15000 (leaves room for another
       * widget instance of the same tab that is mid-redirect).
       */
      staleRedirectMs: z._default(int(1_000, 600_000), 15_000),
    }),
  ),
  genesys: section(
    z.strictObject({
      /** G9: per-user request budget across all widget instances. Default 300/min. */
      rateLimitPerMinute: z._default(int(1, 100_000), 300),
      /** G15: extra or replacement environments, every host explicit (e.g. the sandbox's 127.0.0.1 origins). Default `[]`. */
      environments: z._default(z.array(EnvironmentRecordSchema), []),
      /** G15: names of disabled built-in environments to allow, e.g. `["prod-edee1"]`. Default `[]`. */
      enableEnvironments: z._default(z.array(z.string().check(z.minLength(1))), []),
    }),
  ),
  legacy: section(
    z.strictObject({
      /** G13: id of the legacy Genesys data table; skips the scan for Reference Key `agentAssist`. */
      tableId: z.optional(z.string().check(z.minLength(1))),
    }),
  ),
  transcripts: section(
    z.strictObject({
      /** G10: forward partial transcripts too. Default false (finals only, upserted by utteranceId). */
      partials: z._default(z.boolean(), false),
      /** G10: show a configuration hint when no transcript arrives this many seconds after a call connects. Default 30; 0 disables. */
      silenceHintSeconds: z._default(int(0, 3_600), 30),
      /** G10 (inferred): how far (ms of transcript) a final may wait behind an earlier open partial before it is emitted anyway. Default 5000. */
      holdWindowMs: z._default(int(0, 60_000), 5_000),
    }),
  ),
}).check(
  z.refine((s) => s.thirdParty.source !== 'http' || s.thirdParty.http.url !== undefined, { message: 'is required when thirdParty.source is "http"', path: ['thirdParty', 'http', 'url'] }),
  z.refine((s) => s.hold.sink !== 'customUrl' || s.hold.customUrl !== undefined, { message: 'is required when hold.sink is "customUrl"', path: ['hold', 'customUrl'] }),
  z.refine((s) => s.routing.noQueuePolicy !== 'defaultRow' || s.routing.defaultRow !== null, { message: 'is required when routing.noQueuePolicy is "defaultRow"', path: ['routing', 'defaultRow'] }),
  z.refine((s) => s.tokens.minter !== 'server' || s.tokens.serverUrl !== undefined, { message: 'is required when tokens.minter is "server"', path: ['tokens', 'serverUrl'] }),
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
  const problems = parsed.error.issues.slice(0, 8).map((issue) => {
    const path = issue.path.map(String).join('.');
    return { key: path === '' ? '(root)' : path, problem: describe(issue as unknown as Record<string, unknown>) };
  });
  throw new KaaError(
    'E_CONFIG_INVALID',
    `Invalid kaa settings: ${problems.map((p) => `"${p.key}" ${p.problem}`).join('; ')}. Correct ${problems.length === 1 ? 'this key' : 'these keys'} in the settings file.`,
    { details: { issues: problems } },
  );
}

function describe(issue: Record<string, unknown>): string {
  const message = typeof issue['message'] === 'string' && issue['message'] !== 'Invalid input' ? issue['message'] : undefined;
  switch (issue['code']) {
    case 'invalid_type':
      return `must be ${article(String(issue['expected']))}`;
    case 'invalid_value':
      return `must be one of ${(issue['values'] as unknown[] | undefined)?.map((v) => JSON.stringify(v)).join(', ') ?? 'the allowed values'}`;
    case 'too_small':
      return issue['origin'] === 'number' ? `must be at least ${String(issue['minimum'])}` : message ?? `must have at least ${String(issue['minimum'])} item(s) or character(s)`;
    case 'too_big':
      return issue['origin'] === 'number' ? `must be at most ${String(issue['maximum'])}` : `is too long (at most ${String(issue['maximum'])})`;
    case 'unrecognized_keys':
      return `has unknown key(s) ${(issue['keys'] as string[] | undefined)?.map((k) => `"${k}"`).join(', ') ?? ''} (check the spelling)`;
    case 'invalid_format':
      return message ?? 'has the wrong format';
    default:
      return message ?? 'is invalid';
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
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
