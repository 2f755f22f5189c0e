/**
 * The Genesys Cloud response shapes the adapter returns, written here instead of imported from the Genesys SDK
 * (`purecloud-platform-client-v2`), so that the published declarations need nothing but this package's
 * dependencies and nobody installs the SDK to use kaa. Each type names the fields kaa reads or shows, with the
 * SDK's field names and types (a field the SDK marks required but `schemas.ts` does not check is optional here);
 * the values keep every other field Genesys sent. A type test in the adapter's tests assigns each SDK model to its
 * type here, so they cannot drift apart. Conversations use core's {@link GenesysConversation}.
 */
import type { GenesysConversation } from '@kaa/core';

/**
 * `GET /api/v2/users/me?expand=organization` (SDK `Models.UserMe`), as far as kaa reads it.
 *
 * @example
 * ```ts
 * const me: GenesysUserMe = await api.getMe();
 * console.log(me.id, me.name, me.organization?.id);
 * ```
 */
export interface GenesysUserMe {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  readonly username?: string;
  readonly organization?: { readonly id?: string; readonly name?: string };
}

/**
 * `GET /api/v2/conversations/{id}` (SDK `Models.Conversation`): core's routing view of a conversation, with its id.
 *
 * @example
 * ```ts
 * const conversation: GenesysConversationBody = await api.getConversation(conversationId);
 * findAgentParticipant(conversation, me.id);
 * ```
 */
export interface GenesysConversationBody extends GenesysConversation {
  readonly id: string;
  readonly startTime?: string;
}

/**
 * `GET /api/v2/routing/queues/{id}` (SDK `Models.Queue`), as far as kaa reads it.
 *
 * @example
 * ```ts
 * const queue: GenesysQueue = await api.getQueue(queueId);
 * console.log(queue.name);
 * ```
 */
export interface GenesysQueue {
  readonly id: string;
  readonly name?: string;
  /** Voice transcription of the queue's calls (Admin > Contact Center > Queues > Voice). */
  readonly enableTranscription?: boolean;
}

/**
 * The JSON schema of an Architect data table (SDK `Models.JsonSchemaDocument`); each property describes a column.
 *
 * @example
 * ```ts
 * const columns = Object.keys(table.schema?.properties ?? {});
 * ```
 */
export interface GenesysDataTableSchema {
  readonly title?: string;
  readonly type?: string;
  readonly required?: readonly string[];
  readonly properties?: { readonly [key: string]: object };
}

/**
 * An Architect data table (SDK `Models.DataTable`), with its schema when asked for (`expand=schema`).
 *
 * @example
 * ```ts
 * const table: GenesysDataTable = await api.getDataTable('Kore Bot Config', { schema: true });
 * ```
 */
export interface GenesysDataTable {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly schema?: GenesysDataTableSchema;
}

/**
 * A web-messaging message (SDK `Models.MessageData`) with its text (`textBody` per
 * docs/genesys-protocol.md#web-messaging-text).
 *
 * @example
 * ```ts
 * const message: GenesysMessage = await api.getMessage(conversationId, messageId);
 * console.log(message.direction, message.textBody);
 * ```
 */
export interface GenesysMessage {
  readonly id: string;
  readonly textBody?: string | null;
  readonly direction?: string;
  readonly timestamp?: string;
  readonly status?: string;
  readonly normalizedMessage?: { readonly type?: string; readonly text?: string };
  readonly conversationId?: string;
}
