/**
 * The body of the Agent AI hooks API (docs/kore-protocol.md#hooks-body), validated the way the sandbox platform
 * checks it: `conversationId` and `botId` always; the message-propagation fields together when `query`
 * is sent; lifecycle events in `events[]` with their documented shapes.
 */
import { z } from 'zod';
import { invalidBody } from './invalid-body.js';

const participantSchema = z.object({
  identity: z.string().min(1),
  name: z.string(),
  type: z.literal('agent'),
  customFields: z
    .object({ agentEmail: z.string().optional(), queueId: z.string().optional(), queueName: z.string().optional() })
    .optional(),
});

const transferEventSchema = z.object({
  name: z.literal('INTERNAL_TRANSFER_EVENT'),
  // lower case per the examples; the field table's upper-case COLD/WARM is accepted too (docs/assumptions.md#hooks-field-formats)
  transfertype: z.enum(['NA', 'cold', 'warm', 'redial', 'COLD', 'WARM', 'REDIAL']),
  transition: z.enum(['entry', 'exit']),
  // boolean in the schema, "true" in the examples (docs/assumptions.md#hooks-field-formats)
  isExtAD: z.union([z.boolean(), z.enum(['true', 'false'])]),
  language: z.string().optional(),
  experience: z.enum(['chat', 'voice', 'email']),
  participant: participantSchema,
});

const summaryEventSchema = z.object({
  name: z.literal('TRIGGER_SUMMARY_EVENT'),
  data: z.object({ language: z.string(), locale: z.string(), type: z.string() }),
});

const endEventSchema = z.object({
  name: z.literal('END_OF_CONVERSATION'),
  reason: z.string().min(1),
  language: z.string().optional(),
  experience: z.enum(['chat', 'voice', 'email']).optional(),
  participant: participantSchema.optional(),
});

const eventSchema = z.discriminatedUnion('name', [transferEventSchema, summaryEventSchema, endEventSchema]);

const hooksBodySchema = z
  .object({
    conversationId: z.string().min(1),
    botId: z.string().min(1),
    query: z.string().optional(),
    agentId: z.string().optional(),
    experience: z.enum(['chat', 'voice', 'email']).optional(),
    author: z.object({ type: z.enum(['USER', 'AGENT']) }).optional(),
    source: z.string().optional(),
    sendUserMessage: z.boolean().optional(),
    sendAgentMessage: z.boolean().optional(),
    language: z.string().optional(),
    events: z.array(eventSchema).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.query === undefined) return;
    const required = [
      'agentId',
      'experience',
      'author',
      'source',
      'sendUserMessage',
      'sendAgentMessage',
      'language',
    ] as const;
    for (const field of required) {
      if (body[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `"${field}" is required with "query" (message propagation)`,
        });
    }
  });

/** A validated hooks API body. */
export type HooksBody = z.infer<typeof hooksBodySchema>;

/** One lifecycle event of a hooks body. */
export type HooksEvent = z.infer<typeof eventSchema>;

/**
 * Validates a hooks API body; anything else is a `KaaError` `E_HTTP_BAD_REQUEST` naming the first problem.
 *
 * @example
 * ```ts
 * parseHooksBody({ conversationId: 'c1', botId: 'st-1', events: [{ name: 'END_OF_CONVERSATION', reason: 'agent_initiated' }] });
 * ```
 */
export function parseHooksBody(input: unknown): HooksBody {
  const parsed = hooksBodySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidBody('The hooks body', parsed.error.issues, 'Send the body documented for the Agent AI hooks API.');
}
