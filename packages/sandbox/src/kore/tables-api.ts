/**
 * The Kore Data Table public API (docs/kore-protocol.md#data-table-public-api): query, insert, bulk insert, update, delete under
 * `/api/public/tables/{table}`, authorised by the `auth` header (HS256 JWT of a Data app with an exact
 * `appId` claim), with per-app permissions and a rolling per-minute budget per app + table.
 */
import { z } from 'zod';
import { KaaError } from '@kaa/core';
import { invalidBody } from './invalid-body.js';
import type { HttpAnswer } from '../http/answer.js';
import { verifyPlatformJwt } from './jwt-checks.js';
import type { RecordedTableCall } from './recorded.js';
import { parseTableQuery } from './table-query.js';
import type { TableRow } from './table-query.js';
import type { TablePermission } from './data-table.js';
import { koreError, recordRowSecrets } from './world.js';
import type { KoreWorld } from './world.js';

/** Kore's per-minute rate-limit message (rate-limit docs). */
export const KORE_RATE_LIMIT_MESSAGE =
  "You've exceeded the per-minute rate limit for this API. Please try again after some time.";

/** Largest `sys_limit` the query API accepts. */
export const MAX_SYS_LIMIT = 100;

/** The default `sys_limit`. */
export const DEFAULT_SYS_LIMIT = 10;

/** A request as the table handlers see it. */
export interface TableRequest {
  method: string;
  table: string;
  op: RecordedTableCall['op'];
  url: URL;
  authHeader: string | undefined;
  body: unknown;
}

const rowSchema = z.record(z.string(), z.unknown());
const insertSchema = z.object({ data: rowSchema });
const bulkSchema = z.object({ data: z.array(rowSchema).max(10_000) });
const updateSchema = z.object({ query: z.unknown().optional(), data: rowSchema });
const queryBodySchema = z.object({ query: z.unknown().optional() }).optional();

const PERMISSION_OF: Record<RecordedTableCall['op'], TablePermission> = {
  query: 'read',
  insert: 'write',
  bulk: 'write',
  update: 'write',
  delete: 'delete',
};

function parseLimit(raw: string | null, name: string, fallback: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new KaaError('E_HTTP_BAD_REQUEST', `${name} must be a whole number from 0 to ${max}, got "${raw}".`, {
      details: { status: 400, parameter: name },
    });
  }
  return n;
}

/**
 * Answers one Data Table API call and records it in `world.recorded.tableQueries`.
 *
 * @example
 * ```ts
 * const answer = await handleTableCall(world, { method: 'POST', table: 'kaa_bots', op: 'query', url, authHeader, body });
 * ```
 */
export async function handleTableCall(world: KoreWorld, req: TableRequest): Promise<HttpAnswer> {
  const record: RecordedTableCall = { at: world.now(), status: 0, op: req.op, table: req.table };
  world.recorded.tableQueries.push(record);
  const answer = await answerTableCall(world, req, record);
  record.status = answer.status;
  if (answer.status >= 400) {
    const json = answer.json as { errors?: { msg?: string }[] } | undefined;
    record.error = json?.errors?.[0]?.msg ?? 'error';
  }
  return answer;
}

async function answerTableCall(world: KoreWorld, req: TableRequest, record: RecordedTableCall): Promise<HttpAnswer> {
  const jwt = await verifyPlatformJwt(req.authHeader, (appId) => world.dataApps.get(appId), world.now());
  if (!jwt.ok) return koreError(401, `error verifying the jwt: ${jwt.msg}`);
  const appId = jwt.value.appId;
  record.appId = appId;
  const table = world.tables.get(req.table);
  if (!table)
    return koreError(404, `Table "${req.table}" does not exist. Check the table name in x_metadata.datatable.name.`);
  const permission = PERMISSION_OF[req.op];
  if (!table.can(appId, permission)) {
    return koreError(
      403,
      `App "${appId}" has no ${permission} permission on table "${req.table}". Grant ${permission} access to the app in Data › Apps.`,
    );
  }
  const rateKey = `${appId}:${req.table}`;
  if (!world.rate.take(rateKey, world.settings.tableRateLimitPerMinute)) {
    return koreError(429, KORE_RATE_LIMIT_MESSAGE, { 'retry-after': String(world.rate.retryAfterSeconds(rateKey)) });
  }
  try {
    switch (req.op) {
      case 'query': {
        const body = queryBodySchema.safeParse(req.body);
        if (!body.success) throw invalidBody('The query body', body.error.issues);
        const query = parseTableQuery(body.data?.query);
        const limit = parseLimit(req.url.searchParams.get('sys_limit'), 'sys_limit', DEFAULT_SYS_LIMIT, MAX_SYS_LIMIT);
        const offset = parseLimit(req.url.searchParams.get('sys_offset'), 'sys_offset', 0, Number.MAX_SAFE_INTEGER);
        Object.assign(record, { query, limit, offset });
        const page = table.query(query, limit, offset);
        recordRowSecrets(world.secrets, page.queryResult);
        return { status: 200, json: page };
      }
      case 'insert': {
        const body = insertSchema.safeParse(req.body);
        if (!body.success) throw invalidBody('The insert body', body.error.issues);
        recordRowSecrets(world.secrets, [body.data.data]);
        return { status: 200, json: table.insert(body.data.data, appId) };
      }
      case 'bulk': {
        const body = bulkSchema.safeParse(req.body);
        if (!body.success) throw invalidBody('The bulk insert body', body.error.issues);
        recordRowSecrets(world.secrets, body.data.data);
        const records: TableRow[] = table.insertMany(body.data.data, appId);
        return { status: 200, json: { records } };
      }
      case 'update': {
        const body = updateSchema.safeParse(req.body);
        if (!body.success) throw invalidBody('The update body', body.error.issues);
        recordRowSecrets(world.secrets, [body.data.data]);
        const query = parseTableQuery(body.data.query);
        record.query = query;
        return { status: 200, json: { nModified: table.update(query, body.data.data, appId) } };
      }
      case 'delete': {
        const body = queryBodySchema.safeParse(req.body);
        if (!body.success) throw invalidBody('The delete body', body.error.issues);
        if (body.data?.query === undefined)
          return koreError(400, 'A delete needs a "query"; send {"query":{"expressions":[…]}}.');
        const query = parseTableQuery(body.data.query);
        record.query = query;
        return { status: 200, json: { nDeleted: table.delete(query) } };
      }
    }
  } catch (e) {
    if (e instanceof KaaError && e.code === 'E_HTTP_BAD_REQUEST') return koreError(400, e.message);
    throw e;
  }
}
