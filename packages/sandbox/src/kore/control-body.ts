/**
 * The body of Control Transcription (docs/kore-protocol.md#hold-resume-and-control-transcription): `{action, agentId, handover?}`, `handover` required
 * with `pause`.
 */
import { z } from 'zod';
import { invalidBody } from './invalid-body.js';

const controlBodySchema = z
  .object({
    action: z.enum(['start', 'pause', 'resume', 'end']),
    agentId: z.string().min(1),
    handover: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.action === 'pause' && body.handover === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['handover'],
        message: '"handover" is required with "pause" (true for a transfer, false for a hold)',
      });
    }
  });

/** A validated Control Transcription body. */
export type ControlBody = z.infer<typeof controlBodySchema>;

/**
 * Validates a Control Transcription body; anything else is a `KaaError` `E_HTTP_BAD_REQUEST`.
 *
 * @example
 * ```ts
 * parseControlBody({ action: 'pause', agentId: 'a1', handover: false });
 * ```
 */
export function parseControlBody(input: unknown): ControlBody {
  const parsed = controlBodySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidBody(
    'The transcription control body',
    parsed.error.issues,
    'Send {"action":"start"|"pause"|"resume"|"end","agentId","handover"}.',
  );
}
