import { isHttpsOrLoopback } from '@kaa/core';
import {
  KaaError,
  listIssues,
  matchStaticMap,
  parseBotRow,
  parseKvpConfig,
  type BotLookup,
  type BotRecord,
  type BotSource,
  type KvpConfig,
} from '@kaa/core';
import { redactingLogger } from '../http/redacting-logger.js';
import { koreRequest, type KoreHttpContext, type RetryPolicy } from '../http/kore-request.js';
import { parseBody } from '../http/parse-body.js';
import { decodeBase64Text, silentLogger } from '@kaa/core';
import type { FetchLike, Logger, Sleep } from '@kaa/core';
import { timerSleep } from '../ports.js';
import {
  ThirdPartyLookupResponse,
  ThirdPartyStaticMapSchema,
  type ThirdPartyRecordInput,
} from './third-party-record.js';

/**
 * A bot record resolved from Third-Party Configuration: core's `BotRecord` plus what the record's `keys`
 * carry beyond it. `kvpConfig` comes from `SecureCustomDataConfig` (secure custom data, as the Kore table's
 * `KvpConfig` column); `customDataConfig` from `CustomDataConfig` (plain custom data; the Kore Genesys guide
 * says custom data is "currently not supported" in this mode).
 *
 * @example
 * ```ts
 * const record = (await (await source.load()).forQueue({ name: 'Chat_Skill' })) as ThirdPartyBotRecord;
 * record.languageCode; // 'en' (AppLanguageCode, or the older BotLanguageCode)
 * ```
 */
export interface ThirdPartyBotRecord extends BotRecord {
  readonly customDataConfig?: KvpConfig;
  /** `AppLanguageCode` (current docs) or `BotLanguageCode` (older guide), decoded (docs/assumptions.md#widget-language). */
  readonly languageCode?: string;
  readonly recordId?: string;
  readonly recordName?: string;
}

/**
 * Options of {@link createThirdPartyBotSource}.
 *
 * @example
 * ```ts
 * const options: ThirdPartyBotSourceOptions = { accountId, mode: 'static', staticMap: config.thirdParty.staticMap };
 * ```
 */
export interface ThirdPartyBotSourceOptions {
  /** The `accountId` URL parameter (Web/Mobile Client › JWT App Details). */
  accountId: string;
  /**
   * Config `thirdParty.source` (docs/assumptions.md#third-party-configuration-runtime-api). The runtime API is unpublished: `static` reads `staticMap`;
   * `http` calls `httpUrl` once per queue.
   */
  mode: 'static' | 'http';
  /** Config `thirdParty.staticMap`: full queue name → record (record `queueIdentifiers` are matched too). */
  staticMap?: Readonly<Record<string, unknown>>;
  /**
   * Config `thirdParty.http.url`: URL template with `{accountId}`, `{queueName}` and `{queueId}` (URL-encoded).
   * Without `{queueName}`, `queueName=<name>` is appended as a query parameter. The answer is one record,
   * a list, or `{records: [...]}`; 404 means the queue is not mapped, 409 that it is mapped twice (assumed).
   */
  httpUrl?: string;
  /**
   * Config `thirdParty.http.token`: the lookup's credential, sent as header `auth` — a Kore platform JWT (HS256, exact
   * `appId` claim, signed by an app of the account granted Third-Party Configuration), the Data Table API's scheme.
   * Kore has not published the lookup's authentication (docs/assumptions.md#third-party-configuration-runtime-api).
   * Redacted everywhere.
   */
  auth?: string;
  /** Extra headers for the HTTP lookup (another authentication scheme). Values are redacted. */
  headers?: Readonly<Record<string, string>>;
  fetch?: FetchLike;
  /** Epoch milliseconds; default `Date.now`. */
  now?: () => number;
  sleep?: Sleep;
  logger?: Logger;
  retry?: RetryPolicy;
  /** Accept `http:` widget URLs on loopback hosts (the sandbox). Default false. */
  allowHttpLoopback?: boolean;
}

/**
 * The Third-Party Configuration bot source (`accountId` mode, docs/kore-protocol.md#third-party-configuration), kind `third-party`. Matching uses
 * the full Genesys queue name without a delimiter (docs/assumptions.md#queue-matching-details). Every key value is base64-decoded; both
 * `AppLanguageCode` and `BotLanguageCode` are accepted. No match is `E_QUEUE_NOT_MAPPED`; two records is
 * `E_QUEUE_AMBIGUOUS`; a bad map or template is `E_CONFIG_INVALID`; a bad record is `E_BOT_ROW_INVALID`.
 *
 * @example
 * ```ts
 * import { createThirdPartyBotSource } from '@kaa/kore-client';
 *
 * const source = createThirdPartyBotSource({
 *   accountId: '6a1c0000-0000-4000-8000-0000000000ac',
 *   mode: 'http',
 *   httpUrl: 'https://platform.kore.ai/agentassist/api/v1/thirdparty/{accountId}/config',
 *   auth: settings.thirdParty.http.token, // a Kore platform JWT (assumed; see the option)
 *   fetch: (u, i) => fetch(u, i),
 * });
 * const lookup = await source.load();
 * const record = await lookup.forQueue({ name: 'Chat_Skill' });
 * ```
 */
export function createThirdPartyBotSource(options: ThirdPartyBotSourceOptions): BotSource {
  const accountId = checkAccountId(options.accountId);
  if (options.mode === 'static') return staticSource(accountId, options);
  if (options.mode === 'http') return httpSource(accountId, options);
  throw new KaaError(
    'E_CONFIG_INVALID',
    `Third-Party Configuration source "${String(options.mode)}" is not known. Set config thirdParty.source to "static" or "http".`,
    {
      details: { key: 'thirdParty.source' },
    },
  );
}

function staticSource(accountId: string, options: ThirdPartyBotSourceOptions): BotSource {
  const parsed = ThirdPartyStaticMapSchema.safeParse(options.staticMap);
  if (!parsed.success) {
    const problems = listIssues(parsed.error.issues, { limit: 5, root: '(map)' }).join('; ');
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Config thirdParty.staticMap is not a map of queue name → record (${problems}). Give each queue a record with botId, clientId, clientSecret, agentAssistWidgetUrl and base64-encoded keys.`,
      {
        details: { key: 'thirdParty.staticMap', problems },
        secrets: secretsOfMap(options.staticMap),
      },
    );
  }
  const map = parsed.data;
  const description = `Third-Party Configuration of account "${accountId}" (static map, ${Object.keys(map).length} queue(s))`;
  return {
    kind: 'third-party',
    async load() {
      return {
        description,
        forQueue(queue) {
          const name = queueName(queue, accountId);
          const found = matchStaticMap(map, name, { identifiersOf: (r) => r.queueIdentifiers });
          return toRecord(pickOne(found, name, accountId, 'config thirdParty.staticMap'), accountId, options);
        },
      } satisfies BotLookup;
    },
  };
}

function httpSource(accountId: string, options: ThirdPartyBotSourceOptions): BotSource {
  const template = options.httpUrl?.trim();
  if (!template) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'Third-Party Configuration in "http" mode needs a lookup URL, and Kore has not published one (docs/assumptions.md#third-party-configuration-runtime-api). Set config thirdParty.http.url, or use thirdParty.source "static" with thirdParty.staticMap.',
      {
        details: { key: 'thirdParty.http.url' },
      },
    );
  }
  if (!options.fetch) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'Third-Party Configuration in "http" mode needs a fetch function. Pass `fetch` to createThirdPartyBotSource.',
      { details: { key: 'thirdParty.http.url' } },
    );
  }
  const headerSecrets = [...Object.values(options.headers ?? {}), ...(options.auth ? [options.auth] : [])];
  const seen: string[] = [];
  const secrets = () => [...headerSecrets, ...seen];
  const ctx: KoreHttpContext = {
    fetch: options.fetch,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? timerSleep,
    logger: redactingLogger(options.logger ?? silentLogger, secrets),
    retry: {
      maxRetries: options.retry?.maxRetries ?? 3,
      baseDelayMs: options.retry?.baseDelayMs ?? 1000,
      maxDelayMs: options.retry?.maxDelayMs ?? 60_000,
    },
    secrets,
  };
  checkTemplate(template, accountId);
  return {
    kind: 'third-party',
    async load() {
      return {
        description: `Third-Party Configuration of account "${accountId}" (HTTP lookup)`,
        async forQueue(queue) {
          const name = queueName(queue, accountId);
          const url = fillTemplate(template, accountId, name, queue.id);
          const what = `Third-Party Configuration lookup for queue "${name}"`;
          let body: unknown;
          try {
            body = (
              await koreRequest(ctx, {
                method: 'GET',
                url,
                headers: {
                  accept: 'application/json',
                  ...(options.auth ? { auth: options.auth } : {}),
                  ...options.headers,
                },
                what,
                unauthorized: (vendor) =>
                  `${what} was refused (${vendor}). Check config thirdParty.http.token: a Kore platform JWT of an app of this account that is granted Third-Party Configuration, not expired.`,
                wrongHost:
                  'Set botSource.url in kaa.yaml (setting thirdParty.http.url) to the Third-Party Configuration lookup, then run "kaa page --dist" again.',
              })
            ).body;
          } catch (e) {
            if (e instanceof KaaError && e.details.status === 404)
              throw notMapped(name, accountId, 'the Third-Party Configuration lookup');
            if (e instanceof KaaError && e.details.status === 409) throw ambiguous(name, accountId, 2);
            throw e;
          }
          const parsed = parseBody(ThirdPartyLookupResponse, body, what, { accountId, queueName: name }, secrets());
          const list = Array.isArray(parsed)
            ? parsed
            : 'records' in parsed && Array.isArray(parsed.records)
              ? parsed.records
              : [parsed as ThirdPartyRecordInput];
          for (const r of list) seen.push(r.clientSecret);
          const matching = list.filter((r) => r.queueIdentifiers === undefined || r.queueIdentifiers.includes(name));
          return toRecord(
            pickOne(matching, name, accountId, 'the Third-Party Configuration lookup'),
            accountId,
            options,
          );
        },
      } satisfies BotLookup;
    },
  };
}

function pickOne(
  found: readonly ThirdPartyRecordInput[],
  name: string,
  accountId: string,
  where: string,
): ThirdPartyRecordInput {
  if (found.length === 0) throw notMapped(name, accountId, where);
  if (found.length > 1) throw ambiguous(name, accountId, found.length);
  return found[0] as ThirdPartyRecordInput;
}

function notMapped(name: string, accountId: string, where: string): KaaError {
  return new KaaError(
    'E_QUEUE_NOT_MAPPED',
    `Queue "${name}" has no Third-Party Configuration record in account "${accountId}" (${where}; full-name match, no delimiter). Add "${name}" to the Queue Identifiers of the bot's record in Agent AI › Configuration › System Setup › Third Party Configuration.`,
    {
      details: { queueName: name, accountId },
    },
  );
}

function ambiguous(name: string, accountId: string, count: number): KaaError {
  return new KaaError(
    'E_QUEUE_AMBIGUOUS',
    `Queue "${name}" is listed by ${count} Third-Party Configuration records of account "${accountId}"; a queue may map to one bot only. Remove "${name}" from all records but one.`,
    {
      details: { queueName: name, accountId, count },
    },
  );
}

/** Decodes the record's base64 keys and validates it as a bot row with core's `parseBotRow`. */
function toRecord(
  input: ThirdPartyRecordInput,
  accountId: string,
  options: ThirdPartyBotSourceOptions,
): ThirdPartyBotRecord {
  const label = `Third-Party Configuration record "${input.name ?? input.recordId ?? input.botId}" of account "${accountId}"`;
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.keys ?? {})) {
    const decoded = decodeBase64Text(value);
    if (decoded === undefined) {
      throw new KaaError(
        'E_BOT_ROW_INVALID',
        `Key "${key}" of ${label} is not base64-encoded text. Kore requires base64 values: encode it (e.g. "false" → "ZmFsc2U=").`,
        {
          details: { accountId, key, recordId: input.recordId },
          secrets: [input.clientSecret],
        },
      );
    }
    keys[key] = decoded.trim();
  }
  const language = keys.AppLanguageCode || keys.BotLanguageCode || undefined;
  const row = {
    QueueIdentifier: (input.queueIdentifiers ?? []).join(','),
    BotId: input.botId,
    ClientId: input.clientId,
    ClientSecret: input.clientSecret,
    AgentAssistWidgetURL: input.agentAssistWidgetUrl,
    AudiohookEnabled: keys.AudiohookEnabled || 'false',
    JWEPublicKey: input.jwePublicKey ?? keys.JWEPublicKey ?? '',
    KvpConfig: keys.SecureCustomDataConfig ?? '',
    ...(input.isAgentAISDK === undefined ? {} : { isAgentAISDK: String(input.isAgentAISDK) }),
    ...(input.recordId ? { sys_Id: input.recordId } : {}),
  };
  const record = parseBotRow(row, {
    kind: 'third-party',
    tableName: label,
    allowHttpLoopback: options.allowHttpLoopback ?? false,
  });
  const customDataConfig = keys.CustomDataConfig
    ? parseKvpConfig(keys.CustomDataConfig, { column: 'CustomDataConfig', where: label })
    : undefined;
  return {
    ...record,
    ...(customDataConfig ? { customDataConfig } : {}),
    ...(language ? { languageCode: language } : {}),
    ...(input.recordId ? { recordId: input.recordId } : {}),
    ...(input.name ? { recordName: input.name } : {}),
  };
}

function queueName(queue: { id?: string; name?: string }, accountId: string): string {
  const name = typeof queue?.name === 'string' ? queue.name.trim() : '';
  if (name === '') {
    throw new KaaError(
      'E_NO_QUEUE',
      `The interaction has no queue name, so Third-Party Configuration of account "${accountId}" cannot choose a bot. Route the interaction through a queue listed in a record's Queue Identifiers.`,
      {
        details: { accountId, queueId: queue?.id ?? null },
      },
    );
  }
  return name;
}

function checkAccountId(accountId: unknown): string {
  if (typeof accountId !== 'string' || accountId.trim() === '' || accountId.length > 200) {
    throw new KaaError(
      'E_PARAM_INVALID',
      'The accountId URL parameter is empty or not usable. Copy the accountId from Agent AI › Flows & Channels › Digital › Web/Mobile Client › JWT App Details.',
      {
        details: { param: 'accountId' },
      },
    );
  }
  return accountId.trim();
}

function checkTemplate(template: string, accountId: string): void {
  try {
    if (!isHttpsOrLoopback(new URL(fillTemplate(template, accountId, 'probe')))) throw new Error('not https');
  } catch {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Config thirdParty.http.url "${template.slice(0, 200)}" is not an https URL template. Use e.g. https://platform.kore.ai/…/{accountId}/config.`,
      {
        details: { key: 'thirdParty.http.url' },
      },
    );
  }
}

function fillTemplate(template: string, accountId: string, name: string, queueId?: string): string {
  const filled = template
    .replace(/\{accountId\}/g, encodeURIComponent(accountId))
    .replace(/\{queueName\}/g, encodeURIComponent(name))
    .replace(/\{queueId\}/g, encodeURIComponent(queueId ?? ''));
  if (template.includes('{queueName}')) return filled;
  return `${filled}${filled.includes('?') ? '&' : '?'}queueName=${encodeURIComponent(name)}`;
}

function secretsOfMap(map: unknown): string[] {
  if (typeof map !== 'object' || map === null) return [];
  return Object.values(map as Record<string, unknown>).flatMap((r) =>
    typeof r === 'object' && r !== null && typeof (r as { clientSecret?: unknown }).clientSecret === 'string'
      ? [(r as { clientSecret: string }).clientSecret]
      : [],
  );
}
