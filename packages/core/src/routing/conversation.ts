/**
 * The part of a Genesys conversation that routing reads, in both shapes Genesys sends:
 * the nested `GET /api/v2/conversations/{id}` shape (per-media arrays `calls[]`, `messages[]`, …) and the
 * flattened shape of `/conversations/calls` and of `v2.users.{id}.conversations*` notifications
 * (participant-level `state`, `held`, `user{}`, `queue{}`). See docs/genesys-protocol.md#conversation-model.
 *
 * These types are written here rather than imported from the Genesys SDK, so that the published declarations need
 * nothing but this package. They only name the fields routing reads; a value keeps every other field Genesys sent.
 * The SDK's `Models.Conversation` is assignable to {@link GenesysConversation} (checked by a type test in core's tests).
 */

import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { issuePath } from '../issues.js';

/**
 * A media session of a participant (`calls[i]`, `messages[i]`, …); only the fields routing reads are typed.
 *
 * @example
 * ```ts
 * const session: GenesysMediaSession = { id: 'c-1', state: 'connected', held: false };
 * ```
 */
export interface GenesysMediaSession {
  readonly id?: string;
  readonly state?: string;
  readonly held?: boolean;
  readonly disconnectType?: string;
}

/** The media arrays a participant may carry, in the order {@link mediaOf} checks them. */
export const MEDIA_ARRAYS = ['calls', 'callbacks', 'messages', 'chats', 'emails'] as const;

/**
 * One participant, nested or flattened. Field names and types follow `Models.Participant` of the Genesys SDK;
 * the flattened extras (`state`, `held`, `user`, `queue`) come from the notification bodies.
 *
 * @example
 * ```ts
 * const agent: GenesysParticipant = { purpose: 'agent', userId: 'u-1', queueName: 'ALPHAINC_SALES', calls: [{ state: 'connected' }] };
 * ```
 */
export interface GenesysParticipant {
  readonly id?: string;
  /** The participant's display name (the customer's name on a web-messaging or callback conversation). */
  readonly name?: string;
  readonly purpose?: string;
  readonly userId?: string;
  readonly queueId?: string;
  readonly queueName?: string;
  readonly startTime?: string;
  readonly connectedTime?: string;
  readonly endTime?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly conversationRoutingData?: { readonly queue?: { readonly id?: string; readonly name?: string } };
  /** Flattened shape: the session state of this participant. */
  readonly state?: string;
  /** Flattened shape. */
  readonly held?: boolean;
  /** Flattened shape: `{id}` of the user. */
  readonly user?: { readonly id?: string; readonly name?: string };
  /** Flattened shape: `{id, name?}` of the queue. */
  readonly queue?: { readonly id?: string; readonly name?: string };
  readonly calls?: readonly GenesysMediaSession[];
  readonly callbacks?: readonly GenesysMediaSession[];
  readonly messages?: readonly GenesysMediaSession[];
  readonly chats?: readonly GenesysMediaSession[];
  readonly emails?: readonly GenesysMediaSession[];
}

/**
 * A Genesys conversation (`Models.Conversation`, or a notification `eventBody`).
 *
 * @example
 * ```ts
 * const conversation: GenesysConversation = parseConversation(body);
 * ```
 */
export interface GenesysConversation {
  readonly id?: string;
  readonly participants: readonly GenesysParticipant[];
}

const idName = z.optional(z.looseObject({ id: z.optional(z.string()), name: z.optional(z.string()) }));
const session = z.looseObject({
  id: z.optional(z.string()),
  state: z.optional(z.string()),
  held: z.optional(z.boolean()),
  disconnectType: z.optional(z.string()),
});
const sessions = z.optional(z.array(session));
const participantSchema = z.looseObject({
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  purpose: z.optional(z.string()),
  userId: z.optional(z.string()),
  queueId: z.optional(z.string()),
  queueName: z.optional(z.string()),
  startTime: z.optional(z.string()),
  connectedTime: z.optional(z.string()),
  endTime: z.optional(z.string()),
  attributes: z.optional(z.record(z.string(), z.string())),
  conversationRoutingData: z.optional(z.looseObject({ queue: idName })),
  state: z.optional(z.string()),
  held: z.optional(z.boolean()),
  user: idName,
  queue: idName,
  calls: sessions,
  callbacks: sessions,
  messages: sessions,
  chats: sessions,
  emails: sessions,
});
/**
 * The zod schema {@link parseConversation} checks a conversation with: the one rule for what kaa reads of a Genesys
 * conversation. Unknown fields are kept. The Genesys adapter validates `GET /api/v2/conversations/{id}` with it (adding
 * the conversation `id` it requires), so a conversation read through the adapter is already parsed.
 *
 * @example
 * ```ts
 * import { GenesysConversationSchema } from '@kaa/core';
 *
 * GenesysConversationSchema.safeParse(body).success; // → true for a conversation with a participants array
 * ```
 */
export const GenesysConversationSchema = z.looseObject({
  id: z.optional(z.string()),
  participants: z.array(participantSchema),
});

/**
 * Validates a conversation read from Genesys (REST body or notification `eventBody`) and returns it typed.
 * Unknown fields are kept; only the fields routing reads are checked.
 *
 * @throws {KaaError} `E_RESPONSE_INVALID` when the value is not a conversation with a `participants` array.
 * @example
 * ```ts
 * import { parseConversation } from '@kaa/core';
 *
 * const conversation = parseConversation(await response.json());
 * conversation.participants.length; // → 3
 * ```
 */
export function parseConversation(value: unknown): GenesysConversation {
  const result = GenesysConversationSchema.safeParse(value);
  if (result.success) return result.data as GenesysConversation;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at "${issuePath(issue.path)}"` : '';
  throw new KaaError(
    'E_RESPONSE_INVALID',
    `Genesys returned a conversation kaa cannot read${where}: ${issue?.message ?? 'not an object'}. Check that the page calls GET /api/v2/conversations/{id} (or reads a conversation notification) and report this response to the kaa maintainers.`,
    { details: { path: issue?.path.map(String) ?? [] } },
  );
}
