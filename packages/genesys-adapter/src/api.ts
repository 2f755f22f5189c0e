// Over 300 lines on purpose: createGenesysApi is one object with a short method per Genesys endpoint the page calls, all on one request path (auth, rate budget, retries).
import { KaaError } from '@kaa/core';
import type {
  GenesysConversationBody,
  GenesysDataTable,
  GenesysMessage,
  GenesysQueue,
  GenesysUserMe,
} from './genesys-models.js';
import type { RequestPriority } from './rate-budget.js';
import type { RequesterOptions } from './request.js';
import { createRequester } from './request.js';
import {
  ChannelSchema,
  ChannelTopicListingSchema,
  ConversationSchema,
  DataTableListingSchema,
  DataTableRowListingSchema,
  DataTableSchema,
  MessageListingSchema,
  MessageSchema,
  QueueSchema,
  UserMeSchema,
} from './schemas.js';

/**
 * Options of {@link createGenesysApi}.
 *
 * @example
 * ```ts
 * const options: GenesysApiOptions = { environment, auth: { getToken: () => token }, maxAttempts: 3 };
 * // docs/assumptions.md#genesys-per-user-rate-limit: share one per-user budget between the widget instances
 * const shared: GenesysApiOptions = { environment, auth, rateBudget: createSharedRateBudget({ channelName: 'kaa.genesys.rate', now: () => Date.now() }) };
 * ```
 */
export interface GenesysApiOptions extends RequesterOptions {}

/**
 * A notification channel.
 *
 * @example
 * ```ts
 * const channel: NotificationChannel = await api.createChannel(); // { id, connectUri, expires }
 * ```
 */
export interface NotificationChannel {
  id: string;
  connectUri: string;
  /** ISO time the channel expires (24 h after creation). */
  expires?: string;
}

/**
 * The Genesys Cloud Platform API calls kaa makes, over injected `fetch`. Responses are validated with
 * zod/mini and typed with the shapes in `genesys-models.ts` (compatible with the Genesys SDK's `Models`).
 *
 * @example
 * ```ts
 * const api: GenesysApi = createGenesysApi({ environment, auth });
 * const me = await api.getMe();
 * ```
 */
export interface GenesysApi {
  /** `GET /api/v2/users/me?expand=organization` (scope `user-basic-info`). */
  getMe(options?: CallOptions): Promise<GenesysUserMe>;
  /** `GET /api/v2/conversations/{id}`; a 404 is `E_CONVERSATION_NOT_FOUND`. */
  getConversation(conversationId: string, options?: CallOptions): Promise<GenesysConversationBody>;
  /** `GET /api/v2/routing/queues/{id}` (needs a routing scope that Kore's list lacks; prefer `participant.queueName`). */
  getQueue(queueId: string, options?: CallOptions): Promise<GenesysQueue>;
  /** `GET /api/v2/conversations/messages/{conversationId}/messages/{messageId}`. */
  getMessage(conversationId: string, messageId: string, options?: CallOptions): Promise<GenesysMessage>;
  /** `POST /api/v2/conversations/messages/{conversationId}/messages/bulk` (a read: retried on 5xx). */
  getMessages(conversationId: string, messageIds: readonly string[], options?: CallOptions): Promise<GenesysMessage[]>;
  /** `POST /api/v2/conversations/messages/{conversationId}/communications/{communicationId}/messages` with `{textBody}`; never retried on 5xx. */
  sendMessage(
    conversationId: string,
    communicationId: string,
    text: string,
    options?: CallOptions,
  ): Promise<GenesysMessage>;
  /** Every data table (all pages) of `GET /api/v2/flows/datatables`. */
  listDataTables(query?: { expandSchema?: boolean }, options?: CallOptions): Promise<GenesysDataTable[]>;
  /** `GET /api/v2/flows/datatables/{id}[?expand=schema]`; a non-UUID argument is looked up by name. */
  getDataTable(idOrName: string, query?: { schema?: boolean }, options?: CallOptions): Promise<GenesysDataTable>;
  /** Every row (all pages, `pageSize=500&showbrief=false`). */
  getDataTableRows(tableId: string, options?: CallOptions): Promise<Record<string, unknown>[]>;
  /** `POST /api/v2/notifications/channels`. */
  createChannel(options?: CallOptions): Promise<NotificationChannel>;
  /** `HEAD /api/v2/notifications/channels/{id}`: true while the channel is alive. */
  channelExists(channelId: string, options?: CallOptions): Promise<boolean>;
  /** `PUT …/channels/{id}/subscriptions`: replaces the topic list; returns topics Genesys rejected. */
  setSubscriptions(
    channelId: string,
    topics: readonly string[],
    options?: CallOptions,
  ): Promise<{ rejected: { id: string; reason?: string; missingPermissions?: string[] }[] }>;
  /** `DELETE …/channels/{id}/subscriptions`. */
  deleteSubscriptions(channelId: string, options?: CallOptions): Promise<void>;
}

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * await api.getConversation(conversationId, { signal: controller.signal });
 * ```
 */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * With a `rateBudget`: `'low'` marks a request that may be shed (rejected with `E_RATE_LIMITED`,
   * `details.shed: true`) instead of waiting when the shared budget is spent. Default `'normal'`.
   */
  priority?: RequestPriority;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const seg = (value: string) => encodeURIComponent(value);
const TABLE_SCOPE = 'the scope "architect:readonly" (role permission "architect:datatable:view")';

/**
 * Creates the Genesys Platform API client.
 *
 * @example
 * ```ts
 * import { resolveEnvironment } from '@kaa/core';
 * import { createGenesysApi } from '@kaa/genesys-adapter';
 *
 * const api = createGenesysApi({
 *   environment: resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' }),
 *   auth: { getToken: () => auth.getToken()?.accessToken ?? null, relogin: () => auth.login({ ctx, originalQuery }) },
 * });
 * const [me, conversation] = await Promise.all([api.getMe(), api.getConversation(ctx.conversationId)]);
 * ```
 */
export function createGenesysApi(options: GenesysApiOptions): GenesysApi {
  const request = createRequester(options);

  const getDataTableById = async (tableId: string, schema: boolean, o?: CallOptions) =>
    (
      await request({
        method: 'GET',
        path: `/api/v2/flows/datatables/${seg(tableId)}`,
        query: { expand: schema ? 'schema' : undefined },
        purpose: `read data table "${tableId}"`,
        requires: TABLE_SCOPE,
        schema: DataTableSchema,
        signal: o?.signal,
        priority: o?.priority,
      })
    ).body as GenesysDataTable;

  const listDataTables: GenesysApi['listDataTables'] = async (query = {}, o) => {
    const tables: GenesysDataTable[] = [];
    for (let page = 1; page <= 100; page += 1) {
      const { body } = await request({
        method: 'GET',
        path: '/api/v2/flows/datatables',
        query: { expand: query.expandSchema ? 'schema' : undefined, pageSize: 100, pageNumber: page },
        purpose: 'list the Architect data tables',
        requires: TABLE_SCOPE,
        schema: DataTableListingSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      tables.push(...(body.entities as GenesysDataTable[]));
      const more = body.pageCount != null ? page < body.pageCount : Boolean(body.nextUri) && body.entities.length > 0;
      if (!more) break;
    }
    return tables;
  };

  return {
    async getMe(o) {
      const { body } = await request({
        method: 'GET',
        path: '/api/v2/users/me',
        query: { expand: 'organization' },
        purpose: 'read the signed-in user',
        requires: 'the scope "user-basic-info"',
        schema: UserMeSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return body as GenesysUserMe;
    },
    async getConversation(conversationId, o) {
      const { body } = await request({
        method: 'GET',
        path: `/api/v2/conversations/${seg(conversationId)}`,
        purpose: `read conversation "${conversationId}"`,
        requires: 'the scope "conversations:readonly"',
        conversationId,
        schema: ConversationSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return body as GenesysConversationBody;
    },
    async getQueue(queueId, o) {
      const { body } = await request({
        method: 'GET',
        path: `/api/v2/routing/queues/${seg(queueId)}`,
        purpose: `read queue "${queueId}"`,
        requires:
          'the scope "routing:readonly" (not in the Kore guide\'s list; kaa normally reads the queue name from the conversation)',
        schema: QueueSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return body as GenesysQueue;
    },
    async getMessage(conversationId, messageId, o) {
      const { body } = await request({
        method: 'GET',
        path: `/api/v2/conversations/messages/${seg(conversationId)}/messages/${seg(messageId)}`,
        purpose: `read message "${messageId}" of conversation "${conversationId}"`,
        requires: 'the scope "conversations:readonly"',
        schema: MessageSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return body as unknown as GenesysMessage;
    },
    async getMessages(conversationId, messageIds, o) {
      if (messageIds.length === 0) return [];
      const { body } = await request({
        method: 'POST',
        path: `/api/v2/conversations/messages/${seg(conversationId)}/messages/bulk`,
        body: messageIds,
        idempotent: true,
        purpose: `read ${messageIds.length} messages of conversation "${conversationId}"`,
        requires: 'the scope "conversations:readonly"',
        schema: MessageListingSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return body.entities as unknown as GenesysMessage[];
    },
    async sendMessage(conversationId, communicationId, text, o) {
      const { body } = await request({
        method: 'POST',
        path: `/api/v2/conversations/messages/${seg(conversationId)}/communications/${seg(communicationId)}/messages`,
        body: { textBody: text },
        purpose: `send a message in conversation "${conversationId}"`,
        requires: 'the scope "conversations" (or "messaging")',
        schema: MessageSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return body as unknown as GenesysMessage;
    },
    listDataTables,
    async getDataTable(idOrName, query = {}, o) {
      if (UUID.test(idOrName)) return getDataTableById(idOrName, query.schema ?? false, o);
      const found = (await listDataTables({ expandSchema: query.schema ?? false }, o)).filter(
        (t) => t.name === idOrName,
      );
      if (found.length === 1 && found[0]) return found[0];
      throw new KaaError(
        found.length === 0 ? 'E_HTTP_NOT_FOUND' : 'E_BOT_SOURCE_UNAVAILABLE',
        found.length === 0
          ? `There is no Architect data table named "${idOrName}" visible to the signed-in user. Check the table name, or configure its id.`
          : `${found.length} Architect data tables are named "${idOrName}". Configure the table by id instead.`,
        { details: { table: idOrName, matches: found.map((t) => t.id) } },
      );
    },
    async getDataTableRows(tableId, o) {
      const rows: Record<string, unknown>[] = [];
      for (let page = 1; page <= 100; page += 1) {
        const { body } = await request({
          method: 'GET',
          path: `/api/v2/flows/datatables/${seg(tableId)}/rows`,
          query: { pageSize: 500, pageNumber: page, showbrief: false },
          purpose: `read the rows of data table "${tableId}"`,
          requires: TABLE_SCOPE,
          schema: DataTableRowListingSchema,
          signal: o?.signal,
          priority: o?.priority,
        });
        rows.push(...body.entities);
        const more = body.pageCount != null ? page < body.pageCount : Boolean(body.nextUri) && body.entities.length > 0;
        if (!more) break;
      }
      return rows;
    },
    async createChannel(o) {
      const { body } = await request({
        method: 'POST',
        path: '/api/v2/notifications/channels',
        purpose: 'create a notification channel',
        requires: 'the scope "notifications"',
        schema: ChannelSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      return { id: body.id, connectUri: body.connectUri, ...(body.expires ? { expires: body.expires } : {}) };
    },
    async channelExists(channelId, o) {
      const { status } = await request({
        method: 'HEAD',
        path: `/api/v2/notifications/channels/${seg(channelId)}`,
        purpose: `check notification channel "${channelId}"`,
        requires: 'the scope "notifications"',
        acceptStatuses: [404],
        signal: o?.signal,
        priority: o?.priority,
      });
      return status !== 404;
    },
    async setSubscriptions(channelId, topics, o) {
      const { body } = await request({
        method: 'PUT',
        path: `/api/v2/notifications/channels/${seg(channelId)}/subscriptions`,
        body: topics.map((t) => ({ id: t })),
        idempotent: true,
        purpose: `subscribe notification channel "${channelId}" to ${topics.length} topics`,
        requires:
          'the scope "notifications" (and, for transcription topics, the permission "Conversation > Transcription > View")',
        schema: ChannelTopicListingSchema,
        signal: o?.signal,
        priority: o?.priority,
      });
      const rejected = (body.entities ?? [])
        .filter((t) => t.state === 'Rejected' || t.rejectionReason)
        .map((t) => ({
          id: t.id,
          ...(t.rejectionReason ? { reason: t.rejectionReason } : {}),
          ...(t.missingPermissions?.length ? { missingPermissions: [...t.missingPermissions] } : {}),
        }));
      return { rejected };
    },
    async deleteSubscriptions(channelId, o) {
      await request({
        method: 'DELETE',
        path: `/api/v2/notifications/channels/${seg(channelId)}/subscriptions`,
        idempotent: true,
        purpose: `remove the subscriptions of notification channel "${channelId}"`,
        requires: 'the scope "notifications"',
        signal: o?.signal,
        priority: o?.priority,
      });
    },
  };
}
