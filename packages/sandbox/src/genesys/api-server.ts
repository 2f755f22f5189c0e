import type { IncomingMessage, ServerResponse } from 'node:http';
import { isKaaError, QUEUE_VIEW_PERMISSION, TRANSCRIPTION_VIEW_PERMISSION } from '@kaa/core';
import type { Models } from 'purecloud-platform-client-v2';
import { z } from 'zod';
import { BodyError, readJson } from '../http/body.js';
import { applyCors, type CorsOrigins } from '../http/cors.js';
import { latencyFor } from '../http/latency.js';
import { safeDecode, sendEmpty, sendJson } from '../http/send.js';
import { DIVISIONS, OTHER_ORG, OTHER_ORG_USERS, USERS, orgIdOfUser } from '../seed.js';
import { controlHandler } from './control.js';
import { page, type SandboxTable, tableView } from './datatables.js';
import { codeForStatus, sendErrorBody } from './error-body.js';
import { isKnownTopic } from './notifications.js';
import type { GenesysService } from './service.js';
import { ORGANIZATION, toConversation, toMessageData } from './shapes.js';
import { ADMIN_ROUTES, queueView } from './admin-api.js';
import { ApiError, type Ctx, notFound, requirePermission, requireScope, type Route } from './api-route.js';
import type { IssuedToken } from './tokens.js';

/**
 * Response headers a browser may read on the API origin.
 *
 * @example
 * ```ts
 * res.headers.get('retry-after'); // readable cross-origin because it is listed here
 * ```
 */
export const API_EXPOSED_HEADERS = [
  'Retry-After',
  'inin-correlation-id',
  'inin-ratelimit-allowed',
  'inin-ratelimit-count',
  'inin-ratelimit-reset',
] as const;

const Topics = z.array(z.object({ id: z.string().min(1).max(300) }).passthrough()).max(1000);
const MessageIds = z.array(z.string().min(1).max(200)).max(100);
const AgentSend = z.object({ textBody: z.string().min(1).max(10_000) }).passthrough();

const ROUTES: Route[] = [
  ['GET', /^\/api\/v2\/tokens\/me$/, tokensMe],
  [
    'DELETE',
    /^\/api\/v2\/tokens\/me$/,
    ({ g, res, token, headers }) => {
      g.revoke(token.token);
      sendEmpty(res, 204, headers);
    },
  ],
  ['GET', /^\/api\/v2\/users\/me$/, usersMe],
  ['GET', /^\/api\/v2\/conversations\/messages\/([^/]+)\/messages\/([^/]+)$/, getMessage],
  ['POST', /^\/api\/v2\/conversations\/messages\/([^/]+)\/messages\/bulk$/, bulkMessages],
  ['POST', /^\/api\/v2\/conversations\/messages\/([^/]+)\/communications\/([^/]+)\/messages$/, agentSend],
  ['GET', /^\/api\/v2\/conversations\/([^/]+)$/, getConversation],
  ['GET', /^\/api\/v2\/routing\/queues\/([^/]+)$/, getQueue],
  [
    'GET',
    /^\/api\/v2\/flows\/datatables$/,
    ({ res, url, tables, headers }) => {
      const withSchema = (url.searchParams.get('expand') ?? '').split(',').includes('schema');
      sendJson(
        res,
        200,
        page(
          tables.map((t) => tableView(t, withSchema)),
          url,
          '/api/v2/flows/datatables',
        ) satisfies Models.DataTablesDomainEntityListing,
        headers,
      );
    },
  ],
  [
    'GET',
    /^\/api\/v2\/flows\/datatables\/([^/]+)$/,
    ({ res, url, tables, headers }, [id]) => {
      const t = tables.find((x) => x.table.id === id);
      if (!t) throw notFound('Data table');
      sendJson(res, 200, tableView(t, (url.searchParams.get('expand') ?? '').split(',').includes('schema')), headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/flows\/datatables\/([^/]+)\/rows$/,
    ({ res, url, tables, headers }, [id]) => {
      const t = tables.find((x) => x.table.id === id);
      if (!t) throw notFound('Data table');
      const brief = url.searchParams.get('showbrief') !== 'false';
      const rows = t.rows.map((r) => (brief ? { key: r.key } : r)) as { [key: string]: object }[];
      sendJson(
        res,
        200,
        page(rows, url, `/api/v2/flows/datatables/${id}/rows`) satisfies Models.DataTableRowEntityListing,
        headers,
      );
    },
  ],
  [
    'GET',
    /^\/api\/v2\/flows\/datatables\/([^/]+)\/rows\/([^/]+)$/,
    ({ res, tables, headers }, [id, key]) => {
      const row = tables.find((x) => x.table.id === id)?.rows.find((r) => r.key === key);
      if (!row) throw notFound('Data table row');
      sendJson(res, 200, row, headers);
    },
  ],
  [
    'POST',
    /^\/api\/v2\/notifications\/channels$/,
    ({ g, res, token, headers }) => {
      sendJson(res, 200, g.hub.describe(g.hub.create(token)), headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/notifications\/channels$/,
    ({ g, res, token, headers }) => {
      const mine = [...g.hub.channels.values()].filter(
        (c) => c.userId === token.userId && c.clientId === token.clientId && g.hub.get(c.id),
      );
      sendJson(
        res,
        200,
        { entities: mine.map((c) => g.hub.describe(c)) } satisfies Models.ChannelEntityListing,
        headers,
      );
    },
  ],
  [
    'HEAD',
    /^\/api\/v2\/notifications\/channels\/([^/]+)$/,
    ({ g, res, headers }, [id]) => {
      sendEmpty(res, g.hub.get(id ?? '') ? 200 : 404, headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/,
    ({ g, res, headers }, [id]) => {
      sendJson(res, 200, g.hub.listing(channel(g, id)), headers);
    },
  ],
  ['POST', /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/, (ctx, [id]) => subscribe(ctx, id, false)],
  ['PUT', /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/, (ctx, [id]) => subscribe(ctx, id, true)],
  [
    'DELETE',
    /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/,
    ({ g, res, headers }, [id]) => {
      g.hub.subscribe(channel(g, id), [], true);
      sendEmpty(res, 204, headers);
    },
  ],
  ...ADMIN_ROUTES,
];

/**
 * The API origin's request handler: `/api/v2/**` (latency, then Bearer auth, per-token rate budget, then injected
 * failures, Genesys `ErrorBody` errors with `inin-correlation-id`, CORS with exposed `Retry-After`) and the
 * `/sandbox/v1/**` control API (CORS `*`, no auth).
 *
 * @example
 * ```ts
 * const api = await listen(apiHandler(service, () => corsOrigins, tables));
 * ```
 */
export function apiHandler(g: GenesysService, cors: () => CorsOrigins, tables: () => SandboxTable[]) {
  const control = controlHandler(g);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/sandbox/v1/')) {
      if (applyCors(req, res, { origins: '*' })) return;
      return control(req, res, url);
    }
    if (applyCors(req, res, { origins: cors(), exposeHeaders: API_EXPOSED_HEADERS })) return;
    const correlationId = g.env.uuid();
    const ms = latencyFor(g.faultState.latency, url.pathname);
    if (ms > 0) await g.sleep(ms);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const checked = g.tokens.check(bearer);
    if ('problem' in checked) {
      return checked.problem === 'missing'
        ? sendErrorBody(
            res,
            401,
            'authentication.required',
            'No authentication bearer token specified in authorization header.',
            correlationId,
          )
        : sendErrorBody(res, 401, 'bad.credentials', 'Invalid login credentials.', correlationId);
    }
    const token = checked.token;
    const perToken = g.budget.take(token.token, g.faultState.rateLimitPerMinute);
    // a user's tokens of one OAuth client share org.app.user.rate.per.minute (e.g. 10 widget instances, each signed in)
    const perUser =
      token.userId === undefined
        ? undefined
        : g.budget.take(`user ${token.clientId} ${token.userId}`, g.faultState.userRateLimitPerMinute);
    const rate = perUser && !perUser.allowed ? perUser : perToken;
    const headers = {
      'inin-correlation-id': correlationId,
      'inin-ratelimit-allowed': String(rate.limit),
      'inin-ratelimit-count': String(rate.count),
      'inin-ratelimit-reset': String(rate.resetSeconds),
    };
    if (!rate.allowed) {
      const key =
        rate === perUser
          ? 'org.app.user.rate.per.minute'
          : token.grant === 'client_credentials'
            ? 'client.credentials.token.rate.per.minute'
            : 'token.rate.per.minute';
      return sendErrorBody(
        res,
        429,
        'too.many.requests.retry.after',
        `Rate limit exceeded the maximum. [${key}]`,
        correlationId,
        { ...headers, 'retry-after': rate.resetSeconds },
        {
          key,
        },
      );
    }
    // injected failures come after authentication and the rate budget, as a server error would: a request with an
    // expired or unknown token is refused 401 and leaves the queued failure for the next authenticated call
    const failed = g.faultState.takeFailure(method, url.pathname);
    if (failed !== undefined) {
      return sendErrorBody(
        res,
        failed,
        codeForStatus(failed),
        `The requested operation failed with status ${failed}`,
        correlationId,
        failed === 429 ? { ...headers, 'retry-after': 1 } : headers,
      );
    }
    for (const [m, pattern, handler] of ROUTES) {
      const match = pattern.exec(url.pathname);
      if (!match || m !== method) continue;
      try {
        await handler(
          { g, req, res, url, token, correlationId, headers, tables: tables() },
          match.slice(1).map((p) => safeDecode(p)),
        );
      } catch (e) {
        if (e instanceof ApiError) sendErrorBody(res, e.status, e.code, e.message, correlationId, headers);
        else if (e instanceof BodyError) sendErrorBody(res, e.status, 'bad.request', e.message, correlationId, headers);
        else if (isKaaError(e, 'E_CONVERSATION_NOT_FOUND'))
          sendErrorBody(
            res,
            404,
            'not.found',
            'The requested operation failed with status 404',
            correlationId,
            headers,
          );
        else if (isKaaError(e)) sendErrorBody(res, 400, 'bad.request', e.message, correlationId, headers);
        else throw e;
      }
      return;
    }
    sendErrorBody(res, 404, 'not.found', 'The requested operation failed with status 404', correlationId, headers);
  };
}

function channel(g: GenesysService, id: string | undefined) {
  const ch = g.hub.get(id ?? '');
  if (!ch) throw notFound('Channel');
  return ch;
}

async function subscribe(
  { g, req, res, token, headers }: Ctx,
  id: string | undefined,
  replace: boolean,
): Promise<void> {
  const ch = channel(g, id);
  const parsed = Topics.safeParse(await readJson(req));
  if (!parsed.success)
    throw new ApiError(400, 'bad.request', 'The request body must be an array of {"id": "<topic>"} objects.');
  const bad = parsed.data.map((t) => t.id).filter((t) => !isKnownTopic(t));
  if (bad.length) throw new ApiError(400, 'bad.request', `Invalid topic(s): ${bad.join(', ')}`);
  // permission enforcement (docs/assumptions.md#transcription-topic-refusal): a topic the user may not see is answered
  // with state "Rejected" and the missing permissions, and is not subscribed; the others are
  const refused = new Map<string, Models.ChannelTopic>();
  for (const { id: topic } of parsed.data) {
    const missing = missingTopicPermissions(g, token, topic);
    if (missing.length > 0)
      refused.set(topic, {
        id: topic,
        state: 'Rejected',
        rejectionReason: `Missing permissions: ${missing.join(', ')}`,
        missingPermissions: missing,
      });
  }
  g.hub.subscribe(
    ch,
    parsed.data.map((t) => t.id).filter((t) => !refused.has(t)),
    replace,
    token.token,
  );
  const listing = g.hub.listing(ch);
  sendJson(
    res,
    200,
    { entities: [...(listing.entities ?? []), ...refused.values()] } satisfies Models.ChannelTopicEntityListing,
    headers,
  );
}

/** The permissions a user token lacks for a topic: the transcription topic needs Conversation › Transcription › View in the queue's division. */
function missingTopicPermissions(g: GenesysService, token: IssuedToken, topic: string): string[] {
  const m = /^v2\.conversations\.([A-Za-z0-9-]+)\.transcription$/.exec(topic);
  if (!m?.[1] || token.userId === undefined) return [];
  const conversation = g.world.conversations.get(m[1]);
  const division = conversation ? g.org.divisionOfQueue(conversation.queueId) : undefined;
  return g.org.hasPermission(token.userId, TRANSCRIPTION_VIEW_PERMISSION, division)
    ? []
    : [TRANSCRIPTION_VIEW_PERMISSION];
}

function tokensMe({ g, res, token, headers }: Ctx): void {
  const client = g.clients.get(token.clientId);
  const body = {
    organization: { id: ORGANIZATION.id, name: ORGANIZATION.name },
    homeOrganization: { id: ORGANIZATION.id, name: ORGANIZATION.name },
    authorizedScope: [...token.scopes],
    OAuthClient: {
      id: token.clientId,
      name: client?.name ?? 'Sandbox client',
      authorizedGrantType:
        token.grant === 'implicit' ? 'TOKEN' : token.grant === 'pkce' ? 'CODE' : 'CLIENT-CREDENTIALS',
      organization: { id: ORGANIZATION.id, name: ORGANIZATION.name },
    },
  } satisfies Models.TokenInfo;
  sendJson(res, 200, body, headers);
}

type SandboxUser = (typeof USERS)[keyof typeof USERS] | (typeof OTHER_ORG_USERS)[keyof typeof OTHER_ORG_USERS];

/** The organisation a user belongs to: {@link OTHER_ORG} for its users, else the seeded org. */
function organizationOf(user: SandboxUser) {
  return orgIdOfUser(user.id) === OTHER_ORG.id
    ? { ...ORGANIZATION, id: OTHER_ORG.id, name: OTHER_ORG.name, selfUri: `/api/v2/organizations/${OTHER_ORG.id}` }
    : ORGANIZATION;
}

function requireUser(token: IssuedToken): SandboxUser {
  const user = [...Object.values(USERS), ...Object.values(OTHER_ORG_USERS)].find((u) => u.id === token.userId);
  if (!user)
    throw new ApiError(
      400,
      'bad.request',
      'This request requires a user context. Client credentials cannot be used for requests to this resource.',
    );
  return user;
}

function usersMe({ res, url, token, headers }: Ctx): void {
  const user = requireUser(token);
  const expand = (url.searchParams.get('expand') ?? '').split(',');
  const body = {
    id: user.id,
    name: user.name,
    email: user.email,
    username: user.email,
    state: 'active',
    version: 1,
    division: {
      id: DIVISIONS.home.id,
      name: DIVISIONS.home.name,
      selfUri: `/api/v2/authorization/divisions/${DIVISIONS.home.id}`,
    },
    ...(expand.includes('organization') ? { organization: organizationOf(user) } : {}),
    selfUri: `/api/v2/users/${user.id}`,
  } satisfies Models.UserMe;
  sendJson(res, 200, body, headers);
}

function visibleConversation(g: GenesysService, token: IssuedToken, id: string | undefined) {
  const c = g.world.conversations.get(id ?? '');
  // A user sees a conversation of their own organisation only while they are (or were) a participant; client
  // credentials (the seeded org's) see all of that org's. Another org's conversation is a 404, as one that does not exist.
  if (
    !c ||
    c.orgId !== orgIdOfUser(token.userId) ||
    (token.userId && !c.participants.some((p) => p.userId === token.userId))
  )
    throw notFound('Conversation');
  return c;
}

function getConversation({ g, res, token, headers }: Ctx, [id]: string[]): void {
  sendJson(res, 200, toConversation(visibleConversation(g, token, id)), headers);
}

function getMessage({ g, res, token, headers }: Ctx, [cid, mid]: string[]): void {
  const m = visibleConversation(g, token, cid).messages.find((x) => x.id === mid);
  if (!m) throw notFound('Message');
  sendJson(res, 200, toMessageData(m), headers);
}

async function bulkMessages({ g, req, res, token, headers }: Ctx, [cid]: string[]): Promise<void> {
  const c = visibleConversation(g, token, cid);
  const parsed = MessageIds.safeParse(await readJson(req));
  if (!parsed.success)
    throw new ApiError(400, 'bad.request', 'The request body must be an array of at most 100 message ids.');
  const entities = parsed.data
    .map((id) => c.messages.find((m) => m.id === id))
    .filter((m) => m !== undefined)
    .map((m) => toMessageData(m));
  sendJson(res, 200, { entities } satisfies Models.TextMessageListing, headers);
}

async function agentSend({ g, req, res, token, headers }: Ctx, [cid, commId]: string[]): Promise<void> {
  const c = visibleConversation(g, token, cid);
  const parsed = AgentSend.safeParse(await readJson(req));
  if (!parsed.success) throw new ApiError(400, 'bad.request', 'The request body must be {"textBody": "<text>"}.');
  const session = c.participants.find((p) => p.sessionId === commId);
  if (!session) throw notFound('Communication');
  if (token.userId && session.userId !== token.userId)
    throw new ApiError(403, 'missing.permissions', 'The communication does not belong to the calling user.');
  sendJson(res, 200, toMessageData(g.message(c.id, 'outbound', parsed.data.textBody, commId)), headers);
}

function getQueue(ctx: Ctx, [id]: string[]): void {
  requireScope(ctx.token, ['routing', 'routing:readonly']);
  const q = ctx.g.org.queues.get(id ?? '');
  if (!q) throw notFound('Queue');
  requirePermission(ctx, QUEUE_VIEW_PERMISSION, q.divisionId);
  sendJson(ctx.res, 200, queueView(q), ctx.headers);
}
