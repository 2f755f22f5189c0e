// Over 300 lines on purpose: the Data Table client's calls share one connection state (token, cache, shared in-flight reads, paging, retries).
import { isHttpsOrLoopback } from '@kaa/core';
import { KaaError } from '@kaa/core';
import { koreHttpContext } from '../http/kore-http-context.js';
import { koreRequest, type KoreRequest, type RetryPolicy } from '../http/kore-request.js';
import { parseBody } from '../http/parse-body.js';
import { createPlatformTokenSource, type PlatformCredentials, type PlatformJwtSigner } from '../http/platform-token.js';
import { createRateWindow, type RateWindow } from '../http/rate-window.js';
import type { FetchLike, Logger, Sleep } from '@kaa/core';
import { createDataTableCache, createRowCache, credentialHash, type DataTableCache } from './row-cache.js';
import { BulkInsertResponse, DeleteResponse, InsertResponse, QueryResponse, UpdateResponse } from './schemas.js';
import type { DataTablePage, DataTableQuery, DataTableRow } from './types.js';

/**
 * Where the Data Tables live and how to authenticate: `baseUrl` is the Kore API origin (see
 * {@link koreApiHostFor}), plus either the `x_metadata` token or a Data app's credentials.
 *
 * @example
 * ```ts
 * const fromUrl: DataTableConnection = { baseUrl: 'https://bots.kore.ai', token: xMetadata.datatable.token };
 * const fromApp: DataTableConnection = { baseUrl: 'https://platform.kore.ai', appId: 'cs-…', clientSecret: secret };
 * ```
 */
export type DataTableConnection = { baseUrl: string } & PlatformCredentials;

/**
 * What the Data Table client is given from the outside world.
 *
 * @example
 * ```ts
 * const deps: DataTableDeps = { fetch: globalThis.fetch.bind(globalThis), now: Date.now, logger: console };
 * ```
 */
export interface DataTableDeps {
  fetch: FetchLike;
  /** Epoch milliseconds. */
  now: () => number;
  /**
   * Where `queryAll` results are cached: memory only, never `localStorage` or disk, because bot rows hold
   * `ClientSecret` and `RSPrivatePem` (docs/assumptions.md#bot-table-reads-and-cache). Default: this client's own store. Pass
   * one {@link createDataTableCache} to several clients to share reads; entries are bound to the credential's hash.
   */
  cache?: DataTableCache;
  /** TTL of cached `queryAll` results (config `routing.cacheTtlSeconds` × 1000). Default 300000; `0` disables. */
  cacheTtlMs?: number;
  logger?: Logger;
  /** Waits during backoff and client-side throttling. Default: `globalThis.setTimeout`. */
  sleep?: Sleep;
  retry?: RetryPolicy;
  /** Client-side budget per table (Kore: 600/min per account+table). Default 600; `Infinity` disables. */
  requestsPerMinute?: number;
  /** Rows per page for `queryAll` (Kore maximum 100). Default 100. */
  pageSize?: number;
  /** Who issued a `{token}` credential, for the 401 message (docs/assumptions.md#data-table-read-token-lifetime). Default `'x_metadata'`. */
  tokenOrigin?: 'x_metadata' | 'config';
  /** core's `signPlatformJwt`: required with app credentials (`appId` + `clientSecret`), unused with a ready token. */
  signPlatformJwt?: PlatformJwtSigner;
}

/**
 * Options of one call.
 *
 * @example
 * ```ts
 * await client.queryAll('kaa_bots', undefined, { signal: AbortSignal.timeout(5000) });
 * ```
 */
export interface DataTableCallOptions {
  /**
   * Aborts this call. For `queryAll`, concurrent callers share one read: an abort only detaches this caller
   * (its promise rejects with the signal's reason); the read itself is cancelled when every caller has aborted.
   */
  signal?: AbortSignal;
  /** `queryAll` only: skip the cache for this read (the fresh result is still stored). */
  fresh?: boolean;
}

/**
 * Kore Data Table public API (docs/kore-protocol.md#data-table-public-api).
 *
 * @example
 * ```ts
 * const rows = await client.queryAll('kaa_bots');
 * ```
 */
export interface DataTableClient {
  /** The API origin requests go to. */
  readonly baseUrl: string;
  /** One page: `POST /api/public/tables/{table}/query?sys_limit&sys_offset`. */
  query(
    table: string,
    query?: DataTableQuery,
    page?: { limit?: number; offset?: number },
    options?: DataTableCallOptions,
  ): Promise<DataTablePage>;
  /** Every row, paging with `sys_limit=100` until `hasMore` is false; cached for `cacheTtlMs`. */
  queryAll(table: string, query?: DataTableQuery, options?: DataTableCallOptions): Promise<DataTableRow[]>;
  insert(table: string, data: DataTableRow, options?: DataTableCallOptions): Promise<DataTableRow>;
  bulkInsert(table: string, data: readonly DataTableRow[], options?: DataTableCallOptions): Promise<DataTableRow[]>;
  update(
    table: string,
    query: DataTableQuery,
    data: DataTableRow,
    options?: DataTableCallOptions,
  ): Promise<{ nModified: number }>;
  delete(table: string, query: DataTableQuery, options?: DataTableCallOptions): Promise<{ nDeleted: number }>;
}

const MAX_PAGES = 1000;

/**
 * Creates a Kore Data Table client. Requests carry `auth: <jwt>`: the given token, or one minted with
 * `deps.signPlatformJwt` (core's) from app credentials and re-minted before it expires (and once after a 401).
 * Throttling (HTTP 429 or a body matching `/rate limit/i`, docs/assumptions.md#kore-rate-limit-and-token-error-statuses) is retried after a backoff that
 * honours `Retry-After`, then raised as `E_RATE_LIMITED`; a 401 is `E_HTTP_UNAUTHORIZED` ("x_metadata token
 * rejected: …" for the x_metadata token, docs/assumptions.md#data-table-read-token-lifetime); a body of the wrong shape is `E_RESPONSE_INVALID`.
 * Writes clear the cached reads of their table.
 *
 * @example
 * ```ts
 * import { createDataTableClient, koreApiHostFor } from '@kaa/kore-client';
 *
 * const client = createDataTableClient(
 *   { baseUrl: koreApiHostFor(agentAiUrl), token: xMetadata.datatable.token },
 *   { fetch: (u, i) => fetch(u, i), now: Date.now, logger: console },
 * );
 * const rows = await client.queryAll('kaa_bots'); // all rows, 100 per request, cached 5 min
 * ```
 */
export function createDataTableClient(connection: DataTableConnection, deps: DataTableDeps): DataTableClient {
  const baseUrl = normaliseBaseUrl(connection.baseUrl);
  const tokens = createPlatformTokenSource(connection, deps.now, deps.signPlatformJwt);
  const ctx = koreHttpContext(deps, () => tokens.secrets());
  const { logger } = ctx;
  const pageSize = Math.min(100, Math.max(1, Math.floor(deps.pageSize ?? 100)));
  const perMinute = deps.requestsPerMinute ?? 600;
  const windows = new Map<string, RateWindow>();
  const windowFor = (table: string) => {
    let w = windows.get(table);
    if (!w)
      windows.set(
        table,
        (w = createRateWindow({ limit: perMinute, windowMs: 60_000, now: deps.now, sleep: ctx.sleep })),
      );
    return w;
  };
  const cache = createRowCache({
    cache: deps.cache ?? createDataTableCache(),
    now: deps.now,
    ttlMs: deps.cacheTtlMs ?? 300_000,
  });
  // every key starts with the credential's hash: a shared cache never answers one token with rows another token read
  let credentialKey: Promise<string> | undefined;
  const keyPrefix = async (table: string) => {
    credentialKey ??= credentialHash(
      'token' in connection ? ['token', connection.token] : ['app', connection.appId, connection.clientSecret],
    );
    return `${await credentialKey}|${baseUrl}|${table}|`;
  };
  const inflight = new Map<string, SharedRead>();
  const tokenOrigin = deps.tokenOrigin ?? 'x_metadata';

  const unauthorized = (table: string) => (vendor: string) =>
    tokens.kind === 'static' && tokenOrigin === 'x_metadata'
      ? `x_metadata token rejected: Kore Data Table "${table}" at ${baseUrl} refused it (${vendor}). Make a new Data app token with read access to table "${table}" (Data › Apps, signed with the app's Client Secret) and put it in x_metadata.datatable.token.`
      : tokens.kind === 'static'
        ? `Kore Data Table "${table}" at ${baseUrl} refused the configured token (${vendor}). Make a new Data app token with access to table "${table}" and configure it.`
        : `Kore Data Table "${table}" at ${baseUrl} refused the JWT signed for app "${(connection as { appId: string }).appId}" (${vendor}). Check the app's Client ID and Client Secret, and that the app has access to table "${table}" (Data › Data Tables › App assignments).`;

  async function send(table: string, req: Omit<KoreRequest, 'headers' | 'unauthorized' | 'window'>): Promise<unknown> {
    const attempt = async () =>
      (
        await koreRequest(ctx, {
          ...req,
          headers: { auth: await tokens.get(), 'content-type': 'application/json', accept: 'application/json' },
          unauthorized: unauthorized(table),
          window: windowFor(table),
        })
      ).body;
    try {
      return await attempt();
    } catch (e) {
      if (tokens.kind !== 'app' || !(e instanceof KaaError) || e.code !== 'E_HTTP_UNAUTHORIZED') throw e;
      tokens.invalidate();
      logger.warn(`kore data table: token for "${table}" rejected; minting a new one and retrying once`);
      return attempt();
    }
  }

  const tableUrl = (table: string, suffix = '') => {
    const name = checkTable(table);
    return `${baseUrl}/api/public/tables/${encodeURIComponent(name)}${suffix}`;
  };
  const details = (table: string, op: string) => ({ table, op, baseUrl });

  async function query(
    table: string,
    q?: DataTableQuery,
    page: { limit?: number; offset?: number } = {},
    options: DataTableCallOptions = {},
  ): Promise<DataTablePage> {
    const limit = Math.min(100, Math.max(1, Math.floor(page.limit ?? pageSize)));
    const offset = Math.max(0, Math.floor(page.offset ?? 0));
    const what = `Kore Data Table "${table}" query`;
    const body = await send(table, {
      method: 'POST',
      url: `${tableUrl(table, '/query')}?sys_limit=${limit}&sys_offset=${offset}`,
      body: q ? { query: q } : {},
      what,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const parsed = parseBody(QueryResponse, body, what, details(table, 'query'), tokens.secrets());
    const rows = parsed.queryResult;
    // hasMore is documented; when a server omits it, fall back to total, then to a full page
    const hasMore =
      parsed.hasMore ?? (parsed.total !== undefined ? offset + rows.length < parsed.total : rows.length === limit);
    return {
      rows,
      hasMore,
      ...(parsed.total !== undefined ? { total: parsed.total } : {}),
      ...(parsed.metaInfo
        ? {
            metaInfo: parsed.metaInfo.map((m) => ({ name: m.name, ...(m.type !== undefined ? { type: m.type } : {}) })),
          }
        : {}),
    };
  }

  async function readAll(
    table: string,
    q: DataTableQuery | undefined,
    options: DataTableCallOptions,
  ): Promise<DataTableRow[]> {
    const rows: DataTableRow[] = [];
    for (let pageNo = 0; ; pageNo++) {
      if (pageNo >= MAX_PAGES) {
        throw new KaaError(
          'E_RESPONSE_INVALID',
          `Kore Data Table "${table}" still reported more rows after ${MAX_PAGES} pages (${rows.length} rows). The table is far larger than a bot table should be, or the API ignores sys_offset; check the table and config kore.apiHost.`,
          {
            details: { ...details(table, 'queryAll'), rows: rows.length },
          },
        );
      }
      const page = await query(table, q, { limit: pageSize, offset: rows.length }, options);
      rows.push(...page.rows);
      if (!page.hasMore) return rows;
      if (page.rows.length === 0) {
        throw new KaaError(
          'E_RESPONSE_INVALID',
          `Kore Data Table "${table}" answered hasMore=true with an empty page at offset ${rows.length}; kaa stopped paging to avoid a loop. Check config kore.apiHost and the Kore API version.`,
          {
            details: { ...details(table, 'queryAll'), offset: rows.length },
          },
        );
      }
    }
  }

  async function queryAll(
    table: string,
    q?: DataTableQuery,
    options: DataTableCallOptions = {},
  ): Promise<DataTableRow[]> {
    const key = `${await keyPrefix(checkTable(table))}${q ? JSON.stringify(q) : ''}`;
    if (options.signal?.aborted) throw options.signal.reason;
    if (!options.fresh) {
      const hit = cache.get(key);
      if (hit) {
        logger.debug(`kore data table "${table}": ${hit.length} rows from cache`);
        return hit;
      }
    }
    let read = options.fresh ? undefined : inflight.get(key);
    if (!read) {
      // the shared read has its own signal: one caller's abort only detaches that caller
      const controller = new AbortController();
      const run = readAll(table, q, { signal: controller.signal }).then((rows) => {
        cache.set(key, rows);
        return rows;
      });
      const started: SharedRead = { run, controller, callers: 0 };
      read = started;
      inflight.set(key, started);
      run.then(
        () => inflight.get(key) === started && inflight.delete(key),
        () => inflight.get(key) === started && inflight.delete(key),
      );
    }
    return join(read, options.signal, () => {
      if (inflight.get(key) === read) inflight.delete(key);
      logger.debug(`kore data table "${table}": every caller aborted; read cancelled`);
    });
  }

  async function forget(table: string) {
    cache.removeStartingWith(await keyPrefix(table));
  }

  async function write<T>(
    table: string,
    req: Omit<KoreRequest, 'headers' | 'unauthorized' | 'window' | 'url'> & { suffix?: string },
    parse: (body: unknown) => T,
  ): Promise<T> {
    try {
      const body = await send(table, { ...req, url: tableUrl(table, req.suffix) });
      return parse(body);
    } finally {
      await forget(table);
    }
  }

  return {
    baseUrl,
    query,
    queryAll,
    insert: (table, data, options = {}) =>
      write(
        table,
        { method: 'POST', body: { data }, what: `Kore Data Table "${table}" insert`, ...signalOf(options) },
        (b) =>
          parseBody(InsertResponse, b, `Kore Data Table "${table}" insert`, details(table, 'insert'), tokens.secrets()),
      ),
    bulkInsert: (table, data, options = {}) =>
      write(
        table,
        {
          method: 'POST',
          suffix: '/bulk',
          body: { data },
          what: `Kore Data Table "${table}" bulk insert`,
          ...signalOf(options),
        },
        (b) =>
          parseBody(
            BulkInsertResponse,
            b,
            `Kore Data Table "${table}" bulk insert`,
            details(table, 'bulkInsert'),
            tokens.secrets(),
          ).records,
      ),
    update: (table, q, data, options = {}) =>
      write(
        table,
        { method: 'PUT', body: { query: q, data }, what: `Kore Data Table "${table}" update`, ...signalOf(options) },
        (b) => ({
          nModified: parseBody(
            UpdateResponse,
            b,
            `Kore Data Table "${table}" update`,
            details(table, 'update'),
            tokens.secrets(),
          ).nModified,
        }),
      ),
    delete: (table, q, options = {}) =>
      write(
        table,
        { method: 'DELETE', body: { query: q }, what: `Kore Data Table "${table}" delete`, ...signalOf(options) },
        (b) => ({
          nDeleted: parseBody(
            DeleteResponse,
            b,
            `Kore Data Table "${table}" delete`,
            details(table, 'delete'),
            tokens.secrets(),
          ).nDeleted,
        }),
      ),
  };
}

/** One `queryAll` read shared by concurrent callers; cancelled only when every caller aborted. */
interface SharedRead {
  run: Promise<DataTableRow[]>;
  controller: AbortController;
  callers: number;
}

/** Attaches a caller to a shared read: its abort rejects only its own promise; the last abort cancels the read. */
function join(read: SharedRead, signal: AbortSignal | undefined, onCancel: () => void): Promise<DataTableRow[]> {
  read.callers += 1;
  if (!signal) return read.run;
  return new Promise<DataTableRow[]>((resolve, reject) => {
    const onAbort = () => {
      read.callers -= 1;
      reject(signal.reason);
      if (read.callers === 0) {
        onCancel();
        read.run.catch(() => undefined);
        read.controller.abort(signal.reason);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    read.run.then(
      (rows) => {
        signal.removeEventListener('abort', onAbort);
        resolve(rows);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function signalOf(options: DataTableCallOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function checkTable(table: unknown): string {
  if (typeof table !== 'string' || table.trim() === '' || table.length > 200) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Kore Data Table name ${JSON.stringify(String(table).slice(0, 60))} is not usable. Set x_metadata.datatable.name to the table's exact name.`,
      {
        details: { key: 'x_metadata.datatable.name' },
      },
    );
  }
  return table;
}

/** Origin plus optional path, without a trailing slash; `https:` except on loopback hosts. */
function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Kore API host "${String(raw).slice(0, 200)}" is not a URL. Set config kore.apiHost to e.g. https://platform.kore.ai.`,
      { details: { key: 'kore.apiHost' } },
    );
  }
  if (!isHttpsOrLoopback(url)) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Kore API host "${url.origin}" must use https:. Fix config kore.apiHost.`,
      { details: { key: 'kore.apiHost', origin: url.origin } },
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The Kore API host must be a plain origin such as https://platform.kore.ai, without credentials, query or fragment. Fix config kore.apiHost.`,
      {
        details: { key: 'kore.apiHost', origin: url.origin },
      },
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
