/**
 * zod/mini schemas for the Genesys responses kaa reads. They check the fields kaa relies on and keep
 * every other field (loose objects), so the values can be typed as the shapes in `genesys-models.ts` afterwards.
 */
import * as z from 'zod/mini';
import { GenesysConversationSchema } from '@kaa/core';

const id = z.string().check(z.minLength(1));
const opt = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export const UserMeSchema = z.looseObject({
  id,
  name: opt(z.string()),
  organization: opt(z.looseObject({ id: opt(z.string()) })),
});

/**
 * `GET /api/v2/conversations/{id}`: core's conversation schema (the one rule for what kaa reads of a conversation),
 * plus the conversation `id` the API always sends. Whoever reads a conversation through the adapter holds a value
 * core's `parseConversation` would accept as it is.
 */
export const ConversationSchema = z.extend(GenesysConversationSchema, { id, startTime: z.optional(z.string()) });

export const QueueSchema = z.looseObject({ id, name: opt(z.string()), enableTranscription: opt(z.boolean()) });

export const MessageSchema = z.looseObject({
  id,
  textBody: opt(z.string()),
  direction: opt(z.string()),
  timestamp: opt(z.string()),
  normalizedMessage: opt(z.looseObject({ text: opt(z.string()) })),
});

export const MessageListingSchema = z.looseObject({ entities: z.array(MessageSchema) });

const SchemaProperty = z.looseObject({ title: opt(z.string()), type: opt(z.string()), default: opt(z.unknown()) });

export const DataTableSchema = z.looseObject({
  id,
  name: opt(z.string()),
  schema: opt(
    z.looseObject({
      properties: opt(z.record(z.string(), SchemaProperty)),
    }),
  ),
});

export const DataTableListingSchema = z.looseObject({
  entities: z.array(DataTableSchema),
  pageNumber: opt(z.number()),
  pageCount: opt(z.number()),
  nextUri: opt(z.string()),
});

export const DataTableRowListingSchema = z.looseObject({
  entities: z.array(z.record(z.string(), z.unknown())),
  pageNumber: opt(z.number()),
  pageCount: opt(z.number()),
  nextUri: opt(z.string()),
});

export const ChannelSchema = z.looseObject({
  id,
  connectUri: z.string().check(z.minLength(1)),
  expires: opt(z.string()),
});

export const ChannelTopicListingSchema = z.looseObject({
  entities: opt(
    z.array(
      z.looseObject({
        id: z.string(),
        state: opt(z.string()),
        rejectionReason: opt(z.string()),
        missingPermissions: opt(z.array(z.string())),
      }),
    ),
  ),
});
