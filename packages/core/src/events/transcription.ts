import * as z from 'zod/mini';
import { KaaError } from '../errors.js';
import { describeIssues, issuePaths } from '../issues.js';

/** `EXTERNAL` is the customer and `INTERNAL` the agent (docs/genesys-protocol.md#transcription-topic). */
export type TranscriptChannel = 'INTERNAL' | 'EXTERNAL';

/** Who spoke an utterance. */
export type Speaker = 'customer' | 'agent';

/** One transcript line, normalised from a Genesys `transcripts[]` item. */
export interface Utterance {
  /** Genesys `utteranceId`; the ledger upserts and deduplicates by it. */
  readonly utteranceId: string;
  /** `false` for a partial result that may still change. */
  readonly isFinal: boolean;
  readonly speaker: Speaker;
  /** `alternatives[0].transcript`. */
  readonly text: string;
  /** `alternatives[0].offsetMs`, from the start of the transcription session. */
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly confidence?: number;
  readonly channel: TranscriptChannel;
  readonly communicationId?: string;
  readonly conversationId: string;
}

/** Known transcription session statuses; other strings pass through unchanged. */
export type TranscriptionSessionStatus = 'SESSION_ONGOING' | 'SESSION_ENDED' | (string & {});

/** The result of {@link normalizeTranscription}. */
export interface NormalizedTranscription {
  readonly conversationId: string;
  readonly communicationId?: string;
  /** `status.status`, e.g. `SESSION_ENDED`; absent when the event carries no status. */
  readonly status?: TranscriptionSessionStatus;
  /** `status.offsetMs`. */
  readonly statusOffsetMs?: number;
  /** True when `status` is `SESSION_ENDED`: flush the ledger. */
  readonly sessionEnded: boolean;
  /** In the order Genesys sent them. */
  readonly utterances: readonly Utterance[];
}

// Only the fields kaa reads are validated and copied (`z.object` drops the rest: `words`, `decoratedWords`, engine
// details…), which keeps the per-frame relay cost low (docs/architecture.md#where-performance-comes-from).
const Alternative = z.object({
  transcript: z.string(),
  offsetMs: z.number(),
  durationMs: z.number(),
  confidence: z.optional(z.number()),
});
const Transcript = z.object({
  utteranceId: z.string().check(z.minLength(1)),
  isFinal: z.boolean(),
  channel: z.enum(['INTERNAL', 'EXTERNAL']),
  alternatives: z.array(Alternative).check(z.minLength(1)),
});
const Body = z.object({
  conversationId: z.string().check(z.minLength(1)),
  communicationId: z.optional(z.string()),
  transcripts: z.optional(z.array(Transcript)),
  status: z.optional(z.object({ status: z.optional(z.string()), offsetMs: z.optional(z.number()) })),
});

/**
 * Turns the `eventBody` of a `v2.conversations.{id}.transcription` notification into {@link Utterance}s
 * (docs/genesys-protocol.md#transcription-topic): text from `alternatives[0].transcript`, `EXTERNAL` → customer, `INTERNAL` → agent,
 * plus the session status. A body of the wrong shape throws `E_EVENT_INVALID` naming the field.
 *
 * @example
 * ```ts
 * import { normalizeTranscription } from '@kaa/core';
 *
 * const t = normalizeTranscription({ conversationId: 'c1', transcripts: [{ utteranceId: 'u1', isFinal: true,
 *   channel: 'EXTERNAL', alternatives: [{ transcript: 'hello', offsetMs: 100, durationMs: 400, confidence: 0.9 }] }] });
 * // t.utterances[0] → { utteranceId: 'u1', isFinal: true, speaker: 'customer', text: 'hello', offsetMs: 100, … }
 * ```
 */
export function normalizeTranscription(eventBody: unknown): NormalizedTranscription {
  const parsed = Body.safeParse(eventBody);
  if (!parsed.success) {
    throw new KaaError(
      'E_EVENT_INVALID',
      `A transcription notification has an unexpected shape: ${describeIssues(parsed.error.issues, 'eventBody')}. ` +
        'kaa cannot relay these transcripts; report the event (without its text) to the kaa maintainers, or switch the bot to Kore audio (AudiohookEnabled=true).',
      { details: { issues: issuePaths(parsed.error.issues, 'eventBody') } },
    );
  }
  const body = parsed.data;
  const { conversationId, communicationId } = body;
  const transcripts = body.transcripts ?? [];
  const utterances: Utterance[] = new Array<Utterance>(transcripts.length);
  for (let i = 0; i < transcripts.length; i++) {
    const t = transcripts[i] as z.infer<typeof Transcript>;
    const first = t.alternatives[0] as z.infer<typeof Alternative>;
    const u: { -readonly [K in keyof Utterance]: Utterance[K] } = {
      utteranceId: t.utteranceId,
      isFinal: t.isFinal,
      speaker: t.channel === 'EXTERNAL' ? 'customer' : 'agent',
      text: first.transcript,
      offsetMs: first.offsetMs,
      durationMs: first.durationMs,
      channel: t.channel,
      conversationId,
    };
    if (first.confidence !== undefined) u.confidence = first.confidence;
    if (communicationId !== undefined) u.communicationId = communicationId;
    utterances[i] = u;
  }
  const status = body.status?.status;
  const statusOffsetMs = body.status?.offsetMs;
  const out: { -readonly [K in keyof NormalizedTranscription]: NormalizedTranscription[K] } = {
    conversationId,
    sessionEnded: status === 'SESSION_ENDED',
    utterances,
  };
  if (communicationId !== undefined) out.communicationId = communicationId;
  if (status !== undefined) out.status = status;
  if (statusOffsetMs !== undefined) out.statusOffsetMs = statusOffsetMs;
  return out;
}
