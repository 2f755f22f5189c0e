// Over 300 lines on purpose: the sandbox Kore platform's one server: options, routing and state of every emulated Kore API it answers.
/**
 * The sandbox Kore platform: one `node:http` server on 127.0.0.1 that answers the Data Table public API,
 * jwtgrant, the hooks API, Control Transcription, the Third-Party Configuration lookup, serves the
 * stand-in Agent AI widget, and offers sandbox-only endpoints under `/sandbox/kore/v1/`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, exportJWK, exportPKCS8 } from 'jose';
import { z } from 'zod';
import { issuePath, KaaError } from '@kaa/core';
import { KORE_DATA_TABLE, THIRD_PARTY } from '../seed.js';
import { browserScript } from '../browser-scripts.js';
import { widgetAssets } from '../widget/index.js';
import { generateSandboxBots } from './bot-keys.js';
import type { BotKey, SandboxBot } from './bot-keys.js';
import { DataTable } from './data-table.js';
import { handleHook, handleControl } from './hooks-api.js';
import { writeAnswer } from '../http/answer.js';
import type { HttpAnswer } from '../http/answer.js';
import { BodyError, readJson } from '../http/body.js';
import { applyCors, type CorsOrigins } from '../http/cors.js';
import { listen } from '../http/listen.js';
import { safeDecode } from '../http/send.js';
import { TimerSet } from '../http/timers.js';
import { credentialAccepted } from './credentials.js';
import { handleJwtgrant, handleWidgetSettings } from './jwtgrant-api.js';
import { RateWindow } from './rate-window.js';
import { emptyRecorded } from './recorded.js';
import type { KoreRecorded } from './recorded.js';
import { handleDecrypt, handleThirdPartyLookup, handleWidgetStateGet, handleWidgetStatePost } from './sandbox-api.js';
import { KAA_BOTS_COLUMNS, seedBotRows, WIDGET_PATH } from './seed-rows.js';
import type { TableRow } from './table-query.js';
import { handleTableCall } from './tables-api.js';
import type { TableRequest } from './tables-api.js';
import { DEFAULT_THIRD_PARTY_PATH, seedThirdPartyRecords } from './third-party.js';
import { recordRowSecrets } from './world.js';
import type { KoreSettings, KoreWorld } from './world.js';
import { SecretLog } from '../secret-log.js';
import type { SandboxSecret } from '../secret-log.js';

/** Route groups of the Kore platform; latency can be set per group. */
export type KoreRoute = 'tables' | 'jwtgrant' | 'settings' | 'hooks' | 'control' | 'thirdParty' | 'widget';

/** Default hooks path prefix (docs/assumptions.md#hooks-path-prefix). */
export const DEFAULT_HOOKS_PATH_PREFIX = '/agentassist/api/v1/hooks';

/** Default hooks auth header (docs/assumptions.md#hooks-auth-header). */
export const DEFAULT_HOOKS_AUTH_HEADER = 'auth';

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535).default(0),
  latencyMs: z.number().min(0).max(60_000).default(0),
  routeLatencyMs: z.record(z.string(), z.number().min(0).max(60_000)).default({}),
  tableRateLimitPerMinute: z.number().int().min(1).default(600),
  accessTokenTtlSeconds: z.number().int().min(1).default(3600),
  hooksPathPrefix: z
    .string()
    .regex(/^\/[^?#]*[^/?#]$/)
    .default(DEFAULT_HOOKS_PATH_PREFIX),
  hooksAuthHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .default(DEFAULT_HOOKS_AUTH_HEADER),
  thirdPartyPath: z
    .string()
    .regex(/^\/.*\{accountId\}.*$/)
    .default(DEFAULT_THIRD_PARTY_PATH),
});

/** Options of {@link startKorePlatform}. Every field is optional. */
export interface KorePlatformOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Added before every answer on every Kore route (not `/sandbox/kore/v1/*`); default 0. */
  latencyMs?: number;
  /** Per route-group latency, overriding `latencyMs`. */
  routeLatencyMs?: Partial<Record<KoreRoute, number>>;
  /** Data Table budget per app + table per rolling minute; default 600 (Kore's documented limit). */
  tableRateLimitPerMinute?: number;
  /** Lifetime of jwtgrant access tokens; default 3600 s. */
  accessTokenTtlSeconds?: number;
  /** Hooks path prefix (docs/assumptions.md#hooks-path-prefix); default `/agentassist/api/v1/hooks`. */
  hooksPathPrefix?: string;
  /** Hooks JWT header name (docs/assumptions.md#hooks-auth-header); default `auth`. */
  hooksAuthHeader?: string;
  /** Third-Party Configuration lookup path with `{accountId}` (docs/assumptions.md#third-party-configuration-runtime-api); default {@link DEFAULT_THIRD_PARTY_PATH}. */
  thirdPartyPath?: string;
  /**
   * Browser origins allowed to call the Kore routes cross-origin (CORS), as an org's Agent AI would be configured for
   * its own page host: a list (a function is read on every request) or `'*'`. Default none — a page on another origin
   * gets no `Access-Control-Allow-Origin`. `startSandbox` allows the page and desktop origins plus its `corsOrigins`.
   * The widget calls Kore from Kore's own origin and needs no entry; `/sandbox/kore/v1/*` answers any origin.
   * Whether and how the real platform configures this is undocumented (docs/assumptions.md#cors-of-the-kore-apis).
   */
  corsOrigins?: CorsOrigins | (() => CorsOrigins);
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
  /** Id source for row ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** Make the next matching requests fail with `status` (sandbox fault injection). */
export interface KoreFailNext {
  method?: string;
  pathPrefix: string;
  status: number;
  times?: number;
}

/** A running sandbox Kore platform. */
export interface KorePlatform {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** The stand-in widget URL every seeded row carries in `AgentAssistWidgetURL`. */
  widgetUrl: string;
  /** The seeded bots with their generated keys (private keys included: tests encrypt and sign with them). */
  bots: Record<BotKey, SandboxBot>;
  /** Calls received so far, oldest first. */
  recorded: KoreRecorded;
  /** Current settings (rate limit, TTL, hooks path/header, third-party path). Mutable. */
  settings: KoreSettings;
  /** A copy of the rows of `table` (default `kaa_bots`), system columns included. */
  tableRows(table?: string): TableRow[];
  /** Replaces the rows of `table` (default `kaa_bots`); rows without system columns get them. */
  setRows(rows: readonly TableRow[], table?: string): void;
  /** The latest state the stand-in widget of `conversationId` posted. */
  widgetState(conversationId: string): unknown;
  /** Sets latency for every route, or for one route group. */
  setLatency(ms: number, route?: KoreRoute): void;
  /** Fails the next `times` (default 1) requests whose path starts with `pathPrefix` (and method matches). */
  failNext(fault: KoreFailNext): void;
  /** Makes every issued jwtgrant access token expire now. */
  expireAccessTokens(): void;
  /** Changes a bot's ClientSecret (and its rows): tokens signed with the old one stop verifying. */
  rotateClientSecret(bot: BotKey, secret: string): void;
  /** Back to the seeded world: rows, secrets, records, widget states, tokens, budgets and faults. */
  reset(): void;
  /**
   * Every credential of the Kore side since start, oldest first (a reset keeps them), for secret scans: the bots'
   * ClientSecrets (seeded, rotated, served or written in rows), RS private keys, JWE private keys, Data-app
   * secrets, the table tokens and bot-app JWTs it received, the widget JWTs jwtgrant received and the access
   * tokens it issued.
   */
  issuedSecrets(): SandboxSecret[];
  /**
   * A platform JWT of `THIRD_PARTY.readApp` (HS256, one year): the credential the Third-Party lookup requires, as an admin
   * would put it in setting `thirdParty.http.token` (`sandboxPageSettings` does). A secret: scans look for it.
   */
  thirdPartyToken: string;
  /** Stops the server: no port, socket or timer is left behind. */
  close(): Promise<void>;
}

const SANDBOX_PREFIX = '/sandbox/kore/v1/';

/** Largest request body the Kore platform reads: Kore documents 50 MB for bulk inserts. */
const KORE_MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * Starts the sandbox Kore platform on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { startKorePlatform } from '@kaa/sandbox/kore';
 *
 * const kore = await startKorePlatform({ latencyMs: 100 });
 * const res = await fetch(`${kore.origin}/api/public/tables/kaa_bots/query?sys_limit=100`, {
 *   method: 'POST', headers: { auth: dataAppJwt, 'content-type': 'application/json' }, body: '{}' });
 * await kore.close();
 * ```
 */
export async function startKorePlatform(options: KorePlatformOptions = {}): Promise<KorePlatform> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Sandbox Kore platform option "${issuePath(issue?.path ?? [], { root: '?' })}" is invalid: ${issue?.message ?? ''}. Fix the option passed to startKorePlatform.`,
      {
        details: { path: issue?.path.map(String) ?? [] },
      },
    );
  }
  const opts = parsed.data;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const timers = new TimerSet();
  const latency: Partial<Record<KoreRoute | '*', number>> = { '*': opts.latencyMs, ...opts.routeLatencyMs };
  const faults: Required<KoreFailNext>[] = [];
  // before listening: a script that cannot be built stops the start, not a later request
  const assets = widgetAssets(await browserScript('stand-in-widget'));

  const [bots, listening] = await Promise.all([
    generateSandboxBots(),
    listen((req, res) => serve(req, res), opts.port),
  ]);
  const origin = listening.origin;
  const secrets = new SecretLog();
  await recordSeedSecrets(secrets, bots);
  for (const app of [KORE_DATA_TABLE.readApp, KORE_DATA_TABLE.adminApp, THIRD_PARTY.readApp])
    secrets.add('data-app-secret', app.clientSecret);
  const pristineSecrets = Object.fromEntries(Object.values(bots).map((b) => [b.key, b.clientSecret]));

  const table = new DataTable(KORE_DATA_TABLE.name, KAA_BOTS_COLUMNS, { now, newId });
  table.grant(KORE_DATA_TABLE.readApp.appId, KORE_DATA_TABLE.readApp.permissions);
  table.grant(KORE_DATA_TABLE.adminApp.appId, KORE_DATA_TABLE.adminApp.permissions);
  const world: KoreWorld = {
    origin,
    now,
    newId,
    bots,
    tables: new Map([[table.name, table]]),
    dataApps: new Map([
      [KORE_DATA_TABLE.readApp.appId, KORE_DATA_TABLE.readApp.clientSecret],
      [KORE_DATA_TABLE.adminApp.appId, KORE_DATA_TABLE.adminApp.clientSecret],
    ]),
    thirdPartyApps: new Map([
      [THIRD_PARTY.readApp.appId, { clientSecret: THIRD_PARTY.readApp.clientSecret, accountId: THIRD_PARTY.accountId }],
    ]),
    thirdParty: seedThirdPartyRecords(bots, origin),
    recorded: emptyRecorded(),
    accessTokens: new Map(),
    seenJti: new Set(),
    widgetStates: new Map(),
    rate: new RateWindow(now),
    settings: {
      tableRateLimitPerMinute: opts.tableRateLimitPerMinute,
      accessTokenTtlSeconds: opts.accessTokenTtlSeconds,
      hooksPathPrefix: opts.hooksPathPrefix,
      hooksAuthHeader: opts.hooksAuthHeader.toLowerCase(),
      thirdPartyPath: opts.thirdPartyPath,
    },
    secrets,
  };
  table.setRows(seedBotRows(bots, origin), 'sandbox-seed');

  function tableOf(name: string = KORE_DATA_TABLE.name): DataTable {
    const t = world.tables.get(name);
    if (!t)
      throw new KaaError('E_CONFIG_INVALID', `The sandbox has no data table "${name}". Use "${KORE_DATA_TABLE.name}".`);
    return t;
  }

  const corsOrigins = (): CorsOrigins => {
    const configured = options.corsOrigins ?? [];
    return typeof configured === 'function' ? configured() : configured;
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', origin);
      const route = routeOf(url.pathname);
      // one CORS rule for every server of the sandbox (http/cors.ts); the sandbox-only endpoints answer any origin
      const cors = {
        origins: route ? corsOrigins() : '*',
        exposeHeaders: ['retry-after'],
        methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      } as const;
      if (applyCors(req, res, cors)) return;
      if (route) noteCredentials(secrets, route, req.headers, world.settings.hooksAuthHeader);
      if (route) {
        const wait = latency[route] ?? latency['*'] ?? 0;
        if (!(await timers.sleep(wait))) {
          res.destroy();
          return;
        }
      }
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readJson(req, KORE_MAX_BODY_BYTES);
      const fault = route
        ? faults.find((f) => url.pathname.startsWith(f.pathPrefix) && (f.method === '*' || f.method === req.method))
        : undefined;
      // an injected failure answers only a request whose credential its route accepts (see credentials.ts)
      if (
        fault &&
        route &&
        (await credentialAccepted(world, route, {
          header: (name) => headerOf(req, name),
          body,
          ...thirdPartyAccount(url.pathname),
        })) &&
        faults.includes(fault)
      ) {
        fault.times -= 1;
        if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
        writeAnswer(res, koreFault(fault.status));
        return;
      }
      writeAnswer(res, await dispatch(req, url, body));
    } catch (e) {
      if (res.headersSent) return;
      if (e instanceof BodyError) {
        writeAnswer(res, { status: e.status, json: { errors: [{ msg: e.message, code: e.status }] } });
        return;
      }
      writeAnswer(res, {
        status: 500,
        json: { errors: [{ msg: 'Internal error in the sandbox Kore platform.', code: 500 }] },
      });
    }
  }

  function thirdPartyAccount(path: string): { thirdPartyAccountId?: string } {
    const accountId = matchThirdPartyPath(world.settings.thirdPartyPath, path);
    return accountId === undefined ? {} : { thirdPartyAccountId: accountId };
  }

  function routeOf(path: string): KoreRoute | undefined {
    if (path.startsWith(SANDBOX_PREFIX)) return undefined;
    if (path.startsWith('/api/public/tables/')) return 'tables';
    if (path === '/api/1.1/oAuth/token/jwtgrant') return 'jwtgrant';
    if (path.startsWith(`${world.settings.hooksPathPrefix}/`)) return 'hooks';
    if (/^\/api\/1\.1\/public\/bot\/[^/]+\/control\/transcription$/.test(path)) return 'control';
    if (/\/agentassistsetting$/.test(path)) return 'settings';
    if (path.startsWith('/koreagentassist-sdk-v3/')) return 'widget';
    return 'thirdParty';
  }

  async function dispatch(req: IncomingMessage, url: URL, body: unknown): Promise<HttpAnswer> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const header = (name: string): string | undefined => headerOf(req, name);

    const asset = assets[path];
    if (asset && method === 'GET')
      return { status: 200, text: asset.body, contentType: asset.contentType, headers: asset.headers ?? {} };

    const tableMatch = /^\/api\/public\/tables\/([^/]+)(\/query|\/bulk)?$/.exec(path);
    if (tableMatch?.[1]) {
      const suffix = tableMatch[2];
      const op: TableRequest['op'] | undefined =
        suffix === '/query'
          ? method === 'POST'
            ? 'query'
            : undefined
          : suffix === '/bulk'
            ? method === 'POST'
              ? 'bulk'
              : undefined
            : method === 'POST'
              ? 'insert'
              : method === 'PUT'
                ? 'update'
                : method === 'DELETE'
                  ? 'delete'
                  : undefined;
      if (!op) return { status: 405, json: { errors: [{ msg: `${method} is not supported on ${path}.`, code: 405 }] } };
      return handleTableCall(world, {
        method,
        table: safeDecode(tableMatch[1]),
        op,
        url,
        authHeader: header('auth'),
        body,
      });
    }
    if (path === '/api/1.1/oAuth/token/jwtgrant' && method === 'POST') return handleJwtgrant(world, body);
    const settingsMatch = /^\/agentassist\/api\/v1\/agentassist\/([^/]+)\/agentassistsetting$/.exec(path);
    if (settingsMatch?.[1] && method === 'GET')
      return handleWidgetSettings(
        world,
        safeDecode(settingsMatch[1]),
        url.searchParams.get('e') ?? 'chat',
        header('authorization'),
      );
    const prefix = `${world.settings.hooksPathPrefix}/`;
    if (path.startsWith(prefix) && method === 'POST') {
      const botId = safeDecode(path.slice(prefix.length));
      if (botId && !botId.includes('/')) return handleHook(world, botId, header(world.settings.hooksAuthHeader), body);
    }
    const controlMatch = /^\/api\/1\.1\/public\/bot\/([^/]+)\/control\/transcription$/.exec(path);
    if (controlMatch?.[1] && method === 'POST')
      return handleControl(
        world,
        safeDecode(controlMatch[1]),
        url.searchParams.get('conversationId'),
        header('auth'),
        body,
      );
    const accountId = matchThirdPartyPath(world.settings.thirdPartyPath, path);
    if (accountId !== undefined && method === 'GET')
      return handleThirdPartyLookup(world, accountId, url.searchParams.get('queueName'), header('auth'));

    if (path === `${SANDBOX_PREFIX}decrypt` && method === 'POST')
      return handleDecrypt(world, header('authorization'), body);
    if (path === `${SANDBOX_PREFIX}widget-state` && method === 'POST') return handleWidgetStatePost(world, body);
    if (path === `${SANDBOX_PREFIX}widget-state` && method === 'GET')
      return handleWidgetStateGet(world, url.searchParams.get('conversationId'));
    if (path === `${SANDBOX_PREFIX}recorded` && method === 'GET') return { status: 200, json: world.recorded };
    if (path === `${SANDBOX_PREFIX}reset` && method === 'POST') {
      platform.reset();
      return { status: 204 };
    }
    return {
      status: 404,
      json: { errors: [{ msg: `No route ${method} ${path} on the sandbox Kore platform.`, code: 404 }] },
    };
  }

  const thirdPartyToken = await thirdPartyReaderToken(now());
  secrets.add('kore-platform-jwt', thirdPartyToken);
  const platform: KorePlatform = {
    origin,
    port: listening.port,
    widgetUrl: `${origin}${WIDGET_PATH}`,
    bots,
    get recorded() {
      return world.recorded;
    },
    settings: world.settings,
    tableRows: (name) => tableOf(name).rows(),
    setRows: (rows, name) => {
      recordRowSecrets(secrets, rows);
      tableOf(name).setRows(rows);
    },
    widgetState: (conversationId) => world.widgetStates.get(conversationId),
    setLatency(ms, route) {
      latency[route ?? '*'] = ms;
      if (!route) for (const key of Object.keys(latency) as (KoreRoute | '*')[]) latency[key] = ms;
    },
    failNext(fault) {
      faults.push({
        method: fault.method?.toUpperCase() ?? '*',
        pathPrefix: fault.pathPrefix,
        status: fault.status,
        times: fault.times ?? 1,
      });
    },
    expireAccessTokens() {
      for (const issued of world.accessTokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now());
    },
    rotateClientSecret(key, secret) {
      const bot = bots[key];
      bot.clientSecret = secret;
      secrets.add('bot-client-secret', secret);
      table.setRows(table.rows().map((r) => (r['BotId'] === bot.botId ? { ...r, ClientSecret: secret } : r)));
    },
    reset() {
      for (const bot of Object.values(bots)) bot.clientSecret = pristineSecrets[bot.key] ?? bot.clientSecret;
      table.setRows(seedBotRows(bots, origin), 'sandbox-seed');
      world.recorded = emptyRecorded();
      world.accessTokens.clear();
      world.seenJti.clear();
      world.widgetStates.clear();
      world.rate.clear();
      world.settings.tableRateLimitPerMinute = opts.tableRateLimitPerMinute;
      faults.length = 0;
      for (const key of Object.keys(latency) as (KoreRoute | '*')[]) delete latency[key];
      Object.assign(latency, { '*': opts.latencyMs, ...opts.routeLatencyMs });
    },
    issuedSecrets: () => secrets.list(),
    thirdPartyToken,
    async close() {
      timers.clear();
      await listening.close();
    },
  };
  return platform;
}

/** The bots' own secrets: ClientSecrets, RS signing keys (PEM lines) and JWE private keys (JWK `d`, PEM lines). */
async function recordSeedSecrets(secrets: SecretLog, bots: Record<BotKey, SandboxBot>): Promise<void> {
  for (const bot of Object.values(bots)) {
    secrets.add('bot-client-secret', bot.clientSecret);
    secrets.addPem('bot-rs-private-key', bot.rsPrivatePem);
    const [jwk, pem] = await Promise.all([exportJWK(bot.jwePrivateKey), exportPKCS8(bot.jwePrivateKey)]);
    secrets.add('bot-jwe-private-key', jwk.d);
    secrets.addPem('bot-jwe-private-key', pem);
  }
}

/** Records the credential a request carries, by route: table tokens, bot-app JWTs, jwtgrant access tokens, the Third-Party lookup's JWT. */
function noteCredentials(
  secrets: SecretLog,
  route: KoreRoute,
  headers: IncomingMessage['headers'],
  hooksHeader: string,
): void {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (route === 'tables') secrets.add('kore-table-token', header('auth'));
  else if (route === 'hooks') secrets.add('kore-platform-jwt', header(hooksHeader));
  else if (route === 'control') secrets.add('kore-platform-jwt', header('auth'));
  else if (route === 'settings') secrets.add('kore-access-token', header('authorization')?.replace(/^bearer\s+/i, ''));
  else if (route === 'thirdParty') secrets.add('kore-platform-jwt', header('auth'));
}

/** A one-year platform JWT of the seeded Third-Party reader app (see {@link KorePlatform.thirdPartyToken}). */
async function thirdPartyReaderToken(nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sub: 'kaa-sandbox-page', appId: THIRD_PARTY.readApp.appId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 365 * 24 * 3600)
    .sign(new TextEncoder().encode(THIRD_PARTY.readApp.clientSecret));
}

function koreFault(status: number): HttpAnswer {
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
  return { status, json: { errors: [{ msg: `Injected sandbox failure (status ${status}).`, code: status }] }, headers };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function matchThirdPartyPath(template: string, path: string): string | undefined {
  const [before, after] = template.split('{accountId}') as [string, string | undefined];
  if (after === undefined || !path.startsWith(before) || !path.endsWith(after)) return undefined;
  const id = path.slice(before.length, path.length - after.length);
  return id && !id.includes('/') ? safeDecode(id) : undefined;
}
